"""A login lasts exactly as long as it should: after a logout, a new password, a changed role
or a deleted account, no copied cookie opens the facilitator's pages and no socket opened with
the login can still run the room (docs/security.md, "Who may do what")."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from facilitation import logins
from facilitation.extensions import socketio
from facilitation.live import kick, login_sweep, rooms
from facilitation.live.broadcast import broadcaster
from facilitation.live.presence import Connection, Presence
from facilitation.models import Facilitator, LoginSession
from facilitation.workshop.identity import notetaker_cookie_name, notetaker_token
from tests.factories import Client

PASSWORD = "a-long-password"
EMAIL = "lead@example.org"


@pytest.fixture
def account(app, workshop):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["facilitator", "create", EMAIL, "--password", PASSWORD])
    assert result.exit_code == 0, result.output
    with workshop.db() as db:
        return db.scalar(select(Facilitator.id).where(Facilitator.email == EMAIL))


def browser(app):
    """A browser logged in through the real login form."""
    http = app.test_client()
    response = http.post("/login", data={"email": EMAIL, "password": PASSWORD})
    assert response.status_code == 302, response.status_code
    return http


def console(workshop, http, role: str = "facilitator", **auth) -> Client:
    client = Client(workshop.app, socketio, {"code": workshop.code, "role": role, **auth}, http)
    assert client.connected
    return workshop._track(client)


def can_run_the_room(client: Client) -> bool:
    return client.emit("goto", {"index": 1})["ok"]


def cli(app, *args: str):
    result = app.test_cli_runner().invoke(args=["facilitator", *args])
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture
def kick_lost(monkeypatch):
    """The disconnect never arrives (a message queue down, a CLI command without one): the
    socket's own next event must find out."""
    monkeypatch.setattr(kick, "disconnect_room", lambda room: None)


# Sockets (item 5) ---------------------------------------------------------------------------


def test_logout_disconnects_the_console_at_once(app, workshop, account):
    http = browser(app)
    sock = console(workshop, http)
    assert can_run_the_room(sock)

    assert http.post("/logout").status_code == 302

    assert not sock.connected


def test_after_logout_the_next_control_is_refused_and_the_socket_dropped(
    app, workshop, account, kick_lost
):
    http = browser(app)
    sock = console(workshop, http)
    assert can_run_the_room(sock)

    http.post("/logout")
    assert sock.connected  # the disconnect was lost; Flask-SocketIO's copy looks logged in

    ack = sock.emit("open_input")
    assert ack == {"ok": False, "error": logins.ENDED}
    assert "log in again" in ack["error"]
    assert not sock.connected
    assert workshop.session().input_open is False
    # What live.js does next: connect again. The same cookie is refused at the door.
    again = Client(app, socketio, {"code": workshop.code, "role": "facilitator"}, http)
    assert not again.connected


@pytest.mark.parametrize(
    "change",
    [["set-role", EMAIL, "researcher"], ["delete", EMAIL, "--yes"]],
    ids=["demoted", "deleted"],
)
def test_demotion_and_deletion_disconnect_every_console_of_the_account(
    app, workshop, account, change
):
    laptop, tablet = console(workshop, browser(app)), console(workshop, browser(app))
    assert can_run_the_room(laptop) and can_run_the_room(tablet)

    cli(app, *change)

    assert not laptop.connected and not tablet.connected


@pytest.mark.parametrize("change", ["demoted", "deleted", "password"])
def test_a_changed_account_is_refused_on_the_next_event(app, workshop, account, change, kick_lost):
    sock = console(workshop, browser(app))
    assert can_run_the_room(sock)
    if change == "demoted":
        with workshop.db() as db:  # even changed in the database by hand, with no kick at all
            db.execute(update(Facilitator).values(role="researcher"))
            db.commit()
    elif change == "deleted":
        cli(app, "delete", EMAIL, "--yes")
    else:
        cli(app, "set-password", EMAIL, "--password", "another-long-password")

    ack = sock.emit("goto", {"index": 2})
    assert ack == {"ok": False, "error": logins.ENDED}
    assert not sock.connected
    assert workshop.session().stage_index == 1


def test_logout_on_the_laptop_leaves_the_tablet_logged_in(app, workshop, account):
    laptop_http, tablet_http = browser(app), browser(app)
    laptop, tablet = console(workshop, laptop_http), console(workshop, tablet_http)

    laptop_http.post("/logout")

    assert not laptop.connected
    assert tablet.connected and can_run_the_room(tablet)
    assert tablet_http.get("/facilitator/").status_code == 200


def test_a_new_password_disconnects_every_console_of_the_account(app, workshop, account):
    laptop, tablet = console(workshop, browser(app)), console(workshop, browser(app))

    cli(app, "set-password", EMAIL, "--password", "another-long-password")

    assert not laptop.connected and not tablet.connected


def test_projector_and_notetaker_opened_with_the_login_go_with_it(app, workshop, account):
    http = browser(app)
    projector = console(workshop, http, role="screen")  # no key: the login lets it in
    notetaker = console(workshop, http, role="notetaker")  # no invitation: the login
    keyed = workshop.screen()  # its own key: independent of any login
    invited_http = app.test_client()
    with app.test_request_context():
        invited_http.set_cookie(
            notetaker_cookie_name(workshop.code), notetaker_token(workshop.session(), "Scribe")
        )
    invited = console(workshop, invited_http, role="notetaker")

    http.post("/logout")

    assert not projector.connected and not notetaker.connected
    assert keyed.connected and invited.connected
    assert invited.emit("note", {"text": "still here", "client_id": "note-0001"})["ok"]


