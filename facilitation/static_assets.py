"""The static folder under content-hashed names, compressed once, with its modules' imports.

At start the app reads ``static/`` once (``Manifest``): each file's sha256, its hashed name
(``js/phone.js`` is ``js/phone.3f2ab19c0d.js``), a gzip copy of text files, and the
relative imports of each JavaScript module. ``url_for('static', filename=...)`` then names
the hashed file, which browsers may keep for a year: a change makes a new name. The plain
name still answers (an old page, a source map), revalidated on every use as before.

ES modules import each other by plain relative paths, so a page's modules are reached
through an import map, with a ``modulepreload`` for each so the browser asks for all of them
at once instead of one level of imports per round trip (``module_script``).

docs/architecture.md ("Static files") says why each header is what it is.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import mimetypes
import os
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from flask import Flask, Response, abort, current_app, g, request, send_from_directory
from flask.sessions import SecureCookieSessionInterface
from markupsafe import Markup

from . import static_build

DIGEST_LENGTH = 10
# `name.<10 hex>.ext`: what `hashed_name` makes of `name.ext`.
HASHED = re.compile(rf"^(?P<stem>.+)\.(?P<digest>[0-9a-f]{{{DIGEST_LENGTH}}})(?P<suffix>\.[^./]+)$")
# Text compresses; images such as PNG and WOFF2 fonts are compressed already.
COMPRESSIBLE = {".js", ".mjs", ".css", ".svg", ".json", ".map", ".txt"}
# Below this a gzip copy saves less than its headers cost.
MIN_COMPRESS = 512
YEAR = 31_536_000
IMMUTABLE = f"public, max-age={YEAR}, immutable"

# `import … from "./x.js"`, `import "./x.js"`, `export … from "./x.js"`: relative imports.
IMPORT = re.compile(r"""\b(?:from|import)\s*["'](\.{1,2}/[^"']+)["']""")
# `import("./x.js")`: a module loaded when the code asks for it, written as a literal so it
# is found here (activities/registry.js). In the page's import map, not preloaded.
DYNAMIC_IMPORT = re.compile(r"""\bimport\(\s*["'](\.{1,2}/[^"']+)["']\s*\)""")


def module_imports(
    module: str, text: str, exists: Callable[[str], bool], *, dynamic: bool = False
) -> list[str]:
    """The modules that MODULE (a path in the static folder) imports by a relative path,
    given its TEXT, as paths in the folder, leaving out those EXISTS says are not there:
    its static imports, or with DYNAMIC its literal ``import("./x.js")`` calls."""
    found = []
    for relative in (DYNAMIC_IMPORT if dynamic else IMPORT).findall(text):
        parts: list[str] = []
        # resolve "./" and "../" without touching the disk
        for part in (PurePosixPath(module).parent / relative).parts:
            if part == "..":
                if parts:
                    parts.pop()
            elif part != ".":
                parts.append(part)
        name = "/".join(parts)
        if exists(name):
            found.append(name)
    return found


def with_imports(names: Iterable[str], imports: Callable[[str], Iterable[str]]) -> list[str]:
    """NAMES and every module they import, directly or not, sorted."""
    found: set[str] = set()
    waiting = list(names)
    while waiting:
        name = waiting.pop()
        if name not in found:
            found.add(name)
            if name.endswith(".js"):
                waiting.extend(imports(name))
    return sorted(found)


def folder_imports(static: Path, *, dynamic: bool = False) -> Callable[[str], list[str]]:
    """``imports(module)`` for modules read from the STATIC folder itself: their static
    imports, and with DYNAMIC their dynamic ones too."""

    def imports(module: str) -> list[str]:
        text = (static / module).read_text(encoding="utf-8")
        found = module_imports(module, text, exists)
        return found + module_imports(module, text, exists, dynamic=True) if dynamic else found

    def exists(name: str) -> bool:
        return (static / name).is_file()

    return imports


def hashed_name(name: str, digest: str) -> str:
    path = PurePosixPath(name)
    if not path.suffix:
        return f"{name}.{digest}"
    return str(path.with_name(f"{path.stem}.{digest}{path.suffix}"))


@dataclass(frozen=True)
class Asset:
    name: str  # as in the folder: "js/phone.js"
    hashed: str  # "js/phone.3f2ab19c0d.js"
    digest: str
    body: bytes
    gzipped: bytes | None  # None when not worth it
    mimetype: str
    mtime: float
    imports: tuple[str, ...]
    lazy_imports: tuple[str, ...]  # `import("./x.js")`: loaded when the code asks


class Manifest:
    """Every file of a static folder, read once."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.signature = _signature(folder)
        names = sorted(self.signature)
        bodies = {name: (folder / name).read_bytes() for name in names}
        # What is served: make's minified copy while its source is unchanged (static_build).
        served = {**bodies, **static_build.minified(folder)}
        self.assets: dict[str, Asset] = {}
        self._scripts: dict[tuple, tuple[str, Markup]] = {}
        for name in names:
            body = served[name]
            digest = hashlib.sha256(body).hexdigest()[:DIGEST_LENGTH]
            imports: tuple[str, ...] = ()
            lazy_imports: tuple[str, ...] = ()
            if name.endswith(".js"):  # the imports as written in the source
                text = bodies[name].decode("utf-8", errors="replace")
                imports = tuple(module_imports(name, text, bodies.__contains__))
                lazy_imports = tuple(module_imports(name, text, bodies.__contains__, dynamic=True))
            self.assets[name] = Asset(
                name=name,
                hashed=hashed_name(name, digest),
                digest=digest,
                body=body,
                gzipped=_gzipped(name, body),
                mimetype=mimetypes.guess_type(name)[0] or "application/octet-stream",
                mtime=self.signature[name][0] / 1e9,
                imports=imports,
                lazy_imports=lazy_imports,
            )
        self.by_hashed = {asset.hashed: asset for asset in self.assets.values()}

    def url_name(self, name: str) -> str:
        """The name ``url_for('static')`` gives NAME: hashed when the file is known."""
        asset = self.assets.get(name)
        return asset.hashed if asset else name

    def find(self, filename: str) -> tuple[Asset | None, bool]:
        """The asset a request for FILENAME gets, and whether it was asked for by its
        current hashed name (None: not a file of the manifest)."""
        if filename in self.by_hashed:
            return self.by_hashed[filename], True
        if filename in self.assets:
            return self.assets[filename], False
        match = HASHED.match(filename)
        if match:  # another version's name: served as the plain name (see `serve`)
            return self.assets.get(match["stem"] + match["suffix"]), False
        return None, False

    def graph(self, entries: Iterable[str], *, lazy: bool = False) -> list[str]:
        """The modules ENTRIES are and import, directly or not; with LAZY, those they may
        import dynamically too."""

        def imports(name: str) -> tuple[str, ...]:
            asset = self.assets[name]
            return asset.imports + asset.lazy_imports if lazy else asset.imports

        return with_imports((e for e in entries if e in self.assets), imports)

    def scripts(
        self, entries: tuple[str, ...], preload: tuple[str, ...], static_url: str
    ) -> tuple[str, Markup]:
        """``module_script``'s import map (its text, for the CSP) and markup: the same for
        every page of a kind, so made once (thousands of phones load the same page)."""
        key = (entries, preload, static_url)
        made = self._scripts.get(key)
        if made is None:
            made = self._scripts[key] = self._make_scripts(entries, preload, static_url)
        return made

    def _make_scripts(
        self, entries: tuple[str, ...], preload: tuple[str, ...], static_url: str
    ) -> tuple[str, Markup]:
        # Every module the page may import is mapped; only those it imports at once are
        # preloaded.
        mapped = self.graph(entries, lazy=True)
        modules = self.graph((*entries, *(name for name in preload if name in mapped)))
        imports = {static_url + name: static_url + self.assets[name].hashed for name in mapped}
        # "<" escaped: no "</script>" or "<!--" in the block, whatever a file is named.
        text = json.dumps({"imports": imports}).replace("<", "\\u003c")
        lines = [Markup('<script type="importmap">{}</script>').format(Markup(text))]
        lines += [
            Markup('<link rel="modulepreload" href="{}">').format(imports[static_url + name])
            for name in modules
        ]
        lines += [
            Markup('<script type="module" src="{}"></script>').format(
                static_url + self.url_name(entry)
            )
            for entry in entries
        ]
        return text, Markup("\n").join(lines)


