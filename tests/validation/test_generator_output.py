"""The benchmark generators write the very bytes they wrote before (their shared code lives in
``bench/gen_common.py``; a refactoring must not move a single triple).

The digests are in ``golden/generator-digests.csv``. A deliberate change to an organisation
regenerates them: ``python tests/validation/test_generator_output.py > tests/validation/golden/generator-digests.csv``.
"""

from __future__ import annotations

import csv
import hashlib
import importlib
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DIGESTS = Path(__file__).parent / "golden" / "generator-digests.csv"

#: (generator module, its file ending, generate_to_file's arguments)
CASES = [
    ("generate", "nt", {"relationships": 60, "seed": 5, "defects": 0.4, "defect_seed": 3}),
    ("generate", "nt", {"triples": 8_000, "seed": 1, "defects": 0.02}),
    ("generate_deep", "ttl", {"relationships": 40, "seed": 3, "defects": 0.85}),
    ("generate_deep", "ttl", {"triples": 8_000, "seed": 1, "defects": 0.02}),
]


def _case_name(module: str, arguments: dict[str, float]) -> str:
    return module + " " + " ".join(f"{k}={v}" for k, v in sorted(arguments.items()))


def _digests(folder: Path) -> dict[str, str]:
    """Each case's name → the SHA-256 of its data file (and of its manifest, for the deep one)."""
    sys.path.insert(0, str(REPO / "bench"))
    out = {}
    for name, ending, arguments in CASES:
        module = importlib.import_module(name)
        data = folder / f"{name}.{ending}"
        module.generate_to_file(data, **arguments)
        digest = hashlib.sha256(data.read_bytes())
        if name == "generate_deep":
            digest.update(module.manifest_path(data).read_bytes())
        out[_case_name(name, arguments)] = digest.hexdigest()
    return out


@pytest.mark.parametrize("case", [_case_name(n, a) for n, _, a in CASES])
def test_same_arguments_same_bytes_as_recorded(case: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    with DIGESTS.open(encoding="utf-8", newline="") as f:
        recorded = {row["case"]: row["sha256"] for row in csv.DictReader(f)}
    assert _generated(tmp_path_factory)[case] == recorded[case]


_CACHE: dict[str, str] = {}


def _generated(factory: pytest.TempPathFactory) -> dict[str, str]:
    if not _CACHE:
        _CACHE.update(_digests(factory.mktemp("generated")))
    return _CACHE


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(["case", "sha256"])
        for case, digest in _digests(Path(tmp)).items():
            writer.writerow([case, digest])
