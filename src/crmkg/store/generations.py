"""An on-disk store as a series of generations, so that every reader sees one whole snapshot.

Layout of a store folder ``DIR``::

    DIR/crmkg-generation         the name of the current generation (replaced atomically)
    DIR/crmkg-generations/000007 one Oxigraph (RocksDB) folder per generation, never written again
    DIR/crmkg-writer.lock        held by the one process writing
    DIR/crmkg-staging-PID        that writer's working copy (and -PID.N: a savepoint of it)

A writer (``crmkg load``, ``infer --write``, ``import --store``: any writable ``open_store(DIR)``)
never touches the current generation. It copies it into its staging folder (a RocksDB checkpoint:
hard links, milliseconds), writes there, and on success checkpoints the result into a new
generation and makes that current with one rename; on failure (or a kill) the pointer never moved,
so the store is as it was. Readers (``crmkg serve``'s processes, its SPARQL workers) open a
generation read-only and hold a shared lock on it; a server notices a new generation with one
``stat()`` of the pointer per request. A generation nobody holds any more is deleted by the next
writer. A folder written before generations existed (RocksDB files right in ``DIR``) is read as it
is, and becomes generational on its first write.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from crmkg.errors import Phrase, StoreError

POINTER = "crmkg-generation"
GENERATIONS = "crmkg-generations"
WRITER_LOCK = "crmkg-writer.lock"
STAGING_PREFIX = "crmkg-staging-"
_NAME = re.compile(r"\d{6,}")
_OPEN_ATTEMPTS = 20


def is_rocksdb(path: Path) -> bool:
    """Whether ``path`` is itself an Oxigraph (RocksDB) folder."""
    return (path / "CURRENT").is_file() and any(path.glob("MANIFEST-*"))


def current_name(root: Path) -> str | None:
    """The current generation's name, or ``None`` when ``root`` has none (yet)."""
    try:
        name = (root / POINTER).read_text("ascii").strip()
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as exc:
        raise StoreError(key="error.store_pointer_unreadable", root=root, pointer=POINTER, problem=exc) from exc
    if not _NAME.fullmatch(name):
        raise StoreError(key="error.store_pointer_invalid", root=root, pointer=POINTER, name=name)
    return name


def pointer_stamp(root: Path) -> tuple[int, int] | None:
    """What changes when a new generation is made current (one ``stat()``): inode and mtime."""
    try:
        found = os.stat(root / POINTER)
    except OSError:
        return None
    return found.st_ino, found.st_mtime_ns


@dataclass
class Lease:
    """A reader's shared lock on one generation: the next writer leaves it alone while it is held."""

    path: Path
    name: str
    _fd: int

    def release(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)  # closing the descriptor drops the lock
            self._fd = -1


