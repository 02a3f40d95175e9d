"""Several real workers behind the shipped nginx config, for tests and benchmarks.

    with postgres_schema(postgres_url, "cluster_a") as database_url:
        with Cluster(tmp_path, database_url, redis_url, workers=2) as cluster:
            http = login(cluster.url, cluster.email, cluster.password)   # through nginx
            requests.get(cluster.workers[0].url + "/healthz")            # one worker
            cluster.kill(1)            # SIGKILL, as a crash would
            cluster.start_worker(1)    # same port, database and key

``Cluster`` migrates the database once, starts N ``python -m facilitation`` workers at the
same moment (as systemd does; so the first-run account race is exercised every time) on
free ports, sharing DATABASE_URL, SOCKETIO_MESSAGE_QUEUE, SOCKETIO_CHANNEL (its own, so two
clusters on one Redis never hear each other) and SECRET_KEY, creates a facilitator, and
runs nginx with deploy/nginx/facilitation.conf rendered into FOLDER/nginx/nginx.conf: the
upstream's servers become the workers' ports, the TLS server listens on a free port
without TLS, and the HTTP-to-HTTPS redirect server is dropped. Everything else (sticky
cookie hash, WebSocket upgrade, proxy headers and timeouts, proxy_next_upstream) is the
shipped file's own. nginx's pid, logs and temp files stay in FOLDER/nginx.
"""

from __future__ import annotations

import os
import re
import resource
import secrets
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from tests.support.server import (
    ROOT,
    AppServer,
    ServerError,
    app_environment,
    create_facilitator,
    flask_cli,
    free_port,
)

SITE_CONFIG = ROOT / "deploy" / "nginx" / "facilitation.conf"
NGINX_CANDIDATES = ("/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/local/nginx/sbin/nginx")


class ClusterError(ServerError):
    """nginx is missing, or the cluster did not come up (the message says which part)."""


def nginx_binary() -> str:
    """The nginx executable, or ClusterError naming the package to install."""
    found = shutil.which("nginx") or next(
        (path for path in NGINX_CANDIDATES if os.access(path, os.X_OK)), None
    )
    if found is None:
        raise ClusterError("nginx is not installed (apt-get install nginx; .ci/run does)")
    return found


# Rendering the shipped site file ----------------------------------------------------------


def top_level_blocks(text: str) -> list[str]:
    """The top-level directives and blocks of an nginx file, comments removed."""
    blocks, current, depth, quote = [], [], 0, None
    for line in text.splitlines():
        kept = []
        for char in line:
            if quote:
                quote = None if char == quote else quote
            elif char in "\"'":
                quote = char
            elif char == "#":
                break
            elif char == "{":
                depth += 1
            elif char == "}":
                depth -= 1
            kept.append(char)
        current.append("".join(kept).rstrip())
        ends_statement = depth == 0 and current[-1].rstrip().endswith((";", "}"))
        if ends_statement:
            block = "\n".join(part for part in current if part.strip())
            if block:
                blocks.append(block)
            current = []
    if depth != 0 or any(part.strip() for part in current):
        raise ClusterError(f"{SITE_CONFIG} has unbalanced braces or a trailing statement")
    return blocks


def render_site(
    site: str, worker_ports: list[int], listen_port: int, *, reuseport: bool = False
) -> str:
    """The shipped site with the test's ports and no TLS (see the module). ``reuseport``:
    the kernel spreads connections over several nginx processes, each with its own open
    files (a big benchmark needs more than one process's limit holds)."""
    rendered, servers = [], 0
    for block in top_level_blocks(site):
        head = block.split("{", 1)[0].split()
        if head[:1] == ["upstream"]:
            lines = block.splitlines()
            upstreams = [i for i, line in enumerate(lines) if re.match(r"\s*server\s", line)]
            if not upstreams:
                raise ClusterError(f"{SITE_CONFIG}: the upstream block lists no server")
            options = lines[upstreams[0]].split(None, 2)[2:]  # e.g. "max_fails=1 ...;"
            tail = " ".join(options).rstrip(";").strip()
            ours = [f"    server 127.0.0.1:{port} {tail};".rstrip() for port in worker_ports]
            lines[upstreams[0] : upstreams[-1] + 1] = ours
            rendered.append("\n".join(lines))
        elif head[:1] == ["server"]:
            if re.search(r"\breturn\s+30[18]\b", block):
                continue  # the HTTP-to-HTTPS redirect: tests speak plain HTTP
            lines = [
                line for line in block.splitlines() if not re.match(r"\s*(ssl_\w+|listen)\s", line)
            ]
            if len(lines) == len(block.splitlines()):
                raise ClusterError(f"{SITE_CONFIG}: the TLS server block has no listen line")
            option = " reuseport" if reuseport else ""
            lines.insert(1, f"    listen 127.0.0.1:{listen_port}{option};")
            rendered.append("\n".join(lines))
            servers += 1
        else:
            rendered.append(block)
    if servers != 1:
        raise ClusterError(f"{SITE_CONFIG}: expected one TLS server block, found {servers}")
    return "\n\n".join(rendered) + "\n"


