"""The researcher role: read-only access to granted sessions and series and their exports;
every facilitator page and control is refused to it.

The routes are listed from ``app.url_map``, and the Socket.IO events from the server's
handlers, so a new route or control is covered without editing this file.
"""

from __future__ import annotations

import itertools
import re

import pytest
from werkzeug.routing import Rule

from facilitation.auth import create_facilitator
from facilitation.db import database
from facilitation.extensions import socketio
from facilitation.live.events import EVENTS
from facilitation.models import Facilitator, Grant, Series, WorkshopSession
from facilitation.privacy import grants
from facilitation.workshop.identity import participant_cookie_name, participant_token
from tests.factories import Client, log_in

_emails = itertools.count(1)

# Pages a researcher reads, each only with a grant: the exports, and the series pages
# (the list shows only the granted series).
READER_ENDPOINTS = {
    "exports.transcript",
    "exports.session_file",
    "exports.series_file",
    "series.index",
    "series.show",
}
# Events a participant's phone sends; every other event (but connect/disconnect) is a
# facilitator's control. "note" is for note-takers and facilitators.
PARTICIPANT_EVENTS = {
    "sync",
    "answer",
    "comment",
    "react",
    "own_profile",
    "own_opinion_group",
    "withdraw",
    "pace",
}
NOT_CONTROLS = PARTICIPANT_EVENTS | {"connect", "disconnect", "note"}


def account(app, role: str) -> Facilitator:
    with database(app).sessionmaker() as db:
        return create_facilitator(db, f"{role}{next(_emails)}@example.org", "a-long-password", role)


def login_as(app, role: str, person: Facilitator | None = None):
    """A test client logged in as a new account with ``role`` (or as ``person``)."""
    person = person or account(app, role)
    http = app.test_client()
    log_in(app, http, person.id)
    http.account = person
    return http


@pytest.fixture
def series(app, workshop) -> int:
    with database(app).sessionmaker() as db:
        row = Series(title="Six areas", description="Six workshops, six areas.")
        db.add(row)
        db.flush()
        db.get(WorkshopSession, workshop.session_id).series_id = row.id
        db.commit()
        return row.id


# Every rule under /facilitator/ ---------------------------------------------------------


def facilitator_rules(app) -> list[tuple[Rule, str]]:
    rules = []
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/facilitator/") or rule.rule == "/facilitator":
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                rules.append((rule, method))
    return rules


def url_for_rule(rule: Rule, code: str, series_id: int, researcher_id: int) -> str:
    values = {
        "code": code,
        "series_id": str(series_id),
        "slug": "data-for-public-benefit",
        "filename": "transcript.csv",
        "fmt": "csv",
        "researcher_id": str(researcher_id),
        "grant_id": "1",
        "token": "not-a-resume-token",  # a run's resume link (/r/<code>/<token>)
        "name": "framework.pdf",  # a plan's slide deck
        "number": "1",  # its page
        "stage_key": "welcome",  # a slides stage's page image (/s/<code>/slides/...)
        "index": "0",
        "audience": "phone",
    }

    def fill(match: re.Match) -> str:
        name = match.group(1).split(":")[-1]
        if name not in values:
            raise AssertionError(f"{rule.rule}: add a sample value for <{name}> to this test")
        return values[name]

    return re.sub(r"<([^>]+)>", fill, rule.rule)


def ask(client, url: str, method: str):
    """The answer, read to the end and closed (downloads stream)."""
    answer = client.open(url, method=method)
    answer.get_data()
    answer.close()
    return answer


def test_the_walk_covers_the_facilitator_area(app):
    endpoints = {rule.endpoint for rule, _ in facilitator_rules(app)}
    assert {
        "facilitator.dashboard",
        "facilitator.console",
        "plans.edit",
        "retention.shorten",
        "researchers.index",
        "exports.session_file",
    } <= endpoints
    assert READER_ENDPOINTS <= endpoints  # the allowed list names real routes


def test_every_facilitator_route_by_who_asks(app, workshop, series):
    anonymous = app.test_client()
    researcher = login_as(app, "researcher")
    granted = login_as(app, "researcher")
    with database(app).sessionmaker() as db:
        grants.grant_series(db, db.get(Facilitator, granted.account.id), series)
    facilitator = login_as(app, "facilitator")
    target = account(app, "researcher")

    for rule, method in facilitator_rules(app):
        url = url_for_rule(rule, workshop.code, series, target.id)
        what = f"{method} {url} ({rule.endpoint})"

        answer = ask(anonymous, url, method)
        assert answer.status_code == 302, what
        assert "/login" in answer.headers["Location"], what

        answer = ask(researcher, url, method)
        if rule.endpoint in READER_ENDPOINTS and rule.endpoint != "series.index":
            assert answer.status_code == 403, f"{what}: readable without a grant"
        elif rule.endpoint not in READER_ENDPOINTS:
            assert answer.status_code == 403, f"{what}: a researcher got {answer.status_code}"

        if rule.endpoint in READER_ENDPOINTS:
            answer = ask(granted, url, method)
            assert answer.status_code == 200, f"{what}: granted researcher got {answer.status_code}"

    # Facilitators last: some of these POSTs change things (archive, delete a plan...).
    for rule, method in facilitator_rules(app):
        url = url_for_rule(rule, workshop.code, series, target.id)
        answer = ask(facilitator, url, method)
        assert answer.status_code not in (401, 403), f"{method} {url}: {answer.status_code}"


