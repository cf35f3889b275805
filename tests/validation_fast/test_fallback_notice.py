"""A shape the fast engine cannot compile is named, with the reason, before anything is validated."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import jsonschema
import pytest

import crmkg.validation
from crmkg.cli import main
from crmkg.validation import validate

SHAPES = """\
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix t: <https://example.org/t#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

# A SPARQL-based constraint component: pyshacl runs it, the fast engine does not compile it.
t:MaxWordsComponent a sh:ConstraintComponent ;
  sh:parameter [ sh:path t:maxWords ] ;
  sh:propertyValidator [ a sh:SPARQLSelectValidator ;
    sh:select "SELECT $this ?value WHERE { $this $PATH ?value . FILTER (STRLEN(STR(?value)) > $maxWords) }" ] .

t:NameShape a sh:NodeShape ; sh:targetClass t:Thing ;
  sh:property [ sh:path t:name ; t:maxWords 5 ] .

t:CountShape a sh:NodeShape ; sh:targetClass t:Thing ;
  sh:property [ sh:path t:name ; sh:minCount 1 ] .
"""

DATA = """\
@prefix t: <https://example.org/t#> .
t:a a t:Thing ; t:name "far too long a name" .
t:b a t:Thing .
"""


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    shapes, data = tmp_path / "shapes.ttl", tmp_path / "data.ttl"
    shapes.write_text(SHAPES, encoding="utf-8")
    data.write_text(DATA, encoding="utf-8")
    return shapes, data


def test_library_announces_before_reading_data_and_reports_the_note(files: tuple[Path, Path]) -> None:
    shapes, data = files
    events: list[str] = []
    report = validate(
        [data],
        shapes=shapes,
        engine="fast",
        as_of=dt.date(2026, 10, 1),
        include_ontology=False,
        progress=lambda done, total, label: events.append("progress"),
        on_note=lambda note: events.append("note: " + note),
    )
    assert events[0].startswith("note: ")
    assert "<https://example.org/t#NameShape>" in events[0]
    assert "SPARQL-based constraint component" in events[0]
    assert all(not e.startswith("note") for e in events[1:])  # one note: CountShape compiles
    assert len(report.notes) == 1
    assert "<https://example.org/t#NameShape>" in report.notes[0]
    assert "validated by pyshacl" in report.notes[0]
    # Both shapes still ran: the fallback one through pyshacl (t:a), the compiled one (t:b).
    assert {r.focus_node.n3() for r in report.results} == {"<https://example.org/t#a>", "<https://example.org/t#b>"}


def test_cli_prints_the_note_on_stderr(files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    shapes, data = files
    code = main(["validate", str(data), "--shapes", str(shapes), "--engine", "fast", "--format", "json"])
    out, err = capsys.readouterr()
    assert code == 1
    assert "note: shape" in err
    assert "<https://example.org/t#NameShape>" in err
    assert "SPARQL-based constraint component" in err
    assert "note:" not in out  # stdout holds only the report
    payload = json.loads(out)
    schema = json.loads((Path(crmkg.validation.__file__).parent / "report.schema.json").read_text("utf-8"))
    jsonschema.validate(payload, schema)
    notes = payload["notes"]  # the JSON report carries the note too
    assert len(notes) == 1
    assert "<https://example.org/t#NameShape>" in notes[0]


def test_no_note_when_everything_compiles(tmp_path: Path, files: tuple[Path, Path]) -> None:
    _, data = files
    compiled = tmp_path / "compiled.ttl"
    count_shape = SHAPES[SHAPES.index("t:CountShape") :]
    compiled.write_text(SHAPES[: SHAPES.index("# A SPARQL")] + count_shape, encoding="utf-8")
    notes: list[str] = []
    report = validate([data], shapes=compiled, engine="fast", include_ontology=False, on_note=notes.append)
    assert notes == []
    assert report.notes == ()
    assert report.results  # t:b has no name