def nginx_config(folder: Path, site: str, *, processes: int, connections: int) -> str:
    """A whole nginx.conf that keeps every file nginx writes inside FOLDER."""
    temp = {name: folder / "temp" / name for name in ("client_body", "proxy", "fastcgi")}
    temp.update(uwsgi=folder / "temp" / "uwsgi", scgi=folder / "temp" / "scgi")
    for path in (*temp.values(), folder / "logs"):
        path.mkdir(parents=True, exist_ok=True)
    # As root nginx would hand its workers to `nobody`, who cannot enter a private
    # test folder; as anyone else it ignores `user`, so it is only written for root.
    user = "user root;\n" if os.geteuid() == 0 else ""
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    files = 2 * connections + 64
    if hard != resource.RLIM_INFINITY:
        # Even as root: in a container root may not raise it either, and nginx then keeps
        # the limit it inherited (its error.log says "setrlimit(RLIMIT_NOFILE, ...) failed").
        files = min(files, hard)
    return f"""{user}worker_processes {processes};
worker_rlimit_nofile {files};
pid {folder / "nginx.pid"};
error_log {folder / "logs" / "error.log"} warn;

events {{
    worker_connections {connections};
}}

http {{
    access_log {folder / "logs" / "access.log"};
    client_body_temp_path {temp["client_body"]};
    proxy_temp_path {temp["proxy"]};
    fastcgi_temp_path {temp["fastcgi"]};
    uwsgi_temp_path {temp["uwsgi"]};
    scgi_temp_path {temp["scgi"]};

{site}}}
"""


def _get(url: str, timeout: float = 2) -> int:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


# PostgreSQL schema per test ----------------------------------------------------------------


@contextmanager
def postgres_schema(postgres_url: str, schema: str) -> Iterator[str]:
    """A fresh schema SCHEMA in the database at POSTGRES_URL, dropped afterwards; yields
    the URL whose connections use it (never touches ``public``)."""
    import psycopg

    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,40}", schema):
        raise ValueError(f"not a plain schema name: {schema!r}")
    with psycopg.connect(postgres_url, autocommit=True) as connection:
        connection.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        connection.execute(f"CREATE SCHEMA {schema}")
    separator = "&" if "?" in postgres_url else "?"
    try:
        yield f"{postgres_url}{separator}options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(postgres_url, autocommit=True) as connection:
            connection.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


# The cluster ---------------------------------------------------------------------------------


