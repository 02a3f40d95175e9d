"""Pages gzipped for browsers that accept it (facilitation/page_compression.py), and the
headers a static file is sent (security.py: documents' headers only where one could be a
document)."""

from __future__ import annotations

import gzip
import re

import pytest

from facilitation.security import HEADERS

GZIP = {"Accept-Encoding": "gzip, deflate, br"}


@pytest.fixture
def client(app):
    return app.test_client()


def static_url(page: str, kind: str) -> str:
    return re.search(rf'(?:href|src)="(/static/[^"]+\.{kind})"', page).group(1)


def test_the_phone_page_is_gzipped_for_a_browser_that_accepts_it(workshop):
    phone = workshop.phone()
    plain = phone.http.get(f"/p/{workshop.code}")
    assert plain.status_code == 200 and "Content-Encoding" not in plain.headers
    packed = phone.http.get(f"/p/{workshop.code}", headers=GZIP)
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert int(packed.headers["Content-Length"]) == len(packed.data) < len(plain.data) / 3
    assert gzip.decompress(packed.data).decode().startswith("<!doctype html>")
    assert packed.headers["Content-Security-Policy"] == plain.headers["Content-Security-Policy"]


def test_the_join_page_is_gzipped_and_its_form_still_posts(client, workshop):
    page = client.get(f"/j/{workshop.code}", headers=GZIP)
    assert page.headers["Content-Encoding"] == "gzip"
    assert 'name="consent"' in gzip.decompress(page.data).decode()


def test_what_is_not_a_page_is_left_as_it_is(client, workshop):
    health = client.get("/healthz", headers=GZIP)
    assert "Content-Encoding" not in health.headers
    redirect = client.get(f"/p/{workshop.code}", headers=GZIP)  # no cookie: to the join form
    assert redirect.status_code == 302 and "Content-Encoding" not in redirect.headers


def test_a_script_or_style_sheet_is_sent_no_document_headers(client):
    page = client.get("/").get_data(as_text=True)
    asset = client.get(static_url(page, "css"), headers=GZIP)
    assert asset.status_code == 200 and asset.headers["Content-Encoding"] == "gzip"
    assert asset.headers["X-Content-Type-Options"] == "nosniff"
    for name in set(HEADERS) - {"X-Content-Type-Options"}:
        assert name not in asset.headers, name


def test_an_svg_file_keeps_them_it_can_be_opened_as_a_document(client):
    page = client.get("/").get_data(as_text=True)
    icon = client.get(static_url(page, "svg"))
    assert icon.status_code == 200
    for name in HEADERS:
        assert name in icon.headers, name
