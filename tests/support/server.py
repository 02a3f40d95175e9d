"""Run the real app in a subprocess, as ``python -m facilitation`` (gevent), for tests.

Nothing here knows about Playwright: browser tests, HTTP/Socket.IO tests against a live
server and multi-worker tests (several ``AppServer`` on one database and one Redis
message queue) all use it.

    env = app_environment(tmp_dir, port=free_port())
    flask_cli(env, "db", "upgrade")
    with AppServer(env, log_dir=tmp_dir) as server:
        requests.get(server.url + "/healthz")
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Settings the app reads from the environment (docs/deployment.md, "Configuration"). They are
# dropped from the inherited environment so the developer's shell cannot leak a
# database or message queue into a test server; pass them explicitly instead.
APP_SETTINGS = (
    "DATABASE_URL",
    "DATABASE_BUSY_TIMEOUT",
    "SOCKETIO_MESSAGE_QUEUE",
    "SOCKETIO_CHANNEL",
    "TRUSTED_PROXIES",
    "SOCKETIO_ASYNC_MODE",
    "SECRET_KEY",
    "HOST",
    "PORT",
    "PUBLIC_URL",
    "FACILITATION_INSTANCE",
    "PLANS_DIR",
    "BROADCAST_INTERVAL",
    "ANSWER_BATCHING",
    "SECURE_COOKIES",
    "ACCESS_LOG",
)


class ServerError(RuntimeError):
    """The app server or a ``flask`` command did not do what a test needed."""


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that was free a moment ago (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def app_environment(
    instance_dir: Path,
    *,
    port: int,
    host: str = "127.0.0.1",
    database_url: str | None = None,
    secret_key: str | None = None,
    **settings: str,
) -> dict[str, str]:
    """Environment for the app: its own instance folder, SQLite there unless given a URL.

    Extra keyword arguments become environment variables, e.g.
    ``SOCKETIO_MESSAGE_QUEUE="redis://127.0.0.1:6379/0"``.
    """
    instance_dir = Path(instance_dir)
    instance_dir.mkdir(parents=True, exist_ok=True)
    env = {key: value for key, value in os.environ.items() if key not in APP_SETTINGS}
    env.update(
        DATABASE_URL=database_url or sqlite_url(instance_dir / "app.db"),
        SECRET_KEY=secret_key or secrets.token_urlsafe(32),
        HOST=host,
        PORT=str(port),
        FACILITATION_INSTANCE=str(instance_dir),
        PYTHONUNBUFFERED="1",
        PYTHONDONTWRITEBYTECODE="1",
    )
    env.update({key: str(value) for key, value in settings.items()})
    return env


def flask_cli(env: dict[str, str], *args: str, timeout: float = 60) -> str:
    """Run ``python -m flask --app facilitation ARGS`` in ENV; return its output.

    Raises ServerError with the command's output when it fails.
    """
    command = [sys.executable, "-m", "flask", "--app", "facilitation", *args]
    result = subprocess.run(
        command,
        env=env,
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode != 0:
        raise ServerError(
            f"`flask --app facilitation {' '.join(args)}` exited {result.returncode}\n"
            f"--- stdout ---\n{result.stdout}\n--- stderr ---\n{result.stderr}"
        )
    return result.stdout


def create_facilitator(env: dict[str, str], email: str, password: str) -> None:
    flask_cli(env, "facilitator", "create", email, "--password", password)


def _open_log(path: Path | None, start: int):
    if path is None:
        return subprocess.DEVNULL
    stream = open(path, "a")  # closed by the caller once the child has it
    stream.write(f"===== start {start} =====\n")
    stream.flush()
    return stream


def _tail(path: Path | None, limit: int = 6000) -> str:
    if path is None or not path.exists():
        return "(no output captured)"
    text = path.read_text(errors="replace")
    return text if len(text) <= limit else "...\n" + text[-limit:]


@dataclass
class AppServer:
    """``python -m facilitation`` in a subprocess, listening on env HOST:PORT.

    stdout and stderr go to files in LOG_DIR (never a pipe: a full pipe would stall
    the server), and are shown when the server fails to come up.
    """

    env: dict[str, str]
    log_dir: Path | None = None
    name: str = "app"
    health_timeout: float = 20.0
    process: subprocess.Popen | None = field(default=None, init=False, repr=False)
    _starts: int = field(default=0, init=False, repr=False)

    @property
    def host(self) -> str:
        return self.env.get("HOST", "127.0.0.1")

    @property
    def port(self) -> int:
        return int(self.env["PORT"])

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def stdout_path(self) -> Path | None:
        return self.log_dir / f"{self.name}.stdout.log" if self.log_dir else None

    @property
    def stderr_path(self) -> Path | None:
        return self.log_dir / f"{self.name}.stderr.log" if self.log_dir else None

    def output(self) -> str:
        """What the server printed so far (stdout, then stderr)."""
        return (
            f"--- {self.name} stdout ---\n{_tail(self.stdout_path)}\n"
            f"--- {self.name} stderr ---\n{_tail(self.stderr_path)}"
        )

    def start(self) -> AppServer:
        if self.process is not None and self.process.poll() is None:
            raise ServerError(f"{self.name} is already running (pid {self.process.pid})")
        if self.log_dir is not None:
            self.log_dir.mkdir(parents=True, exist_ok=True)
        self._starts += 1
        # Append across restarts, with a marker, so a restart's log keeps the earlier run.
        stdout = _open_log(self.stdout_path, self._starts)
        stderr = _open_log(self.stderr_path, self._starts)
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "facilitation"],
                env=self.env,
                cwd=ROOT,
                stdin=subprocess.DEVNULL,
                stdout=stdout,
                stderr=stderr,
            )
        finally:
            for stream in (stdout, stderr):
                if stream is not subprocess.DEVNULL:
                    stream.close()  # the child keeps its own copy of the descriptor
        try:
            wait_healthy(self.url, timeout=self.health_timeout, process=self.process)
        except ServerError as error:
            self.stop()
            raise ServerError(f"{error}\n{self.output()}") from None
        return self

    def stop(self, timeout: float = 10.0) -> None:
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=timeout)

    def restart(self) -> AppServer:
        """Stop and start again: same port, same database, same secret key."""
        self.stop()
        return self.start()

    def __enter__(self) -> AppServer:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()


def wait_healthy(
    url: str, *, timeout: float = 20.0, process: subprocess.Popen | None = None
) -> None:
    """Poll ``URL/healthz`` until it answers 200; fail early if PROCESS exits."""
    deadline = time.monotonic() + timeout
    last = "no answer yet"
    while True:
        if process is not None and process.poll() is not None:
            raise ServerError(f"server exited with code {process.returncode} before it was healthy")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
                last = f"HTTP {response.status}"
        except urllib.error.HTTPError as error:  # e.g. 503 while the database is unreachable
            last = f"HTTP {error.code}: {error.read(500).decode(errors='replace')}"
        except OSError as error:  # refused, reset, timed out
            last = f"{type(error).__name__}: {error}"
        if time.monotonic() > deadline:
            raise ServerError(f"{url}/healthz not healthy after {timeout:g} s ({last})")
        time.sleep(0.1)


@dataclass
class LiveApp:
    """A migrated app with one facilitator account, served by ``AppServer``."""

    server: AppServer
    email: str
    password: str

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def env(self) -> dict[str, str]:
        return self.server.env

    def restart(self) -> LiveApp:
        self.server.restart()
        return self

    def stop(self) -> None:
        self.server.stop()


def start_live_app(
    instance_dir: Path,
    *,
    email: str = "facilitator@example.org",
    password: str | None = None,
    port: int | None = None,
    health_timeout: float = 20.0,
    **environment,
) -> LiveApp:
    """Migrate a fresh database in INSTANCE_DIR, create a facilitator, start the server.

    Keyword arguments not named here go to ``app_environment`` (``database_url=...``,
    ``SOCKETIO_MESSAGE_QUEUE=...``). The caller stops it (``LiveApp.stop``).
    """
    instance_dir = Path(instance_dir)
    password = password or secrets.token_urlsafe(16)
    env = app_environment(instance_dir, port=port or free_port(), **environment)
    flask_cli(env, "db", "upgrade")
    create_facilitator(env, email, password)
    server = AppServer(env, log_dir=instance_dir / "logs", health_timeout=health_timeout)
    server.start()
    return LiveApp(server=server, email=email, password=password)
