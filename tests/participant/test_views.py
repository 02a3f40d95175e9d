"""The participant's pages over HTTP: typing a code, the join form and its checks, the
signed cookie it sets, and the phone page it leads to."""

from __future__ import annotations

import html

import pytest
from sqlalchemy import func, select

from facilitation.extensions import socketio
from facilitation.models import Event, Participant
from facilitation.workshop import operations
from facilitation.workshop.identity import participant_cookie_name
from tests.conftest import BUILTIN_PLAN
from tests.factories import Client, Workshop
from tests.support.live import is_phone_page


def participants(workshop) -> int:
    with workshop.db() as db:
        return db.scalar(select(func.count()).select_from(Participant))


def joins_logged(workshop) -> int:
    with workshop.db() as db:
        return db.scalar(
            select(func.count()).select_from(Event).where(Event.type == "participant.joined")
        )


def join_form(**overrides) -> dict:
    form = {"display_name": "", "sector": "Housing", "consent": "yes"}
    form.update(overrides)
    return {k: v for k, v in form.items() if v is not None}


def text_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


# Typing a code ---------------------------------------------------------------------------


def test_home_page_asks_for_the_code(app):
    response = app.test_client().get("/")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Join a workshop" in page
    assert 'name="code"' in page and 'autocapitalize="characters"' in page
    assert 'autocomplete="off"' in page and 'inputmode="text"' in page
    assert "Facilitator? Log in" in page and 'href="/login"' in page


def test_a_typed_code_is_normalised_and_leads_to_the_join_page(app, workshop):
    messy = f"{workshop.code[:3].lower()} {workshop.code[3:].lower()}"
    response = app.test_client().get("/", query_string={"code": messy})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/j/{workshop.code}"


def test_an_unknown_code_reshows_the_form_with_what_was_typed(app, workshop):
    response = app.test_client().get("/", query_string={"code": "zz-zzz2"})
    page = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "No workshop has the code ZZZZZ2; check the code on the screen." in text_of(response)
    assert 'value="zz-zzz2"' in page


def test_a_malformed_or_blank_code_says_so(app, workshop):
    client = app.test_client()
    odd = client.get("/", query_string={"code": "O0I1"})
    assert "No workshop has the code O0I1" in text_of(odd)
    blank = client.get("/", query_string={"code": "  "})
    assert "Please type the 6-character code shown on the screen." in text_of(blank)


def test_the_join_page_of_an_unknown_code_is_a_friendly_404(app, workshop):
    response = app.test_client().get("/j/ZZZZZ2")
    assert response.status_code == 404
    page = text_of(response)
    assert "Workshop not found" in page and "ZZZZZ2" in page
    assert 'name="code"' in response.get_data(as_text=True)


def test_a_lower_case_join_address_goes_to_the_canonical_one(app, workshop):
    response = app.test_client().get(f"/j/{workshop.code.lower()}")
    assert response.status_code == 308
    assert response.headers["Location"] == f"/j/{workshop.code}"


# The join page ---------------------------------------------------------------------------


