"""Logins are rate-limited per account and per address, and say nothing more when they are.

Limits (facilitation/limits.py DEFAULTS): 5 failures per account and 20 per address in
any 15 minutes; a success clears the account's count.
"""

from __future__ import annotations

import re
import threading

from facilitation.auth import create_facilitator
from facilitation.db import database

PASSWORD = "a-long-password"
TOO_MANY = "Too many attempts; try again in 15 minutes."
CSRF_TOKEN = re.compile(r'name="csrf_token" value="[^"]*"')


def account(app, email: str) -> str:
    with database(app).sessionmaker() as db:
        create_facilitator(db, email, PASSWORD)
    return email


def log_in(client, email: str, password: str, address: str = "192.0.2.1"):
    return client.post(
        "/login",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def test_five_failures_lock_the_account_even_against_the_right_password(app, clock):
    email = account(app, "facilitator@example.org")
    client = app.test_client()
    for _ in range(5):
        assert log_in(client, email, "wrong-password").status_code == 401
    refused = log_in(client, email, PASSWORD)
    assert refused.status_code == 429
    page = refused.get_data(as_text=True)
    assert TOO_MANY in page and "do not match" not in page
    # From another address too: the account is what is being guessed.
    assert log_in(client, email.upper(), PASSWORD, "198.51.100.7").status_code == 429
    clock.advance(15 * 60)
    assert log_in(client, email, PASSWORD).status_code == 302


def test_an_unknown_email_gets_exactly_the_same_answers(app, clock):
    known = account(app, "known@example.org")
    answers = {}
    for email in (known, "nobody@example.org"):
        client = app.test_client()
        pages = [log_in(client, email, "wrong-password") for _ in range(6)]
        answers[email] = [
            # The page differs only by the email typed and its fresh CSRF token.
            (page.status_code, CSRF_TOKEN.sub("", page.get_data(as_text=True).replace(email, "E")))
            for page in pages
        ]
        clock.advance(15 * 60)  # a fresh address window for the second email
    assert answers[known] == answers["nobody@example.org"]
    assert [status for status, _ in answers[known]] == [401] * 5 + [429]


def test_a_success_clears_the_accounts_count(app, clock):
    email = account(app, "forgetful@example.org")
    for _ in range(4):
        log_in(app.test_client(), email, "wrong-password")
    assert log_in(app.test_client(), email, PASSWORD).status_code == 302
    for _ in range(4):
        assert log_in(app.test_client(), email, "wrong-password").status_code == 401
    assert log_in(app.test_client(), email, PASSWORD).status_code == 302


def test_twenty_failures_from_one_address_stop_it_trying_any_account(app, clock):
    email = account(app, "someone@example.org")
    for n in range(20):
        answer = log_in(app.test_client(), f"guess{n}@example.org", "wrong-password")
        assert answer.status_code == 401
    assert log_in(app.test_client(), email, PASSWORD).status_code == 429
    # Another address is not held up by this one.
    assert log_in(app.test_client(), email, PASSWORD, "198.51.100.7").status_code == 302
    clock.advance(15 * 60)
    assert log_in(app.test_client(), email, PASSWORD).status_code == 302


def test_parallel_guesses_cannot_slip_past_the_limit(app, clock):
    email = account(app, "busy@example.org")
    start = threading.Barrier(12)
    statuses = []

    def guess():
        client = app.test_client()
        start.wait()
        statuses.append(log_in(client, email, "wrong-password").status_code)

    threads = [threading.Thread(target=guess) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [401] * 5 + [429] * 7
