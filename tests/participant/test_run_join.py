"""Joining a self-paced run over HTTP: the pages before it opens and after it closes, the
invitation code field and its refusals, one participant per device, and the personal
resume link that carries a person on to another device."""

from __future__ import annotations

import html
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from facilitation import clock
from facilitation.extensions import socketio
from facilitation.models import Invitation, Participant
from facilitation.workshop import operations, run_operations
from facilitation.workshop.identity import participant_cookie_name, resume_token
from tests.conftest import BUILTIN_PLAN
from tests.factories import Client, Run
from tests.support.live import joined as joined_as_phone


def make_run(app, request, **settings) -> Run:
    made = Run(app, socketio, BUILTIN_PLAN, **settings)
    request.addfinalizer(made.close)
    return made


@pytest.fixture
def run(app, request):
    return make_run(app, request)


def text_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def join_form(**overrides) -> dict:
    form = {"display_name": "", "sector": "Housing", "consent": "yes"}
    form.update(overrides)
    return {k: v for k, v in form.items() if v is not None}


def participants(run) -> int:
    with run.db() as db:
        return db.scalar(
            select(func.count())
            .select_from(Participant)
            .where(Participant.session_id == run.session_id)
        )


def invitations(app, request, count=2):
    run = make_run(app, request, invitation_only=True)
    with run.db() as db:
        codes = run_operations.create_invitations(db, run.session_id, count)
    return run, codes


def resume_link(app, run, participant) -> str:
    with app.test_request_context():
        return f"/r/{run.code}/{resume_token(participant, run.code)}"


def cookie_of(http, run):
    return http.get_cookie(participant_cookie_name(run.code))


# The window -------------------------------------------------------------------------------


def test_an_open_run_says_until_when_and_that_people_go_at_their_own_pace(app, run):
    response = app.test_client().get(f"/j/{run.code}")
    page = text_of(response)
    assert response.status_code == 200
    closes = clock.aware(run.session().closes_at)
    assert f"Open until {closes.day} {closes.strftime('%B %Y')}" in page
    assert "Go at your own pace: your answers are saved as you go" in page
    assert 'name="invitation"' not in page  # open to anyone with the link


def test_before_it_opens_the_page_says_when_and_has_no_form(app, request):
    opens = clock.now() + timedelta(days=2)
    run = make_run(app, request, opens_at=opens)
    response = app.test_client().get(f"/j/{run.code}")
    page = text_of(response)
    assert response.status_code == 200
    assert "This consultation has not opened yet" in page
    assert f"opens on {opens.day} {opens.strftime('%B %Y, %H:%M')}" in page
    assert "<form" not in page
    # Posting the form anyway makes nobody.
    posted = app.test_client().post(f"/j/{run.code}", data=join_form())
    assert posted.status_code == 200 and participants(run) == 0


def test_after_it_closes_the_page_is_gone(app, run):
    with run.db() as db:
        run_operations.close_run(db, run.session_id)
    response = app.test_client().get(f"/j/{run.code}")
    page = text_of(response)
    assert response.status_code == 410
    assert "This consultation has closed" in page and "<form" not in page
    assert app.test_client().post(f"/j/{run.code}", data=join_form()).status_code == 410
    assert participants(run) == 0


def test_joining_an_open_run_sets_the_cookie_and_says_once_how_to_carry_on(app, run):
    http = app.test_client()
    phone = http.post(f"/j/{run.code}", data=join_form())  # answered with the phone page
    assert joined_as_phone(phone, run.code)
    assert cookie_of(http, run) is not None
    page = phone.get_data(as_text=True)
    assert 'data-pace="self"' in page and 'data-just-joined="1"' in page
    assert "Continue on another device" in page and "<svg" in page
    assert "anyone with this link can see and change your answers" in text_of(phone)
    again = http.get(f"/p/{run.code}").get_data(as_text=True)
    assert 'data-pace="self"' in again and "data-just-joined" not in again


def test_a_live_sessions_phone_page_has_no_pace_and_no_resume_link(app, workshop):
    phone = workshop.phone()
    page = phone.http.get(f"/p/{workshop.code}").get_data(as_text=True)
    assert "data-pace" not in page and "resume-dialog" not in page


def test_a_runs_pages_speak_of_a_consultation_not_a_workshop(app, run, workshop):
    join = text_of(app.test_client().get(f"/j/{run.code}"))
    assert f'Consultation <span class="code-text">{run.code}</span>' in join
    assert "days after the consultation closes" in join
    http = app.test_client()
    phone = text_of(http.post(f"/j/{run.code}", data=join_form()))
    assert "Withdraw from this consultation?" in phone
    assert "days after the consultation closes" in phone
    for page in (join, phone):
        assert "Workshop <span" not in page and "after the workshop" not in page
        assert "this workshop" not in page
    # A live workshop keeps its own words.
    live = text_of(app.test_client().get(f"/j/{workshop.code}"))
    assert f'Workshop <span class="code-text">{workshop.code}</span>' in live
    assert "days after the workshop." in live


# Invitations ------------------------------------------------------------------------------


