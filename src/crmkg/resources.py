"""The single locator of crmkg's packaged data folders: ontology/, shapes/, queries/, examples/.

From a source checkout (editable install) the folders sit at the repository root; in an installed
wheel they are copied into the package as ``crmkg/_data/<folder>``. A ``data_dir`` argument (or
``CRMKG_DATA_DIR`` read by :class:`crmkg.config.Settings`) overrides both.
"""

from __future__ import annotations

from pathlib import Path

from crmkg.errors import UsageError

DATA_FOLDERS = ("ontology", "shapes", "queries", "examples")

_PACKAGE_DIR = Path(__file__).resolve().parent


def _candidates() -> list[Path]:
    # The wheel layout first: an installed package must never read a stray checkout.
    return [_PACKAGE_DIR / "_data", _PACKAGE_DIR.parent.parent]


def data_root(data_dir: Path | None = None) -> Path:
    """The folder that holds ontology/, shapes/, queries/ (and examples/ in a checkout)."""
    if data_dir is not None:
        if not (data_dir / "ontology").is_dir():
            raise UsageError(key="error.data_dir", path=data_dir)
        return data_dir
    for root in _candidates():
        if (root / "ontology").is_dir() and (root / "shapes").is_dir():
            return root
    raise UsageError(key="error.data_dirs_missing")


def data_path(folder: str, data_dir: Path | None = None) -> Path:
    """Path of one packaged data folder, e.g. ``data_path("queries") / "cq"``."""
    if folder not in DATA_FOLDERS:
        raise UsageError(key="error.data_folder", folder=folder, folders=", ".join(DATA_FOLDERS))
    return data_root(data_dir) / folder


def ontology_files(data_dir: Path | None = None) -> list[Path]:
    """The ontology modules (core, schemes, align), in a stable order."""
    folder = data_path("ontology", data_dir)
    return sorted(folder.glob("akj-*.ttl"))


def external_hierarchy_file(data_dir: Path | None = None) -> Path:
    """The hand-written ORG/FOAF class hierarchy snippet SHACL ``sh:class`` checks need."""
    return data_path("ontology", data_dir) / "imports" / "external-hierarchy.ttl"


def shapes_dir(data_dir: Path | None = None) -> Path:
    """The folder of the data shapes graph: one Turtle file per area (relationships, assignments, …)."""
    return data_path("shapes", data_dir) / "akj-shapes"


def shapes_files(data_dir: Path | None = None) -> list[Path]:
    """The files that together make the data shapes graph (S1–S27), in a stable order."""
    files = sorted(shapes_dir(data_dir).glob("*.ttl"))
    if not files:
        raise UsageError(key="error.no_data_shapes", path=shapes_dir(data_dir))
    return files


def example_dir(name: str = "esimerkki", data_dir: Path | None = None) -> Path:
    """A folder under examples/ (the example organisation by default)."""
    path = data_path("examples", data_dir) / name
    if not path.is_dir():
        raise UsageError(key="error.no_example_in", name=name, folder=path.parent)
    return path


def example_names(data_dir: Path | None = None) -> list[str]:
    """The bundled examples (folders under examples/), sorted."""
    folder = data_path("examples", data_dir)
    return sorted(p.name for p in folder.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))
