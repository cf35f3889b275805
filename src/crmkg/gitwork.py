"""The few git facts the pre-commit hooks need: where the repository is, what is tracked and staged.

Every function answers ``None`` (or an empty list) outside a git work tree or without git, so a
caller can fall back to doing the whole job.
"""

from __future__ import annotations

import subprocess
from pathlib import Path


def _git(args: list[str], cwd: Path | None = None) -> str | None:
    try:
        proc = subprocess.run(
            ["git", *args], cwd=cwd or Path.cwd(), capture_output=True, text=True, check=False, timeout=60
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return proc.stdout if proc.returncode == 0 else None


def work_tree_root(cwd: Path | None = None) -> Path | None:
    """The root of the work tree ``cwd`` is in."""
    out = _git(["rev-parse", "--show-toplevel"], cwd)
    return Path(out.strip()) if out and out.strip() else None


def git_dir(cwd: Path | None = None) -> Path | None:
    """The repository's git directory (``.git``, or a worktree's own), absolute."""
    out = _git(["rev-parse", "--absolute-git-dir"], cwd)
    return Path(out.strip()) if out and out.strip() else None


def head_tree(cwd: Path | None = None) -> str | None:
    """The tree id of ``HEAD`` (None before the first commit)."""
    out = _git(["rev-parse", "--verify", "--quiet", "HEAD^{tree}"], cwd)
    return out.strip() or None if out else None


def index_tree(cwd: Path | None = None) -> str | None:
    """The tree id of what is staged (``git write-tree``: what the next commit will hold)."""
    out = _git(["write-tree"], cwd)
    return out.strip() or None if out else None


def tracked_files(cwd: Path | None = None) -> list[Path]:
    """The files in the index, as paths under the work tree's root."""
    root = work_tree_root(cwd)
    out = _git(["ls-files", "-z", "--cached"], root)
    if root is None or out is None:
        return []
    return [root / name for name in out.split("\0") if name]


def staged_deletions(cwd: Path | None = None) -> list[Path]:
    """The files the next commit deletes."""
    root = work_tree_root(cwd)
    out = _git(["diff", "--cached", "--name-only", "-z", "--diff-filter=D"], root)
    if root is None or out is None:
        return []
    return [root / name for name in out.split("\0") if name]
