"""Hostile probe of self-paced runs (issue 13): a participant, a visitor without a login
and a curious researcher attacking a run's events, pages, invitations and resume links.

A test that fails here shows a defect; those that pass stay as regression tests.
"""

from __future__ import annotations

import csv
import io
import logging
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from facilitation import clock
from facilitation.errors import Refused
from facilitation.extensions import socketio
from facilitation.limits import DEFAULTS, Limits
from facilitation.models import Comment, Event, Participant, WorkshopSession
from facilitation.privacy.retention import purge_session
from facilitation.series.recurring import series_comments
from facilitation.workshop import operations, run_operations
from facilitation.workshop.identity import participant_token, resume_token
from tests.conftest import BUILTIN_PLAN
from tests.factories import Client, Run, client_id
from tests.privacy.test_researchers import login_as
from tests.security.test_fuzz_events import UNEXPECTED, payloads
from tests.support.live import joined as joined_as_phone

NAT = "203.0.113.77"
JOIN_FORM = {"display_name": "", "sector": "Housing", "consent": "yes"}


def make_run(app, request, **settings):
    made = Run(app, socketio, BUILTIN_PLAN, **settings)
    request.addfinalizer(made.close)
    return made


def answer(phone, stage, value):
    return phone.emit("answer", {"stage": stage, "value": value, "client_id": client_id()})


def walk_to(run, phone, index):
    for step in range(1, index + 1):
        reply = phone.emit("pace", {"index": step})
        assert reply["ok"] is not False, reply
    return reply


def comment_stage(run):
    return next(i for i, s in enumerate(run.plan.stages) if s.takes_comments)


def session_row(run) -> WorkshopSession:
    with run.db() as db:
        return db.get(WorkshopSession, run.session_id)


# Back and Next ---------------------------------------------------------------------------


def test_pace_refuses_every_malformed_index_without_moving(app, request):
    run = make_run(app, request)
    phone = run.phone()
    for bad in (
        {"index": -1},
        {"index": True},
        {"index": 10**30},
        {"index": 2**31},
        {"index": 1.0},
        {"index": "1"},
        {"index": [1]},
        {"index": {"index": 1}},
        {"index": None},
        [1],
        "1",
        1,
    ):
        reply = phone.emit("pace", bad)
        assert reply["ok"] is False and reply["error"], bad
    assert phone.emit("sync")["state"]["pace"]["index"] == 0


def test_a_withdrawn_person_cannot_pace_a_run(app, request):
    run = make_run(app, request)
    phone = run.phone()
    phone.emit("pace", {"index": 1})
    assert phone.emit("withdraw")["ok"] is True
    moved = phone.emit("pace", {"index": 0})
    assert moved["ok"] is False
    # As in a live session, the phone still syncs, to show that the person withdrew.
    assert phone.emit("sync")["me"]["withdrawn"] is True


def test_pace_is_refused_once_the_run_closed(app, request):
    run = make_run(app, request)
    phone = run.phone()
    phone.emit("pace", {"index": 1})
    with run.db() as db:
        run_operations.close_run(db, run.session_id)
    assert phone.emit("pace", {"index": 2})["ok"] is False


# Answers and comments --------------------------------------------------------------------


def test_a_profile_stage_takes_no_answer_or_comment(app, request):
    run = make_run(app, request)
    phone = run.phone()
    index = next(i for i, s in enumerate(run.plan.stages) if s.activity.type == "profile")
    walk_to(run, phone, index)
    key = run.plan.stages[index].key
    assert answer(phone, key, {"lights": {"purposeful": "met"}})["ok"] is False
    posted = phone.emit("comment", {"stage": key, "text": "x", "client_id": client_id()})
    assert posted["ok"] is False


def test_no_answer_or_comment_in_a_closed_run_even_at_a_reached_stage(app, request):
    run = make_run(app, request, approve_comments=False)
    phone = run.phone()
    index = comment_stage(run)
    walk_to(run, phone, index)
    key = run.plan.stages[index].key
    with run.db() as db:
        run_operations.close_run(db, run.session_id)
    posted = phone.emit("comment", {"stage": key, "text": "late", "client_id": client_id()})
    assert posted["ok"] is False and "closed" in posted["error"]


