"""The phone's service worker, which lets a phone page reload through a dropped Wi-Fi.

``static/js/phone-sw.js`` keeps the phone page of the session the person joined and the
static files it loads (docs/privacy.md says what is kept and when it goes). It is served
here, not from ``/static/``, so that it starts with what this install's phone loads: the
files (named by the page's templates, and the modules their scripts import) and a version
made from their contents. The modules the page imports only when a stage needs them (each
activity type's, ``import("./x.js")``) are listed apart: the worker keeps them as they are
fetched, not at install, so a phone on slow Wi-Fi does not download every type's modules
before its first answer. Any change to a file changes the script, so browsers install the
new worker, which keeps the new files and deletes the old ones.

The phone page says whether its worker may keep it (``mark_phone_page``): never once the
person has withdrawn.
"""

from __future__ import annotations

import hashlib
import json
import re
from functools import lru_cache
from pathlib import Path

from flask import Blueprint, Response, current_app, url_for

from ..static_assets import folder_imports, with_imports
from ..version import __version__

bp = Blueprint("phone_offline", __name__)

# The phone page's templates: the static files they name, and the modules their scripts
# import, are what the phone loads (tests/browser/test_phone_offline.py checks that
# nothing the page asks for is missing).
PAGE_TEMPLATES = ("base.html", "participant/phone.html")
STATIC_URL = re.compile(
    r"""url_for\(\s*["']static["']\s*,\s*filename\s*=\s*["']([^"']+)["']\s*\)"""
)
# `module_script('js/phone.js', ...)`: the page's modules (static_assets.module_script).
MODULE_SCRIPT = re.compile(r"""module_script\(([^)]*)\)""")
QUOTED = re.compile(r"""["']([^"']+)["']""")

# The phone page's answer to its worker: keep this page for a reload offline, or forget it.
KEEP_HEADER = "X-Phone-Offline"
# The version of the files the page expects, so a worker holding older ones can tell.
VERSION_HEADER = "X-Phone-Assets"


def phone_files(static: Path, templates: Path, *, lazy: bool = False) -> list[str]:
    """Every static file the phone page loads, relative to STATIC, in a stable order: those
    its TEMPLATES name, and every module their scripts import; with LAZY, the modules they
    may import dynamically too (and what those import)."""
    named = []
    for template in PAGE_TEMPLATES:
        text = (templates / template).read_text(encoding="utf-8")
        named += STATIC_URL.findall(text)
        for arguments in MODULE_SCRIPT.findall(text):
            named += QUOTED.findall(arguments)
    existing = [name for name in named if (static / name).is_file()]
    return with_imports(existing, folder_imports(static, dynamic=lazy))


def files_version(static: Path, files: list[str]) -> str:
    """A short hash of the app's version and the FILES' names and contents."""
    digest = hashlib.sha256(__version__.encode())
    for name in files:
        digest.update(b"\0" + name.encode() + b"\0")
        digest.update((static / name).read_bytes())
    return digest.hexdigest()[:16]


@lru_cache(maxsize=4)
def _manifest_of(static: str, templates: str) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    folder = Path(static)
    files = phone_files(folder, Path(templates))
    every = phone_files(folder, Path(templates), lazy=True)
    lazy = tuple(name for name in every if name not in files)
    return files_version(folder, every), tuple(files), lazy


def manifest() -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """(version, files, lazy files) of this app's phone: the files it loads with the page,
    and the modules it loads when a stage needs them. Static files change with a deploy,
    which restarts the server; in debug mode they change under it, so it is worked out each
    time."""
    if current_app.debug:
        _manifest_of.cache_clear()
    return _manifest_of(current_app.static_folder, current_app.template_folder)


def mark_phone_page(response: Response, *, keep: bool) -> Response:
    """Tell the worker whether it may keep this phone page, and which files it expects."""
    response.headers[KEEP_HEADER] = "keep" if keep else "forget"
    response.headers[VERSION_HEADER] = manifest()[0]
    return response


@bp.get("/phone-sw.js")
def worker():
    version, files, lazy = manifest()
    config = {
        "version": version,
        "assets": [url_for("static", filename=name) for name in files],
        "lazyAssets": [url_for("static", filename=name) for name in lazy],
        "keepHeader": KEEP_HEADER,
        "versionHeader": VERSION_HEADER,
    }
    script = Path(current_app.static_folder, "js", "phone-sw.js").read_text(encoding="utf-8")
    body = f"self.PHONE_OFFLINE = {json.dumps(config)};\n{script}"
    response = Response(body, mimetype="text/javascript")
    # Browsers check a worker for updates on each visit; no-cache makes that check real.
    response.headers["Cache-Control"] = "no-cache"
    return response