def _signature(folder: Path) -> dict[str, tuple[int, int]]:
    """(mtime, size) of every file under FOLDER by its name there: what changes with an edit."""
    found = {}
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        for file in files:
            path = Path(root, file)
            if path.is_file() and not _made_by_build(path.relative_to(folder).as_posix()):
                stat = path.stat()
                found[path.relative_to(folder).as_posix()] = (stat.st_mtime_ns, stat.st_size)
    return found


def _made_by_build(name: str) -> bool:
    """Whether NAME is one of make's minified copies: served in place of its source, never
    under its own name."""
    return name.startswith(static_build.OUTPUT + "/") or name.startswith("vendor/.min-")


def _gzipped(name: str, body: bytes) -> bytes | None:
    if PurePosixPath(name).suffix not in COMPRESSIBLE or len(body) < MIN_COMPRESS:
        return None
    # mtime=0: the same bytes on every start and every worker (one ETag for all).
    packed = gzip.compress(body, compresslevel=9, mtime=0)
    return packed if len(packed) < len(body) else None


_lock = threading.Lock()


def manifest(app: Flask | None = None) -> Manifest:
    """The app's manifest: read at start; in debug mode read again when a file changes
    (static files change with a deploy, which restarts the server)."""
    app = app or current_app
    current: Manifest = app.extensions["static_assets"]
    if app.debug and _signature(current.folder) != current.signature:
        with _lock:
            current = app.extensions["static_assets"] = Manifest(current.folder)
    return current