def two_at_a_comment_stage(run):
    """Two phones of ``run`` at its first stage that takes comments, its index and key."""
    author, other = run.phone(), run.phone()
    index = comment_stage(run)
    walk_to(run, author, index)
    walk_to(run, other, index)
    return author, other, index, run.plan.stages[index].key


def test_nobody_reacts_to_a_comment_awaiting_approval_by_guessing_its_id(app, request):
    run = make_run(app, request)
    author, other, index, key = two_at_a_comment_stage(run)
    posted = author.emit("comment", {"stage": key, "text": "Secret", "client_id": client_id()})
    reaction = {"comment_id": posted["comment_id"], "reaction": 1, "client_id": client_id()}
    reacted = other.emit("react", reaction)
    assert reacted["ok"] is False
    with run.db() as db:
        assert db.get(Comment, posted["comment_id"]).agree == 0


def test_an_awaiting_comment_reaches_no_other_phone_nor_projector(app, request):
    run = make_run(app, request)
    author, other, index, key = two_at_a_comment_stage(run)
    author.emit("comment", {"stage": key, "text": "AWAITINGTEXT", "client_id": client_id()})
    assert "AWAITINGTEXT" not in str(other.emit("sync"))
    assert "AWAITINGTEXT" not in str(other.emit("pace", {"index": index}))
    assert "AWAITINGTEXT" not in str(other.received())
    screen = run.screen()
    assert "AWAITINGTEXT" not in str(screen.emit("sync"))
    assert "AWAITINGTEXT" not in str(screen.received())


def test_exports_tell_a_comment_awaiting_approval_from_one_the_facilitator_hid(app, request):
    """A researcher reading comments.csv must be able to tell a comment nobody moderated
    yet from one the facilitator rejected: the export calls both "hidden by the
    facilitator" (datapackage.py), which is untrue of a comment still waiting."""
    run = make_run(app, request)
    phone = run.phone()
    index = comment_stage(run)
    walk_to(run, phone, index)
    key = run.plan.stages[index].key
    phone.emit("comment", {"stage": key, "text": "Waiting here", "client_id": client_id()})
    facilitator = run.facilitator()
    with run.db() as db:
        db.get(WorkshopSession, run.session_id).facilitator_id = facilitator.http.account_id
        db.commit()
    page = facilitator.http.get(f"/facilitator/sessions/{run.code}/export/comments.csv")
    assert page.status_code == 200, page.status_code
    header = page.get_data(as_text=True).splitlines()[0]
    assert "awaiting" in header


# Invitations -----------------------------------------------------------------------------


def _post_join(client, run, invitation, address=NAT):
    return client.post(
        f"/j/{run.code}",
        data={**JOIN_FORM, "invitation": invitation},
        environ_base={"REMOTE_ADDR": address},
    )


def test_wrong_invitation_codes_are_counted_and_limited_per_address(app, request, clock):
    """Like a wrong join code (30 failures per address in 15 minutes, then 429), guessing
    invitation codes of an invitation-only run must be limited. Today a refused code gives
    its join count back (limits.join_not_made), so guesses are never limited."""
    run = make_run(app, request, invitation_only=True)
    with run.db() as db:
        run_operations.create_invitations(db, run.session_id, 5)
    client = app.test_client()
    statuses = [_post_join(client, run, f"ZZZZZ{n:05d}").status_code for n in range(200)]
    assert 429 in statuses, set(statuses)


