"""Every form is CSRF-protected: each POST route (listed from app.url_map, so a new one is
covered) refuses a request without a token with 400, logged in or not. No route is exempt.
Socket.IO events need no token: a connection from another site's page is refused by the
Origin check (cors_allowed_origins=[] in app.py), so no cross-site page can send them.
"""

from __future__ import annotations

import pytest

from tests.privacy.test_researchers import account, login_as, url_for_rule
from tests.support.live import joined as joined_as_phone

# Deliberately without a CSRF token: none. Add a route here only with the reason why.
EXEMPT: dict[str, str] = {}


@pytest.fixture
def csrf_app(app):
    app.config["WTF_CSRF_ENABLED"] = True  # read on each request by Flask-WTF
    return app


def post_rules(app):
    return [rule for rule in app.url_map.iter_rules() if "POST" in rule.methods]


def test_the_walk_finds_the_forms(csrf_app):
    endpoints = {rule.endpoint for rule in post_rules(csrf_app)}
    assert {"auth.login", "participant.join", "notes.take_notes", "plans.save"} <= endpoints
    assert set(EXEMPT) <= endpoints


def test_every_post_route_refuses_a_request_without_a_token(csrf_app, workshop):
    target = account(csrf_app, "researcher")
    people = {"anonymous": csrf_app.test_client(), "facilitator": login_as(csrf_app, "facilitator")}
    for rule in post_rules(csrf_app):
        if rule.endpoint in EXEMPT:
            continue
        url = url_for_rule(rule, workshop.code, 1, target.id)
        for who, client in people.items():
            for data in ({}, {"csrf_token": "forged"}):
                answer = client.post(url, data=data)
                assert answer.status_code == 400, f"POST {url} as {who}: {answer.status_code}"
                assert "CSRF" in answer.get_data(as_text=True), url
            # The plan editor's JSON calls carry the token in a header: a forged one fails.
            answer = client.post(url, json={}, headers={"X-CSRFToken": "forged"})
            assert answer.status_code == 400, f"POST {url} (JSON) as {who}"


def test_a_form_with_its_token_is_accepted(csrf_app, workshop):
    client = csrf_app.test_client()
    page = client.get(f"/j/{workshop.code}").get_data(as_text=True)
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    form = {"csrf_token": token, "sector": "Health", "consent": "yes"}
    assert joined_as_phone(client.post(f"/j/{workshop.code}", data=form), workshop.code)


def polling_handshake(app, origin: str | None):
    headers = {"Origin": origin} if origin else {}
    return app.test_client().get(
        "/socket.io/?EIO=4&transport=polling", headers=headers, base_url="http://room.example"
    )


def test_socket_io_refuses_connections_from_another_sites_page(app):
    assert polling_handshake(app, "http://room.example").status_code == 200
    assert polling_handshake(app, None).status_code == 200  # not from a browser page
    assert polling_handshake(app, "https://evil.example").status_code == 400
    assert polling_handshake(app, "http://room.example.evil.example").status_code == 400
