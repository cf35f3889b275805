"""The hostile documents of ``bench/hostile_documents.py`` (one set for the tests and the benchmark)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

_PATH = Path(__file__).resolve().parents[2] / "bench" / "hostile_documents.py"
_spec = importlib.util.spec_from_file_location("crmkg_bench_hostile_documents", _PATH)
assert _spec is not None
assert _spec.loader is not None
_module = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_module)

DEEP = _module.DEEP
jsonld_context_chain = _module.jsonld_context_chain
jsonld_objects = _module.jsonld_objects
rdfxml_attributes = _module.rdfxml_attributes
rdfxml_elements = _module.rdfxml_elements
worst_uploads = _module.worst_uploads