def serve(filename: str) -> Response:
    """The static view: a file by its hashed name is kept for a year; by its plain name, or
    by a hashed name that is not the current one, it is revalidated on every use.

    An old hash gets today's file rather than a 404: while two workers restart one after
    the other behind nginx, a page from the new worker may ask the old one for a file (and
    the other way round). ``no-cache`` and an ETag of the content served keep the mismatch
    out of every cache, and the next revalidation gets the right file.
    """
    asset, current = manifest().find(filename)
    if asset is None:
        if _made_by_build(filename):  # a copy answers for its source, never by its own name
            abort(404)
        # Not there when the app started: Flask's own checks and answer.
        return send_from_directory(current_app.static_folder, filename, max_age=None)
    body, etag = asset.body, asset.digest
    gzipped = asset.gzipped is not None and request.accept_encodings["gzip"] > 0
    if gzipped:
        body, etag = asset.gzipped, asset.digest + "-gz"
    response = Response(body, mimetype=asset.mimetype)
    if gzipped:
        response.content_encoding = "gzip"
    if asset.gzipped is not None:
        response.vary.add("Accept-Encoding")
    if current:
        response.headers["Cache-Control"] = IMMUTABLE
    else:
        response.cache_control.no_cache = True
    response.set_etag(etag)
    response.last_modified = asset.mtime
    return response.make_conditional(request, accept_ranges=not gzipped, complete_length=len(body))


def module_script(*entries: str, preload: Iterable[str] = ()) -> Markup:
    """The page's import map, a modulepreload for every module ENTRIES import (directly or
    not) and a module script for each entry: the browser fetches all the modules at once,
    by their hashed names, however deep the imports go. Modules they may import
    dynamically (``import("./x.js")``) are in the map, by their hashed names too, but not
    preloaded: they are fetched when the code asks for them, but for those named in PRELOAD
    (and what they import), which the page will ask for at once (the phone's current stage's
    type). One call per page (a page may have one import map only, before any module
    script)."""
    # As url_for would write it, under a mounted app's prefix too.
    static_url = request.script_root + current_app.static_url_path.rstrip("/") + "/"
    text, markup = manifest().scripts(entries, tuple(preload), static_url)
    allow_inline_script(text)
    return markup


def allow_inline_script(text: str) -> None:
    """Let this response's page run the inline script TEXT, by its hash (security.py)."""
    digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
    g.setdefault("script_hashes", []).append(f"'sha256-{digest}'")


def inline_script_sources() -> list[str]:
    """The CSP sources of the inline scripts this response's page holds."""
    return list(g.get("script_hashes", ()))


def _page_revalidated(response: Response) -> Response:
    """A page names the files of this deploy, so a browser asks for it afresh each time
    (``no-cache``), and no shared cache keeps it (``private``: pages are per person). Views
    whose page is a key or personal data say ``no-store`` themselves."""
    if response.mimetype == "text/html" and "Cache-Control" not in response.headers:
        response.headers["Cache-Control"] = "no-cache, private"
    return response


class StaticFreeSessions(SecureCookieSessionInterface):
    """The cookie session, left out of static files: Flask-Login reads the session on every
    response, which would add ``Vary: Cookie`` (and may refresh the cookie). A file that
    varies by cookie is fetched again by the browser once joining sets a cookie, and no
    shared cache keeps it."""

    def save_session(self, app, session, response) -> None:
        if request.endpoint != "static":
            super().save_session(app, session, response)


def init_app(app: Flask) -> None:
    app.extensions["static_assets"] = Manifest(Path(app.static_folder))
    app.session_interface = StaticFreeSessions()
    app.view_functions["static"] = serve
    app.jinja_env.globals["module_script"] = module_script
    app.after_request(_page_revalidated)

    @app.url_defaults
    def _hashed_static_name(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "filename" in values:
            values["filename"] = manifest(app).url_name(values["filename"])