def test_join_page_shows_the_privacy_notice_retention_and_sectors(app, workshop):
    response = app.test_client().get(f"/j/{workshop.code}")
    page = text_of(response)
    assert response.status_code == 200
    assert workshop.plan.title in page
    assert "Your answers feed today's discussion" in page  # from the plan's privacy notice
    assert f"deleted {workshop.plan.retention_days} days after the workshop" in page
    for sector in workshop.plan.sectors:
        assert f'<option value="{sector}"' in page
    assert "Leave blank to stay anonymous; shown next to your comments" in page
    assert "I have read this and want to take part" in page


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        (join_form(sector=""), "sector", "Please choose the sector you work in."),
        (join_form(sector="Astronaut"), "sector", "Please choose one of the sectors listed."),
        (join_form(consent=None), "consent", "Please tick the box to say you have read this"),
        (
            join_form(display_name="N" * 61),
            "display_name",
            "A display name can be at most 60 characters (this one has 61).",
        ),
    ],
)
def test_join_form_checks_each_field_and_stores_nothing(app, workshop, form, field, message):
    response = app.test_client().post(f"/j/{workshop.code}", data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in text_of(response)
    assert f'id="{field}-error"' in page  # the message sits next to its field
    assert participants(workshop) == 0 and joins_logged(workshop) == 0
    assert participant_cookie_name(workshop.code) not in response.headers.get("Set-Cookie", "")


def test_a_rejected_form_keeps_what_was_typed(app, workshop):
    response = app.test_client().post(
        f"/j/{workshop.code}", data=join_form(display_name="Sam from housing", consent=None)
    )
    page = response.get_data(as_text=True)
    assert 'value="Sam from housing"' in page
    assert '<option value="Housing" selected>' in page


def test_joining_sets_a_signed_cookie_and_the_phone_can_connect(app, workshop):
    http = app.test_client()
    response = http.post(f"/j/{workshop.code}", data=join_form(display_name="  Sam   Jones "))
    # The answer is the phone page itself (no redirect: a round trip fewer), which names
    # its own address for phone-address.js to take.
    assert response.status_code == 200
    assert is_phone_page(response.get_data(as_text=True), workshop.code)
    assert response.headers["Cache-Control"] == "no-store"

    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith(f"{participant_cookie_name(workshop.code)}=")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie
    assert "Max-Age=2592000" in cookie and "Secure" not in cookie

    with workshop.db() as db:
        participant = db.scalar(select(Participant))
    assert (participant.sector, participant.display_name) == ("Housing", "Sam Jones")

    phone = Client(app, socketio, {"code": workshop.code, "role": "participant"}, http)
    workshop.clients.append(phone)
    assert phone.connected
    me = phone.emit("sync")["me"]
    assert me["display_name"] == "Sam Jones" and me["sector"] == "Housing"

    page = http.get(f"/p/{workshop.code}")
    assert page.status_code == 200
    assert f'data-code="{workshop.code}"' in page.get_data(as_text=True)
    assert "js/phone.js" in page.get_data(as_text=True)


def test_the_phone_page_answering_the_form_is_the_one_its_address_serves(app, workshop):
    """Rendered once for the session and kept (shared_pages.py): whether the form's answer
    makes it first or the address does, neither carries the other's address."""
    posting = app.test_client()
    query = {"invite": "ABC", "lang": "cy"}  # what a QR code's address may carry
    joined = posting.post(f"/j/{workshop.code}", data=join_form(), query_string=query)
    page = joined.get_data(as_text=True)
    assert f'href="/p/{workshop.code}?lang=en"' in page  # the switch stays on the phone page
    assert "/j/" not in page.split('data-join-url="')[0]  # only the join link names /j/
    again = posting.get(f"/p/{workshop.code}", query_string={"lang": "cy"})
    assert again.get_data(as_text=True) == page
    # And the other way round: the address first, then a form's answer.
    first = app.test_client()
    first.post(f"/j/{workshop.code}", data=join_form())
    served = first.get(f"/p/{workshop.code}").get_data(as_text=True)
    answered = app.test_client().post(f"/j/{workshop.code}", data=join_form())
    assert answered.get_data(as_text=True) == served


def test_the_cookie_is_secure_when_cookies_are_set_secure(app, workshop):
    app.config["SESSION_COOKIE_SECURE"] = True
    response = app.test_client().post(f"/j/{workshop.code}", data=join_form())
    assert "Secure" in response.headers["Set-Cookie"]


def test_a_joined_browser_goes_straight_to_its_phone_page(app, workshop):
    http = app.test_client()
    http.post(f"/j/{workshop.code}", data=join_form())
    response = http.get(f"/j/{workshop.code}")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/p/{workshop.code}"


def test_after_withdrawing_the_join_page_offers_a_fresh_start(app, workshop):
    http = app.test_client()
    http.post(f"/j/{workshop.code}", data=join_form())
    with workshop.db() as db:
        participant = db.scalar(select(Participant))
        operations.withdraw(db, workshop.session_id, participant.id)
    response = http.get(f"/j/{workshop.code}")
    assert response.status_code == 200
    assert "You withdrew from this workshop earlier" in text_of(response)


def test_an_ended_session_says_so_and_takes_no_one_new(app, workshop):
    with workshop.db() as db:
        operations.end_session(db, workshop.session_id)
    client = app.test_client()
    response = client.get(f"/j/{workshop.code}")
    assert response.status_code == 410
    assert "This workshop has ended" in text_of(response)
    posted = client.post(f"/j/{workshop.code}", data=join_form())
    assert "This workshop has ended" in text_of(posted)
    assert participants(workshop) == 0


def test_someone_who_joined_can_still_reach_an_ended_session(app, workshop):
    http = app.test_client()
    http.post(f"/j/{workshop.code}", data=join_form())
    with workshop.db() as db:
        operations.end_session(db, workshop.session_id)
    assert http.get(f"/j/{workshop.code}").headers["Location"] == f"/p/{workshop.code}"
    assert http.get(f"/p/{workshop.code}").status_code == 200


# The phone page --------------------------------------------------------------------------


def test_phone_page_without_a_cookie_sends_to_the_join_page(app, workshop):
    response = app.test_client().get(f"/p/{workshop.code}")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/j/{workshop.code}"


def test_phone_page_of_an_unknown_code_is_a_404(app, workshop):
    assert app.test_client().get("/p/ZZZZZ2").status_code == 404


def test_a_cookie_for_another_session_does_not_open_its_phone_page(app, workshop):
    other = Workshop(app, socketio, BUILTIN_PLAN)
    http = app.test_client()
    http.post(f"/j/{workshop.code}", data=join_form())
    token = http.get_cookie(participant_cookie_name(workshop.code)).value
    intruder = app.test_client()
    intruder.set_cookie(participant_cookie_name(other.code), token)
    response = intruder.get(f"/p/{other.code}")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/j/{other.code}"
    assert not Client(
        app, socketio, {"code": other.code, "role": "participant"}, intruder
    ).connected


def test_a_forged_cookie_does_not_open_the_phone_page(app, workshop):
    http = app.test_client()
    http.set_cookie(participant_cookie_name(workshop.code), "eyJwIjoxLCJjIjoiWFhYWFhYIn0.forged")
    assert http.get(f"/p/{workshop.code}").status_code == 302


def test_the_phone_page_is_not_cached(app, workshop):
    http = app.test_client()
    http.post(f"/j/{workshop.code}", data=join_form())
    assert http.get(f"/p/{workshop.code}").headers["Cache-Control"] == "no-store"


def test_names_are_escaped_on_every_page(app, workshop):
    name = "<script>alert(1)</script>"
    http = app.test_client()
    rejected = http.post(f"/j/{workshop.code}", data=join_form(display_name=name, sector=""))
    for page in (rejected.get_data(as_text=True),):
        assert "<script>alert(1)" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    http.post(f"/j/{workshop.code}", data=join_form(display_name=name))
    phone_page = http.get(f"/p/{workshop.code}").get_data(as_text=True)
    assert "<script>alert(1)" not in phone_page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in phone_page
    typed = app.test_client().get("/", query_string={"code": name}).get_data(as_text=True)
    assert "<script>alert(1)" not in typed
