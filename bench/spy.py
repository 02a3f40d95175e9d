"""py-spy on server processes while a benchmark measures a phase of its own: raw folded
stacks (one line a stack, its count last) that flamegraph tools and ``sort | head`` read.
py-spy is pinned in requirements-test.txt (``make install-test``)."""

from __future__ import annotations

import contextlib
import subprocess
import sys
from pathlib import Path


@contextlib.contextmanager
def recording(outputs: dict[Path, int], rate: int = 50):
    """py-spy each process of OUTPUTS (file: pid) into its file while the block runs."""
    spy = Path(sys.executable).with_name("py-spy")
    if not spy.exists():
        raise SystemExit(f"{spy} is missing: make install-test installs it")
    command = [str(spy), "record", "-f", "raw", "--nonblocking", "--rate", str(rate)]
    processes = [
        subprocess.Popen(
            [*command, "-o", str(out), "--pid", str(pid)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for out, pid in outputs.items()
    ]
    try:
        yield
    finally:
        for process in processes:
            process.send_signal(2)  # SIGINT: py-spy writes what it has and stops
        for process in processes:
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
