"""Which language a page is in: ``?lang=`` (remembered in a cookie), else the browser's
Accept-Language among English and Welsh, else English; and ``<html lang>`` says which."""

from __future__ import annotations

import html
import re

import pytest

from facilitation.i18n import LANGUAGE_COOKIE

WELSH_HEADING = "<h1>Ymuno â gweithdy</h1>"
ENGLISH_HEADING = "<h1>Join a workshop</h1>"


def page_language(response) -> str:
    match = re.search(r'<html lang="([^"]*)"', response.get_data(as_text=True))
    assert match, "no <html lang> on the page"
    return match.group(1)


def language_cookie(response) -> str | None:
    for header in response.headers.getlist("Set-Cookie"):
        if header.startswith(f"{LANGUAGE_COOKIE}="):
            return header
    return None


def test_english_when_the_browser_says_nothing(app):
    response = app.test_client().get("/")
    assert page_language(response) == "en"
    assert ENGLISH_HEADING in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("accept", "language"),
    [
        ("cy", "cy"),
        ("cy-GB,cy;q=0.9,en;q=0.8", "cy"),
        ("fr-FR,fr;q=0.9,cy;q=0.5", "cy"),  # French is not offered; Welsh is next
        ("en-GB,en;q=0.9,cy;q=0.8", "en"),
        ("fr-FR,de;q=0.8", "en"),  # nothing we have: English
    ],
)
def test_accept_language_chooses_among_english_and_welsh(app, accept, language):
    response = app.test_client().get("/", headers={"Accept-Language": accept})
    assert page_language(response) == language
    heading = WELSH_HEADING if language == "cy" else ENGLISH_HEADING
    assert heading in response.get_data(as_text=True)
    assert language_cookie(response) is None  # only an explicit choice is remembered


def test_an_explicit_choice_wins_and_is_remembered_in_a_cookie(app):
    client = app.test_client()
    english_browser = {"Accept-Language": "en-GB,en;q=0.9"}
    chosen = client.get("/?lang=cy", headers=english_browser)
    assert page_language(chosen) == "cy"
    cookie = language_cookie(chosen)
    assert cookie is not None and cookie.startswith("lang=cy;")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    # The next page, without ?lang=, from a browser that asks for English: still Welsh.
    later = client.get("/", headers=english_browser)
    assert page_language(later) == "cy"
    assert WELSH_HEADING in later.get_data(as_text=True)
    # Switching back is remembered the same way.
    back = client.get("/?lang=en", headers={"Accept-Language": "cy"})
    assert page_language(back) == "en"
    assert language_cookie(back).startswith("lang=en;")
    assert page_language(client.get("/", headers={"Accept-Language": "cy"})) == "en"


def test_a_language_we_do_not_have_is_ignored(app):
    client = app.test_client()
    response = client.get("/?lang=xx", headers={"Accept-Language": "cy"})
    assert page_language(response) == "cy"  # falls through to the browser's choice
    assert language_cookie(response) is None
    client.set_cookie(LANGUAGE_COOKIE, "<script>")
    assert page_language(client.get("/")) == "en"


def test_pages_vary_by_language_for_caches(app):
    response = app.test_client().get("/")
    assert {"Accept-Language", "Cookie"} <= set(response.vary)


def test_participant_pages_link_to_the_other_language(app, workshop):
    client = app.test_client()
    english = client.get(f"/j/{workshop.code}").get_data(as_text=True)
    link = re.search(r'<a href="([^"]*)" lang="cy" hreflang="cy">Cymraeg</a>', english)
    assert link, "no link to the Welsh page"
    welsh = client.get(html.unescape(link.group(1)))
    assert page_language(welsh) == "cy"
    assert f"/j/{workshop.code}" in welsh.request.path
    assert re.search(r'lang="en" hreflang="en">English</a>', welsh.get_data(as_text=True))


def test_the_switch_link_keeps_what_was_typed(app):
    page = app.test_client().get("/?code=zz").get_data(as_text=True)
    link = re.search(r'<a href="([^"]*)" lang="cy"', page)
    assert link
    assert "code=zz" in html.unescape(link.group(1))
    assert "lang=cy" in html.unescape(link.group(1))


def test_english_only_pages_say_so_whatever_the_browser_asks(app):
    """The facilitator's pages are not translated: lang="cy" on them would mislead a
    screen reader, and ?lang= there is not remembered."""
    client = app.test_client()
    response = client.get("/login?lang=cy", headers={"Accept-Language": "cy"})
    assert response.status_code == 200
    assert page_language(response) == "en"
    assert language_cookie(response) is None