def test_invitation_codes_typed_oddly_are_refused_or_normalised(app, request):
    run = make_run(app, request, invitation_only=True)
    with run.db() as db:
        codes = run_operations.create_invitations(db, run.session_id, 4)
    client = app.test_client()
    # Over-long, unicode look-alikes, a code with extra characters: refused, next to the field.
    fullwidth = "".join(chr(ord(c) + 0xFEE0) for c in codes[0])
    for typed in (codes[0] + "Z", "Z" * 40, fullwidth, codes[0][:9], "' OR 1=1 --"):
        page = _post_join(client, run, typed)
        assert page.status_code == 400, typed
        assert "not valid" in page.get_data(as_text=True), typed
    # Spaces, dashes and lower case are fine.
    spaced = f" {codes[1][:5].lower()} - {codes[1][5:]} "
    assert joined_as_phone(_post_join(app.test_client(), run, spaced), run.code)
    # Another run's code is not valid here; a used one is refused.
    other = make_run(app, request, invitation_only=True)
    with other.db() as db:
        foreign = run_operations.create_invitations(db, other.session_id, 1)[0]
    assert _post_join(app.test_client(), run, foreign).status_code == 400
    used = _post_join(app.test_client(), run, codes[1])
    assert used.status_code == 400 and "already been used" in used.get_data(as_text=True)


def test_the_invite_parameter_is_escaped_on_the_join_page(app, request):
    run = make_run(app, request, invitation_only=True)
    payload = '"><script>alert(1)</script><img src=x onerror=alert(2)>'
    page = app.test_client().get(f"/j/{run.code}", query_string={"invite": payload})
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "<script>alert(1)" not in body and "<img src=x" not in body


@pytest.mark.parametrize(
    "query",
    [
        {"code": "ZZZZZZ"},
        {"_scheme": "javascript"},
        {"_external": "1", "_scheme": "javascript"},
        {"_anchor": "x"},
        {"_method": "POST"},
    ],
)
def test_a_lower_case_code_with_any_query_redirects_safely(app, request, query):
    """``/j/<code in lower case>`` redirects to the canonical address with the query kept
    (participant/views.py: ``url_for(".join", code=..., **request.args)``): a query naming
    url_for's own arguments must neither crash the page nor steer the redirect."""
    run = make_run(app, request)
    page = app.test_client().get(f"/j/{run.code.lower()}", query_string=query)
    assert page.status_code in (308, 404, 400), page.status_code
    if page.status_code == 308:
        location = page.headers["Location"]
        assert location.startswith(f"/j/{run.code}") or location.startswith(
            f"http://localhost/j/{run.code}"
        ), location


def test_5001_invitations_are_refused(app, request):
    run = make_run(app, request, invitation_only=True)
    with run.db() as db:
        for _ in range(5):
            run_operations.create_invitations(db, run.session_id, 1000)
        with pytest.raises(Refused, match="at most 5000"):
            run_operations.create_invitations(db, run.session_id, 1)
        with pytest.raises(Refused, match="between 1 and"):
            run_operations.create_invitations(db, run.session_id, 1001)
        assert len(run_operations.invitations(db, run.session_id)) == 5000


def test_invitations_of_a_live_session_are_refused(workshop):
    with workshop.db() as db, pytest.raises(Refused, match="not a self-paced run"):
        run_operations.create_invitations(db, workshop.session_id, 1)


# Resume links ----------------------------------------------------------------------------


def _token(app, participant, code):
    with app.test_request_context():
        return resume_token(participant, code)


def test_resume_links_open_only_their_own_persons_run(app, request, workshop):
    run = make_run(app, request)
    other = make_run(app, request)
    person = run.join()
    stranger = other.join()
    good = _token(app, person, run.code)
    client = app.test_client()
    # Forged, tampered, another run's, a live session's: 404, no cookie.
    for url in (
        f"/r/{run.code}/forged",
        f"/r/{run.code}/{good[:-2]}xx",
        f"/r/{run.code}/{_token(app, stranger, other.code)}",
        f"/r/{run.code}/{_token(app, stranger, run.code)}",
        f"/r/{other.code}/{good}",
        f"/r/{workshop.code}/{_token(app, workshop.join(), workshop.code)}",
    ):
        page = client.get(url)
        assert page.status_code == 404, url
        assert "Set-Cookie" not in page.headers, url
    # A participant cookie's value is not a resume token.
    with app.test_request_context():
        cookie_value = participant_token(person, run.code)
    assert client.get(f"/r/{run.code}/{cookie_value}").status_code == 404
    opened = client.get(f"/r/{run.code}/{good}")
    assert opened.status_code == 302 and opened.headers["Cache-Control"] == "no-store"


