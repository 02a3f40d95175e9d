"""Rate limits count across workers (facilitation/limits_redis.py): a guesser who sends
each try to another worker (nginx picks the worker by the ``route`` cookie, which a client
chooses) gets the limit once in all, not once per worker. Requests go straight to each
worker's port, alternately, so each worker sees only half of them."""

from __future__ import annotations

import secrets

import pytest
import requests

from facilitation.workshop.codes import ALPHABET
from tests.support.live import csrf_token

pytestmark = pytest.mark.services

ACCOUNT_LIMIT = 5  # login failures per account (facilitation/limits.py DEFAULTS)
CODE_LIMIT = 30  # failed code look-ups per address
TOO_MANY = "Too many attempts; try again in 15 minutes."


def try_login(worker_url: str, email: str, password: str) -> requests.Response:
    http = requests.Session()
    token = csrf_token(http, f"{worker_url}/login")
    return http.post(
        f"{worker_url}/login",
        data={"csrf_token": token, "email": email, "password": password},
        allow_redirects=False,
        timeout=10,
    )


def test_failed_logins_on_two_workers_count_together(workers_up):
    urls = [worker.url for worker in workers_up.workers]
    guessed = f"guessed-{secrets.token_hex(3)}@example.org"
    for n in range(ACCOUNT_LIMIT):
        answer = try_login(urls[n % 2], guessed, "wrong-password")
        assert answer.status_code == 401, (n, answer.status_code)
    # Worker 1 has seen only two of the five failures, and still refuses.
    for url in urls:
        refused = try_login(url, guessed, "wrong-password")
        assert refused.status_code == 429, url
        assert TOO_MANY in refused.text
    # The limit is the guessed account's: the real facilitator still logs in on either.
    for url in urls:
        assert try_login(url, workers_up.email, workers_up.password).status_code == 302


def test_failed_code_look_ups_on_two_workers_count_together(workers_up):
    urls = [worker.url for worker in workers_up.workers]
    # Codes of the right shape, none of a session: this module opens none.
    wrong = [f"ZZZZ{ALPHABET[n // 31]}{ALPHABET[n % 31]}" for n in range(CODE_LIMIT + 1)]
    for n, code in enumerate(wrong[:CODE_LIMIT]):
        answer = requests.get(f"{urls[n % 2]}/j/{code}", timeout=10)
        assert answer.status_code == 404, (n, answer.status_code)
    # Each worker has seen fifteen misses of the thirty, and both refuse the next.
    for url in urls:
        refused = requests.get(f"{url}/j/{wrong[-1]}", timeout=10)
        assert refused.status_code == 429, url
        assert TOO_MANY in refused.text
