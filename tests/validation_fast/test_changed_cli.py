"""``crmkg validate --changed FILE… --previous REPORT``: end to end through the CLI, equal to a full run."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from crmkg.cli import main

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "esimerkki"
AS_OF = ["--as-of", "2026-10-01"]
KIVIJALKA = "https://example.org/esimerkki/rel-kivijalka-siivous"
KOILLISMAA = "https://example.org/esimerkki/rel-koillismaa-kiinteistohuolto"

Finding = tuple[str, str, str, str, str]


def _findings(report: Path) -> set[Finding]:
    """What a finding is (fingerprint), how bad, what it says in fi and en, and where."""
    data = json.loads(report.read_text(encoding="utf-8"))
    return {
        (
            r["fingerprint"],
            r["severity"],
            json.dumps(r["messages"], sort_keys=True, ensure_ascii=False),
            json.dumps(r["location"], sort_keys=True),
            r["focusNode"]["value"],
        )
        for r in data["results"]
    }


def _edit(assignments: Path) -> None:
    """Add, modify and delete triples of one file. The relationships the changed assignments
    point to (``akj:assignmentFor``) are defined in another file: the shapes reach them only by
    walking the edge backwards."""
    text = assignments.read_text(encoding="utf-8")
    # modify: an untyped start date
    typed = '    akj:startDate "2023-06-01"^^xsd:date ;\n    akj:assignedBy ex:juha-nieminen .'
    assert typed in text
    text = text.replace(typed, '    akj:startDate "2023-06-01" ;\n    akj:assignedBy ex:juha-nieminen .', 1)
    # modify: a person owner (an S9 finding) becomes a post, so an earlier finding goes away
    person = (
        "    akj:assignmentFor ex:rel-lahilaakarit-siivous ;\n"
        "    akj:responsibilityRole akj:OwnerRole ;\n"
        "    akj:assignee ex:laura-koskinen ;"
    )
    assert person in text
    text = text.replace(person, person.replace("ex:laura-koskinen", "ex:post-palvelut-myyntijohtaja"))
    # delete: a relationship's only current owner assignment (the one before it ended 2026-03-31)
    start = text.index("ex:asg-koillismaa-kiinteistohuolto-owner-2 a ")
    end = text.index("\n\n", start)
    text = text[:start] + text[end + 2 :]
    # add: a second current owner
    text += (
        "\nex:asg-extra-owner a akj:ResponsibilityAssignment ;\n"
        "    akj:assignmentFor ex:rel-kivijalka-siivous ;\n"
        "    akj:responsibilityRole akj:OwnerRole ;\n"
        "    akj:assignee ex:post-palvelut-myyntijohtaja ;\n"
        '    akj:startDate "2024-01-01"^^xsd:date .\n'
    )
    assignments.write_text(text, encoding="utf-8")


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


@pytest.mark.parametrize("earlier", ["changed-from", "git"])
def test_incremental_run_equals_full_run(
    earlier: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    data = tmp_path / "data"
    data.mkdir()
    for f in EXAMPLE.glob("*.ttl"):
        shutil.copy(f, data / f.name)
    extra: list[str] = []
    if earlier == "git":
        _git(tmp_path, "init", "-q")
        _git(tmp_path, "add", "data")
        _git(tmp_path, "commit", "-q", "-m", "before")
    else:
        shutil.copytree(data, tmp_path / "old" / "data")  # the earlier tree, as a git worktree would hold it
        extra = ["--changed-from", "old"]

    main(["validate", "data", *AS_OF, "--engine", "fast", "--format", "json", "-o", "previous.json"])
    _edit(data / "assignments.ttl")
    capsys.readouterr()
    changed = ["--changed", "data/assignments.ttl", "--previous", "previous.json", *extra]
    code_inc = main(["validate", "data", *AS_OF, *changed, "--format", "json", "-o", "incremental.json"])
    note = capsys.readouterr().err
    code_full = main(["validate", "data", *AS_OF, "--engine", "pyshacl", "--format", "json", "-o", "full.json"])
    capsys.readouterr()

    previous, incremental, full = (_findings(tmp_path / n) for n in ("previous.json", "incremental.json", "full.json"))
    assert incremental == full
    assert code_inc == code_full
    # The change is visible, also on the relationships reached only through the inverse edge.
    new = {f[4] for f in full - previous}
    gone = {f[4] for f in previous - full}
    assert KIVIJALKA in new
    assert KOILLISMAA in new | gone
    assert "https://example.org/esimerkki/asg-lahilaakarit-siivous-owner-1" in gone
    assert json.loads((tmp_path / "incremental.json").read_text(encoding="utf-8"))["engine"] == "fast"
    assert "incremental run: changed triples data/assignments.ttl +" in note


def test_small_change_keeps_earlier_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A one-triple change re-validates a neighbourhood only: earlier findings elsewhere are kept, and
    the result still equals a full run."""
    monkeypatch.chdir(tmp_path)
    data = tmp_path / "data"
    shutil.copytree(EXAMPLE, data, ignore=shutil.ignore_patterns("*.md"))
    shutil.copytree(data, tmp_path / "old" / "data")
    main(["validate", "data", *AS_OF, "--engine", "fast", "--format", "json", "-o", "previous.json"])
    agility = data / "agility.ttl"
    text = agility.read_text(encoding="utf-8")
    assert '"Employee survey 2026"@en' in text
    agility.write_text(text.replace('"Employee survey 2026"@en', '"Staff survey 2026"@en'), encoding="utf-8")
    capsys.readouterr()
    changed = ["--changed", "data/agility.ttl", "--previous", "previous.json", "--changed-from", "old"]
    main(["validate", "data", *AS_OF, *changed, "--format", "json", "-o", "incremental.json"])
    note = capsys.readouterr().err
    main(["validate", "data", *AS_OF, "--engine", "fast", "--format", "json", "-o", "full.json"])
    assert _findings(tmp_path / "incremental.json") == _findings(tmp_path / "full.json")
    assert "data/agility.ttl +1 -1" in note
    kept = re.search(r"(\d+) of (\d+) earlier findings kept", note)
    assert kept, note
    assert 0 < int(kept.group(1)) < int(kept.group(2))


def test_changed_needs_previous_and_matching_date(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    data = tmp_path / "data"
    shutil.copytree(EXAMPLE, data, ignore=shutil.ignore_patterns("*.md"))
    shutil.copytree(data, tmp_path / "old" / "data")
    assert main(["validate", "data", *AS_OF, "--changed", "data/plans.ttl"]) == 2
    assert "--previous" in capsys.readouterr().err
    main(["validate", "data", *AS_OF, "--engine", "fast", "--format", "json", "-o", "previous.json"])
    args = ["validate", "data", "--changed", "data/plans.ttl", "--previous", "previous.json", "--changed-from", "old"]
    assert main([*args, "--as-of", "2026-11-01"]) == 2
    assert "as of 2026-10-01" in capsys.readouterr().err
    assert main([*args, *AS_OF, "--engine", "pyshacl"]) == 2
    # Outside a git work tree and without --changed-from: a clear usage error, not a traceback.
    assert main(["validate", "data", *AS_OF, "--changed", "data/plans.ttl", "--previous", "previous.json"]) == 2
    assert "git" in capsys.readouterr().err
