"""The address the room is shown (facilitation/public_url.py) and what ``make room`` prints
(facilitation/server/room.py): never 127.0.0.1 when the room cannot reach it."""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from facilitation import config, proxy, public_url
from facilitation.auth import create_facilitator
from facilitation.server import room
from facilitation.workshop.identity import screen_key
from tests.factories import log_in, session_of
from tests.support.server import ROOT, app_environment, free_port, wait_healthy

LAN = "192.168.1.23"
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def lan(monkeypatch):
    """This machine on a room's Wi-Fi, whatever the test machine's network is."""
    monkeypatch.setattr(public_url, "lan_address", lambda: LAN)
    monkeypatch.setattr(room, "lan_address", lambda: LAN)


@pytest.fixture
def hosting(app, lan):
    """A laptop hosting the room: the server listens beyond loopback (make room)."""
    app.config["HOST"] = "0.0.0.0"
    return app


def join_url_seen(app, base_url: str, **headers) -> str:
    with app.test_request_context(base_url=base_url, headers=headers):
        return public_url.public_url_for("participant.join", code="ABCDEF")


# Which address wins ---------------------------------------------------------------------


def test_public_url_wins_over_every_host(hosting):
    hosting.config["PUBLIC_URL"] = "https://workshop.example.org"
    hosting.config["TRUSTED_PROXIES"] = 1
    for base in ("http://127.0.0.1:5000", "http://10.0.0.7:5000"):
        seen = join_url_seen(hosting, base, **{"X-Forwarded-Host": "proxy.example.org"})
        assert seen == "https://workshop.example.org/j/ABCDEF"


@pytest.mark.parametrize(
    "base", ["http://127.0.0.1:5000", "http://localhost:5000", "http://[::1]:5000"]
)
def test_a_loopback_host_becomes_the_lan_address_with_the_same_port(hosting, base):
    assert join_url_seen(hosting, base) == f"http://{LAN}:5000/j/ABCDEF"


@pytest.mark.parametrize("base", ["http://0.0.0.0:5000", "http://[::]:5000"])
def test_the_any_address_becomes_the_lan_address(hosting, base):
    # make room says it listens on 0.0.0.0:5000, and browsers open that address on this
    # machine; no phone can.
    assert join_url_seen(hosting, base) == f"http://{LAN}:5000/j/ABCDEF"


def test_a_loopback_host_without_a_port_becomes_the_bare_lan_address(hosting):
    assert join_url_seen(hosting, "http://localhost") == f"http://{LAN}/j/ABCDEF"


@pytest.mark.parametrize("base", ["http://10.0.0.7:5000", "http://workshop.local", "https://a.org"])
def test_a_host_the_room_can_reach_is_kept(hosting, base):
    assert join_url_seen(hosting, base) == f"{base}/j/ABCDEF"


def test_a_server_on_loopback_only_keeps_the_loopback_host(app, lan):
    # make run: phones could not open the LAN address either, so none is made up.
    assert app.config["HOST"] == "127.0.0.1"
    assert join_url_seen(app, "http://127.0.0.1:5000") == "http://127.0.0.1:5000/j/ABCDEF"


def test_without_a_network_the_loopback_host_is_kept(hosting, monkeypatch):
    monkeypatch.setattr(public_url, "lan_address", lambda: None)
    assert join_url_seen(hosting, "http://127.0.0.1:5000") == "http://127.0.0.1:5000/j/ABCDEF"


def test_the_forwarded_host_of_a_trusted_proxy_is_used(hosting, workshop):
    hosting.config["TRUSTED_PROXIES"] = 1
    proxy.init_app(hosting)  # as create_app does with TRUSTED_PROXIES=1
    headers = {"X-Forwarded-Host": "forged.example, room.example.org", "X-Forwarded-Proto": "https"}
    # Through the app's WSGI stack (proxy.py's ProxyFix gives the https scheme).
    with hosting.test_client() as client:
        response = client.get(
            f"/s/{workshop.code}/qr.svg", base_url="http://127.0.0.1:5000", headers=headers
        )
    title = ET.fromstring(response.data).find(f"{SVG}title").text
    assert title == f"QR code for https://room.example.org/j/{workshop.code}"


@pytest.mark.parametrize(
    "forged",
    ["a@evil.example", "user:pw@evil.example", "evil.example/x?", "evil.example#", "a b"]
    + ["x:99999", "[not:an:address]"],
)
def test_a_forwarded_host_that_is_not_a_host_is_ignored(hosting, forged):
    # Only a host[:port] may become the room's address: with userinfo, a path or a fragment
    # the QR code would open another site (http://a@evil.example/j/...).
    hosting.config["TRUSTED_PROXIES"] = 1
    seen = join_url_seen(hosting, "http://10.0.0.7:5000", **{"X-Forwarded-Host": forged})
    assert seen == "http://10.0.0.7:5000/j/ABCDEF"


def test_the_forwarded_host_is_ignored_without_a_trusted_proxy(hosting):
    seen = join_url_seen(hosting, "http://10.0.0.7:5000", **{"X-Forwarded-Host": "evil.example"})
    assert seen == "http://10.0.0.7:5000/j/ABCDEF"


# The LAN lookup -------------------------------------------------------------------------


class NoRoute:
    """A UDP socket on a machine with no route out (offline laptop)."""

    def __init__(self, *args):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        return False

    def connect(self, address):
        raise OSError("Network is unreachable")


