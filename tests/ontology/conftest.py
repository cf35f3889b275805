"""Fixtures for the ontology checks: module paths, the OWL API profile checker, RL helpers."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent

# Debian's libowlapi-java puts the OWL API and its dependencies here.
JAVA_LIB = Path("/usr/share/java")
# Logging back-ends other than slf4j-nop only add noise (several bindings on one class path).
_SKIP_JAR_PREFIXES = ("slf4j-", "maven3-slf4j-provider", "logback")
_KEEP_JARS = ("slf4j-api.jar", "slf4j-nop.jar")


def owlapi_classpath() -> str:
    """Unversioned jars of /usr/share/java (Debian links each versioned jar to one)."""
    if not (JAVA_LIB / "owlapi-distribution.jar").exists():
        pytest.fail(
            "OWL API jars not found in /usr/share/java: apt-get install -y libowlapi-java "
            "default-jdk-headless (CI installs them)",
            pytrace=False,
        )
    jars = []
    for jar in sorted(JAVA_LIB.glob("*.jar")):
        if jar.name in _KEEP_JARS or not jar.name.startswith(_SKIP_JAR_PREFIXES):
            jars.append(str(jar))
    return ":".join(jars)


def require_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.fail(
            f"{name} not found: apt-get install -y default-jdk-headless libowlapi-java (CI installs them)",
            pytrace=False,
        )
    return found


@dataclass(frozen=True)
class ProfileReport:
    """Parsed output of ProfileCheck.java."""

    verdicts: dict[str, str]
    violations: dict[str, list[str]]
    unparsed: list[str]
    raw: str


@dataclass(frozen=True)
class ProfileChecker:
    classpath: str
    java: str

    def check(self, *files: Path) -> ProfileReport:
        proc = subprocess.run(
            [self.java, "-cp", self.classpath, "ProfileCheck", *map(str, files)],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        if proc.returncode not in (0, 1):
            pytest.fail(f"ProfileCheck could not run (exit {proc.returncode}):\n{proc.stderr}")
        verdicts: dict[str, str] = {}
        violations: dict[str, list[str]] = {"DL": [], "RL": []}
        unparsed: list[str] = []
        for line in proc.stdout.splitlines():
            kind, _, rest = line.partition("\t")
            if kind == "RESULT":
                profile, _, verdict = rest.partition("\t")
                verdicts[profile] = verdict
            elif kind == "VIOLATION":
                profile, _, text = rest.partition("\t")
                violations.setdefault(profile, []).append(text)
            elif kind == "UNPARSED":
                unparsed.append(rest)
        return ProfileReport(verdicts, violations, unparsed, proc.stdout)


@pytest.fixture(scope="session")
def profile_checker(tmp_path_factory: pytest.TempPathFactory) -> ProfileChecker:
    """ProfileCheck.java compiled once per session into a temporary folder."""
    javac = require_tool("javac")
    java = require_tool("java")
    classpath = owlapi_classpath()
    out = tmp_path_factory.mktemp("profilecheck")
    proc = subprocess.run(
        [javac, "-d", str(out), "-cp", classpath, str(HERE / "java" / "ProfileCheck.java")],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    if proc.returncode != 0:
        pytest.fail(f"javac failed:\n{proc.stderr}", pytrace=False)
    return ProfileChecker(classpath=f"{out}:{classpath}", java=java)
