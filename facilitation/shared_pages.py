"""Pages every phone of a session receives alike, rendered once and filled in per person.

In a plenary hundreds of phones ask for the same join page and the same phone page
within a minute. Rendering each (Jinja, some thirty translated strings) was a sixth of
a join's server CPU. A shared page is rendered once for everything it depends on (the
key: the session's state, the plan, the language, the address's query…) with a *slot*
for each part that differs from person to person (the CSRF token, the name they joined
with); each request then fills the slots into the kept text.

What a page depends on must all be in its key: the view names its own part (the session's
``state_key``, what it knows of the person that changes the page), and ``shared_page``
adds what every page depends on (the template, the language, the query, the static files'
manifest). A page with a flashed message is never kept: the message is for one person.
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from functools import cache

from flask import g, render_template, request
from flask import session as cookie_session
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

from .i18n import current_language
from .models import WorkshopSession
from .static_assets import manifest

# Pages kept per process: a session's join and phone pages in each language, for the
# sessions running at once on one server, with room to spare (about 15 KB each).
KEPT_PAGES = 512

# Random per process, so no text a person typed can pass for a slot.
_MARK = secrets.token_hex(12)
CSRF = "csrf_token"

# The session's column that changes with every event but no page shows: it counts events,
# and every join moves it. (The plan's text is in: the parsed plan comes from it.)
_NOT_SHOWN = frozenset({"last_seq"})


def slot(name: str) -> Markup:
    """The placeholder a kept page holds for ``name``'s per-person value."""
    return Markup(f"[{_MARK}:{name}]")


def state_key(session: WorkshopSession) -> tuple:
    """The session's state as far as any page can show it: every column but those that
    move with each event, so that one person joining keeps the others' pages."""
    values = (getattr(session, name) for name in _shown_columns())
    return tuple(repr(value) if isinstance(value, (list, dict)) else value for value in values)


@cache
def _shown_columns() -> tuple[str, ...]:
    return tuple(
        column.key
        for column in WorkshopSession.__mapper__.column_attrs
        if column.key not in _NOT_SHOWN
    )


class _Kept:
    """The kept pages, the least recently used dropped first."""

    def __init__(self, size: int):
        self.size = size
        self._pages: OrderedDict[Hashable, tuple[str, tuple[str, ...]]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable):
        with self._lock:
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
            return page

    def put(self, key: Hashable, page: tuple[str, tuple[str, ...]]) -> None:
        with self._lock:
            self._pages[key] = page
            while len(self._pages) > self.size:
                self._pages.popitem(last=False)


kept = _Kept(KEPT_PAGES)


def shared_page(
    template: str,
    key: Hashable,
    context: Callable[[], dict],
    fill: Mapping[str, str | Markup] | None = None,
    *,
    by_address: bool = True,
) -> str:
    """``template`` rendered with ``context()``, kept under ``key``; the names in
    ``fill`` are slots in the kept page, filled with their values (escaped unless Markup);
    a ``csrf_token()`` in the page is this person's own token. ``by_address`` False: the
    page depends on nothing of the request's address (its query, its path), so every
    address that answers with it shares one copy."""
    fill = dict(fill or {})
    if "_flashes" in cookie_session:  # a message for this person only
        return render_template(template, **context(), **fill)
    whole_key = (
        template,
        key,
        current_language(),
        request.script_root,
        tuple(sorted(request.args.items(multi=True))) if by_address else (),
        tuple(sorted((request.view_args or {}).items())) if by_address else (),
        manifest(),  # the static files' names, which change in debug mode as files do
    )
    page = kept.get(whole_key)
    if page is None:
        page = _render(template, context(), fill)
        kept.put(whole_key, page)
    else:
        # The page's inline scripts are allowed by their hashes (static_assets.py): a
        # kept page's go into this response's CSP as the rendering's own did.
        g.setdefault("script_hashes", []).extend(page[1])
    text = page[0]
    for name, value in fill.items():
        text = text.replace(slot(name), escape(value))
    if slot(CSRF) in text:
        text = text.replace(slot(CSRF), escape(generate_csrf()))
    return text


def _render(template: str, context: dict, fill: Mapping) -> tuple[str, tuple[str, ...]]:
    before = len(g.get("script_hashes", ()))
    slots = {name: slot(name) for name in fill}
    text = render_template(template, **context, **slots, csrf_token=lambda: slot(CSRF))
    return text, tuple(g.get("script_hashes", ())[before:])
