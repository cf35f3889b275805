"""OWL reasoning over the akj ontology: the OWL 2 RL closure and the HermiT TBox check.

Two jobs, two engines:

* :func:`rl_closure` materialises the OWL 2 RL consequences of data + TBox (``owlrl`` by
  default, optionally the Rust ``reasonable`` engine). It never mutates its input.
* :func:`check_tbox_consistency` runs HermiT through ``owlready2`` (needs Java) and reports
  whether the TBox is consistent and which classes are unsatisfiable. ``owlready2`` is an
  optional dependency (extra ``owl``); it is imported inside the function so that
  ``import crmkg`` never pulls it in.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from rdflib import Graph
from rdflib.namespace import OWL

from crmkg.errors import ReasoningError

__all__ = [
    "ConsistencyResult",
    "JavaNotFoundError",
    "OntologyParseError",
    "ReasonerUnavailableError",
    "RlEngine",
    "check_tbox_consistency",
    "rl_closure",
]


class ReasonerUnavailableError(ReasoningError):
    """The reasoner's Python package is not installed."""


class JavaNotFoundError(ReasonerUnavailableError):
    """HermiT needs a Java runtime and none was found."""


class OntologyParseError(ReasoningError):
    """An ontology document handed to the reasoner could not be parsed."""

    def __init__(self, path: Path, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = str(path)
        self.problem = problem


class RlEngine(StrEnum):
    """The OWL 2 RL engines :func:`rl_closure` can use."""

    OWLRL = "owlrl"
    REASONABLE = "reasonable"


@dataclass(frozen=True)
class ConsistencyResult:
    """What HermiT found about a TBox."""

    consistent: bool
    unsatisfiable_classes: tuple[str, ...]
    files: tuple[str, ...]
    seconds: float
    reasoner: str = "HermiT (owlready2)"

    @property
    def ok(self) -> bool:
        """Consistent and every named class satisfiable."""
        return self.consistent and not self.unsatisfiable_classes


def rl_closure(graph: Graph, engine: RlEngine | str = RlEngine.OWLRL) -> Graph:
    """A new graph: ``graph`` plus its OWL 2 RL consequences.

    Axiomatic and datatype triples are not added, and the reflexive ``x owl:sameAs x`` that owlrl
    writes for every resource is dropped: both are the same for every input and only make the
    result bigger. Under RL a functional or inverse-functional property with two values would
    produce ``owl:sameAs`` between distinct individuals; the akj TBox has none on purpose.

    ``reasonable`` is about 20 times faster but does not apply property chains (rule prp-spo2),
    so it misses ``inManagementDomain`` propagation; owlrl is the default for that reason.
    """
    try:
        chosen = RlEngine(engine)
    except ValueError as exc:
        raise ReasoningError(key="error.rl_engine", engine=engine) from exc
    result = _closure_reasonable(graph) if chosen is RlEngine.REASONABLE else _closure_owlrl(graph)
    for subject, _, obj in list(result.triples((None, OWL.sameAs, None))):
        if subject == obj:
            result.remove((subject, OWL.sameAs, obj))
    return result


def _copy(graph: Graph) -> Graph:
    result = Graph()
    for prefix, namespace in graph.namespaces():
        result.bind(prefix, namespace, override=True)
    for triple in graph:
        result.add(triple)
    return result


def _closure_owlrl(graph: Graph) -> Graph:
    import owlrl  # a core dependency; imported here to keep module import light

    result = _copy(graph)
    try:
        owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(result)
    except Exception as exc:  # owlrl raises bare exceptions on malformed lists etc.
        raise ReasoningError(key="error.reasoner_failed", reasoner="owlrl", problem=str(exc)) from exc
    return result


def _closure_reasonable(graph: Graph) -> Graph:
    try:
        import reasonable  # type: ignore[import-not-found,unused-ignore]
    except ImportError as exc:
        raise ReasonerUnavailableError("the 'reasonable' package is not installed (pip install reasonable)") from exc
    result = _copy(graph)
    try:
        reasoner: Any = reasonable.PyReasoner()
        reasoner.from_graph(result)
        inferred: list[Any] = reasoner.reason()
    except Exception as exc:
        raise ReasoningError(key="error.reasoner_failed", reasoner="reasonable", problem=str(exc)) from exc
    for triple in inferred:
        result.add(triple)
    return result


def _find_java() -> str:
    java = shutil.which("java")
    if java is None:
        raise JavaNotFoundError("HermiT needs Java: install a Java runtime (e.g. Debian default-jre-headless)")
    return java


def check_tbox_consistency(paths: Sequence[Path | str], *, timeout_s: float = 120.0) -> ConsistencyResult:
    """Run HermiT on the union of the given ontology documents (Turtle or any rdflib format).

    Each document is parsed with rdflib and handed to owlready2 as N-Triples (owlready2 does not
    read Turtle). Raises :class:`OntologyParseError` for a document that does not parse,
    :class:`ReasonerUnavailableError` / :class:`JavaNotFoundError` when the tools are missing and
    :class:`ReasoningError` when HermiT itself fails or runs longer than ``timeout_s`` (the Java
    process is then killed).
    """
    if not paths:
        raise ReasoningError(key="error.no_ontology_documents")
    files = tuple(Path(p) for p in paths)
    try:
        import owlready2
    except ImportError as exc:
        raise ReasonerUnavailableError("owlready2 is not installed (pip install 'crmkg[owl]')") from exc
    owlready2.JAVA_EXE = _find_java()

    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="crmkg-hermit-") as tmp:
        world = owlready2.World()
        for index, path in enumerate(files):
            graph = Graph()
            try:
                graph.parse(str(path))
            except FileNotFoundError as exc:
                raise OntologyParseError(path, "no such file") from exc
            except Exception as exc:  # rdflib raises many unrelated types for bad syntax
                raise OntologyParseError(path, str(exc)) from exc
            nt_file = Path(tmp) / f"{index:02d}-{path.stem}.nt"
            graph.serialize(destination=str(nt_file), format="nt", encoding="utf-8")
            try:
                world.get_ontology(nt_file.as_uri()).load(format="ntriples")
            except Exception as exc:
                raise OntologyParseError(path, f"owlready2 could not load it: {exc}") from exc

        consistent = True
        # owlready2 passes this dict to subprocess.check_output: a timeout kills a hung Java.
        kwargs = owlready2.reasoning._subprocess_kargs
        kwargs["timeout"] = timeout_s
        try:
            owlready2.sync_reasoner_hermit(
                world, infer_property_values=False, debug=0, ignore_unsupported_datatypes=True
            )
        except owlready2.OwlReadyInconsistentOntologyError:
            consistent = False
        except subprocess.TimeoutExpired as exc:
            raise ReasoningError(key="error.hermit_timeout", seconds=f"{timeout_s:g}") from exc
        except subprocess.CalledProcessError as exc:
            detail = exc.output.decode("utf-8", "replace") if isinstance(exc.output, bytes) else ""
            raise ReasoningError(key="error.hermit_exit", code=exc.returncode, detail=detail[-2000:]) from exc
        except OSError as exc:
            raise ReasoningError(key="error.hermit_start", problem=str(exc)) from exc
        finally:
            kwargs.pop("timeout", None)

        unsatisfiable: tuple[str, ...] = ()
        if consistent:
            nothing = str(OWL.Nothing)
            unsatisfiable = tuple(
                sorted(iri for cls in world.inconsistent_classes() if (iri := str(cls.iri)) != nothing)
            )
        world.close()
    return ConsistencyResult(
        consistent=consistent,
        unsatisfiable_classes=unsatisfiable,
        files=tuple(str(f) for f in files),
        seconds=time.perf_counter() - started,
    )
