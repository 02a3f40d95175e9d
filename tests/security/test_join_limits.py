"""Join codes: a large search space, and failed look-ups rate-limited per address.

Only failures count (30 per address in any 15 minutes, facilitation/limits.py), and over
the limit a code the address has already reached still works: a room of phones behind
one NAT address all join. Every page that finds a session by a code in its address is
covered, and so is the Socket.IO connect.
"""

from __future__ import annotations

import pytest

from facilitation.extensions import socketio
from facilitation.workshop.codes import ALPHABET, CODE_LENGTH, looks_like_code, new_join_code
from tests.factories import Client
from tests.security.test_login_limits import account
from tests.support.live import joined as joined_as_phone

LIMIT = 30
NAT = "203.0.113.9"
ELSEWHERE = "198.51.100.20"
TOO_MANY = "Too many attempts; try again in 15 minutes."
JOIN_FORM = {"display_name": "", "sector": "Housing", "consent": "yes"}


def wrong_codes(workshop, count: int) -> list[str]:
    codes = []
    for n in range(count):
        code = f"ZZZ{ALPHABET[n // 31 % 31]}{ALPHABET[n % 31]}Z"
        assert code != workshop.code
        codes.append(code)
    return codes


def get(client, url: str, address: str = NAT, **options):
    return client.get(url, environ_base={"REMOTE_ADDR": address}, **options)


def miss(client, workshop, count: int = LIMIT) -> None:
    for code in wrong_codes(workshop, count):
        assert get(client, f"/j/{code}").status_code == 404


def test_codes_are_six_characters_of_31_so_there_are_887_million():
    assert len(set(ALPHABET)) == 31 and CODE_LENGTH == 6
    assert len(ALPHABET) ** CODE_LENGTH == 887_503_681
    codes = {new_join_code() for _ in range(2000)}
    # Random draws may repeat: two of 2,000 share a code about once in 440 runs (the
    # birthday bound), and create_session draws again when a code is taken. A handful of
    # repeats would mean a far smaller space than 887 million.
    assert len(codes) >= 1995 and all(looks_like_code(code) for code in codes)


PAGES = ["/j/{code}", "/?code={code}", "/p/{code}", "/s/{code}/screen", "/s/{code}/qr.svg"]


@pytest.mark.parametrize("page", PAGES)
def test_over_the_limit_every_code_page_refuses_even_a_right_code(app, workshop, clock, page):
    client = app.test_client()
    miss(client, workshop)
    for code in (wrong_codes(workshop, LIMIT + 1)[-1], workshop.code):
        refused = get(client, page.format(code=code))
        assert refused.status_code == 429, code  # the same answer: nothing to learn
        assert TOO_MANY in refused.get_data(as_text=True)
        assert refused.headers["Retry-After"] == str(15 * 60)
    # Another address is not held up, and the window passes.
    assert get(client, f"/j/{workshop.code}", ELSEWHERE).status_code == 200
    clock.advance(15 * 60)
    assert get(client, f"/j/{workshop.code}").status_code == 200


def test_every_kind_of_code_page_counts_a_miss(app, workshop, clock):
    client = app.test_client()
    codes = iter(wrong_codes(workshop, LIMIT))
    while True:
        for page in PAGES + ["/n/{code}"]:
            code = next(codes, None)
            if code is None:
                break
            assert get(client, page.format(code=code)).status_code == 404, page
        else:
            continue
        break
    assert get(client, f"/j/{workshop.code}").status_code == 429


def test_a_room_behind_one_address_all_joins_despite_mistyped_codes(app, workshop, clock):
    joined = 0
    for phone in range(150):
        client = app.test_client()
        if phone % 5 == 0:  # a typo on every fifth phone first: 30 misses in all
            assert get(client, f"/?code={wrong_codes(workshop, 30)[phone // 5]}").status_code == 404
        assert get(client, f"/?code={workshop.code}").status_code == 302
        answer = client.post(
            f"/j/{workshop.code}", data=JOIN_FORM, environ_base={"REMOTE_ADDR": NAT}
        )
        assert joined_as_phone(answer, workshop.code)
        assert get(client, f"/p/{workshop.code}").status_code == 200
        joined += 1
    assert joined == 150
    # The address is over the limit: a new wrong code is refused, the room's code is not.
    assert get(app.test_client(), "/j/ZZZZZZ").status_code == 429
    assert get(app.test_client(), f"/j/{workshop.code}").status_code == 200


def test_a_logged_in_facilitator_is_not_limited(app, workshop, clock):
    facilitator = app.test_client()
    miss(facilitator, workshop)
    email = account(app, "runs-the-room@example.org")
    assert (
        facilitator.post("/login", data={"email": email, "password": "a-long-password"}).status_code
        == 302
    )
    for code in wrong_codes(workshop, 5):
        assert get(facilitator, f"/s/{code}/screen").status_code == 404
    assert get(facilitator, f"/s/{workshop.code}/screen").status_code == 200
    assert get(app.test_client(), f"/j/{workshop.code}").status_code == 429


def test_socket_connections_with_wrong_codes_count_and_are_refused_over_the_limit(
    app, workshop, clock
):
    http = app.test_client()  # the Socket.IO test client uses its address, 127.0.0.1
    for code in wrong_codes(workshop, LIMIT):
        assert not Client(app, socketio, {"code": code, "role": "participant"}, http).connected
    assert http.get(f"/j/{workshop.code}").status_code == 429  # one count for both ways in
    phone = workshop.phone()  # joined, but this address never reached the code
    screen = workshop.screen()
    assert not phone.connected and not screen.connected
    clock.advance(15 * 60)
    assert workshop.phone().connected


def test_a_socket_may_keep_connecting_to_a_code_its_address_reached(app, workshop, clock):
    phone = workshop.phone()
    assert phone.connected
    http = app.test_client()
    for code in wrong_codes(workshop, LIMIT):
        assert not Client(app, socketio, {"code": code, "role": "participant"}, http).connected
    assert workshop.phone().connected and workshop.screen().connected


def test_a_welsh_phone_over_the_limit_is_told_in_welsh(app, workshop, clock):
    client = app.test_client()
    miss(client, workshop)
    refused = get(client, f"/j/{workshop.code}?lang=cy")
    assert refused.status_code == 429
    page = refused.get_data(as_text=True)
    assert "Gormod o ymdrechion; rhowch gynnig arall arni ymhen 15 munud." in page
    assert TOO_MANY not in page
