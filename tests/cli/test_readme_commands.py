"""The README's commands work when pasted (issue 14 §10): every ``sh`` block marked
``<!-- runnable -->`` runs with bash in an empty folder, and no command in an ``sh`` block uses
synopsis notation — ``[--option]`` or ``a|b`` alternatives, which a shell runs as arguments and
pipes (a synopsis goes in a ``text`` block; a value to fill in is written ``<…>``)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from ..conftest import REPO

#: The README and its users' guides.
PAGES = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
_BLOCK = re.compile(r"(?P<before>[^\n]*)\n```(?P<lang>[\w-]*)\n(?P<body>.*?)```", re.S)


def _blocks() -> list[tuple[str, str, str, bool]]:
    """(file:line, language, body, runnable) of every fenced block of the README and the guides."""
    found = []
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        for match in _BLOCK.finditer(text):
            line = text.count("\n", 0, match.start("lang")) + 1
            where = f"{page.relative_to(REPO)}:{line}"
            found.append((where, match["lang"], match["body"], match["before"].strip() == "<!-- runnable -->"))
    return found


RUNNABLE = [(where, body) for where, lang, body, runnable in _blocks() if runnable and lang == "sh"]


def _commands(body: str) -> list[str]:
    return [line.split(" #", 1)[0].strip() for line in body.splitlines() if line.strip().startswith("crmkg ")]


def test_no_shell_block_uses_synopsis_notation() -> None:
    shell = [(line, body) for line, lang, body, _ in _blocks() if lang in ("sh", "bash", "shell")]
    assert shell
    for line, body in shell:
        for command in _commands(body):
            unquoted = re.sub(r"'[^']*'|\"[^\"]*\"", "", command)
            assert "[--" not in unquoted, f"{line}: {command}"
            assert not re.search(r"\w\|\w", unquoted), f"{line}: {command}"


def test_there_are_runnable_blocks() -> None:
    assert len(RUNNABLE) >= 1


@pytest.mark.parametrize(("line", "body"), RUNNABLE, ids=[where for where, _ in RUNNABLE])
def test_a_runnable_block_runs_as_pasted(line: int, body: str, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CRMKG_")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    done = subprocess.run(
        ["bash", "-e", "-o", "pipefail", "-c", body],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, f"{line}: exit {done.returncode}\n{done.stderr[-2000:]}"
    assert done.stdout.strip(), f"{line}: printed nothing"


def test_the_readme_is_install_quick_start_and_guides() -> None:
    """Issue 14 §10: a short README — install (with the api extra), the quick start with the two
    commands, and a link to every users' guide in docs/."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    headings = [line[3:].strip() for line in readme.splitlines() if line.startswith("## ")]
    assert headings[:3] == ["Install", "Quick start", "Users' guides"]
    install = readme.split("## Install", 1)[1].split("\n## ", 1)[0]
    assert "pip install" in install
    assert "[api]" in install
    quick = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    assert "make run" in quick
    assert "make test" in quick
    guides = sorted(p.name for p in (REPO / "docs").glob("*.md"))
    assert len(guides) >= 5
    for name in guides:
        assert f"(docs/{name})" in readme, f"the README links to docs/{name}"
    assert len(readme.splitlines()) < 150
