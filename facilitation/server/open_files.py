"""Open-files limit of the server process.

Every connected phone holds a socket (two descriptors under gevent's server), so the usual
soft limit of 1,024 open files refuses the five-hundredth phone long before memory or CPU
run out. The hard limit (set by the system, or ``LimitNOFILE`` in a systemd unit) is
usually far higher, and a process may raise its own soft limit up to it.
"""

from __future__ import annotations

import logging
import resource

log = logging.getLogger(__name__)

# With no hard limit, ask for this many (the kernel's default cap on a process's files).
UNLIMITED_TARGET = 1_048_576


def raise_open_files_limit() -> int:
    """Raise the soft open-files limit to the hard one; return the limit now in force."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = UNLIMITED_TARGET if hard == resource.RLIM_INFINITY else hard
    if soft != resource.RLIM_INFINITY and soft < target:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        except (ValueError, OSError) as error:  # a container may forbid it: keep the old one
            log.warning("could not raise the open-files limit from %d: %s", soft, error)
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]