def test_a_withdrawn_persons_resume_link_and_cookie_open_nothing(app, request):
    run = make_run(app, request)
    phone = run.phone()
    token = _token(app, phone.participant, run.code)
    second = app.test_client()
    assert second.get(f"/r/{run.code}/{token}").status_code == 302
    assert phone.emit("withdraw")["ok"] is True
    assert app.test_client().get(f"/r/{run.code}/{token}").status_code == 410
    # The second device, resumed before the withdrawal, can no longer take part either.
    late = Client(app, socketio, {"code": run.code, "role": "participant"}, second)
    if late.connected:
        reply = late.emit("pace", {"index": 1})
        assert reply["ok"] is False
        assert answer(late, "sector", {"sector": "Health"})["ok"] is False


# Window pages and dates -------------------------------------------------------------------


def test_the_join_page_before_and_after_the_window(app, request):
    later = make_run(
        app,
        request,
        opens_at=clock.now() + timedelta(days=1),
        closes_at=clock.now() + timedelta(days=2),
    )
    page = app.test_client().get(f"/j/{later.code}")
    assert page.status_code == 200 and "not opened yet" in page.get_data(as_text=True)
    posted = app.test_client().post(f"/j/{later.code}", data=JOIN_FORM)
    assert posted.status_code == 200 and "Set-Cookie" not in posted.headers
    run = make_run(app, request)
    with run.db() as db:
        run_operations.close_run(db, run.session_id)
    assert app.test_client().get(f"/j/{run.code}").status_code == 410
    posted = app.test_client().post(f"/j/{run.code}", data=JOIN_FORM)
    assert posted.status_code == 410 and "Set-Cookie" not in posted.headers


def test_extend_and_close_refuse_bad_dates_and_repeats(app, request):
    run = make_run(app, request)
    now = clock.now()
    with run.db() as db:
        for closes, message in (
            (now - timedelta(days=1), "after the opening"),
            (now - timedelta(minutes=1), "future"),
            (now + timedelta(days=3650), "at most"),
        ):
            with pytest.raises(Refused, match=message):
                run_operations.extend_run(db, run.session_id, closes)
        run_operations.close_run(db, run.session_id)
        with pytest.raises(Refused, match="already closed"):
            run_operations.close_run(db, run.session_id)


def test_naive_dates_are_refused_with_a_message_not_a_type_error(app, request):
    run = make_run(app, request)
    naive = datetime.now() + timedelta(days=2)  # noqa: DTZ005  (the point of the test)
    with run.db() as db:
        try:
            run_operations.extend_run(db, run.session_id, naive)
        except Refused:
            pass
        else:
            db.rollback()
            stored = db.get(WorkshopSession, run.session_id)
            assert clock.aware(stored.closes_at).tzinfo is not None
    with pytest.raises(Refused):
        make_run(app, request, opens_at=clock.now(), closes_at=naive)


def test_an_archived_or_purged_run_cannot_be_extended_closed_or_invited_to(app, request):
    run = make_run(app, request)
    with run.db() as db:
        session = db.get(WorkshopSession, run.session_id)
        session.status = "archived"
        db.commit()
        for action in (
            lambda: run_operations.extend_run(db, run.session_id, clock.now() + timedelta(days=2)),
            lambda: run_operations.close_run(db, run.session_id),
            lambda: run_operations.create_invitations(db, run.session_id, 1),
        ):
            with pytest.raises(Refused, match="archived"):
                action()


