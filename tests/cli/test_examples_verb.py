"""``crmkg examples list|path`` (issue 14 §10): find the bundled examples from an installed crmkg."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crmkg.cli import main

from ..conftest import REPO


def test_list_names_every_example_folder_with_its_readme_title(capsys: pytest.CaptureFixture[str]) -> None:
    on_disk = {p.name for p in (REPO / "examples").iterdir() if p.is_dir()}
    assert main(["examples", "list", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["name"] for r in rows} == on_disk
    for row in rows:
        readme = Path(row["path"]) / "README.md"
        assert row["title"], row
        assert f"# {row['title']}" in readme.read_text(encoding="utf-8")
    assert main(["examples", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == sorted(on_disk)


def test_path_prints_a_folder_that_validate_reads(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["examples", "path", "esimerkki-broken"]) == 0
    folder = Path(capsys.readouterr().out.strip())
    assert (folder / "expected-findings.csv").is_file()
    assert main(["validate", str(folder / "data"), "--as-of", "2026-10-01", "--format", "json"]) == 1
    assert json.loads(capsys.readouterr().out)["summary"]["violations"] > 0


def test_an_unknown_example_names_the_known_ones(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["examples", "path", "esimerkkki"]) == 2
    err = capsys.readouterr().err
    assert "esimerkkki" in err
    assert "esimerkki-broken" in err
