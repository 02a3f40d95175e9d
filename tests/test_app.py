"""The app as a whole: health check, security headers, facilitator login, and the CLI."""

from __future__ import annotations

from facilitation.auth import create_facilitator
from facilitation.security import CONTENT_SECURITY_POLICY
from facilitation.workshop.sessions import session_by_code

PASSWORD = "correct horse battery"


def make_facilitator(db, email="lead@example.org"):
    return create_facilitator(db, email, PASSWORD)


def test_healthz_reports_database_and_version(app):
    from facilitation import __version__

    response = app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok", "version": __version__}


def test_every_page_forbids_inline_script_and_other_origins(app):
    response = app.test_client().get("/login")
    policy = response.headers["Content-Security-Policy"]
    assert policy == CONTENT_SECURITY_POLICY
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("style-src")[0]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_plotly_is_served_by_the_app_itself(app):
    response = app.test_client().get("/vendor/plotly.min.js")
    assert response.status_code == 200
    assert b"plotly.js" in response.data[:200]


def test_facilitator_pages_need_a_login(app):
    response = app.test_client().get("/facilitator/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_login_with_a_wrong_password_is_refused_and_keeps_the_email(app, db):
    make_facilitator(db)
    response = app.test_client().post(
        "/login", data={"email": "lead@example.org", "password": "not it"}
    )
    assert response.status_code == 401
    page = response.get_data(as_text=True)
    assert "do not match" in page and 'value="lead@example.org"' in page


def test_login_then_logout(app, db):
    make_facilitator(db)
    client = app.test_client()
    response = client.post("/login", data={"email": " Lead@Example.org ", "password": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/facilitator/"
    assert client.get("/facilitator/").status_code == 200
    assert client.post("/logout").status_code == 302
    assert client.get("/facilitator/").status_code == 302


def test_login_only_follows_next_to_this_site(app, db):
    make_facilitator(db)
    for target, expected in [
        ("/facilitator/sessions/ABC234", "/facilitator/sessions/ABC234"),
        ("https://evil.example/", "/facilitator/"),
        ("//evil.example/", "/facilitator/"),
    ]:
        response = app.test_client().post(
            "/login",
            data={"email": "lead@example.org", "password": PASSWORD, "next": target},
        )
        assert response.headers["Location"] == expected, target


def test_cli_creates_a_facilitator_and_refuses_a_short_password(app, db):
    runner = app.test_cli_runner()
    made = runner.invoke(args=["facilitator", "create", "new@example.org", "--password", PASSWORD])
    assert made.exit_code == 0, made.output
    short = runner.invoke(args=["facilitator", "create", "b@example.org", "--password", "short"])
    assert short.exit_code == 1 and "at least 10 characters" in short.output
    again = runner.invoke(args=["facilitator", "create", "new@example.org", "--password", PASSWORD])
    assert again.exit_code == 1 and "already exists" in again.output


def test_cli_opens_a_session_of_the_built_in_plan(app, db):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["session", "open", "data-for-public-benefit"])
    assert result.exit_code == 0, result.output
    code = result.output.strip().splitlines()[-1]
    session = session_by_code(db, code)
    assert session is not None and session.status == "live"
    assert session.scenario_key  # the first scenario unless one is named
    listed = runner.invoke(args=["session", "list"])
    assert code in listed.output


def test_cli_refuses_an_unknown_plan_or_scenario(app):
    runner = app.test_cli_runner()
    unknown = runner.invoke(args=["session", "open", "no-such-plan"])
    assert unknown.exit_code == 1 and "no-such-plan" in unknown.output
    bad = runner.invoke(args=["session", "open", "data-for-public-benefit", "--scenario", "nope"])
    assert bad.exit_code == 1 and "scenario" in bad.output
