#!/usr/bin/env python3
"""Fetch the W3C test suites the tests read, once, at setup (``make test-suites``, a step of ``make test``).

    .venv/bin/python scripts/fetch_test_suites.py          # prints the folder it filled

The suites ship inside source distributions on PyPI, the only registry they are reachable from:
rdflib's carries the SPARQL 1.1 suites (syntax and protocol manifests), pyshacl's the SHACL core
and SPARQL suites. The versions are the ones installed (so the pins of ``requirements.lock``). Each
archive is fetched with pip into ``$CRMKG_TEST_CACHE`` (default ``.cache/test-suites`` in the
checkout — the folder ``tests/conftest.py`` and ``tests/validation_fast/w3c.py`` read), and
pyshacl's suite is unpacked there. Nothing is fetched when the files are already present, so the
tests themselves never download anything.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
from importlib.metadata import version
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHACL_SUITE = "test/resources/sht_tests"


def cache_dir() -> Path:
    return Path(os.environ.get("CRMKG_TEST_CACHE") or REPO / ".cache" / "test-suites")


def sdist(package: str, into: Path) -> Path:
    """The installed version's source archive of ``package`` in ``into``, fetched with pip if missing."""
    archive = into / f"{package}-{version(package)}.tar.gz"
    if not archive.is_file():
        command = [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:"]
        command += ["--disable-pip-version-check", "--quiet", f"{package}=={version(package)}", "-d", str(into)]
        subprocess.run(command, check=True, timeout=600)
        if not archive.is_file():
            raise SystemExit(f"pip fetched no {archive.name} into {into}")
    return archive


def unpack_shacl_suite(archive: Path, into: Path) -> Path:
    """pyshacl's ``sht_tests`` folder, unpacked from its archive if not yet."""
    root = into / archive.name.removesuffix(".tar.gz") / SHACL_SUITE
    if not (root / "manifest.ttl").is_file():
        with tarfile.open(archive) as tar:
            members = [m for m in tar.getmembers() if f"/{SHACL_SUITE}/" in m.name]
            tar.extractall(into, members=members, filter="data")
        if not (root / "manifest.ttl").is_file():
            raise SystemExit(f"{archive.name} has no {SHACL_SUITE}/manifest.ttl")
    return root


def main() -> None:
    into = cache_dir()
    into.mkdir(parents=True, exist_ok=True)
    sdist("rdflib", into)
    unpack_shacl_suite(sdist("pyshacl", into), into)
    print(into)


if __name__ == "__main__":
    main()
