"""The JSON module Socket.IO packets are read with: engine.io's (which already refuses
integers of more than 100 digits), except that a packet that cannot be read becomes an
event without a name, which ``event_guard`` drops silently.

python-socketio decodes a packet outside any handler and does not catch what the decoder
raises: a packet of invalid JSON, or nested deeper than Python's JSON reader recurses
(about 1,000 levels; a 64 KB packet can nest 32,000), reached engine.io's catch-all,
which logged a traceback for every such packet a client sent.
"""

from __future__ import annotations

from engineio import json as _engineio_json

dumps = _engineio_json.dumps
# What an unreadable packet reads as: an event whose name is not text (never dispatched),
# or, for a CONNECT packet, auth that is not an object (the connection is refused).
UNREADABLE = [None]


def loads(*args, **kwargs):
    try:
        return _engineio_json.loads(*args, **kwargs)
    except (ValueError, RecursionError):
        return list(UNREADABLE)
