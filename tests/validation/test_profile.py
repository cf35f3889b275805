"""``crmkg validate --profile``: where the time went, phase by phase and check by check."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from crmkg.cli import main
from crmkg.validation.profile import CheckTiming, Profile

from .conftest import AS_OF, BROKEN_DATA

_CHECK_LINE = re.compile(r"^\s+(\d+\.\d{3})\s+(\d+)\s+\S")


def test_profile_lists_every_phase_and_every_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "report.json"
    args = ["validate", str(BROKEN_DATA), "--as-of", AS_OF.isoformat(), "--format", "json", "--output", str(out)]
    assert main([*args, "--profile", "0"]) == 1
    err = capsys.readouterr().err
    phases = [line.split()[0] for line in err.splitlines() if re.match(r"^  [a-z]+\s+\d+\.\d\d", line)]
    assert phases == ["shapes", "load", "compile", "checks", "locate", "report", "total"]
    compiled = int(re.search(r"compile\s+\S+\s+(\d+) checks", err).group(1))  # type: ignore[union-attr]
    rows = [int(m.group(2)) for line in err.splitlines() if (m := _CHECK_LINE.match(line))]
    assert len(rows) == compiled > 100  # every compiled check, with its row count
    results = json.loads(out.read_text(encoding="utf-8"))["results"]
    assert sum(rows) >= len(results) > 0  # every finding came from a row of some check


def test_profile_is_only_for_full_runs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["validate", str(BROKEN_DATA), "--changed", str(BROKEN_DATA), "--previous", str(tmp_path / "r.json"),
                 "--profile"])  # fmt: skip
    assert code == 2
    assert "--profile" in capsys.readouterr().err


def test_render_ranks_checks_and_cuts_at_top() -> None:
    profile = Profile()
    with profile.phase("load") as detail:
        detail.append("2 files")
    profile.checks.extend([CheckTiming("S1", "sh:A", 0.5, 3), CheckTiming("S2", "sh:B", 1.5, 7)])
    text = profile.render(top=1)
    assert "2 files" in text
    assert "(1 of 2; 2.00 s summed" in text
    assert "S2" in text
    assert "S1" not in text.split("checks, slowest first")[1]


def test_profile_of_a_run_in_a_store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``validate --store DIR --profile``: the same profile, of the queries the store answered."""
    store = tmp_path / "store"
    assert main(["load", "--with-ontology", "--store", str(store), str(BROKEN_DATA)]) == 0
    capsys.readouterr()
    out = tmp_path / "report.json"
    args = ["validate", "--store", str(store), "--as-of", AS_OF.isoformat(), "--format", "json", "--output", str(out)]
    assert main([*args, "--profile", "0"]) == 1
    err = capsys.readouterr().err
    phases = [line.split()[0] for line in err.splitlines() if re.match(r"^  [a-z]+\s+\d+\.\d\d", line)]
    assert phases == ["compile", "checks", "messages", "report", "total"]
    asked = int(re.search(r"checks\s+\S+\s+(\d+) queries", err).group(1))  # type: ignore[union-attr]
    rows = [int(m.group(2)) for line in err.splitlines() if (m := _CHECK_LINE.match(line))]
    assert len(rows) == asked > 100  # every query the store was asked, with its row count
    results = json.loads(out.read_text(encoding="utf-8"))["results"]
    assert sum(rows) >= len(results) > 0
