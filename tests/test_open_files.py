"""The server raises its own open-files limit, so a room is not capped at ~500 phones by
the default soft limit of 1,024 (facilitation/open_files.py)."""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.server import ROOT, app_environment, flask_cli, free_port, wait_healthy

PROBE = """
import resource
from facilitation.server.open_files import raise_open_files_limit
before = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
print(before, raise_open_files_limit(), resource.getrlimit(resource.RLIMIT_NOFILE)[0])
"""


def _lowered(soft: int):
    def lower():  # in the child only: start it with a low soft limit, as a default shell has
        resource.setrlimit(
            resource.RLIMIT_NOFILE, (soft, resource.getrlimit(resource.RLIMIT_NOFILE)[1])
        )

    return lower


def _probe_with_soft_limit(soft: int) -> list[int]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        preexec_fn=_lowered(soft),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return [int(word) for word in result.stdout.split()]


def test_a_low_soft_limit_is_raised_to_the_hard_one():
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    if hard != resource.RLIM_INFINITY and hard <= 256:
        pytest.skip(f"the hard limit here is {hard}: nothing to raise to")
    before, returned, after = _probe_with_soft_limit(256)
    assert before == 256
    assert after == returned > 256
    if hard != resource.RLIM_INFINITY:
        assert after == hard


def test_the_server_raises_it_before_serving(tmp_path):
    # `python -m facilitation` started from a shell with a low soft limit serves with more.
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    if hard != resource.RLIM_INFINITY and hard <= 256:
        pytest.skip(f"the hard limit here is {hard}: nothing to raise to")
    env = app_environment(tmp_path, port=free_port())
    flask_cli(env, "db", "upgrade")
    with open(tmp_path / "server.log", "w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "facilitation"],
            env=env,
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            preexec_fn=_lowered(256),
        )
    try:
        wait_healthy(f"http://127.0.0.1:{env['PORT']}", timeout=30, process=process)
        limits = Path(f"/proc/{process.pid}/limits").read_text()
    finally:
        process.terminate()
        process.wait(timeout=10)
    soft = next(line.split()[3] for line in limits.splitlines() if line.startswith("Max open"))
    if hard == resource.RLIM_INFINITY:
        assert soft == "unlimited" or int(soft) > 256
    else:
        assert int(soft) == hard
