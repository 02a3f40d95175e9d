"""The zip is streamed: bytes leave while the files are still being produced, and the
result is a valid archive (entries with data descriptors, ZIP64)."""

from __future__ import annotations

import io
import os
import zipfile

from facilitation.exports.bundle import zip_stream


def test_the_zip_streams_as_it_is_made():
    produced = []

    def big_file():
        for index in range(64):
            produced.append(index)
            yield os.urandom(32 * 1024)  # incompressible: the zip grows as it goes

    stream = zip_stream([("big.bin", big_file()), ("small.csv", iter(["a,b\r\n", "1,2\r\n"]))])
    first = next(stream)
    assert first.startswith(b"PK\x03\x04") and len(produced) < 64  # sent before the end
    chunks = [first, *stream]
    assert len(chunks) > 10 and max(len(c) for c in chunks) < 1024 * 1024
    archive = zipfile.ZipFile(io.BytesIO(b"".join(chunks)))
    assert archive.testzip() is None
    assert archive.namelist() == ["big.bin", "small.csv"]
    assert archive.getinfo("big.bin").file_size == 64 * 32 * 1024
    assert archive.read("small.csv") == b"a,b\r\n1,2\r\n"
