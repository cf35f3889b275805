"""Issue 14 §8: feedback on long work — bytes parsed of a big file, checks run, rows read — on a
terminal only; silent in pipes and CI logs and with ``--quiet``.

The terminal is a real pseudo-terminal (``pty``) given to ``crmkg`` as its stderr; what the
library reports is also checked directly through a recording display.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from crmkg import progress
from crmkg.cli import main
from crmkg.errors import RdfSyntaxError
from crmkg.formats import RdfFormat
from crmkg.loading import load
from crmkg.store import open_store
from crmkg.store.parsing import PROGRESS_MIN_BYTES, parse_bytes

ROOT = Path(__file__).resolve().parents[2]
SALESFORCE = ROOT / "examples" / "salesforce-export"
_ESCAPES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")


class Recorder:
    """A progress display that remembers every task: label, total, unit and the amounts reported."""

    def __init__(self) -> None:
        self.tasks: list[dict[str, object]] = []
        self.open: set[int] = set()

    def start(self, label: str, total: int | None, unit: str) -> int:
        self.tasks.append({"label": label, "total": total, "unit": unit, "done": []})
        self.open.add(len(self.tasks) - 1)
        return len(self.tasks) - 1

    def update(self, task: int, done: int, label: str | None = None) -> None:
        assert task in self.open, "updated after it finished"
        done_list = self.tasks[task]["done"]
        assert isinstance(done_list, list)
        done_list.append(done)

    def finish(self, task: int) -> None:
        self.open.remove(task)

    def of_unit(self, unit: str) -> list[dict[str, object]]:
        return [t for t in self.tasks if t["unit"] == unit]


def big_turtle(path: Path) -> Path:
    """A Turtle file over the size from which parsing shows its bytes (synthetic people)."""
    lines = [
        f"<https://example.org/person/{i}> a <https://w3id.org/crmkg/akj#Person> ;\n"
        f'    <http://www.w3.org/2000/01/rdf-schema#label> "Testihenkilö {i}"@fi .\n'
        for i in range(PROGRESS_MIN_BYTES // 100 + 5000)
    ]
    path.write_text("".join(lines), encoding="utf-8")
    assert path.stat().st_size > PROGRESS_MIN_BYTES
    return path


def run_on_terminal(argv: list[str], **env: str) -> tuple[int, str]:
    """``crmkg ARGV`` with a pseudo-terminal as its stderr: the exit code and what the terminal showed
    (escape sequences removed, each redraw on its own line)."""
    master, slave = os.openpty()
    environ = dict(os.environ, TERM="xterm", COLUMNS="120", **env)
    environ.pop("NO_COLOR", None)
    command = [sys.executable, "-m", "crmkg", *argv]
    proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=slave, env=environ)
    os.close(slave)
    chunks: list[bytes] = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    code = proc.wait(timeout=300)
    shown = _ESCAPES.sub("", b"".join(chunks).decode("utf-8", "replace"))
    return code, "\n".join(line for line in re.split(r"[\r\n]", shown) if line.strip())


@pytest.fixture(scope="module")
def big_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return big_turtle(tmp_path_factory.mktemp("progress") / "big.ttl")


def test_validate_on_a_terminal_shows_bytes_files_and_checks(big_file: Path, tmp_path: Path) -> None:
    code, shown = run_on_terminal(
        ["validate", str(big_file), "--format", "json", "-o", str(tmp_path / "r.json")], CRMKG_LANG="en"
    )
    assert code == 0, shown
    assert re.search(r"big\.ttl .*\d+\.\d/\d+\.\d MB", shown), shown  # the big file's bytes
    assert re.search(r"/\d+ files", shown), shown
    assert re.search(r"fast .*\d+/\d+ checks", shown), shown
    assert (tmp_path / "r.json").stat().st_size > 0


def test_the_display_speaks_the_language_rule(big_file: Path, tmp_path: Path) -> None:
    code, shown = run_on_terminal(
        ["validate", str(big_file), "--format", "json", "-o", str(tmp_path / "r.json")], CRMKG_LANG="fi"
    )
    assert code == 0, shown
    assert re.search(r"\d+/\d+ tarkistusta", shown), shown
    assert "checks" not in shown


def test_load_on_a_terminal_shows_the_bytes_parsed(big_file: Path, tmp_path: Path) -> None:
    code, shown = run_on_terminal(["load", "--store", str(tmp_path / "store"), str(big_file)])
    assert code == 0, shown
    assert re.search(r"big\.ttl .*MB", shown), shown


def test_quiet_shows_nothing_on_a_terminal(big_file: Path, tmp_path: Path) -> None:
    code, shown = run_on_terminal(
        ["validate", str(big_file), "--quiet", "--format", "json", "-o", str(tmp_path / "r.json")]
    )
    assert code == 0, shown
    assert shown == ""


def test_not_a_terminal_no_progress_on_stderr(big_file: Path, tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "crmkg", "validate", str(big_file), "--format", "json", "-o", str(tmp_path / "r.json")],
        capture_output=True,
        env=dict(os.environ, TERM="xterm"),
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == b""
    assert (tmp_path / "r.json").stat().st_size > 0


def test_parsing_reports_every_byte_of_a_big_document(big_file: Path) -> None:
    data = big_file.read_bytes()
    recorder = Recorder()
    with progress.showing(recorder):
        quads = parse_bytes(data, RdfFormat.TURTLE, source="big.ttl")
    assert len(quads) > 0
    [task] = recorder.of_unit("bytes")
    assert task["label"] == "big.ttl"
    assert task["total"] == len(data)
    done = task["done"]
    assert isinstance(done, list)
    assert done == sorted(done)
    assert done[-1] == len(data)
    assert not recorder.open


def test_a_folder_load_reports_every_byte_of_the_file_it_streams(big_file: Path, tmp_path: Path) -> None:
    """Into a store folder the bulk loader reads the file itself: the display still sees it all."""
    recorder = Recorder()
    store = open_store(tmp_path / "store")
    try:
        with progress.showing(recorder):
            assert load(store, big_file).quads > 0
    finally:
        store.close()
    [task] = recorder.of_unit("bytes")
    assert (task["label"], task["total"]) == (str(big_file), big_file.stat().st_size)
    done = task["done"]
    assert isinstance(done, list)
    assert done == sorted(done)
    assert done[-1] == big_file.stat().st_size
    assert not recorder.open


def test_small_documents_and_no_display_report_nothing() -> None:
    recorder = Recorder()
    with progress.showing(recorder):
        parse_bytes(b"<urn:a> <urn:b> <urn:c> .\n", RdfFormat.N_TRIPLES)
    assert recorder.tasks == []
    assert not progress.active()


def test_import_reports_the_rows_of_each_table(tmp_path: Path) -> None:
    recorder = Recorder()
    with progress.showing(recorder):
        code = main(
            [
                "import",
                "salesforce",
                str(SALESFORCE),
                "--config",
                str(SALESFORCE / "crmkg-import.toml"),
                "--out",
                str(tmp_path / "sf.ttl"),
            ]
        )
    assert code == 0
    tables = recorder.of_unit("rows")
    assert {Path(str(t["label"])).name for t in tables} >= {"Account.csv", "Contact.csv", "User.csv"}
    assert all(isinstance(t["total"], int) and t["total"] > 0 for t in tables)
    assert not recorder.open


def test_a_syntax_error_is_located_the_same_with_the_display(big_file: Path) -> None:
    data = big_file.read_bytes() + b'<urn:a> <urn:b> "unterminated .\n'
    errors = []
    for display in (None, Recorder()):
        with progress.showing(display), pytest.raises(RdfSyntaxError) as caught:
            parse_bytes(data, RdfFormat.TURTLE, source="bad.ttl")
        errors.append(caught.value.location)
    assert errors[0] == errors[1]
    assert errors[0] is not None
    assert errors[0].line == data.count(b"\n")
