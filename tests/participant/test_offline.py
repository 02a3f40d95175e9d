"""The phone's service worker over HTTP: its script and headers, the files it keeps and
their version, and the phone page telling it whether it may be kept (the browser side is
tests/browser/test_phone_offline.py)."""

from __future__ import annotations

import json
import re

from facilitation.participant.offline import files_version, phone_files
from facilitation.security import CONTENT_SECURITY_POLICY
from facilitation.static_assets import HASHED, IMMUTABLE
from facilitation.workshop import operations

PREFIX = re.compile(r"self\.PHONE_OFFLINE = (\{.*?\});\n")


def worker_config(response) -> dict:
    match = PREFIX.match(response.get_data(as_text=True))
    assert match, response.get_data(as_text=True)[:200]
    return json.loads(match.group(1))


def test_the_worker_script_is_javascript_checked_on_every_visit(app):
    response = app.test_client().get("/phone-sw.js")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/javascript; charset=utf-8"
    assert response.headers["Cache-Control"] == "no-cache"
    assert "worker-src 'self'" in response.headers["Content-Security-Policy"]
    assert "worker-src 'self'" in CONTENT_SECURITY_POLICY.split("; ")
    text = response.get_data(as_text=True)
    assert 'self.addEventListener("fetch"' in text  # the worker itself follows its config


def test_the_worker_keeps_the_phone_files_and_no_other_page_kind(app):
    config = worker_config(app.test_client().get("/phone-sw.js"))
    assert re.fullmatch(r"[0-9a-f]{16}", config["version"])
    # By the names the page uses: the hashed ones (static_assets.py).
    every = config["assets"] + config["lazyAssets"]
    assert all(HASHED.match(asset) for asset in every), every
    assets = {HASHED.sub(r"\g<stem>\g<suffix>", asset) for asset in config["assets"]}
    lazy = {HASHED.sub(r"\g<stem>\g<suffix>", asset) for asset in config["lazyAssets"]}
    # The page's own files, phone.js and what it imports, kept at install.
    assert {
        "/static/css/base.css",
        "/static/css/phone.css",
        "/static/vendor/socket.io.min.js",
        "/static/js/phone.js",
        "/static/js/phone-offline.js",
        "/static/js/live.js",
        "/static/js/countdown.js",
        "/static/js/activities/inputs.js",
        "/static/js/activities/inputs/base.js",
    } <= assets
    # Each activity type's modules, and what only they import, are kept as they are fetched.
    assert {
        "/static/js/activities/inputs/rating.js",
        "/static/js/activities/inputs/drag-list.js",
        "/static/js/activities/results/ranking.js",
        "/static/js/next-statement.js",
        "/static/js/consensus.js",
    } <= lazy
    assert not assets & lazy
    assert not [a for a in assets | lazy if re.search(r"console|screen|notes|plan-|series", a)]
    assert "/static/js/phone-sw.js" not in assets | lazy  # the worker is served at /phone-sw.js
    for asset in every:
        response = app.test_client().get(asset)
        assert response.status_code == 200, asset
        assert response.headers["Cache-Control"] == IMMUTABLE, asset


def test_the_files_come_from_the_templates_and_imports_and_the_version_from_their_contents(
    tmp_path,
):
    static, templates = tmp_path / "static", tmp_path / "templates"
    (templates / "participant").mkdir(parents=True)
    (templates / "base.html").write_text(
        "<link href=\"{{ url_for('static', filename='css/phone.css') }}\">"
        "<link href=\"{{ url_for( 'static', filename='gone.css' ) }}\">"
    )
    (templates / "participant" / "phone.html").write_text(
        '<script src="{{ url_for("static", filename="js/socket.js") }}"></script>'
        "{{ module_script('js/phone.js') }}"
    )
    (static / "js" / "activities").mkdir(parents=True)
    (static / "css").mkdir()
    (static / "css" / "phone.css").write_text("body {}")
    (static / "js" / "phone.js").write_text(
        'import { a } from "./live.js";\nimport {\n  b,\n} from "./activities/inputs.js";\n'
        '// import "./missing.js" names no file: left out\n'
    )
    (static / "js" / "live.js").write_text("export const a = 1;")
    (static / "js" / "socket.js").write_text("window.io = 1;")
    (static / "js" / "activities" / "inputs.js").write_text(
        'export { a as b } from "../live.js";\nimport "./base.js";\n'
        'const load = { rating: () => import("./rating.js") };'
    )
    (static / "js" / "activities" / "base.js").write_text("")
    (static / "js" / "activities" / "rating.js").write_text('import "./shared.js";')
    (static / "js" / "activities" / "shared.js").write_text("")
    files = phone_files(static, templates)
    assert files == [
        "css/phone.css",
        "js/activities/base.js",
        "js/activities/inputs.js",
        "js/live.js",
        "js/phone.js",
        "js/socket.js",
    ]
    # What the page may import when it needs it too, and what that imports.
    assert set(phone_files(static, templates, lazy=True)) - set(files) == {
        "js/activities/rating.js",
        "js/activities/shared.js",
    }
    before = files_version(static, files)
    assert files_version(static, files) == before
    (static / "js" / "live.js").write_text("export const a = 2;")
    assert files_version(static, files) != before


def test_the_phone_page_tells_the_worker_to_keep_it_until_the_person_withdraws(app, workshop):
    phone = workshop.phone("Health")
    config = worker_config(app.test_client().get("/phone-sw.js"))
    page = phone.http.get(f"/p/{workshop.code}")
    assert page.status_code == 200
    assert page.headers["X-Phone-Offline"] == "keep"
    assert page.headers["X-Phone-Assets"] == config["version"]
    assert page.headers["Cache-Control"] == "no-store"  # and never in a shared cache
    assert 'data-worker-url="/phone-sw.js"' in page.get_data(as_text=True)

    with workshop.db() as db:
        operations.withdraw(db, workshop.session_id, phone.participant.id)
    page = phone.http.get(f"/p/{workshop.code}")
    assert page.status_code == 200
    assert page.headers["X-Phone-Offline"] == "forget"
