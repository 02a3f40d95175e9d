"""The note-taker's pages over HTTP: the invitation link, the name form and its cookie,
who may open the page, and that a label is escaped wherever it is shown."""

from __future__ import annotations

import html as html_lib
import re

import pytest

from facilitation.auth import create_facilitator
from facilitation.models import WorkshopSession
from facilitation.workshop.identity import (
    FACILITATOR_LABEL,
    NOTETAKER_LABEL_MAX,
    notes_key,
    notetaker_cookie_name,
    notetaker_from_cookies,
    notetaker_token,
    screen_key,
)
from tests.factories import log_in, session_of


def key_for(app, code: str) -> str:
    with app.test_request_context():
        return notes_key(session_of(app, code))


def named(app, code: str, label: str = "Table A scribe"):
    """A browser that has already given its label for session CODE."""
    client = app.test_client()
    with app.test_request_context():
        client.set_cookie(
            notetaker_cookie_name(code), notetaker_token(session_of(app, code), label)
        )
    return client


def logged_in(app, workshop):
    with workshop.db() as db:
        account = create_facilitator(db, "notes-owner@example.org", "a-long-password")
    client = app.test_client()
    log_in(app, client, account.id)
    return client


def body_data(page: str) -> dict[str, str]:
    tag = re.search(r"<body\b[^>]*>", page).group(0)
    return {
        name: html_lib.unescape(value)
        for name, value in re.findall(r'data-([a-z-]+)="([^"]*)"', tag)
    }


def label_cookie(response) -> str | None:
    for header in response.headers.getlist("Set-Cookie"):
        if header.startswith("notetaker_"):
            return header
    return None


# The invitation ----------------------------------------------------------------------


def test_the_invitation_link_asks_for_a_name(app, workshop):
    key = key_for(app, workshop.code)
    response = app.test_client().get(f"/n/{workshop.code}?key={key}")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    assert "Your name as a note-taker" in page
    assert f'name="key" value="{key}"' in page  # carried to the form's POST
    assert 'name="csrf_token"' in page
    assert "notes.js" not in page  # the page itself comes once named


def test_a_missing_forged_or_projector_key_is_refused(app, workshop):
    client = app.test_client()
    with app.test_request_context():
        projector_key = screen_key(workshop.session())
    for query in ("", "?key=forged", f"?key={projector_key}"):
        response = client.get(f"/n/{workshop.code}{query}")
        assert response.status_code == 403, query
        page = response.get_data(as_text=True)
        assert "This note-taker link is not valid" in page
        assert 'name="key"' not in page  # a made-up key is never echoed into a form
    refused = client.post(f"/n/{workshop.code}", data={"key": "forged", "label": "Sneaky"})
    assert refused.status_code == 403
    assert label_cookie(refused) is None


def test_an_unknown_session_is_a_404(app, workshop):
    response = app.test_client().get("/n/ZZZZZZ?key=whatever")
    assert response.status_code == 404
    assert "There is no session with this code" in response.get_data(as_text=True)


def test_a_lower_case_code_redirects_to_the_canonical_address_with_its_key(app, workshop):
    key = key_for(app, workshop.code)
    response = app.test_client().get(f"/n/{workshop.code.lower()}?key={key}")
    assert response.status_code == 308
    assert response.headers["Location"].endswith(f"/n/{workshop.code}?key={key}")


def test_a_logged_in_facilitator_needs_no_key(app, workshop):
    response = logged_in(app, workshop).get(f"/n/{workshop.code}")
    assert response.status_code == 200
    assert "Your name as a note-taker" in response.get_data(as_text=True)


# The name form and its cookie -------------------------------------------------------


def test_giving_a_name_sets_a_signed_cookie_and_opens_the_page(app, workshop):
    client = app.test_client()
    key = key_for(app, workshop.code)
    response = client.post(f"/n/{workshop.code}", data={"key": key, "label": "  Table   A scribe "})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/n/{workshop.code}")  # no key in it
    header = label_cookie(response)
    assert header.startswith(f"notetaker_{workshop.code}=")
    assert "HttpOnly" in header and "SameSite=Lax" in header
    cookie = client.get_cookie(notetaker_cookie_name(workshop.code))
    with app.test_request_context():
        assert notetaker_from_cookies({cookie.key: cookie.value}, workshop.session()) == (
            "Table A scribe"
        )
        # The cookie names this session only.
        other = WorkshopSession(code="ZZZZZZ")
        assert notetaker_from_cookies({cookie.key: cookie.value}, other) is None

    page = client.get(f"/n/{workshop.code}")
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    text = page.get_data(as_text=True)
    assert re.search(r'src="/static/js/notes\.[0-9a-f]{10}\.js"', text)  # hashed names
    assert re.search(r"/static/css/notes\.[0-9a-f]{10}\.css", text)
    data = body_data(text)
    assert data["code"] == workshop.code
    assert data["label"] == "Table A scribe"
    assert data["max-length"] == "2000"
    # Opening the invitation again goes straight to the page.
    again = client.get(f"/n/{workshop.code}?key={key}")
    assert re.search(r'src="/static/js/notes\.[0-9a-f]{10}\.js"', again.get_data(as_text=True))


