"""deploy/nginx/facilitation.conf, as tests/support/cluster.py renders it for test
workers: same site, the test's ports, no TLS; nginx itself accepts the result."""

from __future__ import annotations

import re
import subprocess
import time
import urllib.error
import urllib.request

import pytest

from tests import services
from tests.support.cluster import (
    SITE_CONFIG,
    ClusterError,
    nginx_binary,
    nginx_config,
    render_site,
    top_level_blocks,
)
from tests.support.server import free_port


def test_the_shipped_site_has_sticky_upstreams_websockets_and_tls():
    site = SITE_CONFIG.read_text()
    blocks = top_level_blocks(site)
    kinds = [block.split()[0] for block in blocks]
    assert kinds == ["map", "map", "upstream", "server", "server"]
    assert re.search(r"hash \$facilitation_route consistent;", site)
    assert re.search(r"map \$cookie_route \$facilitation_route", site)
    assert "proxy_next_upstream error timeout;" in site
    assert "proxy_set_header Upgrade $http_upgrade;" in site
    assert re.findall(r"server 127\.0\.0\.1:(\d+)", site) == ["5001", "5002"]
    assert "listen 443 ssl;" in site and "return 301 https://" in site


def test_the_shipped_site_sets_the_forwarded_host_itself():
    # The app trusts X-Forwarded-Host from TRUSTED_PROXIES (public_url.py): nginx must
    # replace whatever a client sent, or any client could pick the room's join address.
    site = SITE_CONFIG.read_text()
    assert "proxy_set_header X-Forwarded-Host $http_host;" in site


def test_rendering_swaps_ports_and_drops_tls():
    rendered = render_site(SITE_CONFIG.read_text(), [41001, 41002, 41003], 42000)
    assert re.findall(r"server 127\.0\.0\.1:(\d+)", rendered) == ["41001", "41002", "41003"]
    assert re.findall(r"listen (\S+);", rendered) == ["127.0.0.1:42000"]
    assert "ssl" not in rendered and "return 301" not in rendered
    # What makes the cluster behave like production is kept as shipped.
    for line in (
        "hash $facilitation_route consistent;",
        "proxy_next_upstream error timeout;",
        "proxy_set_header Connection $connection_upgrade;",
        "proxy_read_timeout 1h;",
        "client_max_body_size 1m;",
    ):
        assert line in rendered


def test_a_site_the_renderer_does_not_understand_is_refused():
    with pytest.raises(ClusterError, match="unbalanced"):
        top_level_blocks("upstream x {\n server 127.0.0.1:1;\n")
    with pytest.raises(ClusterError, match="no server"):
        render_site("upstream x {\n keepalive 2;\n}\nserver {\n listen 80;\n}\n", [1], 2)


def test_nginx_accepts_the_rendered_config(tmp_path):
    try:
        nginx = nginx_binary()
    except ClusterError as error:
        services.unavailable(str(error))
    site = render_site(SITE_CONFIG.read_text(), [41001, 41002], 42000)
    config = tmp_path / "nginx.conf"
    config.write_text(nginx_config(tmp_path, site, processes=1, connections=64))
    checked = subprocess.run(
        [nginx, "-p", str(tmp_path), "-c", str(config), "-t"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert checked.returncode == 0, checked.stderr


HSTS = re.compile(r'add_header Strict-Transport-Security "max-age=(\d+)" always;')
ONE_YEAR = 365 * 24 * 3600


def test_only_the_https_server_sends_strict_transport_security():
    """HSTS on the TLS server, for at least a year, this host only; never on port 80
    (browsers ignore it over plain HTTP, where anyone on the path could forge it)."""
    blocks = top_level_blocks(SITE_CONFIG.read_text())
    redirect, tls = (block for block in blocks if block.startswith("server"))
    assert "listen 80;" in redirect and "Strict-Transport-Security" not in redirect
    assert "listen 443 ssl;" in tls
    (max_age,) = HSTS.findall(tls)
    assert int(max_age) >= ONE_YEAR
    assert "includeSubDomains" not in tls and "preload" not in tls
    # A location with its own add_header would silently drop the server's.
    assert tls.count("add_header") == 1
    rendered = render_site(SITE_CONFIG.read_text(), [41001, 41002], 42000)
    assert HSTS.search(rendered)


def test_nginx_sends_strict_transport_security_even_on_an_error_page(tmp_path):
    """The rendered site, run by nginx with no worker behind it: its 502 carries the header."""
    try:
        nginx = nginx_binary()
    except ClusterError as error:
        services.unavailable(str(error))
    port = free_port()
    site = render_site(SITE_CONFIG.read_text(), [free_port()], port)
    config = tmp_path / "nginx.conf"
    config.write_text(nginx_config(tmp_path, site, processes=1, connections=64))
    error_log = str(tmp_path / "logs" / "error.log")
    server = subprocess.Popen(
        [nginx, "-p", str(tmp_path), "-e", error_log, "-c", str(config), "-g", "daemon off;"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 15
        answer = None
        while answer is None:
            assert server.poll() is None, (tmp_path / "logs" / "error.log").read_text()
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)
            except urllib.error.HTTPError as error:  # the answer we want: a 502
                answer = error
            except OSError:
                assert time.monotonic() < deadline, "nginx did not start listening"
                time.sleep(0.1)
        assert answer.code == 502
        assert answer.headers["Strict-Transport-Security"] == f"max-age={ONE_YEAR}"
    finally:
        server.terminate()
        server.wait(timeout=10)
