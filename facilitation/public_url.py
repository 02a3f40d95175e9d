"""The address the room is shown: on the projector, in its QR code and in the console.

The facilitator's own browser often opens the app as ``127.0.0.1:5000`` on the laptop
that hosts it, an address no phone can reach. So the links the room is given are not
built from the request's host alone:

1. ``PUBLIC_URL`` (configuration), when set: the operator knows best.
2. Behind a trusted proxy (``TRUSTED_PROXIES``, as in proxy.py), its ``X-Forwarded-Host``,
   when it is a host[:port] (deploy/nginx/facilitation.conf sets it, replacing a client's).
3. A loopback host (``localhost``, ``127.0.0.1``, ``::1``), or the any-address
   (``0.0.0.0``, ``::``) a browser on this machine can open, on a server that listens beyond
   loopback (``HOST``, as ``make room`` sets it): the machine's LAN address, same port.
   A server on loopback only keeps the loopback host: no other address would reach it.
4. Otherwise the request's host, as the browser typed it.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from urllib.parse import urlsplit

from flask import current_app, request, url_for

# Any private address will do: connecting a UDP socket only picks the outgoing route and
# interface, without sending a packet.
ROUTE_PROBE = ("10.255.255.255", 1)
# A forwarded host as the room may be given it: a DNS name or IPv4 address, or an IPv6
# literal in brackets, and an optional port.
HOST_PORT = re.compile(
    r"(?:(?P<name>[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?)|\[(?P<ipv6>[0-9A-Fa-f:.]+)\])"
    r"(?::(?P<port>[0-9]{1,5}))?"
)


def is_loopback(host: str) -> bool:
    """Whether HOST (a name or address, no port, no brackets) only reaches this machine."""
    host = host.lower().rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _usable(address: str) -> bool:
    return bool(address) and address != "0.0.0.0" and not is_loopback(address)


def lan_address() -> str | None:
    """This machine's IPv4 address on the network its traffic goes out on, or None when it
    has no address but loopback (no network)."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(ROUTE_PROBE)
            address = probe.getsockname()[0]
        if _usable(address):
            return address
    except OSError:
        pass  # no route at all (offline): the host name may still resolve to an interface
    try:
        addresses = socket.gethostbyname_ex(socket.gethostname())[2]
    except OSError:
        return None
    return next((address for address in addresses if _usable(address)), None)


def _forwarded_host() -> str | None:
    """The host the client asked the trusted proxy for, as ProxyFix reads forwarded values:
    with N proxies the Nth value from the right (those further left could be forged)."""
    proxies = current_app.config.get("TRUSTED_PROXIES", 0)
    header = request.headers.get("X-Forwarded-Host", "")
    if not proxies or not header:
        return None
    values = header.split(",")
    if len(values) < proxies:
        return None
    host = values[-proxies].strip()
    # Only a host[:port] becomes the room's address: userinfo, a path or a fragment would
    # send the QR code elsewhere (http://a@evil.example/j/...).
    return host if _is_host(host) else None


def _is_host(value: str) -> bool:
    """Whether VALUE is ``name[:port]``, ``ipv4[:port]`` or ``[ipv6][:port]``."""
    match = HOST_PORT.fullmatch(value)
    if match is None:
        return False
    port = match.group("port")
    if port is not None and not 0 < int(port) < 65536:
        return False
    literal = match.group("ipv6")
    if literal is None:
        return True
    try:
        ipaddress.IPv6Address(literal)
    except ValueError:
        return False
    return True


def _only_this_machine(host: str) -> bool:
    """Loopback, or the any-address (0.0.0.0, ::) a browser on this machine may open: no
    phone reaches either."""
    try:
        if ipaddress.ip_address(host).is_unspecified:
            return True
    except ValueError:
        pass
    return is_loopback(host)


def _listens_beyond_loopback() -> bool:
    host = (current_app.config.get("HOST") or "127.0.0.1").strip("[]")
    return not is_loopback(host)


def public_base_url() -> str:
    """``scheme://host[:port]`` of the address the room is given (see the module)."""
    configured = current_app.config.get("PUBLIC_URL")
    if configured:
        return configured
    host = _forwarded_host() or request.host
    hostname = urlsplit(f"//{host}").hostname
    if hostname and _only_this_machine(hostname) and _listens_beyond_loopback():
        lan = lan_address()
        if lan:
            host = lan + _port_suffix(host)
    return f"{request.scheme}://{host}"


def _port_suffix(host: str) -> str:
    """``:PORT`` of HOST (``127.0.0.1:5000``, ``[::1]:5000``), or "" when it has none."""
    head, colon, port = host.rpartition(":")
    if colon and port.isdigit() and (head.endswith("]") or ":" not in head):
        return f":{port}"
    return ""


def public_url_for(endpoint: str, **values) -> str:
    """The absolute address of ENDPOINT as the room should open it."""
    return public_base_url() + url_for(endpoint, **values)


def public_address() -> str:
    """The site's address as a person types it: no scheme, no trailing slash."""
    return public_url_for("participant.home").split("://", 1)[1].rstrip("/")
