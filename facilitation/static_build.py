"""Minified copies of the static scripts and style sheets, made by ``make``.

The phone's first load goes over a venue's Wi-Fi: its scripts and style sheet, gzipped,
were 52 KB, half of it comments and long names that help the next engineer and no phone.
esbuild (the field's standard, from npm like ESLint) writes a minified copy of each file,
module by module, imports untouched, into ``static/vendor/min/`` with ``sources.json``: the
sha256 of each source it was made from. The app serves a copy only while its source is
unchanged (static_assets.py), so a file edited since the last ``make`` is served as it is,
never a stale copy of it.

    python -m facilitation.static_build [ESBUILD]     # make vendor runs it
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STATIC = ROOT / "static"
# Inside the static folder, where make's other copies go; never committed (.gitignore).
OUTPUT = "vendor/min"
SOURCES = "sources.json"
MINIFIED_SUFFIXES = (".js", ".css")
ESBUILD = ROOT / "node_modules" / ".bin" / "esbuild"


def sources(static: Path) -> list[str]:
    """The scripts and style sheets of STATIC to minify: ours, not vendor/ (copied from npm,
    minified already)."""
    found = []
    for path in sorted(static.rglob("*")):
        name = path.relative_to(static).as_posix()
        if path.is_file() and path.suffix in MINIFIED_SUFFIXES and not name.startswith("vendor/"):
            found.append(name)
    return found


def digest(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def build(static: Path = STATIC, esbuild: Path = ESBUILD) -> dict[str, str]:
    """Minify every source of STATIC into STATIC/vendor/min/ and record what each copy was
    made from; returns that record (name -> sha256 of the source)."""
    names = sources(static)
    bodies = {name: (static / name).read_bytes() for name in names}
    output = static / OUTPUT
    # Into a fresh folder, then moved in whole: a server starting meanwhile reads the old
    # copies with the old record, or the new with the new, never a mix.
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=output.parent, prefix=".min-") as temporary:
        fresh = Path(temporary) / "min"
        subprocess.run(
            [
                str(esbuild),
                *names,
                "--minify",
                "--charset=utf8",
                "--log-level=warning",
                f"--outdir={fresh}",
                "--outbase=.",
            ],
            cwd=static,
            check=True,
            timeout=120,
        )
        made = {name: digest(bodies[name]) for name in names if (fresh / name).is_file()}
        (fresh / SOURCES).write_text(json.dumps(made, indent=1, sort_keys=True) + "\n")
        old = output.with_name(".min-old")
        if output.exists():
            os.replace(output, old)
        os.replace(fresh, output)
        if old.exists():
            _remove(old)
    return made


def _remove(folder: Path) -> None:
    for path in sorted(folder.rglob("*"), reverse=True):
        path.rmdir() if path.is_dir() else path.unlink()
    folder.rmdir()


def minified(static: Path) -> dict[str, bytes]:
    """The minified copy of each source of STATIC whose source is the one it was made from
    (none where ``make`` has not built them)."""
    output = static / OUTPUT
    try:
        record = json.loads((output / SOURCES).read_text())
    except (OSError, ValueError):
        return {}
    copies = {}
    for name, source_digest in record.items():
        try:
            if digest((static / name).read_bytes()) == source_digest:
                copies[name] = (output / name).read_bytes()
        except OSError:
            continue
    return copies


def main(argv: list[str]) -> int:
    esbuild = Path(argv[0]) if argv else ESBUILD
    made = build(STATIC, esbuild)
    print(f"minified {len(made)} files into static/{OUTPUT}/")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