def test_publishing_with_opens_after_closes_is_refused(app, request):
    now = clock.now()
    with pytest.raises(Refused, match="after the opening"):
        make_run(app, request, opens_at=now + timedelta(days=3), closes_at=now + timedelta(days=2))
    with pytest.raises(Refused, match="at most"):
        make_run(
            app,
            request,
            opens_at=now + timedelta(days=3000),
            closes_at=now + timedelta(days=3001),
        )
    far = datetime(9999, 12, 31, tzinfo=UTC)
    with pytest.raises(Refused):
        make_run(app, request, opens_at=now, closes_at=far)


def test_join_through_operations_uses_the_run_window(app, request):
    run = make_run(app, request)
    with run.db() as db:
        run_operations.close_run(db, run.session_id)
        with pytest.raises(Refused, match="closed"):
            operations.join(db, run.session_id, "Health")


# Floods ----------------------------------------------------------------------------------


def test_a_pace_refresh_flood_from_many_tabs_of_one_person_is_capped(app, request, clock):
    """``pace`` to the stage one is on is a sync by another name (the same paced_reply,
    results and comment wall included) but is counted per connection only
    (limits.EventLimit.PACE): one participant opening tabs multiplies it without end,
    where ``sync`` is capped per account (test_floods::
    test_more_connections_of_one_phone_share_its_account_limit)."""
    per_connection = DEFAULTS["events_per_connection_per_minute"]
    run = make_run(app, request)
    phone = run.phone()
    tabs = [phone] + [run.phone(participant=phone.participant) for _ in range(4)]
    served = 0
    for tab in tabs:
        for _ in range(per_connection):
            served += bool(tab.emit("pace", {"index": 0})["ok"])
    # Some cap per participant below the sum of the tabs' own limits (sync's is 4 tabs).
    assert served < len(tabs) * per_connection, served


# The facilitator's run pages (facilitator/run_views.py, run_forms.py) ----------------------


def _facilitator_http(app):
    return login_as(app, "facilitator")


@pytest.mark.parametrize("number", ["\u00b2", "\u2460", "\u00b9\u2070"])
def test_a_digit_that_is_no_number_makes_no_server_error_in_the_invitation_form(
    app, request, number
):
    """``str.isdigit`` is true of superscripts and circled digits, which ``int`` cannot
    read: the form must refuse them beside the field, not answer 500."""
    run = make_run(app, request, invitation_only=True)
    http = _facilitator_http(app)
    page = http.post(f"/facilitator/runs/{run.code}/invitations", data={"count": number})
    assert page.status_code == 400, page.status_code


@pytest.mark.parametrize("comment", ["\u00b2", "\u2460"])
def test_a_digit_that_is_no_number_makes_no_server_error_in_moderation(app, request, comment):
    run = make_run(app, request)
    http = _facilitator_http(app)
    page = http.post(
        f"/facilitator/runs/{run.code}/moderate", data={"decision": "approve", "comment": comment}
    )
    assert page.status_code in (303, 400), page.status_code


@pytest.mark.parametrize(
    ("day", "hour", "zone"),
    [
        ("9999-12-31", "23:59", "America/Los_Angeles"),  # past year 9999 in UTC
        ("0001-01-01", "00:00", "Asia/Tokyo"),  # before year 1 in UTC
    ],
)
def test_dates_at_the_ends_of_the_calendar_are_refused_not_a_server_error(
    app, request, day, hour, zone
):
    run = make_run(app, request)
    http = _facilitator_http(app)
    extended = http.post(
        f"/facilitator/runs/{run.code}/extend",
        data={"closes_date": day, "closes_time": hour, "zone": zone},
    )
    assert extended.status_code == 400, extended.status_code
    now = clock.now()
    published = http.post(
        "/facilitator/runs",
        data={
            "plan": "data-for-public-benefit",
            "scenario": "arrears-health",
            "zone": zone,
            "opens_date": day,
            "opens_time": hour,
            "closes_date": (now + timedelta(days=3)).date().isoformat(),
            "closes_time": "12:00",
            "access": "anyone",
        },
    )
    assert published.status_code == 400, published.status_code


