"""``crmkg shapes export``: placeholders resolved, one message language, a header that explains itself."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import SH, XSD

from crmkg.cli import main
from crmkg.validation.export import export_shapes
from crmkg.validation.parameters import ValidationParameters, placeholders_in
from crmkg.validation.run import load_shapes

from ..conftest import AS_OF


def _export(tmp_path: Path, *extra: str) -> tuple[int, Path, Graph]:
    out = tmp_path / "shapes.ttl"
    code = main(["shapes", "export", "--as-of", AS_OF.isoformat(), "--out", str(out), *extra])
    return code, out, Graph().parse(out) if out.exists() else Graph()


def test_every_placeholder_is_resolved_with_the_windows(tmp_path: Path) -> None:
    packaged = load_shapes(None)
    assert placeholders_in(packaged) == {"today", "planFollowUpSince", "situationReviewSince", "ownerGapDays"}
    code, out, graph = _export(tmp_path, "--follow-up-days", "30", "--review-days", "10", "--owner-gap-days", "45")
    assert code == 0
    assert placeholders_in(graph) == set()
    text = out.read_text(encoding="utf-8")
    body = text.split("\n\n", 1)[1]
    assert "$today" not in body
    assert "$planFollowUpSince" not in body
    assert "$situationReviewSince" not in body
    assert "$ownerGapDays" not in body
    queries = " ".join(str(q) for q in graph.objects(None, SH.select))
    for day in (AS_OF, AS_OF - dt.timedelta(days=30), AS_OF - dt.timedelta(days=10)):
        assert f'"{day.isoformat()}"^^<{XSD.date}>' in queries
    assert f'?days > "45"^^<{XSD.integer}>' in queries
    # the shapes are otherwise the packaged ones: same shapes, same constraints
    assert set(graph.subjects(SH.targetClass, None)) == set(packaged.subjects(SH.targetClass, None))
    assert len(list(graph.objects(None, SH.select))) == len(list(packaged.objects(None, SH.select)))


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_one_message_per_constraint_in_the_chosen_language(tmp_path: Path, lang: str) -> None:
    code, _out, graph = _export(tmp_path, "--lang", lang)
    assert code == 0
    owners = set(graph.subjects(SH.message, None))
    assert owners
    for owner in owners:
        messages = list(graph.objects(owner, SH.message))
        assert len(messages) == 1, owner
        assert isinstance(messages[0], Literal)
        assert messages[0].language == lang


def test_language_follows_crmkg_lang_then_locale(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LC_ALL", "fi_FI.UTF-8")
    _code, _out, graph = _export(tmp_path)
    assert {m.language for m in graph.objects(None, SH.message)} == {"fi"}  # type: ignore[attr-defined]
    monkeypatch.setenv("CRMKG_LANG", "en")
    _code, _out, graph = _export(tmp_path)
    assert {m.language for m in graph.objects(None, SH.message)} == {"en"}  # type: ignore[attr-defined]


def test_header_says_how_to_run_it_elsewhere(tmp_path: Path) -> None:
    code, out, _graph = _export(tmp_path, "--ontology-out", str(tmp_path / "onto.ttl"))
    assert code == 0
    header = [line for line in out.read_text(encoding="utf-8").splitlines() if line.startswith("#")]
    text = "\n".join(header)
    assert "$today                = 2026-10-01" in text
    assert "2026-07-03" in text
    assert "2026-04-04" in text
    for needle in ("pyshacl", "shacl validate", "onto.ttl", "WITHOUT inference", "akjsh:shapeId"):
        assert needle in text, needle
    ontology = Graph().parse(tmp_path / "onto.ttl")
    assert len(ontology) > 1000  # the ontology modules and the external hierarchy


def test_engine_only_annotations_are_gone() -> None:
    exported = export_shapes(load_shapes(None), ValidationParameters.for_date(AS_OF))
    names = ("$today", "$planFollowUpSince", "$situationReviewSince")
    assert [o for o in exported.graph.objects() if any(n in str(o) for n in names)] == []


def test_bad_options_are_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["shapes", "export", "--out", str(tmp_path / "x.ttl")])  # --as-of is required
    assert stop.value.code == 2
    same = str(tmp_path / "x.ttl")
    assert main(["shapes", "export", "--as-of", "2026-10-01", "--out", same, "--ontology-out", same]) == 2
    assert "must be different files" in capsys.readouterr().err
    assert not (tmp_path / "x.ttl").exists()
