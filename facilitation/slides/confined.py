"""Limits a deck's helper process sets on itself: ``set_limits`` (the renderer calls it first
thing), and ``python -m facilitation.slides.confined --memory=... -- PROGRAM ARGS...``, which
sets them and then becomes PROGRAM (LibreOffice, which cannot set its own): the limits pass
to whatever PROGRAM starts (``soffice`` starts ``soffice.bin``).

A limit set here, in the child, bounds what a hostile file can make the child use: memory,
processor time, the size of a file it writes, open files, and no core dump (a crash leaves no
copy of the deck's memory on disk). Past one, the child fails or is killed; the server is not.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys

# The PDF, a page image being written, fonts opened one at a time, Python's own; LibreOffice
# needs no more than that either.
MAX_OPEN_FILES = 64


def set_limits(memory: int, cpu: int, file_size: int) -> None:
    limit(resource.RLIMIT_AS, memory)
    # Past the soft limit the kernel sends SIGXCPU, a second later SIGKILL.
    limit(resource.RLIMIT_CPU, cpu, cpu + 1)
    limit(resource.RLIMIT_FSIZE, file_size)
    limit(resource.RLIMIT_CORE, 0)
    limit(resource.RLIMIT_NOFILE, MAX_OPEN_FILES)


def limit(kind: int, soft: int, hard: int | None = None) -> None:
    """Set a limit, never above the hard limit the process already has (it cannot rise)."""
    _, current_hard = resource.getrlimit(kind)
    hard = soft if hard is None else hard
    if current_hard != resource.RLIM_INFINITY:
        soft, hard = min(soft, current_hard), min(hard, current_hard)
    resource.setrlimit(kind, (soft, hard))


def command(program: list[str], memory: int, cpu: int, file_size: int) -> list[str]:
    """The command that runs ``program`` (a list, program first) under these limits."""
    return [
        sys.executable,
        "-m",
        "facilitation.slides.confined",
        f"--memory={memory}",
        f"--cpu={cpu}",
        f"--file-size={file_size}",
        "--",
        *program,
    ]


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="facilitation.slides.confined")
    parser.add_argument("--memory", type=int, required=True, help="address space, bytes")
    parser.add_argument("--cpu", type=int, required=True, help="processor time, seconds")
    parser.add_argument("--file-size", type=int, required=True, help="largest file, bytes")
    parser.add_argument("program", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    program = args.program[1:] if args.program[:1] == ["--"] else args.program
    if not program:
        parser.error("no program to run")
    set_limits(args.memory, args.cpu, args.file_size)
    # Python found this module by PYTHONPATH; the program has no use for the app's code.
    environment = {name: value for name, value in os.environ.items() if name != "PYTHONPATH"}
    os.execvpe(program[0], program, environment)


if __name__ == "__main__":
    main(sys.argv[1:])
