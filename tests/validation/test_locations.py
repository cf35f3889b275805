"""The subject → file:line index, per syntax."""

from __future__ import annotations

from pathlib import Path

import pytest

from crmkg.formats import RdfFormat
from crmkg.loading import parse_bytes
from crmkg.validation.locations import LocationIndex

EX = "https://example.org/t/"


def _index(tmp_path: Path, name: str, text: str) -> LocationIndex:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    fmt = RdfFormat.from_path(path)
    quads = parse_bytes(path.read_bytes(), fmt, source=str(path))  # the text must be valid RDF
    index = LocationIndex()
    index.add_document(path.read_bytes(), fmt, str(path), quads)
    return index


def _where(index: LocationIndex, local: str) -> tuple[int | None, int | None]:
    loc = index.get(EX + local)
    assert loc is not None, local
    return loc.line, loc.column


def test_turtle_subjects_prefixes_base_and_tricky_tokens(tmp_path: Path) -> None:
    text = (
        "# comment with ex:notASubject .\n"  # 1
        "@prefix ex: <https://example.org/t/> .\n"  # 2
        "PREFIX e2: <https://example.org/t/>\n"  # 3
        "@base <https://example.org/t/> .\n"  # 4
        'ex:a ex:p """long . string\n'  # 5
        "ex:fake ex:p ex:o .\n"  # 6  (still inside the long string)
        '""" ; ex:q [ ex:r ex:inner ] .\n'  # 7
        "  e2:b ex:p ( ex:c ex:d ) .\n"  # 8
        "<e> ex:p 'it''s' . ex:f ex:p 1.5 .\n"  # 9
        "ex:g\\-h ex:p ex:o .\n"  # 10
        "ex:a ex:p ex:again .\n"  # 11: ex:a is not re-recorded
    )
    index = _index(tmp_path, "t.ttl", text.replace("'it''s'", '"it\'s"'))
    assert _where(index, "a") == (5, 1)
    assert _where(index, "b") == (8, 3)
    assert _where(index, "e") == (9, 1)
    assert _where(index, "f") == (9, 19)
    assert _where(index, "g-h") == (10, 1)
    for not_subject in ("fake", "inner", "c", "notASubject"):
        loc = index.get(EX + not_subject)
        assert loc is None or loc.line is None, not_subject


def test_trig_graph_blocks(tmp_path: Path) -> None:
    text = (
        "@prefix ex: <https://example.org/t/> .\n"
        "ex:g {\n"
        "  ex:a ex:p ex:o .\n"
        "  ex:b ex:p ex:o }\n"
        "GRAPH ex:h { ex:c ex:p ex:o }\n"
    )
    index = _index(tmp_path, "t.trig", text)
    assert _where(index, "a") == (3, 3)
    assert _where(index, "b") == (4, 3)
    assert _where(index, "c")[0] == 5


def test_ntriples(tmp_path: Path) -> None:
    text = f'<{EX}a> <{EX}p> <{EX}b> .\n\n<{EX}b> <{EX}p> "x" .\n<{EX}a> <{EX}p> <{EX}c> .\n'
    index = _index(tmp_path, "t.nt", text)
    assert _where(index, "a") == (1, 1)
    assert _where(index, "b") == (3, 1)
    assert index.get(EX + "c") is None  # only an object


