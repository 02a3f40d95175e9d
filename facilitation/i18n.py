"""Interface language: Flask-Babel set up, and which language each request is shown in.

Participant pages are in English and Welsh; the rest are English (TRANSLATED_BLUEPRINTS).
The choice, first match wins: an explicit ``?lang=`` (the switch link on participant pages),
then the ``lang`` cookie that remembers it, then the browser's Accept-Language among the
languages we have, then English. Catalogues live in ``facilitation/translations``; the
``.mo`` files are built from the ``.po`` files by ``make translations`` (run by ``make run``
and ``make test``), never committed.
"""

from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask, has_request_context, request, url_for
from flask_babel import Babel, get_locale

from .cookies import set_cookie

SUPPORTED_LANGUAGES = ("en", "cy")
DEFAULT_LANGUAGE = "en"
# Each language named in itself: a switch link must be readable by those who need it.
LANGUAGE_NAMES = {"en": "English", "cy": "Cymraeg"}
LANGUAGE_COOKIE = "lang"
# The pages that exist in every supported language. The others (facilitator, projector,
# note-taker, research) are English only, so they say lang="en" whatever the browser asks.
TRANSLATED_BLUEPRINTS = frozenset({"participant"})
LANGUAGE_COOKIE_MAX_AGE = 365 * 24 * 3600
TRANSLATIONS_DIR = Path(__file__).parent / "translations"

babel = Babel()
log = logging.getLogger(__name__)


def _asked_language() -> str | None:
    """The language named by ``?lang=``, if it is one we have."""
    asked = request.args.get("lang", "")
    return asked if asked in SUPPORTED_LANGUAGES else None


def choose_language() -> str:
    """The language of this request (Flask-Babel's locale selector). Outside a request (the
    broadcaster's loop, the CLI) text is built for the projector or a file: English."""
    if not has_request_context() or request.blueprint not in TRANSLATED_BLUEPRINTS:
        return DEFAULT_LANGUAGE
    asked = _asked_language()
    if asked:
        return asked
    remembered = request.cookies.get(LANGUAGE_COOKIE, "")
    if remembered in SUPPORTED_LANGUAGES:
        return remembered
    return request.accept_languages.best_match(SUPPORTED_LANGUAGES) or DEFAULT_LANGUAGE


def current_language() -> str:
    """The language code the page is being rendered in ("en" or "cy")."""
    locale = get_locale()
    return locale.language if locale is not None else DEFAULT_LANGUAGE


def _remember_choice(response):
    """Keep an explicit ``?lang=`` in a cookie, so the next page is in the same language."""
    asked = _asked_language() if request.blueprint in TRANSLATED_BLUEPRINTS else None
    if asked and request.cookies.get(LANGUAGE_COOKIE) != asked:
        set_cookie(response, LANGUAGE_COOKIE, asked, max_age=LANGUAGE_COOKIE_MAX_AGE)
    # The same address gives a different page by language: caches must not mix them. A
    # static file is the same in every language; a Vary on cookies would make browsers
    # fetch it again after each new cookie (joining sets one).
    if request.endpoint != "static":
        response.vary.update(("Accept-Language", "Cookie"))
    return response


def language_links(endpoint: str | None = None, **values) -> list[dict]:
    """The other languages of this page, as {code, name, url} for a switch link.

    ``endpoint`` and ``values`` name the page's own address where it is not the request's
    (the phone page, sent as the join form's answer)."""
    here = current_language()
    if endpoint is None:
        endpoint = request.endpoint
        values = {**request.args.to_dict(), **(request.view_args or {})}
    if endpoint is None:
        return []
    return [
        {
            "code": code,
            "name": LANGUAGE_NAMES[code],
            "url": url_for(endpoint, **{**values, "lang": code}),
        }
        for code in SUPPORTED_LANGUAGES
        if code != here
    ]


def init_app(app: Flask) -> None:
    babel.init_app(
        app,
        default_locale=DEFAULT_LANGUAGE,
        default_translation_directories=str(TRANSLATIONS_DIR),
        locale_selector=choose_language,
    )
    app.after_request(_remember_choice)
    app.jinja_env.globals.update(current_language=current_language, language_links=language_links)
    missing = [
        po.parent.parent.name
        for po in TRANSLATIONS_DIR.glob("*/LC_MESSAGES/messages.po")
        if not po.with_suffix(".mo").exists()
    ]
    if missing:
        # Pages would silently fall back to English: say why, once, at start-up.
        log.warning(
            "translations for %s are not compiled: run `make translations`", ", ".join(missing)
        )
