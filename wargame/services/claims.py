"""Who holds a turn's claim: a token names the process resolving the turn (so a claim
whose process is gone can be taken over at once), or the queue it waits in.

A token is 32 hex digits (Turn.claim_token): 8 random, 8 of this host and boot, 6 of the
pid, 10 of the process's start time (clock ticks since boot, from /proc). A *queued*
claim (`queued_claim_token`) is taken by the request that asks for resolution, in the
same transaction as the last lock, and handed to the worker with the task: its host part
is all zeros, so no process is ever "known dead" for it; a task that was lost waits out
the lease like any other claim (`resolution.turns_due`).
"""

from __future__ import annotations

import functools
import hashlib
import os
import secrets
import socket

QUEUED_HOST = "0" * 8


def queued_claim_token() -> str:
    """A fresh claim held by the queue, until a worker takes it (`resolution`)."""
    return f"{secrets.randbits(32):08x}{QUEUED_HOST}{0:06x}{0:010x}"


def is_queued(token: str) -> bool:
    return len(token) == 32 and token[8:16] == QUEUED_HOST


def claim_token(pid: int | None = None) -> str:
    """A fresh claim token naming process `pid` (this one by default) as the holder."""
    pid = os.getpid() if pid is None else pid
    start = _proc_stat(pid)[1] or 0
    return f"{secrets.randbits(32):08x}{_host_id()}{pid & 0xFFFFFF:06x}{start & (16**10 - 1):010x}"


def holder_is_dead(token: str) -> bool:
    """True only when the token's process is known to be gone: it ran on this host since
    this boot, and its pid no longer exists or belongs to a process started later.
    Anything else (another host, an older token, no /proc to ask) is not known dead."""
    if len(token) != 32 or token[8:16] != _host_id():
        return False
    try:
        pid, start = int(token[16:22], 16), int(token[22:], 16)
    except ValueError:
        return False
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        pass  # a process of another user has that pid
    state, now = _proc_stat(pid)
    if state in (b"Z", b"X"):  # killed, not yet reaped by its parent
        return True
    return bool(start and now and now != start)


@functools.cache
def _host_id() -> str:
    """8 hex digits for this host and boot (pids mean nothing across either)."""
    try:
        with open("/proc/sys/kernel/random/boot_id") as f:
            boot = f.read().strip()
    except OSError:
        boot = ""
    return hashlib.sha256(f"{socket.gethostname()}|{boot}".encode()).hexdigest()[:8]


def _proc_stat(pid: int) -> tuple[bytes | None, int | None]:
    """The process's state letter and start time (clock ticks since boot) from Linux's
    /proc, or (None, None) where there is none to read."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            fields = f.read().rsplit(b")", 1)[1].split()
        return fields[0], int(fields[19])
    except (OSError, IndexError, ValueError):
        return None, None