def test_ntriples_runs_of_one_subject_indentation_comments_and_quads(tmp_path: Path) -> None:
    text = (
        f"# <{EX}notASubject> is in a comment\n"  # 1
        f"<{EX}a> <{EX}p> <{EX}b> .\n"  # 2
        f"<{EX}a> <{EX}p> <{EX}c> .\n"  # 3: the same subject, the run goes on
        f"<{EX}ab> <{EX}p> <{EX}a> .\n"  # 4: starts like <a>, a subject of its own
        f"_:x <{EX}p> <{EX}d> .\n"  # 5: a blank subject; <p> and <d> are not subjects
        f'\t  <{EX}e> <{EX}p> "<{EX}f>" .\n'  # 6: indented
        f"<{EX}e> <{EX}p> <{EX}g> .\r\n"  # 7
        f"<{EX}g> <{EX}p> <{EX}a> .\n"  # 8: after a CRLF line
    )
    index = _index(tmp_path, "t.nt", text)
    assert _where(index, "a") == (2, 1)
    assert _where(index, "ab") == (4, 1)
    assert _where(index, "e") == (6, 4)
    assert _where(index, "g") == (8, 1)
    for absent in ("notASubject", "b", "c", "d", "f", "p"):
        assert index.get(EX + absent) is None, absent
    quads = f"<{EX}q> <{EX}p> <{EX}b> <{EX}graph> .\n<{EX}q> <{EX}p> <{EX}c> .\n<{EX}r> <{EX}p> <{EX}c> <{EX}graph> .\n"
    index = _index(tmp_path, "t.nq", quads)
    assert _where(index, "q") == (1, 1)
    assert _where(index, "r") == (3, 1)


def test_rdfxml_rdf_about_with_xml_base(tmp_path: Path) -> None:
    text = (
        '<?xml version="1.0"?>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"\n'
        '         xmlns:ex="https://example.org/t/" xml:base="https://example.org/t/">\n'
        '  <rdf:Description rdf:about="a">\n'
        "    <ex:p>x</ex:p>\n"
        "  </rdf:Description>\n"
        '  <ex:Thing rdf:about="https://example.org/t/b"/>\n'
        "</rdf:RDF>\n"
    )
    index = _index(tmp_path, "t.rdf", text)
    assert _where(index, "a")[0] == 4
    assert _where(index, "b")[0] == 7


def test_jsonld_gets_the_file_only(tmp_path: Path) -> None:
    text = '{"@id": "https://example.org/t/a", "https://example.org/t/p": "x"}'
    index = _index(tmp_path, "t.jsonld", text)
    loc = index.get(EX + "a")
    assert loc is not None
    assert loc.file.endswith("t.jsonld")
    assert loc.line is None


def test_first_file_wins(tmp_path: Path) -> None:
    index = LocationIndex()
    for name in ("one.nt", "two.nt"):
        path = tmp_path / name
        path.write_text(f"<{EX}a> <{EX}p> <{EX}b> .\n", encoding="utf-8")
        index.add_document(path.read_bytes(), RdfFormat.N_TRIPLES, str(path), [])
    loc = index.get(EX + "a")
    assert loc is not None
    assert loc.file.endswith("one.nt")


@pytest.mark.parametrize("blank", ["_:x", "[]"])
def test_blank_nodes_are_not_indexed(tmp_path: Path, blank: str) -> None:
    index = _index(tmp_path, "t.ttl", f"@prefix ex: <{EX}> .\n{blank} ex:p ex:o .\n")
    assert len(index) == 0


def test_turtle_prefixes_are_collected_for_reports(tmp_path: Path) -> None:
    index = _index(tmp_path, "p.ttl", f"@prefix ex: <{EX}> .\nPREFIX o: <{EX}o/>\nex:a ex:p o:b .\n")
    assert index.prefixes == {"ex": EX, "o": EX + "o/"}


def test_turtle_statement_ends_without_white_space_and_dotted_names(tmp_path: Path) -> None:
    text = (
        "@prefix ex: <https://example.org/t/> .\n"
        'ex:a.b ex:p 1.5, ex:c.d.<https://example.org/t/e> ex:p "x. [y]".\n'  # 2
        "ex:f ex:p [ ex:q ex:not.a.subject ] ; ex:r ( ex:g ) .ex:h ex:p ex:o.\n"  # 3
    )
    index = _index(tmp_path, "t.ttl", text)
    assert _where(index, "a.b") == (2, 1)
    assert _where(index, "e")[0] == 2
    assert _where(index, "f") == (3, 1)
    assert _where(index, "h") == (3, 54)
    for not_subject in ("c.d", "not.a.subject", "g"):
        loc = index.get(EX + not_subject)
        assert loc is None or loc.line is None, not_subject
