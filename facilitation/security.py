"""Response headers that keep every page to its own origin.

No inline script and no third-party origin: the Content Security Policy makes a stray
``<script>`` in participant text inert even if escaping were ever missed. Plotly adds
its chart styles at run time, hence ``'unsafe-inline'`` for styles only. The one inline
block a page may hold is its import map (static_assets.py), allowed by its sha256: that
text and no other.
"""

from __future__ import annotations

from flask import Flask, Response, request

from .static_assets import inline_script_sources

SCRIPT_SRC = "script-src 'self'"
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        SCRIPT_SRC,
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self'",
        "connect-src 'self'",
        "worker-src 'self'",  # the phone's service worker (participant/offline.py)
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
# A script, a style sheet or a picture is never a document: the rest of HEADERS speaks to
# documents only, and would cost some 400 bytes on each of the phone's static files over
# a venue's Wi-Fi. An SVG file opened by itself is a document that may hold script.
ASSET_HEADERS = {"X-Content-Type-Options": "nosniff"}
DOCUMENT_TYPES = {"text/html", "image/svg+xml", "application/xhtml+xml", "text/xml"}


def headers_for(response: Response) -> dict[str, str]:
    """What a response is sent of HEADERS: all of them, but to a static file that cannot be
    a document."""
    if request.endpoint == "static" and response.mimetype not in DOCUMENT_TYPES:
        return ASSET_HEADERS
    return HEADERS


def init_app(app: Flask) -> None:
    @app.after_request
    def _secure_headers(response: Response) -> Response:
        for name, value in headers_for(response).items():
            response.headers.setdefault(name, value)
        hashes = inline_script_sources()
        policy = response.headers.get("Content-Security-Policy", "")
        if hashes and SCRIPT_SRC in policy.split("; "):
            allowed = " ".join([SCRIPT_SRC, *hashes])
            response.headers["Content-Security-Policy"] = policy.replace(SCRIPT_SRC, allowed, 1)
        return response
