#!/usr/bin/env python3
"""Apache Jena's ``shacl`` command from Debian's ``libapache-jena-java`` (which ships jars, no launchers).

    python3 scripts/jena_shacl.py validate --shapes shapes.ttl --data data.nt     # Jena's own CLI
    python3 scripts/jena_shacl.py --classpath                                     # for other Java code

The classpath is the package's jars and those of the packages it depends on (one SLF4J binding,
the silent one). Debian's jena-core relocates Xerces to the package ``xerces`` but keeps Xerces'
message resources under ``org/apache/jena/ext/xerces/``, so the first XSD datatype fails to
initialise ("internal error" in ``XSSimpleTypeDecl.applyFacets1``); copies of those resources
under ``xerces/`` in a folder on the classpath fix it. The folder is ``$CRMKG_JENA_DIR``, else
a ``crmkg-jena`` folder in the temporary directory; it is made once and reused.

Used by the differential test of ``crmkg shapes export`` (tests/shapes_export/) and the benchmarks.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

PACKAGE = "libapache-jena-java"
_OTHER_SLF4J = ("slf4j-jcl", "slf4j-jdk14", "slf4j-log4j12", "slf4j-migrator", "slf4j-simple", "over-slf4j", "jul-to")
_XERCES_IN_JAR = "org/apache/jena/ext/xerces/"


def _package_jars(package: str) -> list[str]:
    proc = subprocess.run(["dpkg", "-L", package], capture_output=True, text=True, check=False)
    return [line for line in proc.stdout.splitlines() if line.endswith(".jar")] if proc.returncode == 0 else []


def _jars() -> list[str]:
    jars = _package_jars(PACKAGE)
    if not jars:
        return []
    proc = subprocess.run(["dpkg-query", "-W", "-f=${Depends}", PACKAGE], capture_output=True, text=True, check=False)
    for dependency in proc.stdout.split(","):
        jars.extend(_package_jars(dependency.split("(")[0].split("|")[0].strip()))
    resolved = sorted({str(Path(j).resolve()) for j in jars if Path(j).exists()})
    return [j for j in resolved if not any(x in Path(j).name for x in _OTHER_SLF4J)]


def _work_dir() -> Path:
    return Path(os.environ.get("CRMKG_JENA_DIR") or Path(tempfile.gettempdir()) / "crmkg-jena")


def _xerces_resources(folder: Path, jena_core: str) -> None:
    """Xerces' message resources where Debian's relocated Xerces looks for them (made once)."""
    marker = folder / "xerces" / ".complete"
    if marker.exists():
        return
    with zipfile.ZipFile(jena_core) as jar:
        for entry in jar.namelist():
            if entry.startswith(_XERCES_IN_JAR) and entry.endswith(".properties"):
                target = folder / "xerces" / entry.removeprefix(_XERCES_IN_JAR)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(jar.read(entry))
    marker.write_text("")


def classpath() -> str | None:
    """The classpath for Jena's classes and commands; None when Jena or Java is not installed."""
    if shutil.which("java") is None:
        return None
    jars = _jars()
    core = next((j for j in jars if Path(j).name.startswith("jena-core")), None)
    if core is None:
        return None
    resources = _work_dir() / "resources"
    _xerces_resources(resources, core)
    return os.pathsep.join([*jars, str(resources)])


def version() -> str | None:
    """The installed Jena version (from the jena-core jar's name), or None."""
    core = next((j for j in _jars() if Path(j).name.startswith("jena-core-")), None)
    return Path(core).name.removeprefix("jena-core-").removesuffix(".jar") if core else None


def shacl(args: list[str], *, timeout: float | None = None) -> subprocess.CompletedProcess[str]:
    """Run Jena's ``shacl`` command (``shacl validate --shapes … --data …``) and capture its output."""
    path = classpath()
    if path is None:
        raise FileNotFoundError(f"Apache Jena is not installed (apt-get install {PACKAGE}) or java is missing")
    return subprocess.run(
        ["java", "-cp", path, "shacl.shacl", *args], capture_output=True, text=True, check=False, timeout=timeout
    )


def main(argv: list[str]) -> int:
    if argv[:1] == ["--classpath"]:
        path = classpath()
        if path is None:
            print(f"Apache Jena is not installed ({PACKAGE})", file=sys.stderr)
            return 2
        print(path)
        return 0
    try:
        proc = shacl(argv)
    except FileNotFoundError as exc:
        print(exc, file=sys.stderr)
        return 2
    sys.stdout.write(proc.stdout)
    sys.stderr.write(proc.stderr)
    return proc.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