def _locked(path: Path, how: int) -> int | None:
    """An open descriptor of folder ``path`` holding ``flock(how)``, or ``None`` (missing, or busy)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    except (FileNotFoundError, NotADirectoryError):
        return None
    try:
        fcntl.flock(fd, how)
    except OSError:
        os.close(fd)
        return None
    return fd


def lease_current(root: Path) -> Lease | None:
    """The current generation of ``root``, locked for reading; ``None`` if ``root`` has none."""
    for _ in range(_OPEN_ATTEMPTS):
        name = current_name(root)
        if name is None:
            return None
        path = root / GENERATIONS / name
        fd = _locked(path, fcntl.LOCK_SH)
        if fd is not None and (path / "CURRENT").is_file():
            return Lease(path, name, fd)
        if fd is not None:
            os.close(fd)
        # Replaced and collected between reading the pointer and locking: read it again.
    raise StoreError(key="error.store_generation_vanishing", root=root)


class Staging:
    """A writer's working copy of ``root``'s current data; :meth:`publish` makes it current."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self._lock = os.open(root / WRITER_LOCK, os.O_CREAT | os.O_RDWR, 0o644)
        try:
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            pid = os.pread(self._lock, 32, 0).decode("ascii", "replace").strip()
            holder: object = pid or Phrase(key="error.store_unknown_writer")
            os.close(self._lock)
            raise StoreError(key="error.store_locked", root=root, holder=holder) from None
        os.ftruncate(self._lock, 0)
        os.pwrite(self._lock, str(os.getpid()).encode(), 0)
        self._remove_stale_staging()
        self.path = root / f"{STAGING_PREFIX}{os.getpid()}"
        self._savepoints = 0
        try:
            self._copy_current()
        except BaseException:
            self.close()
            raise

    def _copy_current(self) -> None:
        lease = lease_current(self.root)
        if lease is not None:
            try:
                ox.Store.read_only(str(lease.path)).backup(str(self.path))
            finally:
                lease.release()
        elif is_rocksdb(self.root):  # written before generations: its data is generation zero
            ox.Store.read_only(str(self.root)).backup(str(self.path))

    def _remove_stale_staging(self) -> None:
        for stale in self.root.glob(STAGING_PREFIX + "*"):
            shutil.rmtree(stale, ignore_errors=True)  # only the writer (us, now) stages

    def savepoint(self, written: ox.Store) -> Path:
        """A checkpoint of the working copy as ``written`` (the store open on :attr:`path`) holds it
        now — hard links, milliseconds — for :meth:`restore` or :meth:`discard`."""
        written.flush()
        self._savepoints += 1
        saved = self.root / f"{STAGING_PREFIX}{os.getpid()}.{self._savepoints}"
        written.backup(str(saved))
        return saved

    def restore(self, saved: Path) -> ox.Store:
        """Make savepoint ``saved`` the working copy (dropping what was written since) and open it.

        The store open on the old copy must be let go of first; a new folder, so that even a
        store still held elsewhere cannot lock it."""
        shutil.rmtree(self.path, ignore_errors=True)
        self.path = saved
        return ox.Store(str(saved))

    def discard(self, saved: Path) -> None:
        """Remove savepoint ``saved`` (unless it has become the working copy)."""
        if saved != self.path:
            shutil.rmtree(saved, ignore_errors=True)

    def publish(self, written: ox.Store) -> str:
        """Make what ``written`` (the store opened on :attr:`path`) holds the current generation."""
        written.flush()
        generations = self.root / GENERATIONS
        generations.mkdir(exist_ok=True)
        numbers = [int(p.name) for p in generations.iterdir() if _NAME.fullmatch(p.name)]
        name = f"{max(numbers, default=0) + 1:06d}"
        # A checkpoint of its own: the writer's open store may still compact its staging folder.
        written.backup(str(generations / name))
        _fsync_folder(generations)
        pending = self.root / (POINTER + ".new")
        with open(pending, "w", encoding="ascii") as out:
            out.write(name + "\n")
            out.flush()
            os.fsync(out.fileno())
        os.replace(pending, self.root / POINTER)
        _fsync_folder(self.root)
        self._collect(keep=name)
        return name

    def _collect(self, keep: str) -> None:
        """Delete the generations no reader holds (and not ``keep``)."""
        for path in (self.root / GENERATIONS).iterdir():
            if path.name == keep or not _NAME.fullmatch(path.name):
                continue
            fd = _locked(path, fcntl.LOCK_EX | fcntl.LOCK_NB)
            if fd is None:
                continue  # a reader still has it
            try:
                shutil.rmtree(path, ignore_errors=True)
            finally:
                os.close(fd)

    def close(self) -> None:
        """Remove the working copy and let the next writer in (after :meth:`publish`, or instead)."""
        if self._lock < 0:
            return
        shutil.rmtree(self.path, ignore_errors=True)
        os.close(self._lock)
        self._lock = -1


def _fsync_folder(path: Path) -> None:
    with contextlib.suppress(OSError):  # not every filesystem syncs folders
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
