"""Fixtures for the ingest tests: the example export, its config, and mutable copies of it."""

from __future__ import annotations

import csv
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from crmkg.ingest import ImportConfig, load_config
from crmkg.validation.report import ValidationResult

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "salesforce-export"
ORGCHART = ROOT / "examples" / "orgchart" / "orgchart.csv"
EXPECTED = Path(__file__).parent / "expected"

PREFIXES = {
    "sf": "https://example.org/salesforce/",
    "hr": "https://example.org/hr/",
    "akj": "https://w3id.org/crmkg/akj#",
}


def expand(value: str) -> str:
    prefix, sep, rest = value.partition(":")
    return PREFIXES[prefix] + rest if sep and prefix in PREFIXES else value


def expected_rows(name: str) -> set[tuple[str, ...]]:
    with (EXPECTED / name).open(encoding="utf-8", newline="") as handle:
        return {tuple(expand(v) for v in row.values()) for row in csv.DictReader(handle)}


@pytest.fixture
def example_config() -> ImportConfig:
    return load_config(EXAMPLE / "crmkg-import.toml")


@pytest.fixture
def export_copy(tmp_path: Path) -> Callable[..., Path]:
    """A copy of the example export; ``edit(file, text_before, text_after)`` changes one file."""

    def make(*edits: tuple[str, str, str]) -> Path:
        target = tmp_path / "export"
        shutil.copytree(EXAMPLE, target)
        for name, before, after in edits:
            path = target / name
            text = path.read_text(encoding="utf-8")
            assert before in text, f"{before!r} not in {name}"
            path.write_text(text.replace(before, after, 1), encoding="utf-8")
        return target

    return make


def where(finding: ValidationResult) -> tuple[str, int | None, str | None]:
    """``(file name, row, column)`` of an import finding."""
    loc = finding.location
    assert loc is not None, finding
    return Path(loc.file).name, loc.line, loc.field