def test_a_console_joins_the_rooms_of_its_login_and_its_account(app, workshop, account):
    sock = console(workshop, browser(app))
    with workshop.db() as db:
        login_id = db.scalar(select(LoginSession.id).where(LoginSession.account_id == account))
    for room in (rooms.login(login_id), rooms.account(account)):
        sids = [sid for sid, _ in socketio.server.manager.get_participants("/", room)]
        assert len(sids) == 1
    kick.disconnect_room(rooms.account(account))
    assert not sock.connected


def test_a_participant_event_reads_no_login(workshop, monkeypatch):
    phone = workshop.phone()

    def no_login_check(*_args):
        raise AssertionError("a participant's event looked up a login")

    monkeypatch.setattr(logins, "login_refusal", no_login_check)
    assert phone.emit("sync")["ok"]


# Cookies (item 6) ---------------------------------------------------------------------------


def copy_of_cookie(app, http):
    """Another browser holding a copy of ``http``'s session cookie."""
    name = app.config["SESSION_COOKIE_NAME"]
    thief = app.test_client()
    thief.set_cookie(name, http.get_cookie(name).value)
    return thief


def test_a_cookie_copied_before_logout_dies_with_the_logout(app, account):
    http = browser(app)
    thief = copy_of_cookie(app, http)
    assert thief.get("/facilitator/").status_code == 200

    http.post("/logout")

    response = thief.get("/facilitator/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
    assert http.get("/facilitator/").status_code == 302


def test_a_new_password_ends_every_login_of_the_account(app, account):
    laptop, tablet = browser(app), browser(app)
    thief = copy_of_cookie(app, laptop)
    for http in (laptop, tablet, thief):
        assert http.get("/facilitator/").status_code == 200

    cli(app, "set-password", EMAIL, "--password", "another-long-password")

    for http in (laptop, tablet, thief):
        assert http.get("/facilitator/").headers["Location"].startswith("/login")
    assert browser_with(app, "another-long-password").get("/facilitator/").status_code == 200


def browser_with(app, password: str):
    http = app.test_client()
    assert http.post("/login", data={"email": EMAIL, "password": password}).status_code == 302
    return http


def test_a_demoted_account_logs_in_again_as_a_researcher(app, account):
    http = browser(app)
    assert http.get("/facilitator/").status_code == 200

    cli(app, "set-role", EMAIL, "researcher")

    assert http.get("/facilitator/").headers["Location"].startswith("/login")
    again = browser(app)
    assert again.get("/facilitator/").status_code == 403  # a researcher's login now


def test_a_deleted_account_opens_nothing(app, account):
    http = browser(app)
    cli(app, "delete", EMAIL, "--yes")

    assert http.get("/facilitator/").headers["Location"].startswith("/login")
    assert (
        app.test_client().post("/login", data={"email": EMAIL, "password": PASSWORD}).status_code
        == 401
    )


def test_a_cookie_signed_before_login_records_is_refused(app, account):
    """What every browser holds at the upgrade to migration 0005: a signed user id alone."""
    http = app.test_client()
    with http.session_transaction() as cookie_session:
        cookie_session["_user_id"] = str(account)
        cookie_session["_fresh"] = True

    assert http.get("/facilitator/").headers["Location"].startswith("/login")


def test_only_a_hash_of_the_login_key_is_stored(app, workshop, account):
    http = browser(app)
    with http.session_transaction() as cookie_session:
        key = cookie_session[logins.SESSION_KEY]
    with workshop.db() as db:
        stored = db.scalars(select(LoginSession.key_hash)).all()
    assert len(stored) == 1 and key not in stored[0] and len(stored[0]) == 64


def test_a_silent_console_whose_login_ended_is_swept_off_within_seconds(
    app, workshop, account, kick_lost
):
    """A CLI command on a server without a message queue reaches no socket, and a console
    that sends nothing is never refused: the broadcaster's loop sweeps it off."""
    laptop, tablet = console(workshop, browser(app)), console(workshop, browser(app))
    notes = console(workshop, laptop.http, role="notetaker")
    cli(app, "set-password", EMAIL, "--password", "another-long-password")
    assert laptop.connected and tablet.connected and notes.connected  # the kick was lost
    other = workshop.facilitator()  # another account's console: its login is live

    assert login_sweep.disconnect_ended_logins(app) == 3
    assert not (laptop.connected or tablet.connected or notes.connected)
    assert other.connected
    assert login_sweep.disconnect_ended_logins(app) == 0
    assert login_sweep._tick in broadcaster.tick_hooks  # run every SWEEP_SECONDS


def test_the_sweep_forgets_a_socket_it_no_longer_has_instead_of_counting_it(app, workshop):
    """A connection whose disconnect never reached presence (another app's socket in the
    same process, a handler that failed) is dropped from presence, not counted as swept."""
    connections = Presence()
    gone = Connection(role="facilitator", session_id=workshop.session_id, code="X", login_id=99)
    connections.add("a-socket-this-server-never-had", gone)

    assert login_sweep.disconnect_ended_logins(app, connections) == 0
    assert connections.by_login() == {}
