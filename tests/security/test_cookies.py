"""Every cookie the app sets is HttpOnly and SameSite=Lax, and Secure when SECURE_COOKIES=1
(served over HTTPS): the login session, the participant's, the note-taker's, the language."""

from __future__ import annotations

import pytest

from facilitation.workshop.identity import notes_key
from tests.security.test_login_limits import PASSWORD, account
from tests.support.live import joined as joined_as_phone


@pytest.fixture(params=["0", "1"], ids=["http", "https"])
def secure(request, monkeypatch) -> bool:
    # Before the app fixture (pytest sets fixtures up in argument order): config reads it.
    monkeypatch.setenv("SECURE_COOKIES", request.param)
    return request.param == "1"


def cookies_set(response) -> dict[str, set[str]]:
    """Each cookie set by RESPONSE: name -> its attributes, lower case ("httponly", ...)."""
    found = {}
    for header in response.headers.getlist("Set-Cookie"):
        name_value, *attributes = [part.strip() for part in header.split(";")]
        found[name_value.split("=", 1)[0]] = {a.lower() for a in attributes}
    return found


def test_every_cookie_is_httponly_samesite_lax_and_secure_over_https(secure, app, workshop):
    assert app.config["SESSION_COOKIE_SECURE"] is secure
    seen: dict[str, set[str]] = {}

    login = app.test_client()
    email = account(app, "cookies@example.org")
    seen |= cookies_set(login.post("/login", data={"email": email, "password": PASSWORD}))

    phone = app.test_client()
    joined = phone.post(
        f"/j/{workshop.code}", data={"display_name": "", "sector": "Health", "consent": "yes"}
    )
    assert joined_as_phone(joined, workshop.code)
    seen |= cookies_set(joined)

    with app.test_request_context():
        key = notes_key(workshop.session())
    scribe = app.test_client().post(
        f"/n/{workshop.code}", data={"key": key, "label": "Table A scribe"}
    )
    seen |= cookies_set(scribe)
    seen |= cookies_set(app.test_client().get("/?lang=cy"))

    assert {
        "session",
        f"participant_{workshop.code}",
        f"notetaker_{workshop.code}",
    } <= set(seen), seen
    for name, attributes in seen.items():
        assert "httponly" in attributes, name
        assert "samesite=lax" in attributes, name
        assert ("secure" in attributes) is secure, name
