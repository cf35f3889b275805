"""Temporary folders that say whether their owner still lives, so a later run can remove them.

A server's temporary store is removed on every way out it can handle (signals included); a process
killed outright (SIGKILL, power loss) cannot, so each folder holds a lock for as long as its
owner runs, and the next :func:`owned_temp_dir` with the same prefix removes every folder whose
lock nobody holds.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import tempfile
import time
from pathlib import Path

LOCK_NAME = ".crmkg-owner.lock"
#: A folder this young without a lock file may be one being set up right now: leave it.
_GRACE_S = 60.0


class OwnedTempDir:
    """A temporary folder locked by this process until :meth:`remove` (or the process's end)."""

    def __init__(self, prefix: str) -> None:
        sweep_stale(prefix)
        self.path = Path(tempfile.mkdtemp(prefix=prefix))
        self._lock = os.open(self.path / LOCK_NAME, os.O_CREAT | os.O_RDWR, 0o600)
        fcntl.flock(self._lock, fcntl.LOCK_EX)

    def remove(self) -> None:
        """Delete the folder (idempotent)."""
        if self._lock < 0:
            return
        shutil.rmtree(self.path, ignore_errors=True)
        os.close(self._lock)
        self._lock = -1


def owned_temp_dir(prefix: str) -> OwnedTempDir:
    """A new temporary folder, after removing the stale ones of earlier runs (same prefix)."""
    return OwnedTempDir(prefix)


def sweep_stale(prefix: str) -> list[Path]:
    """Remove the ``prefix*`` folders in the temporary folder whose owner is gone; what was removed."""
    removed = []
    for candidate in Path(tempfile.gettempdir()).glob(prefix + "*"):
        if candidate.is_symlink() or not candidate.is_dir():
            continue
        lock_path = candidate / LOCK_NAME
        try:
            lock = os.open(lock_path, os.O_RDWR | os.O_NOFOLLOW)
        except FileNotFoundError:
            with contextlib.suppress(OSError):
                if time.time() - candidate.stat().st_mtime > _GRACE_S:
                    shutil.rmtree(candidate, ignore_errors=True)
                    removed.append(candidate)
            continue
        except OSError:
            continue
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(lock)  # its owner is alive
            continue
        try:
            shutil.rmtree(candidate, ignore_errors=True)
            removed.append(candidate)
        finally:
            os.close(lock)
    return removed
