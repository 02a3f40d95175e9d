"""The Content Security Policy: no inline script and no third-party origin, on every page;
and no page holds an inline script with code, an on*= handler or a javascript: link. The
one inline block allowed is a page's import map, by the hash of its text alone.

The pages are every GET route as every kind of visitor (tests/security/walk.py). Downloads
are files, not pages: the HTML report carries its own inlined scripts for offline reading
and is escaped instead (tests/security/test_xss.py).
"""

from __future__ import annotations

import base64
import hashlib
import json
from html.parser import HTMLParser

from tests.security.walk import walk

# Keywords and schemes a CSP source list may hold without naming another site.
OWN_SOURCES = {"'self'", "'none'", "data:", "blob:"}


def directives(policy: str) -> dict[str, list[str]]:
    parsed = {}
    for directive in filter(None, (part.strip() for part in policy.split(";"))):
        name, *sources = directive.split()
        parsed[name] = sources
    return parsed


class Scripts(HTMLParser):
    """What in a page could run script: inline code, handlers, javascript: URLs, and what
    it loads from elsewhere."""

    def __init__(self):
        super().__init__()
        self.problems: list[str] = []
        self.import_maps: list[str] = []  # their CSP sources: 'sha256-…'
        self._in_script: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name, value in attrs.items():
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...>")
            if name in ("href", "src", "action", "formaction") and (
                value or ""
            ).strip().lower().startswith("javascript:"):
                self.problems.append(f"<{tag} {name}={value!r}>")
        loaded = attrs.get("src") if tag in ("script", "img", "iframe") else None
        if tag == "link" and "stylesheet" in (attrs.get("rel") or ""):
            loaded = attrs.get("href")
        if loaded and "//" in loaded.split("?")[0][:8]:
            self.problems.append(f"<{tag}> loads {loaded} from another origin")
        if tag == "script":
            self._in_script = attrs

    def handle_data(self, data):
        script = self._in_script
        if script is not None and script.get("type") == "importmap" and not script.get("src"):
            json.loads(data)  # a map of names, no code
            digest = base64.b64encode(hashlib.sha256(data.encode()).digest()).decode()
            self.import_maps.append(f"'sha256-{digest}'")
        elif script is not None and data.strip():
            if script.get("src") or script.get("type") != "application/json":
                self.problems.append(f"inline <script> with code: {data.strip()[:60]!r}")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = None


def test_every_page_has_a_strict_csp_and_no_inline_script(app, workshop):
    participant = workshop.join("Health", "Sam")
    pages = [page for page in walk(app, workshop.code, participant) if not page.is_download]
    html_pages = [page for page in pages if page.is_html]
    # The walk reached the pages of every kind of visitor.
    reached = {(page.who, page.endpoint) for page in html_pages if page.status == 200}
    assert {
        ("anonymous", "participant.home"),
        ("anonymous", "participant.join"),
        ("participant", "participant.phone"),
        ("projector", "screen.show"),
        ("note-taker", "notes.take_notes"),
        ("facilitator", "facilitator.console"),
        ("facilitator", "plans.edit"),
        ("researcher", "research.home"),
    } <= reached, reached
    for page in pages:
        where = f"{page.who} GET {page.url}"
        policy = directives(page.headers["Content-Security-Policy"])
        assert policy["default-src"] == ["'self'"], where
        scanner = Scripts()
        if page.is_html:
            scanner.feed(page.text)
            assert not scanner.problems, f"{where}: {scanner.problems}"
            assert len(scanner.import_maps) <= 1, where  # browsers take one per page
        # Its own origin, and the page's import map by its hash: nothing else inline.
        assert policy["script-src"] == ["'self'", *scanner.import_maps], where
        assert policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'self'"], where
        for name, sources in policy.items():
            others = [
                s
                for s in sources
                if s not in OWN_SOURCES and s != "'unsafe-inline'" and s not in scanner.import_maps
            ]
            assert not others, f"{where}: {name} allows {others}"
            if "'unsafe-inline'" in sources:
                assert name == "style-src", f"{where}: {name} allows 'unsafe-inline'"


def test_the_scan_finds_each_kind_of_inline_script():
    page = (
        '<script src="/static/js/phone.js"></script>'
        '<script type="application/json">{"a": 1}</script>'
        "<script>alert(1)</script>"
        '<img src="x" onerror="alert(1)">'
        '<a href=" JavaScript:alert(1)">x</a>'
        '<script src="https://cdn.example/lib.js"></script>'
        '<script type="importmap">{"imports": {}}</script>'
    )
    scanner = Scripts()
    scanner.feed(page)
    assert len(scanner.problems) == 4, scanner.problems
    assert scanner.import_maps == ["'sha256-CJt/FpW3RQlGvqBeO/YK74xrTm1ctS6rLMJu1bV4fMc='"]
