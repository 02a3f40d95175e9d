"""The zip of every export for a session or a series, streamed as it is made.

``zipfile`` writes into a sink that is not seekable: each entry's sizes and CRC then follow
its data (a "data descriptor"), so nothing needs to be rewritten afterwards, and the bytes
compressed so far are handed on after each chunk. Peak memory is one chunk of one file plus
the zip's directory, however long the session: no temporary file, and the first bytes reach
the browser at once. (Unlike a SpooledTemporaryFile, which would hold or write the whole
zip before sending any of it.) Every unzip tool reads data descriptors; entries are
written as ZIP64 so none is limited to 4 GB.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator

from sqlalchemy.orm import Session

from .. import clock
from .common import as_sessions


class _Sink(io.RawIOBase):
    """A write-only, unseekable stream whose written bytes are collected by ``take``."""

    def __init__(self):
        self._parts: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self._parts.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        data = b"".join(self._parts)
        self._parts.clear()
        return data


def _entries(db: Session, sessions) -> Iterator[tuple[str, Iterable[str | bytes]]]:
    from .formats import bundled

    for entry in bundled(db, sessions):
        yield entry.filename, entry.produce(db, sessions)


def zip_stream(files: Iterable[tuple[str, Iterable[str | bytes]]]) -> Iterator[bytes]:
    """Zip ``(name, chunks)`` pairs into a stream of bytes, one file after another."""
    sink = _Sink()
    stamp = clock.now().timetuple()[:6]
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, chunks in files:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            with archive.open(info, "w", force_zip64=True) as member:
                for chunk in chunks:
                    member.write(chunk.encode("utf-8") if isinstance(chunk, str) else chunk)
                    data = sink.take()
                    if data:
                        yield data
            data = sink.take()
            if data:
                yield data
    yield sink.take()


def bundle_zip(db: Session, sessions) -> Iterator[bytes]:
    """Everything for ``sessions`` in one zip: the transcript, the tables, the Data Package,
    and the report and REFI-QDA project (every format in the registry marked for it)."""
    return zip_stream(_entries(db, as_sessions(sessions)))