def test_an_invitation_link_fills_in_the_code(app, request):
    run, codes = invitations(app, request)
    page = app.test_client().get(f"/j/{run.code}?invite={codes[0]}").get_data(as_text=True)
    assert 'name="invitation"' in page and f'value="{codes[0]}"' in page
    hostile = app.test_client().get(f"/j/{run.code}", query_string={"invite": '"><b>x'})
    assert "<b>x" not in hostile.get_data(as_text=True)


def test_an_invitation_only_run_needs_a_code_and_says_why_next_to_the_field(app, request):
    run, codes = invitations(app, request)
    http = app.test_client()
    missing = http.post(f"/j/{run.code}", data=join_form())
    assert missing.status_code == 400
    assert 'id="invitation-error"' in missing.get_data(as_text=True)
    assert "Please type the invitation code from your invitation." in text_of(missing)

    wrong = http.post(f"/j/{run.code}", data=join_form(invitation="NOTACODE22"))
    page = wrong.get_data(as_text=True)
    assert wrong.status_code == 400
    assert 'id="invitation-error"' in page and 'value="NOTACODE22"' in page  # kept
    assert "That invitation code is not valid for this consultation." in text_of(wrong)
    assert participants(run) == 0

    joined = http.post(f"/j/{run.code}", data=join_form(invitation=codes[0].lower()))
    assert joined_as_phone(joined, run.code) and participants(run) == 1

    reused = app.test_client().post(f"/j/{run.code}", data=join_form(invitation=codes[0]))
    assert reused.status_code == 400
    assert "That invitation code has already been used." in text_of(reused)
    assert participants(run) == 1


def test_one_participant_per_device_even_with_a_second_invitation(app, request):
    run, codes = invitations(app, request)
    http = app.test_client()
    http.post(f"/j/{run.code}", data=join_form(invitation=codes[0]))
    again = http.get(f"/j/{run.code}?invite={codes[1]}")
    assert again.status_code == 302 and again.headers["Location"] == f"/p/{run.code}"
    posted = http.post(f"/j/{run.code}", data=join_form(invitation=codes[1]))
    assert posted.status_code == 302 and posted.headers["Location"] == f"/p/{run.code}"
    assert participants(run) == 1
    with run.db() as db:
        unused = db.scalar(select(Invitation).where(Invitation.code == codes[1]))
        assert not unused.used  # still there for its own person


# The resume link --------------------------------------------------------------------------


def test_the_resume_link_makes_another_device_the_same_participant(app, run):
    person = run.join(display_name="Sam")
    http = app.test_client()
    response = http.get(resume_link(app, run, person))
    assert response.status_code == 302 and response.headers["Location"] == f"/p/{run.code}"
    assert response.headers["Cache-Control"] == "no-store"
    assert cookie_of(http, run) is not None
    page = http.get(f"/p/{run.code}")
    assert page.status_code == 200 and "Sam" in page.get_data(as_text=True)
    phone = Client(app, socketio, {"code": run.code, "role": "participant"}, http)
    try:
        reply = phone.emit("sync")
        assert reply["ok"] and reply["me"]["pseudonym"] == person.pseudonym
        assert reply["state"]["pace"]["index"] == 0
    finally:
        phone.disconnect()


def test_a_bad_or_another_runs_resume_link_opens_nothing(app, request, run):
    person = run.join()
    other = make_run(app, request)
    with app.test_request_context():
        token = resume_token(person, run.code)
        cookie_token = run.phone(participant=person).http.get_cookie(
            participant_cookie_name(run.code)
        )
    for path in (
        f"/r/{run.code}/{token[:-2]}xx",  # not signed by us
        f"/r/{other.code}/{token}",  # signed for another run
        f"/r/{run.code}/{cookie_token.value}",  # a cookie's value is no resume token
    ):
        http = app.test_client()
        response = http.get(path)
        assert response.status_code == 404, path
        assert "This link does not open anything" in text_of(response)
        assert cookie_of(http, run) is None and cookie_of(http, other) is None


def test_a_live_sessions_code_takes_no_resume_link(app, workshop):
    person = workshop.join()
    with app.test_request_context():
        token = resume_token(person, workshop.code)
    http = app.test_client()
    assert http.get(f"/r/{workshop.code}/{token}").status_code == 404
    assert cookie_of(http, workshop) is None


def test_after_withdrawing_the_resume_link_opens_nothing(app, run):
    person = run.join()
    link = resume_link(app, run, person)
    http = app.test_client()
    http.get(link)
    phone = Client(app, socketio, {"code": run.code, "role": "participant"}, http)
    try:
        assert phone.emit("withdraw", {})["ok"]  # from the resumed device
    finally:
        phone.disconnect()
    later = app.test_client()
    response = later.get(link)
    assert response.status_code == 410
    assert "has withdrawn" in text_of(response)
    assert cookie_of(later, run) is None
    with run.db() as db:
        assert db.get(Participant, person.id).withdrawn_at is not None


def test_withdrawn_operations_leave_the_join_page_to_start_afresh(app, run):
    person = run.join()
    phone = run.phone(participant=person)
    with run.db() as db:
        operations.withdraw(db, run.session_id, person.id)
    page = phone.http.get(f"/j/{run.code}")
    assert page.status_code == 200
    assert "You withdrew from this consultation earlier" in text_of(page)
