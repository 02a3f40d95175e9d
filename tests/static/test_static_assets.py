"""Static files over HTTP (facilitation/static_assets.py): hashed names kept for a year,
plain and old names revalidated, gzip for text, conditional requests and HEAD, no way out
of the folder; and pages that name every module by its hashed name through one import map
allowed by its hash (the browser side is tests/browser/test_static_loading.py)."""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import re
from pathlib import Path

from flask import render_template_string, url_for

from facilitation import static_build
from facilitation.static_assets import HASHED, IMMUTABLE, Manifest, manifest, module_imports

STATIC = Path(__file__).resolve().parents[2] / "static"
# What is served: make's minified copy when it is up to date, else the file itself.
PHONE_JS = static_build.minified(STATIC).get(
    "js/phone.js", (STATIC / "js" / "phone.js").read_bytes()
)
IMPORT_MAP = re.compile(r'<script type="importmap">(.*?)</script>', re.S)


def hashed_url(app, name: str) -> str:
    with app.test_request_context():
        return url_for("static", filename=name)


def test_url_for_names_the_file_by_its_content(app):
    url = hashed_url(app, "js/phone.js")
    digest = hashlib.sha256(PHONE_JS).hexdigest()[:10]
    assert url == f"/static/js/phone.{digest}.js"
    assert hashed_url(app, "vendor/socket.io.min.js").startswith("/static/vendor/socket.io.min.")
    assert hashed_url(app, "no/such/file.js") == "/static/no/such/file.js"


def test_a_hashed_name_is_kept_for_a_year_and_a_plain_one_is_revalidated(app):
    http = app.test_client()
    hashed = http.get(hashed_url(app, "js/phone.js"))
    assert hashed.status_code == 200
    assert hashed.headers["Cache-Control"] == IMMUTABLE
    assert hashed.headers["Content-Type"] == "text/javascript; charset=utf-8"
    assert hashed.get_data() == PHONE_JS

    plain = http.get("/static/js/phone.js")
    assert plain.status_code == 200
    assert plain.headers["Cache-Control"] == "no-cache"
    assert plain.get_data() == PHONE_JS
    assert plain.headers["ETag"] and plain.headers["Last-Modified"]
    again = http.get("/static/js/phone.js", headers={"If-None-Match": plain.headers["ETag"]})
    assert again.status_code == 304 and again.get_data() == b""


def test_an_old_hash_gets_todays_file_revalidated_never_kept(app):
    # Two workers restarting one after the other: a page from one asks the other.
    response = app.test_client().get("/static/js/phone.0123456789.js")
    assert response.status_code == 200
    assert response.get_data() == PHONE_JS
    assert response.headers["Cache-Control"] == "no-cache"
    assert app.test_client().get("/static/js/nothing.0123456789.js").status_code == 404


