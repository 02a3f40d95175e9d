"""Pages gzipped by the app, for phones on a venue's Wi-Fi.

The phone page is some 33 KB of HTML (its import map, the plan's text for the phone), 7 KB
gzipped. Behind nginx, nginx could compress it, but ``make room`` serves a workshop from a
laptop with no proxy in front, on exactly the Wi-Fi this is for; nginx leaves a response
that is already encoded alone, so compressing here serves both. Level 4: within 3 % of
the size level 6 gives, at 0.16 ms instead of 0.39 ms for the phone page (measured in
docs/benchmarks.md's join figures).

Static files are not compressed here: they are gzipped once at start (static_assets.py).
docs/deployment.md says why compressing a page that holds a secret is acceptable here.
"""

from __future__ import annotations

import gzip

from flask import Flask, Response, request

LEVEL = 4
# Below this the gzip framing and the headers cost about what they save.
MIN_SIZE = 1024
COMPRESSED_TYPES = {"text/html"}


def compress(response: Response) -> Response:
    """RESPONSE gzipped when it is a whole page the browser accepts gzipped."""
    if (
        response.mimetype not in COMPRESSED_TYPES
        or response.direct_passthrough
        or response.is_streamed
        or "Content-Encoding" in response.headers
        or response.status_code < 200
        or response.status_code in (204, 304)
    ):
        return response
    response.vary.add("Accept-Encoding")
    if request.accept_encodings["gzip"] <= 0:
        return response
    body = response.get_data()
    if len(body) < MIN_SIZE:
        return response
    response.set_data(gzip.compress(body, LEVEL, mtime=0))
    response.content_encoding = "gzip"
    if response.headers.get("ETag"):  # the compressed body is another representation
        etag, weak = response.get_etag()
        response.set_etag(f"{etag}-gz", weak=weak)
    return response


def init_app(app: Flask) -> None:
    app.after_request(compress)
