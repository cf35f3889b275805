"""A SPARQL syntax error in a query file (issue 14 §9): ``file:line:column``, the line, and a caret
under the position — found by crmkg's own SPARQL parser on the file as written."""

from __future__ import annotations

from pathlib import Path

import pytest

from crmkg.cli import main

HEADER = "#+ summary: a broken query\nPREFIX akj: <https://w3id.org/crmkg/akj#>\n"


@pytest.mark.parametrize(
    ("body", "line", "column", "indent"),
    [
        ("SELECT ?r WHERE {\n  ?r akj:hasOwner ?o .\n  FILTER(?o = )\n}\n", 5, 15, "  "),
        ("SELECT ?r WHERE {\n\t?r akj:hasOwner ?o\n\t?r akj:hasLead ?l }\n", 5, 2, "\t"),  # a missing dot before line 5
    ],
)
def test_the_error_points_at_the_line_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], body: str, line: int, column: int, indent: str
) -> None:
    path = tmp_path / "broken.rq"
    path.write_text(HEADER + body, encoding="utf-8")
    assert main(["query", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{path}:{line}:{column}: " in err
    assert "Traceback" not in err
    lines = err.splitlines()
    shown = next(i for i, text in enumerate(lines) if text == "  " + (HEADER + body).splitlines()[line - 1])
    caret = lines[shown + 1]
    assert caret.strip() == "^"
    assert caret.index("^") == 2 + column - 1  # under the column (tabs kept as tabs)
    assert caret.startswith("  " + indent)