def test_exports_need_a_grant_of_that_session(app, workshop):
    researcher = login_as(app, "researcher")
    url = f"/facilitator/sessions/{workshop.code}/export/transcript.csv"
    assert researcher.get(url).status_code == 403
    assert (
        researcher.get(f"/facilitator/sessions/{workshop.code}/transcript.json").status_code == 403
    )
    with database(app).sessionmaker() as db:
        grants.grant_session(db, db.get(Facilitator, researcher.account.id), workshop.code)
    response = researcher.get(url)
    assert response.status_code == 200 and response.get_data(as_text=True).startswith("session,")
    assert researcher.get(f"/facilitator/sessions/{workshop.code}").status_code == 403  # console
    assert researcher.get("/facilitator/sessions/ZZZZZZ/export/transcript.csv").status_code == 404


def test_a_series_grant_covers_its_sessions_until_revoked(app, workshop, series):
    researcher = login_as(app, "researcher")
    url = f"/facilitator/sessions/{workshop.code}/export/transcript.csv"
    result = app.test_cli_runner().invoke(
        args=["grant", researcher.account.email, "--series", str(series)]
    )
    assert result.exit_code == 0, result.output
    assert f"may now read series {series}" in result.output
    assert researcher.get(url).status_code == 200
    assert researcher.get(f"/facilitator/series/{series}/export/transcript.csv").status_code == 200
    result = app.test_cli_runner().invoke(
        args=["revoke", researcher.account.email, "--series", str(series)]
    )
    assert result.exit_code == 0 and "can no longer read" in result.output
    assert researcher.get(url).status_code == 403


# Socket.IO ------------------------------------------------------------------------------


def control_events() -> list[str]:
    return sorted({name for name, *_ in EVENTS} - NOT_CONTROLS)


def test_only_facilitators_connect_as_facilitator_or_open_a_projector(app, workshop):
    for who in (app.test_client(), login_as(app, "researcher")):
        for role in ("facilitator", "screen", "notetaker"):
            client = Client(app, socketio, {"code": workshop.code, "role": role}, who)
            assert not client.connected, role
    facilitator = login_as(app, "facilitator")
    for role in ("facilitator", "screen", "notetaker"):
        client = Client(app, socketio, {"code": workshop.code, "role": role}, facilitator)
        assert client.connected, role
        client.disconnect()


def test_every_control_event_is_refused_to_anyone_but_a_facilitator(app, workshop):
    assert "goto" in control_events() and "set_screen_mode" in control_events()
    # A researcher who also joined on their phone can do what any participant can, no more.
    researcher = login_as(app, "researcher")
    person = workshop.join("Health")
    with app.test_request_context():
        token = participant_token(person, workshop.code)
    researcher.set_cookie(participant_cookie_name(workshop.code), token)
    phone = Client(app, socketio, {"code": workshop.code, "role": "participant"}, researcher)
    screen = workshop.screen()
    try:
        assert phone.connected and screen.connected
        for event in control_events():
            for client in (phone, screen):
                ack = client.emit(event, {})
                assert ack["ok"] is False, event
                assert ack["error"].startswith("Only a facilitator"), (event, ack)
    finally:
        phone.disconnect()
        screen.disconnect()

    facilitator = workshop.facilitator()
    for event in control_events():
        ack = facilitator.emit(event, {})
        assert not str(ack.get("error", "")).startswith("Only a"), (event, ack)


# Logging in, the Research page, and managing grants ------------------------------------