def test_text_is_sent_gzipped_to_browsers_that_take_it(app):
    http = app.test_client()
    url = hashed_url(app, "js/phone.js")
    packed = http.get(url, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert packed.headers["Vary"] == "Accept-Encoding"
    body = packed.get_data()
    assert int(packed.headers["Content-Length"]) == len(body) < len(PHONE_JS) / 2
    assert gzip.decompress(body) == PHONE_JS
    assert packed.headers["Cache-Control"] == IMMUTABLE

    for refused in (None, "identity", "gzip;q=0", "br"):
        headers = {"Accept-Encoding": refused} if refused else {}
        plain = http.get(url, headers=headers)
        assert "Content-Encoding" not in plain.headers, refused
        assert plain.headers["Vary"] == "Accept-Encoding"  # caches keep both apart
        assert plain.get_data() == PHONE_JS, refused
    # Each encoding has its own ETag, and a conditional request answers in kind.
    identity = http.get(url)
    assert packed.headers["ETag"] != identity.headers["ETag"]
    again = http.get(
        url, headers={"Accept-Encoding": "gzip", "If-None-Match": packed.headers["ETag"]}
    )
    assert again.status_code == 304


def test_what_is_compressed(tmp_path):
    (tmp_path / "big.css").write_text("body { margin: 0; }\n" * 200)
    (tmp_path / "tiny.js").write_text("export const a = 1;\n")
    (tmp_path / "photo.png").write_bytes(b"\x89PNG" + bytes(range(256)) * 20)
    assets = Manifest(tmp_path).assets
    assert gzip.decompress(assets["big.css"].gzipped) == (tmp_path / "big.css").read_bytes()
    assert assets["tiny.js"].gzipped is None  # smaller than the headers it would save
    assert assets["photo.png"].gzipped is None  # images are compressed already


def test_head_and_ranges_as_flasks_own_static_route(app):
    http = app.test_client()
    url = hashed_url(app, "js/phone.js")
    head = http.head(url, headers={"Accept-Encoding": "gzip"})
    assert head.status_code == 200 and head.get_data() == b""
    assert int(head.headers["Content-Length"]) == len(
        http.get(url, headers={"Accept-Encoding": "gzip"}).get_data()
    )
    part = http.get(url, headers={"Range": "bytes=0-9"})
    assert part.status_code == 206 and part.get_data() == PHONE_JS[:10]


def test_no_name_leads_out_of_the_folder(app):
    http = app.test_client()
    for path in (
        "/static/../facilitation/app.py",
        "/static/%2e%2e/facilitation/app.py",
        "/static/js/../../README.md",
        "/static/..%2fREADME.md",
        "/static//etc/passwd",
        "/static/js/",
    ):
        response = http.get(path, follow_redirects=True)  # "//": Werkzeug merges slashes
        assert response.status_code == 404, path
        assert b"Flask" not in response.get_data() and b"import" not in response.get_data()


def test_in_debug_mode_a_changed_file_gets_a_new_name(app, tmp_path):
    (tmp_path / "a.js").write_text("export const a = 1;")
    app.extensions["static_assets"] = Manifest(tmp_path)
    before = manifest(app).url_name("a.js")
    (tmp_path / "a.js").write_text("export const a = 22;")
    assert manifest(app).url_name("a.js") == before  # a deploy restarts the server
    app.debug = True
    after = manifest(app).url_name("a.js")
    assert after != before and HASHED.match(after)


def test_a_page_names_its_modules_by_hashed_name_in_one_import_map(app, workshop):
    phone = workshop.phone("Health")
    page = phone.http.get(f"/p/{workshop.code}")
    html = page.get_data(as_text=True)
    [import_map] = IMPORT_MAP.findall(html)
    digest = base64.b64encode(hashlib.sha256(import_map.encode()).digest()).decode()
    assert f"script-src 'self' 'sha256-{digest}';" in page.headers["Content-Security-Policy"]

    graph = manifest(app).graph(["js/phone.js"])
    mapped = manifest(app).graph(["js/phone.js"], lazy=True)
    assert {"js/phone.js", "js/live.js", "js/activities/inputs.js"} <= set(graph)
    # An activity type's modules are imported when a stage of the type comes: mapped, so
    # that they too are fetched by their hashed names, but not preloaded.
    lazy = {"js/activities/inputs/rating.js", "js/activities/inputs/drag-list.js"}
    assert lazy <= set(mapped) - set(graph)
    assert set(graph) < set(mapped)
    preloaded = re.findall(r'<link rel="modulepreload" href="([^"]+)">', html)
    assert preloaded == [hashed_url(app, name) for name in graph]
    for name in mapped:  # every plain name a module imports goes to its hashed one
        assert f'"\\/static\\/{name}"' not in import_map  # plain JSON, no escaped slashes
        assert f'"/static/{name}": "{hashed_url(app, name)}"' in import_map
    # The import map before any module script; every static URL of the page is hashed.
    assert html.index('type="importmap"') < html.index('type="module"')
    for url in re.findall(r'(?:src|href)="(/static/[^"]+)"', html):
        assert HASHED.match(url), url
    assert page.headers["Cache-Control"] == "no-store"


def test_two_entry_modules_share_one_import_map(app):
    with app.test_request_context():
        html = render_template_string(
            "{{ module_script('js/run-dashboard.js', 'js/run-publish.js') }}"
        )
        graph = manifest(app).graph(["js/run-dashboard.js", "js/run-publish.js"])
    assert len(IMPORT_MAP.findall(html)) == 1
    scripts = re.findall(r'<script type="module" src="([^"]+)"></script>', html)
    assert scripts == [hashed_url(app, "js/run-dashboard.js"), hashed_url(app, "js/run-publish.js")]
    assert html.count('rel="modulepreload"') == len(graph) >= 2


def test_dynamic_imports_are_told_from_static_ones():
    text = (
        'import { a } from "./a.js";\nimport "../b.js";\nexport { c } from "./c.js";\n'
        'const load = { d: () => import("./d.js"), e: () => import( "./sub/e.js" ) };\n'
        "const computed = (name) => import(`./${name}.js`);\n"
    )
    exists = lambda name: name != "js/c.js"  # noqa: E731
    assert module_imports("js/x.js", text, exists) == ["js/a.js", "b.js"]
    assert module_imports("js/x.js", text, exists, dynamic=True) == ["js/d.js", "js/sub/e.js"]


def test_the_phone_page_preloads_its_current_stage_types_modules(workshop):
    """The rating stage's input and result modules come with the page, not a round trip
    after the phone's first sync; another type's are only mapped."""
    facilitator = workshop.facilitator()
    assert facilitator.emit("goto", {"index": workshop.stage_index("feature-outcomes")})["ok"]
    page = workshop.phone().http.get(f"/p/{workshop.code}").get_data(as_text=True)
    preloaded = re.findall(r'<link rel="modulepreload" href="([^"]+)">', page)
    imports = json.loads(IMPORT_MAP.search(page).group(1))["imports"]
    for part in ("inputs", "results"):
        assert imports[f"/static/js/activities/{part}/rating.js"] in preloaded
    assert imports["/static/js/activities/inputs/ranking.js"] not in preloaded