def test_run_pages_refuse_visitors_and_researchers(app, request):
    run = make_run(app, request, invitation_only=True)
    with run.db() as db:
        run_operations.create_invitations(db, run.session_id, 2)
    base = f"/facilitator/runs/{run.code}"
    gets = ["", "/profile", "/statistics.json", "/invitations/sheet", "/invitations.csv"]
    posts = {
        "/moderate": {"decision": "approve", "comment": "1"},
        "/close": {"confirm": "1"},
        "/extend": {"closes_date": "2030-01-01", "closes_time": "10:00", "zone": "UTC"},
        "/invitations": {"count": "5"},
    }
    for who, http in (
        ("anonymous", app.test_client()),
        ("researcher", login_as(app, "researcher")),
    ):
        for path in gets:
            page = http.get(base + path)
            assert page.status_code in (302, 401, 403), (who, path, page.status_code)
            assert run.code not in page.get_data(as_text=True) or page.status_code == 302
        for path, form in posts.items():
            page = http.post(base + path, data=form)
            assert page.status_code in (302, 401, 403), (who, path, page.status_code)
    with run.db() as db:
        session = db.get(WorkshopSession, run.session_id)
        assert session.status == "live"
        assert len(run_operations.invitations(db, run.session_id)) == 2


def test_the_moderation_queue_and_the_dashboard_escape_participant_text(app, request):
    run = make_run(app, request)
    phone = run.phone()
    index = comment_stage(run)
    walk_to(run, phone, index)
    key = run.plan.stages[index].key
    payload = '<img src=x onerror=alert(1)>=HYPERLINK("http://x")'
    assert phone.emit("comment", {"stage": key, "text": payload, "client_id": client_id()})["ok"]
    http = _facilitator_http(app)
    body = http.get(f"/facilitator/runs/{run.code}").get_data(as_text=True)
    assert "<img src=x" not in body
    assert "&lt;img src=x onerror=alert(1)&gt;" in body
    stats = http.get(f"/facilitator/runs/{run.code}/statistics.json").get_data(as_text=True)
    assert "<img" not in stats  # JSON for a script: < escaped, or the text not there at all


def test_invitations_csv_cannot_link_a_code_to_the_person_who_used_it(app, request, monkeypatch):
    """models.Invitation: "nothing records which person used which code, so whoever
    handed the codes out cannot tell whose answers are whose". But the invitation's
    ``used_at`` is the join's moment to the microsecond, and invitations.csv gives it per
    code beside the transcript's ``participant.joined`` moment and pseudonym: whoever
    handed out the codes matches them."""
    run = make_run(app, request, invitation_only=True)
    with run.db() as db:
        codes = run_operations.create_invitations(db, run.session_id, 3)
    start = clock.now()
    for hours, code in enumerate(codes):
        moment = start + timedelta(hours=hours, minutes=1)
        monkeypatch.setattr(clock, "now", lambda moment=moment: moment)
        run.join(invitation=code)
    monkeypatch.undo()
    http = _facilitator_http(app)
    sheet = http.get(f"/facilitator/runs/{run.code}/invitations.csv").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(sheet)))
    assert all(set(row) == {"code", "grouped", "link", "used"} for row in rows)
    used = {row["code"]: row.get("used_at") for row in rows}
    with run.db() as db:
        joined = [
            (clock.aware(event.at), event.actor)
            for event in db.scalars(
                select(Event).where(
                    Event.session_id == run.session_id, Event.type == "participant.joined"
                )
            )
        ]
    for code in codes:
        if not used.get(code):
            continue
        moment = datetime.fromisoformat(used[code])
        near = [actor for at, actor in joined if abs((at - moment).total_seconds()) < 30 * 60]
        assert len(near) != 1, f"{code} was used by {near[0]}"


# Purge -----------------------------------------------------------------------------------