def test_a_missing_or_long_name_is_explained_next_to_the_field(app, workshop):
    client = app.test_client()
    key = key_for(app, workshop.code)
    empty = client.post(f"/n/{workshop.code}", data={"key": key, "label": "   "})
    assert empty.status_code == 400
    page = empty.get_data(as_text=True)
    assert 'id="label-error"' in page and "Please give a short name" in page
    assert 'aria-invalid="true"' in page
    assert f'name="key" value="{key}"' in page  # a second try still carries the key
    assert label_cookie(empty) is None

    long_name = "A very long note-taker label indeed"
    too_long = client.post(f"/n/{workshop.code}", data={"key": key, "label": long_name})
    assert too_long.status_code == 400
    page = too_long.get_data(as_text=True)
    assert f"Please keep it to {NOTETAKER_LABEL_MAX} characters" in page
    assert f'value="{long_name}"' in page  # what was typed is kept
    assert label_cookie(too_long) is None


@pytest.mark.parametrize(
    "label",
    [
        "Facilitator",
        "facilitator",
        "\uff26acilitator",  # fullwidth F
        "FACILITATOR ",
        "Facilitator (host)",
        "Facilitator 2",
        "F\u0430cilitator",  # Cyrillic a
        "Facili\u200btator",  # zero-width space
        "Fa\u00adcilitator",  # soft hyphen
    ],
)
def test_a_label_that_reads_as_the_facilitator_is_refused_next_to_the_field(app, workshop, label):
    """Notes signed "Facilitator" by a note-taker would pass for the facilitator's own
    in the console and notes.csv."""
    client = app.test_client()
    key = key_for(app, workshop.code)
    refused = client.post(f"/n/{workshop.code}", data={"key": key, "label": label})
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    assert 'id="label-error"' in page and FACILITATOR_LABEL in html_lib.unescape(page)
    assert label_cookie(refused) is None


@pytest.mark.parametrize("label", ["Facilitators' table", "Co-facilitator", "Table A scribe"])
def test_labels_that_only_mention_facilitators_are_kept(app, workshop, label):
    client = app.test_client()
    key = key_for(app, workshop.code)
    response = client.post(f"/n/{workshop.code}", data={"key": key, "label": label})
    assert response.status_code == 302
    assert label_cookie(response) is not None


def test_a_cookie_signed_facilitator_before_the_check_is_not_accepted(app, workshop):
    client = named(app, workshop.code, "Facilitator")
    assert client.get(f"/n/{workshop.code}").status_code == 403
    with app.test_request_context():
        session = session_of(app, workshop.code)
        cookies = {notetaker_cookie_name(workshop.code): notetaker_token(session, "FACILITATOR")}
        assert notetaker_from_cookies(cookies, session) is None


def test_a_named_note_taker_can_change_their_name(app, workshop):
    client = named(app, workshop.code, "Scribe one")
    form = client.get(f"/n/{workshop.code}?change=1")
    assert form.status_code == 200
    assert 'value="Scribe one"' in form.get_data(as_text=True)
    response = client.post(f"/n/{workshop.code}", data={"label": "Scribe two"})
    assert response.status_code == 302
    page = client.get(f"/n/{workshop.code}").get_data(as_text=True)
    assert body_data(page)["label"] == "Scribe two"


def test_a_cookie_for_another_session_or_a_forged_one_is_not_enough(app, workshop):
    client = app.test_client()
    with app.test_request_context():
        foreign = notetaker_token(WorkshopSession(code="ZZZZZZ"), "X")
        client.set_cookie(notetaker_cookie_name(workshop.code), foreign)
    assert client.get(f"/n/{workshop.code}").status_code == 403
    forged = app.test_client()
    forged.set_cookie(notetaker_cookie_name(workshop.code), "forged.value")
    assert forged.get(f"/n/{workshop.code}").status_code == 403


def test_labels_are_escaped(app, workshop):
    label = '<b>"A&B"</b>'
    client = app.test_client()
    key = key_for(app, workshop.code)
    assert client.post(f"/n/{workshop.code}", data={"key": key, "label": label}).status_code == 302
    page = client.get(f"/n/{workshop.code}").get_data(as_text=True)
    assert "<b>" not in page
    assert "&lt;b&gt;&#34;A&amp;B&#34;&lt;/b&gt;" in page
    assert body_data(page)["label"] == label
    form = client.get(f"/n/{workshop.code}?change=1").get_data(as_text=True)
    assert "<b>" not in form