def test_researcher_login_goes_to_the_research_page(app):
    with database(app).sessionmaker() as db:
        create_facilitator(db, "reader@example.org", "a-long-password", "researcher")
        create_facilitator(db, "runner@example.org", "a-long-password")
    client = app.test_client()
    response = client.post(
        "/login", data={"email": "reader@example.org", "password": "a-long-password"}
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("/research/")
    page = client.get("/research/").get_data(as_text=True)
    assert "Nothing has been granted to you yet." in page
    assert client.get("/facilitator/").status_code == 403

    other = app.test_client()
    response = other.post(
        "/login", data={"email": "runner@example.org", "password": "a-long-password"}
    )
    assert response.headers["Location"].endswith("/facilitator/")
    assert other.get("/research/").headers["Location"].endswith("/facilitator/")
    assert app.test_client().get("/research/").status_code == 302  # to the login page


def test_research_page_lists_granted_sessions_with_summary_and_exports(app, workshop, series):
    workshop.join("Health")
    with workshop.db() as db:
        session = db.get(WorkshopSession, workshop.session_id)
        session.place = "Leeds"
        db.commit()
    researcher = login_as(app, "researcher")
    with database(app).sessionmaker() as db:
        grants.grant_session(db, db.get(Facilitator, researcher.account.id), workshop.code)
    page = researcher.get("/research/").get_data(as_text=True)
    assert workshop.code in page and "Leeds" in page
    assert "<strong>1</strong> participant" in page
    assert f'href="/facilitator/sessions/{workshop.code}/export/transcript.csv"' in page
    assert f'href="/facilitator/sessions/{workshop.code}/export/export.zip"' in page
    assert "<dt>Series</dt><dd>Six areas</dd>" in page
    assert f"/facilitator/series/{series}" not in page  # the series itself was not granted

    with database(app).sessionmaker() as db:
        grants.grant_series(db, db.get(Facilitator, researcher.account.id), series)
    page = researcher.get("/research/").get_data(as_text=True)
    assert "Six areas" in page
    assert f'href="/facilitator/series/{series}/export/export.zip"' in page
    assert f'href="/facilitator/series/{series}"' in page


def test_facilitator_manages_grants_on_the_researchers_page(app, workshop, series):
    facilitator = login_as(app, "facilitator")
    empty = facilitator.get("/facilitator/researchers/").get_data(as_text=True)
    assert "facilitator create EMAIL --role researcher" in empty

    person = account(app, "researcher")
    page = facilitator.get("/facilitator/researchers/").get_data(as_text=True)
    assert person.email in page and "Nothing granted yet" in page

    refused = facilitator.post(f"/facilitator/researchers/{person.id}/grants", data={"target": ""})
    assert refused.status_code == 400
    assert "Choose a session or a series to grant." in refused.get_data(as_text=True)
    unknown = facilitator.post(
        f"/facilitator/researchers/{person.id}/grants", data={"target": "session:ZZZZZZ"}
    )
    assert unknown.status_code == 400 and "no session with the code" in unknown.get_data(
        as_text=True
    )

    done = facilitator.post(
        f"/facilitator/researchers/{person.id}/grants", data={"target": f"session:{workshop.code}"}
    )
    assert done.status_code == 303
    done = facilitator.post(
        f"/facilitator/researchers/{person.id}/grants", data={"target": f"series:{series}"}
    )
    assert done.status_code == 303
    page = facilitator.get("/facilitator/researchers/").get_data(as_text=True)
    assert "may now read the series “Six areas”" in page
    with database(app).sessionmaker() as db:
        held = db.query(Grant).filter_by(researcher_id=person.id).all()
        assert {(g.session_id is not None, g.series_id) for g in held} == {
            (True, None),
            (False, series),
        }
        first = held[0].id
    revoked = facilitator.post(f"/facilitator/researchers/{person.id}/grants/{first}/revoke")
    assert revoked.status_code == 303
    with database(app).sessionmaker() as db:
        assert db.query(Grant).filter_by(researcher_id=person.id).count() == 1

    # A facilitator's account cannot be given grants; nor can a made-up one.
    assert (
        facilitator.post(
            f"/facilitator/researchers/{facilitator.account.id}/grants",
            data={"target": f"session:{workshop.code}"},
        ).status_code
        == 404
    )


def test_cli_create_researcher_and_grant(app, workshop):
    runner = app.test_cli_runner()
    made = runner.invoke(
        args=[
            "facilitator",
            "create",
            "r@example.org",
            "--role",
            "researcher",
            "--password",
            "a-long-password",
        ]
    )
    assert made.exit_code == 0 and "Created researcher r@example.org." in made.output
    with database(app).sessionmaker() as db:
        assert grants.researcher_by_email(db, "r@example.org").role == "researcher"
    ok = runner.invoke(args=["grant", "r@example.org", "--session", workshop.code.lower()])
    assert ok.exit_code == 0 and f"may now read session {workshop.code}" in ok.output
    again = runner.invoke(args=["grant", "r@example.org", "--session", workshop.code])
    assert again.exit_code == 0 and "could already read" in again.output
    both = runner.invoke(
        args=["grant", "r@example.org", "--session", workshop.code, "--series", "1"]
    )
    assert both.exit_code != 0 and "either --session CODE or --series ID" in both.output
    nobody = runner.invoke(args=["grant", "x@example.org", "--session", workshop.code])
    assert nobody.exit_code != 0 and "no account" in nobody.output
    runner.invoke(args=["facilitator", "create", "f@example.org", "--password", "a-long-password"])
    facilitator = runner.invoke(args=["grant", "f@example.org", "--session", workshop.code])
    assert facilitator.exit_code != 0 and "is a facilitator" in facilitator.output
    gone = runner.invoke(args=["revoke", "r@example.org", "--session", workshop.code])
    assert gone.exit_code == 0
    missing = runner.invoke(args=["revoke", "r@example.org", "--session", workshop.code])
    assert missing.exit_code != 0 and "has no grant" in missing.output


def test_notes_and_projector_pages_do_not_open_for_a_researcher(app, workshop):
    researcher = login_as(app, "researcher")
    assert researcher.get(f"/s/{workshop.code}/screen").status_code == 403
    assert researcher.get(f"/n/{workshop.code}").status_code == 403
    facilitator = login_as(app, "facilitator")
    assert facilitator.get(f"/s/{workshop.code}/screen").status_code == 200
