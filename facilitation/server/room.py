"""``make room`` (``python -m facilitation --room``): a laptop hosts the workshop room.

The server listens on every interface (``HOST=0.0.0.0``) and the terminal shows the address
phones can reach, with its QR code, so the facilitator can check it before the projector
is even plugged in.
"""

from __future__ import annotations

import io
import ipaddress

import segno

from ..public_url import is_loopback, lan_address

ROOM_HOST = "0.0.0.0"


def room_address(host: str, port: int, public_url: str | None) -> tuple[str, str | None]:
    """The address phones open, and a warning when it will not reach them (else None)."""
    if public_url:
        return f"{public_url}/", None
    if is_loopback(host.strip("[]")):
        return (
            f"http://127.0.0.1:{port}/",
            f"HOST={host} listens on this computer only: phones cannot reach it. "
            f"Unset HOST (make room listens on {ROOM_HOST}).",
        )
    named = _one_interface(host)
    if named is not None:
        return f"http://{named}:{port}/", None
    lan = lan_address()
    if lan is None:
        return (
            f"http://127.0.0.1:{port}/",
            "No network address found, so only this computer can open the app: "
            "join the room's Wi-Fi (or start a hotspot) and run make room again.",
        )
    return f"http://{lan}:{port}/", None


def _one_interface(host: str) -> str | None:
    """HOST as a URL's host when it names one interface (not the any-address), else None:
    the server listens there only, so that is the address phones must open."""
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None
    if address.is_unspecified:
        return None
    return f"[{address}]" if address.version == 6 else str(address)


def terminal_qr(url: str) -> str:
    """URL's QR code drawn in the terminal (two modules per character cell)."""
    out = io.StringIO()
    segno.make(url, error="m", micro=False).terminal(out=out, compact=True)
    return out.getvalue()


def room_banner(host: str, port: int, public_url: str | None) -> str:
    """What ``make room`` prints: the address phones open, its QR code, any warning."""
    url, warning = room_address(host, port, public_url)
    lines = [f"Phones join at {url}", "", terminal_qr(url)]
    if warning:
        lines.append(f"Warning: {warning}")
    else:
        lines.append(
            "The projector and console show this address, even to a browser on "
            f"http://127.0.0.1:{port}/ (listening on {host}:{port})."
        )
    return "\n".join(lines)