def test_a_purged_run_keeps_no_invitation_and_opens_to_no_one(app, request):
    run = make_run(app, request, invitation_only=True)
    with run.db() as db:
        codes = run_operations.create_invitations(db, run.session_id, 3)
    person = run.join(invitation=codes[0])
    token = _token(app, person, run.code)
    with run.db() as db:
        run_operations.close_run(db, run.session_id)
        session = db.get(WorkshopSession, run.session_id)
        purge_session(db, session, now=clock.now(), keep_aggregates=True)
        db.commit()
    with run.db() as db:
        assert run_operations.invitations(db, run.session_id) == []
        assert (
            db.scalar(select(Participant.id).where(Participant.session_id == run.session_id))
            is None
        )
        with pytest.raises(Refused):
            run_operations.extend_run(db, run.session_id, clock.now() + timedelta(days=2))
        with pytest.raises(Refused):
            run_operations.create_invitations(db, run.session_id, 1)
    client = app.test_client()
    assert client.get(f"/r/{run.code}/{token}").status_code in (404, 410)
    assert (
        client.post(f"/j/{run.code}", data={**JOIN_FORM, "invitation": codes[1]}).status_code == 410
    )


def test_the_report_shows_no_comment_awaiting_approval(app, request):
    run = make_run(app, request)
    phone = run.phone()
    index = comment_stage(run)
    walk_to(run, phone, index)
    key = run.plan.stages[index].key
    phone.emit("comment", {"stage": key, "text": "AWAITINGTEXT", "client_id": client_id()})
    http = _facilitator_http(app)
    report = http.get(f"/facilitator/sessions/{run.code}/export/report.html")
    assert report.status_code == 200
    assert "AWAITINGTEXT" not in report.get_data(as_text=True)


# Settings that take away more than they say ---------------------------------------------------


def test_a_run_without_comments_still_takes_answers_to_its_open_questions(app, request):
    """``comments: false`` turns off comments and agree/disagree on others' comments; an
    open-text question's answers are comments (runs.answered), so it must still take
    them, or the plan's open questions cannot be answered at all."""
    run = make_run(app, request, comments=False)
    phone = run.phone()
    index = run.stage_index("change")
    walk_to(run, phone, index)
    posted = phone.emit(
        "comment", {"stage": "change", "text": "Publish the audit", "client_id": client_id()}
    )
    assert posted["ok"] is True, posted


def test_a_run_without_results_shows_no_open_text_answers_before_answering(app, request):
    """With ``results: false`` nobody sees a stage's results; with results on, only after
    answering. An open-text stage's results are its comments: another person's answer
    must not reach a phone that has not answered (nor, without results, one that has)."""
    run = make_run(app, request, results=False, approve_comments=False)
    author, reader = run.phone(), run.phone()
    index = run.stage_index("change")
    walk_to(run, author, index)
    walk_to(run, reader, index)
    text = "OPENTEXTANSWER"
    author.emit("comment", {"stage": "change", "text": text, "client_id": client_id()})
    assert text not in str(reader.emit("pace", {"index": index}))


def test_series_recurring_comments_leave_out_comments_awaiting_approval(app, request):
    run = make_run(app, request)
    phone = run.phone()
    index = comment_stage(run)
    walk_to(run, phone, index)
    key = run.plan.stages[index].key
    phone.emit("comment", {"stage": key, "text": "AWAITINGTEXT", "client_id": client_id()})
    with run.db() as db:
        assert "AWAITINGTEXT" not in str(series_comments(db, [run.session_id]))


def test_the_phone_page_offers_no_resume_link_once_the_person_withdrew(app, request):
    run = make_run(app, request)
    phone = run.phone()
    assert f"/r/{run.code}/" in phone.http.get(f"/p/{run.code}").get_data(as_text=True)
    assert phone.emit("withdraw")["ok"] is True
    page = phone.http.get(f"/p/{run.code}").get_data(as_text=True)
    assert f"/r/{run.code}/" not in page


# The live console's controls on a run ---------------------------------------------------------


