"""The join page and the phone page are rendered once for a session's phones and filled
in per person (facilitation/shared_pages.py): each person still gets their own token,
name and links, escaped; a change to the session renders the page afresh."""

from __future__ import annotations

import re

import pytest

from facilitation import shared_pages
from facilitation.workshop import operations
from tests.participant.test_views import join_form
from tests.support.live import joined as joined_as_phone

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def renders(monkeypatch):
    """The templates rendered for kept pages, by name, as they are rendered."""
    rendered = []
    real = shared_pages.render_template

    def counting(template, **context):
        rendered.append(template)
        return real(template, **context)

    monkeypatch.setattr(shared_pages, "render_template", counting)
    return rendered


@pytest.fixture
def csrf_on(app):
    app.config["WTF_CSRF_ENABLED"] = True  # as served (read on each request)


def phone_page(workshop, display_name=None, sector="Health"):
    participant = workshop.join(sector, display_name)
    phone = workshop.phone(participant=participant)
    return phone.http.get(f"/p/{workshop.code}")


def test_every_phone_gets_the_one_join_page_with_its_own_token_that_works(
    app, workshop, renders, csrf_on
):
    phones = [app.test_client() for _ in range(3)]
    pages = [phone.get(f"/j/{workshop.code}") for phone in phones]
    assert renders == ["participant/join.html"]
    tokens = [CSRF.search(page.get_data(as_text=True)).group(1) for page in pages]
    assert len(set(tokens)) == 3
    without_tokens = {CSRF.sub("", page.get_data(as_text=True)) for page in pages}
    assert len(without_tokens) == 1
    for phone, token in zip(phones, tokens, strict=True):
        joined = phone.post(f"/j/{workshop.code}", data={**join_form(), "csrf_token": token})
        assert joined_as_phone(joined, workshop.code), joined.get_data(as_text=True)[:300]


def test_a_token_from_another_phone_is_still_refused(app, workshop, csrf_on):
    first, second = app.test_client(), app.test_client()
    token = CSRF.search(first.get(f"/j/{workshop.code}").get_data(as_text=True)).group(1)
    second.get(f"/j/{workshop.code}")
    refused = second.post(f"/j/{workshop.code}", data={**join_form(), "csrf_token": token})
    assert refused.status_code == 400


def test_each_phone_page_names_its_own_person_escaped(app, workshop, renders):
    ada = phone_page(workshop, display_name="Ada <b>&\"'", sector="Housing")
    anonymous = phone_page(workshop)
    assert renders == ["participant/phone.html"]
    ada_page, anonymous_page = ada.get_data(as_text=True), anonymous.get_data(as_text=True)
    assert '<strong id="who-name">Ada &lt;b&gt;&amp;&#34;&#39;</strong>' in ada_page
    assert '<span id="who-sector">Housing</span>' in ada_page
    assert '<strong id="who-name">Anonymous</strong>' in anonymous_page
    assert '<span id="who-sector">Health</span>' in anonymous_page
    assert "Ada" not in anonymous_page and "[" + shared_pages._MARK not in ada_page
    # The kept page's inline import map is still allowed, by its hash, on every response.
    assert ada.headers["Content-Security-Policy"] == anonymous.headers["Content-Security-Policy"]
    assert "'sha256-" in anonymous.headers["Content-Security-Policy"]


def test_a_change_to_the_session_renders_the_page_afresh(app, workshop, renders):
    before = phone_page(workshop).get_data(as_text=True)
    with workshop.db() as db:
        operations.go_to_stage(db, workshop.session_id, workshop.stage_index("feature-outcomes"))
    after = phone_page(workshop).get_data(as_text=True)
    assert renders == ["participant/phone.html"] * 2
    # The new stage's activity modules are preloaded with the page.
    preloads_rating = re.compile(r'rel="modulepreload" href="[^"]*/activities/inputs/rating\.')
    assert not preloads_rating.search(before) and preloads_rating.search(after)


def test_another_person_joining_keeps_the_page(app, workshop, renders):
    phone_page(workshop)
    workshop.join("Welfare")  # moves the session's event count, which no page shows
    phone_page(workshop)
    assert renders == ["participant/phone.html"]


def test_a_language_and_a_query_have_pages_of_their_own(app, workshop, renders):
    phone = app.test_client()
    english = phone.get(f"/j/{workshop.code}").get_data(as_text=True)
    welsh = phone.get(f"/j/{workshop.code}?lang=cy").get_data(as_text=True)
    invited = phone.get(f"/j/{workshop.code}?invite=ABC").get_data(as_text=True)
    assert len(renders) == 3
    assert 'lang="en"' in english and 'lang="cy"' in welsh
    assert "invite=ABC" in invited and "invite=ABC" not in english


def test_a_page_with_a_flashed_message_is_not_kept(app, workshop, renders):
    phone = app.test_client()
    with phone.session_transaction() as cookie:
        cookie["_flashes"] = [("info", "For this person only")]
    flashed = phone.get(f"/j/{workshop.code}").get_data(as_text=True)
    plain = app.test_client().get(f"/j/{workshop.code}").get_data(as_text=True)
    assert "For this person only" in flashed and "For this person only" not in plain
    assert renders == ["participant/join.html"] * 2


def test_the_join_forms_answer_and_the_phone_address_share_one_phone_page(
    app, workshop, renders
):
    """The phone page names its own address (by_address=False): the form's answer, at any
    query (an invitation's code, a language), and /p/CODE are one kept page a language."""
    for query in ("", "?invite=ABC", "?invite=XYZ&x=1"):
        answer = app.test_client().post(f"/j/{workshop.code}{query}", data=join_form())
        assert joined_as_phone(answer, workshop.code)
    phone_page(workshop)
    assert renders == ["participant/phone.html"]
    welsh = app.test_client().post(f"/j/{workshop.code}?lang=cy", data=join_form())
    assert 'lang="cy"' in welsh.get_data(as_text=True)
    assert renders == ["participant/phone.html"] * 2