class Cluster:
    """N workers on one database and one Redis, behind nginx (see the module)."""

    def __init__(
        self,
        folder: Path,
        database_url: str,
        redis_url: str,
        workers: int = 2,
        *,
        email: str = "facilitator@example.org",
        password: str | None = None,
        nginx_processes: int = 1,
        nginx_connections: int = 4096,
        health_timeout: float = 30.0,
        **environment: str,
    ):
        if workers < 1:
            raise ValueError("a cluster needs at least one worker")
        self.folder = Path(folder)
        self.database_url, self.redis_url = database_url, redis_url
        self.nginx = nginx_binary()  # before anything starts: a clear error, nothing to undo
        self.email = email
        self.password = password or secrets.token_urlsafe(16)
        self.channel = f"facilitation-test-{secrets.token_hex(4)}"
        self.port = free_port()
        self.nginx_processes = nginx_processes
        self.nginx_connections = nginx_connections
        secret_key = secrets.token_urlsafe(32)
        self.workers: list[AppServer] = []
        for number in range(workers):
            env = app_environment(
                self.folder / f"worker{number}",
                port=free_port(),
                database_url=database_url,
                secret_key=secret_key,
                SOCKETIO_MESSAGE_QUEUE=redis_url,
                SOCKETIO_CHANNEL=self.channel,
                TRUSTED_PROXIES="1",
                **environment,
            )
            self.workers.append(
                AppServer(
                    env,
                    log_dir=self.folder / "logs",
                    name=f"worker{number}",
                    health_timeout=health_timeout,
                )
            )
        self.nginx_process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        """nginx: what phones, browsers and the console use."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def env(self) -> dict[str, str]:
        """Environment for ``flask`` commands on the cluster's database."""
        return self.workers[0].env

    @property
    def nginx_folder(self) -> Path:
        return self.folder / "nginx"

    def start(self) -> Cluster:
        try:
            flask_cli(self.env, "db", "upgrade")
            with ThreadPoolExecutor(len(self.workers)) as pool:
                for future in [pool.submit(worker.start) for worker in self.workers]:
                    future.result()
            create_facilitator(self.env, self.email, self.password)
            self._start_nginx()
        except BaseException:
            self.stop()
            raise
        return self

    def kill(self, number: int) -> None:
        """SIGKILL worker NUMBER, as a crash or the OOM killer would: no goodbye."""
        process = self.workers[number].process
        if process is None or process.poll() is not None:
            raise ClusterError(f"worker{number} is not running")
        process.kill()
        process.wait(timeout=10)

    def start_worker(self, number: int) -> AppServer:
        """Start worker NUMBER again (same port, database, queue and key)."""
        return self.workers[number].start()

    def stop(self) -> None:
        process, self.nginx_process = self.nginx_process, None
        if process is not None and process.poll() is None:
            process.terminate()  # nginx's fast shutdown
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        for worker in self.workers:
            worker.stop()

    def nginx_output(self) -> str:
        log = self.nginx_folder / "logs" / "error.log"
        text = log.read_text(errors="replace") if log.exists() else "(no error log)"
        return f"--- nginx error.log ---\n{text[-6000:]}"

    def output(self) -> str:
        """Every worker's output and nginx's errors, for a failing test's message."""
        return "\n".join([*(worker.output() for worker in self.workers), self.nginx_output()])

    def _start_nginx(self) -> None:
        site = render_site(
            SITE_CONFIG.read_text(),
            [worker.port for worker in self.workers],
            self.port,
            reuseport=self.nginx_processes > 1,
        )
        folder = self.nginx_folder
        folder.mkdir(parents=True, exist_ok=True)
        config = folder / "nginx.conf"
        config.write_text(
            nginx_config(
                folder, site, processes=self.nginx_processes, connections=self.nginx_connections
            )
        )
        # -e: even before reading the config, log to the folder, not /var/log/nginx.
        error_log = str(folder / "logs" / "error.log")
        command = [self.nginx, "-p", str(folder), "-e", error_log, "-c", str(config)]
        checked = subprocess.run([*command, "-t"], capture_output=True, text=True, timeout=30)
        command += ["-g", "daemon off;"]
        if checked.returncode != 0:
            raise ClusterError(f"nginx -t rejected {config}:\n{checked.stderr}")
        with open(folder / "logs" / "stderr.log", "a") as stderr:
            self.nginx_process = subprocess.Popen(
                command, stdin=subprocess.DEVNULL, stdout=stderr, stderr=stderr
            )
        deadline = time.monotonic() + 15
        while True:
            if self.nginx_process.poll() is not None:
                raise ClusterError(
                    f"nginx exited with code {self.nginx_process.returncode}\n"
                    + self.nginx_output()
                )
            try:
                if _get(f"{self.url}/healthz") == 200:
                    return
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise ClusterError(f"{self.url}/healthz not healthy through nginx after 15 s")
            time.sleep(0.1)

    def __enter__(self) -> Cluster:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()