def test_the_lan_lookup_falls_back_to_the_host_name(monkeypatch):
    monkeypatch.setattr(socket, "socket", NoRoute)
    monkeypatch.setattr(socket, "gethostbyname_ex", lambda name: (name, [], ["127.0.1.1", LAN]))
    assert public_url.lan_address() == LAN


def test_the_lan_lookup_never_answers_loopback(monkeypatch):
    monkeypatch.setattr(socket, "socket", NoRoute)
    monkeypatch.setattr(socket, "gethostbyname_ex", lambda name: (name, [], ["127.0.1.1"]))
    assert public_url.lan_address() is None


def test_the_lan_lookup_on_this_machine_gives_an_ipv4_address_or_none():
    found = public_url.lan_address()
    assert found is None or (not public_url.is_loopback(found) and found.count(".") == 3)


# PUBLIC_URL as configured ----------------------------------------------------------------


def test_public_url_setting_is_a_scheme_and_host():
    assert config.public_url("") is None
    assert config.public_url("https://workshop.example.org/") == "https://workshop.example.org"
    assert config.public_url(" http://192.168.1.5:5000 ") == "http://192.168.1.5:5000"
    for wrong in ("workshop.example.org", "ftp://example.org", "https://example.org/app"):
        with pytest.raises(ValueError, match="PUBLIC_URL"):
            config.public_url(wrong)


# The projector and the console ------------------------------------------------------------


def test_the_projector_shows_the_lan_address_to_a_browser_on_loopback(hosting, workshop):
    with hosting.test_request_context():
        key = screen_key(session_of(hosting, workshop.code))
    client = hosting.test_client()
    base = "http://127.0.0.1:5000"
    page = client.get(f"/s/{workshop.code}/screen?key={key}", base_url=base).get_data(as_text=True)
    assert f'data-join-url="http://{LAN}:5000/j/{workshop.code}"' in page
    assert f'data-join-address="{LAN}:5000"' in page
    assert f'<p class="join-address">{LAN}:5000</p>' in page
    assert "127.0.0.1" not in page
    svg = client.get(f"/s/{workshop.code}/qr.svg", base_url=base).data
    title = ET.fromstring(svg).find(f"{SVG}title").text
    assert title == f"QR code for http://{LAN}:5000/j/{workshop.code}"


def test_the_console_shows_the_lan_address_to_a_browser_on_loopback(hosting, workshop):
    with workshop.db() as db:
        account = create_facilitator(db, "console-owner@example.org", "a-long-password")
    client = hosting.test_client()
    log_in(hosting, client, account.id)
    page = client.get(
        f"/facilitator/sessions/{workshop.code}", base_url="http://localhost:5000"
    ).get_data(as_text=True)
    link = re.search(r'<a class="join-link" href="([^"]+)"[^>]*>(.*?)</a>', page, re.S)
    assert link and link[1] == f"http://{LAN}:5000/j/{workshop.code}"
    assert re.sub(r"<[^>]+>", "", link[2]) == link[1]  # the words, as the link goes
    assert f"or go to http://{LAN}:5000/ and type the code" in page
    assert "localhost:5000" not in page


# make room --------------------------------------------------------------------------------


def test_make_room_prints_the_lan_address_and_its_qr_code(lan):
    banner = room.room_banner("0.0.0.0", 5000, None)
    url = f"http://{LAN}:5000/"
    assert banner.startswith(f"Phones join at {url}\n")
    assert room.terminal_qr(url) in banner
    assert "█" in room.terminal_qr(url) or "▀" in room.terminal_qr(url)
    assert "Warning" not in banner


def test_make_room_says_so_when_only_this_computer_can_open_it(monkeypatch):
    monkeypatch.setattr(room, "lan_address", lambda: None)
    banner = room.room_banner("0.0.0.0", 5000, None)
    assert banner.startswith("Phones join at http://127.0.0.1:5000/\n")
    assert "Warning: No network address found" in banner
    banner = room.room_banner("127.0.0.1", 5000, None)
    assert "Warning: HOST=127.0.0.1 listens on this computer only" in banner


@pytest.mark.parametrize(
    ("host", "url"),
    [("192.168.5.10", "http://192.168.5.10:5000/"), ("fd00::5", "http://[fd00::5]:5000/")],
)
def test_make_room_prints_the_one_address_it_listens_on(lan, host, url):
    # HOST names one interface (a laptop on two networks): phones reach that one only,
    # not the interface the default route happens to use.
    assert room.room_address(host, 5000, None) == (url, None)


def test_make_room_prints_public_url_when_set(lan):
    banner = room.room_banner("0.0.0.0", 5000, "https://workshop.example.org")
    assert banner.startswith("Phones join at https://workshop.example.org/\n")


def test_python_m_facilitation_room_prints_the_banner_then_serves(tmp_path, migrated_db):
    # The real start path of make room, on loopback with PUBLIC_URL so the output is known.
    port = free_port()
    env = app_environment(tmp_path, port=port, PUBLIC_URL=f"http://room.test:{port}")
    shutil.copy(migrated_db, tmp_path / "app.db")
    log = tmp_path / "stdout.log"
    with open(log, "w") as stdout:
        process = subprocess.Popen(
            [sys.executable, "-m", "facilitation", "--room"],
            env=env,
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            stdout=stdout,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_healthy(f"http://127.0.0.1:{port}", process=process)
    finally:
        process.terminate()
        process.wait(timeout=10)
    output = log.read_text()
    assert f"Phones join at http://room.test:{port}/\n" in output
    assert room.terminal_qr(f"http://room.test:{port}/") in output
