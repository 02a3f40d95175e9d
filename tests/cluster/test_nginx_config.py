"""deploy/nginx/facilitation.conf, as tests/support/cluster.py renders it for test
workers: same site, the test's ports, no TLS; nginx itself accepts the result."""

from __future__ import annotations

import re
import subprocess

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
