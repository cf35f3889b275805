"""Issue 10 §6, the command line: a failed import never replaces the output, temporary files never
stay behind (not on SIGTERM, and after a kill -9 the next run removes them), every input error
exits 2 with a message and never a traceback."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from crmkg.cli import main
from crmkg.ingest.result import ImportResult

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "salesforce-export"
ORGCHART = ROOT / "examples" / "orgchart" / "orgchart.csv"
GOOD = "# a good earlier import\n"


def crmkg(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run(
        [sys.executable, "-m", "crmkg", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )


def hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_a_fatal_import_never_replaces_a_good_output(tmp_path: Path) -> None:
    export = tmp_path / "export"
    shutil.copytree(EXAMPLE, export)
    # Excel saved Account.csv with a byte that is neither UTF-8 nor Windows-1252
    (export / "Account.csv").write_bytes((export / "Account.csv").read_bytes().replace(b"Kauppa Ky", b"Kauppa \x81Ky"))
    out = tmp_path / "crm.ttl"
    out.write_text(GOOD, encoding="utf-8")
    done = crmkg("import", "salesforce", str(export), "--out", str(out), cwd=tmp_path)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr + done.stdout
    assert "0x81" in done.stdout
    assert "import failed; nothing written" in done.stdout.splitlines()[-1]
    assert out.read_text(encoding="utf-8") == GOOD
    assert hidden(tmp_path) == []
    strict = crmkg("import", "salesforce", str(export), "--out", str(out), "--strict", cwd=tmp_path)
    assert strict.returncode == 1
    assert out.read_text(encoding="utf-8") == GOOD


def test_an_export_that_makes_no_relationship_fails(tmp_path: Path) -> None:
    export = tmp_path / "export"
    shutil.copytree(EXAMPLE, export)
    text = (export / "Account.csv").read_text(encoding="utf-8")
    for customer in ("Customer - Direct", "Customer - Channel", "Prospect"):
        text = text.replace(customer, "Competitor")
    (export / "Account.csv").write_text(text, encoding="utf-8")
    out = tmp_path / "crm.ttl"
    out.write_text(GOOD, encoding="utf-8")
    done = crmkg("import", "salesforce", str(export), "--out", str(out), cwd=tmp_path)
    assert done.returncode == 2
    assert "made no customer relationship" in done.stdout
    assert out.read_text(encoding="utf-8") == GOOD


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["salesforce", "{tmp}/no-such-folder", "--out", "{tmp}/x.ttl"], "no such folder"),
        (["salesforce", "{example}", "--out", "{tmp}/missing/x.ttl"], "does not exist"),
        (["salesforce", "{example}", "--out", "{tmp}"], "is a folder"),
        (["salesforce", "{example}", "--out", "{tmp}/x.csv"], "must end in .ttl"),
        (["salesforce", "{example}", "--out", "{tmp}/x.ttl", "--date-format", "QQ.YYYY"], "date_format"),
        (["salesforce", "{example}", "--out", "{tmp}/x.ttl", "--delimiter", ":"], "delimiter"),
        (["salesforce", "{example}", "--out", "{tmp}/x.ttl", "--config", "{tmp}/bad.toml"], "not valid TOML"),
        (["salesforce", "{example}", "--out", "{tmp}/x.ttl", "--encoding", "klingon"], "unknown encoding"),
        (["orgchart", "{tmp}/garbage.csv", "--out", "{tmp}/x.ttl"], "garbage.csv"),
        (["orgchart", "{tmp}/empty.csv", "--out", "{tmp}/x.ttl"], "empty"),
        (["orgchart", "{tmp}", "--out", "{tmp}/x.ttl"], "no such org chart file"),
    ],
)
def test_every_input_error_exits_2_with_a_message(tmp_path: Path, args: list[str], message: str) -> None:
    (tmp_path / "bad.toml").write_text("[salesforce\n", encoding="utf-8")
    (tmp_path / "garbage.csv").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "empty.csv").write_bytes(b"")
    filled = [a.format(tmp=tmp_path, example=EXAMPLE) for a in args]
    done = crmkg("import", *filled, cwd=tmp_path)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert message in done.stdout + done.stderr
    assert not (tmp_path / "x.ttl").exists()


def test_sigterm_while_writing_removes_the_temporary_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "crm.ttl"
    out.write_text(GOOD, encoding="utf-8")
    real = ImportResult.write_ntriples

    def killed_midway(self: ImportResult, handle: object) -> int:
        real(self, handle)  # type: ignore[arg-type]
        assert any(p.name.endswith(".tmp") for p in tmp_path.iterdir())  # the temp file is there now
        os.kill(os.getpid(), signal.SIGTERM)
        raise AssertionError("SIGTERM did not stop the import")

    monkeypatch.setattr(ImportResult, "write_ntriples", killed_midway)
    with pytest.raises(SystemExit) as stopped:
        main(["import", "orgchart", str(ORGCHART), "--out", str(out)])
    assert stopped.value.code == 128 + signal.SIGTERM
    assert hidden(tmp_path) == []
    assert out.read_text(encoding="utf-8") == GOOD


def test_after_kill_9_the_next_import_removes_what_was_left(tmp_path: Path) -> None:
    out = tmp_path / "crm.ttl"
    out.write_text(GOOD, encoding="utf-8")
    script = (
        "import os, signal, sys\n"
        "from crmkg.ingest.result import ImportResult\n"
        "real = ImportResult.write_ntriples\n"
        "def die(self, handle):\n"
        "    real(self, handle); handle.flush(); os.kill(os.getpid(), signal.SIGKILL)\n"
        "ImportResult.write_ntriples = die\n"
        "from crmkg.cli import main\n"
        f"main(['import', 'orgchart', {str(ORGCHART)!r}, '--out', {str(out)!r}])\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    killed = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, timeout=120)
    assert killed.returncode == -signal.SIGKILL
    left = hidden(tmp_path)
    assert left, "the killed import should have left its temporary file"
    assert out.read_text(encoding="utf-8") == GOOD
    done = crmkg("import", "orgchart", str(ORGCHART), "--out", str(out), cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert hidden(tmp_path) == []
    assert out.read_text(encoding="utf-8") != GOOD


def test_store_target_leaves_nothing_behind(tmp_path: Path) -> None:
    store = tmp_path / "kg"
    assert main(["import", "orgchart", str(ORGCHART), "--store", str(store), "-q"]) == 0
    assert hidden(tmp_path) == []
    assert store.is_dir()
