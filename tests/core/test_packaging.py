"""The data folders are found from the checkout and from an installed wheel; imports stay lean."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import crmkg
from crmkg import resources

REPO = Path(__file__).resolve().parents[2]


def test_checkout_finds_the_data_folders() -> None:
    root = resources.data_root()
    assert root == REPO
    for folder in ("ontology", "shapes", "queries", "examples"):
        assert resources.data_path(folder).is_dir()
    assert resources.ontology_files(), "no ontology/akj-*.ttl found"
    assert {p.stem for p in resources.shapes_files()} >= {"header", "relationships", "assignments", "plans"}


@pytest.mark.slow
def test_an_installed_wheel_carries_and_finds_its_data(tmp_path: Path) -> None:
    """Build the wheel, unpack it as site-packages would, and ask crmkg where its data is."""
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(tmp_path / "dist"), str(REPO)],
        check=True,
        capture_output=True,
    )
    (wheel,) = (tmp_path / "dist").glob("crmkg-*.whl")
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        zf.extractall(site)
    for expected in (
        "crmkg/py.typed",
        "crmkg/_data/ontology/akj-core.ttl",
        "crmkg/_data/shapes/akj-shapes/header.ttl",
        "crmkg/_data/shapes/akj-shapes/assignments.ttl",
        "crmkg/_data/queries/lookup/current-responsibilities.rq",
    ):
        assert expected in names, f"{expected} missing from the wheel"
    probe = (
        "import json, crmkg.resources as r; "
        "print(json.dumps([str(r.data_root()), [p.name for p in r.ontology_files()], str(crmkg.__file__),"
        " [p.name for p in r.shapes_files()]]))"
    )
    out = subprocess.run(
        [sys.executable, "-S", "-c", "import crmkg; " + probe],  # -S: no .pth, so no editable hook
        check=True,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(site) + ":" + ":".join(p for p in sys.path if "site-packages" in p)},
        cwd=tmp_path,
    )
    root, ontology, module, shapes = json.loads(out.stdout)
    assert module.startswith(str(site))
    assert root == str(site / "crmkg" / "_data")
    assert "akj-core.ttl" in ontology
    assert shapes == sorted(p.name for p in (REPO / "shapes" / "akj-shapes").glob("*.ttl"))


def test_data_dir_override_must_be_a_data_folder(tmp_path: Path) -> None:
    from crmkg.errors import UsageError

    with pytest.raises(UsageError, match="not a crmkg data folder"):
        resources.data_root(tmp_path)
    assert resources.data_root(REPO) == REPO


def test_public_api_is_exactly_what_all_lists() -> None:
    # resolved by the module's __getattr__: fastapi stays optional, and a command pays only for what it uses
    lazy = {"create_app", "load", "ownership_table", "relationship_answer", "ValidationReport", "validate"}
    public = {name for name in dir(crmkg) if not name.startswith("_")} - {"annotations", "TYPE_CHECKING", "Any"}
    submodules = {name for name in public if type(getattr(crmkg, name)).__name__ == "module"}
    assert set(crmkg.__all__) - {"__version__"} == (public - submodules) | lazy
    for name in crmkg.__all__:
        assert getattr(crmkg, name) is not None
    with pytest.raises(AttributeError):
        _ = crmkg.no_such_name  # type: ignore[attr-defined]


def test_import_crmkg_does_not_import_optional_heavyweights() -> None:
    code = (
        "import sys, crmkg; "
        "bad = [m for m in ('fastapi', 'uvicorn', 'owlready2', 'pyshacl', 'openpyxl', 'SPARQLWrapper') "
        "if m in sys.modules]; print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    assert out.stdout.strip() == ""