def test_a_run_paused_from_the_console_is_still_ended_on_its_closing_date(app, request):
    """The console's pause is accepted on a run (operations.pause_session does not refuse
    runs), and close_expired_runs ends only runs whose status is "live": a paused run
    passes its closing date without ever ending, so its retention never starts and its
    raw data is never purged."""
    run = make_run(app, request)
    facilitator = run.facilitator()
    paused = facilitator.emit("pause_session")
    with run.db() as db:
        ended = run_operations.close_expired_runs(db, clock.now() + timedelta(days=8))
        session = db.get(WorkshopSession, run.session_id)
        assert paused["ok"] is False or (ended == [run.session_id] and session.ended_at), (
            paused,
            ended,
            session.status,
        )


def test_a_paused_run_takes_no_answers_or_pause_is_refused(app, request):
    """pause_session promises "phones keep their place but cannot answer or comment"; in a
    run the pause changes the status and nothing else (runs.answerable_stage reads only
    the window)."""
    run = make_run(app, request)
    phone = run.phone()
    walk_to(run, phone, 1)
    facilitator = run.facilitator()
    paused = facilitator.emit("pause_session")
    if paused["ok"]:
        assert answer(phone, "sector", {"sector": "Health"})["ok"] is False


def test_a_rejected_comment_is_hidden_from_everyone_as_the_dashboard_says(app, request):
    """The dashboard's Reject says the comment is hidden from everyone, its author too
    (run_views.moderate): nobody sees it, and the message says so."""
    run = make_run(app, request)
    author, other, index, key = two_at_a_comment_stage(run)
    posted = author.emit("comment", {"stage": key, "text": "REJECTME", "client_id": client_id()})
    facilitator = run.facilitator()
    assert facilitator.emit("hide_comment", {"comment_id": posted["comment_id"]})["ok"] is True
    assert "REJECTME" not in str(other.emit("pace", {"index": index}))
    assert "REJECTME" not in str(author.emit("pace", {"index": index}))
    waiting = {"stage": key, "text": "Another", "client_id": client_id()}
    assert author.emit("comment", waiting)["ok"] is True  # so the queue and its words show
    page = _facilitator_http(app).get(f"/facilitator/runs/{run.code}").get_data(as_text=True)
    assert "all but its author" not in page
    assert "its author too" in page


def test_a_refused_join_does_not_spend_the_invitation(app, request):
    run = make_run(app, request, invitation_only=True)
    with run.db() as db:
        code = run_operations.create_invitations(db, run.session_id, 1)[0]
    with pytest.raises(Refused, match="sectors listed"):
        run.join(sector="Not a sector", invitation=code)
    assert run.join(invitation=code).id


# Random payloads to a run's participant events (the fuzz test covers live sessions only) ----


@pytest.mark.parametrize("event", ["answer", "comment", "react", "pace", "own_profile", "sync"])
def test_random_payloads_to_a_runs_phone_get_an_error_ack_and_store_nothing_invalid(
    app, request, caplog, event
):
    unlimited = {name: 10**9 for name in DEFAULTS if not name.endswith("_window")}
    app.extensions["limits"] = Limits.from_config(unlimited)
    run = make_run(app, request, approve_comments=False)
    plans = [run.plan]
    phone, other = run.phone(), run.phone()
    walk_to(run, other, comment_stage(run))
    other.emit(
        "comment",
        {"stage": run.plan.stages[comment_stage(run)].key, "text": "Hi", "client_id": client_id()},
    )

    @settings(
        max_examples=40,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(index=st.integers(0, len(run.plan.stages) - 1), data=st.data())
    def example(index, data):
        caplog.clear()
        with run.db() as db:
            person = db.get(Participant, phone.participant.id)
            person.furthest_index = max(person.furthest_index, index)
            db.commit()
        phone.emit("pace", {"index": index})
        payload = data.draw(payloads(plans, run.plan, run.plan.stages[index]))
        args = () if payload is None else (payload,)
        ack = phone.socket.emit(event, *args, callback=True)
        assert isinstance(ack, dict) and isinstance(ack.get("ok"), bool), ack
        if not ack["ok"]:
            assert isinstance(ack.get("error"), str) and ack["error"].strip(), ack
            assert ack["error"] != UNEXPECTED, (event, payload)
        errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
        assert not errors, errors[0].getMessage()

    example()
