"""The one findings model: every engine, verb and output format uses it.

One model serves SHACL data validation (any engine), the ontology's own QA (meta-shapes, the
reasoner, ``queries/qc`` checks), CRM and HR imports (bad input and data-quality notes, located
by file, row and column) and baselines, so CI gets one report, one :class:`Severity` and one
``--fail-on`` whatever produced the findings.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum

from rdflib import BNode, Literal, URIRef
from rdflib.paths import Path as PropertyPath

from crmkg.errors import SourceLocation
from crmkg.namespaces import AKJSH
from crmkg.severity import Severity as Severity  # the findings model's severity, re-exported

#: The constraint component of findings about input files (a CRM or HR import): their focus
#: node names the source row, not a node of the data graph.
INPUT_CHECK = AKJSH.InputCheckComponent

#: A node of the data graph (focus node or value).
Node = URIRef | BNode | Literal
#: A SHACL property path: a predicate IRI or an rdflib path expression (sequence, inverse, …).
ResultPath = URIRef | PropertyPath


class BaselineState(StrEnum):
    """A result compared with a baseline report: new, or already in the baseline."""

    NEW = "new"
    UNCHANGED = "unchanged"


class SuppressionKind(StrEnum):
    """Where a suppression was written (SARIF's ``suppression.kind``)."""

    IN_SOURCE = "inSource"  # a ``# crmkg: ignore[S9] reason`` comment in the data


@dataclass(frozen=True)
class Suppression:
    """Why a finding does not count: who suppressed it, where, and the reason they gave."""

    kind: SuppressionKind
    justification: str = ""
    #: Where the suppression is written (``data/plans.ttl:12``).
    source: str = ""


#: Message keys are BCP 47 language tags; ``""`` holds an untagged message.
Messages = Mapping[str, str]


def pick_message(messages: Messages, lang: str) -> str:
    """The message in ``lang``, else Finnish/English (whichever is the other), else untagged, else any."""
    if lang in messages:
        return messages[lang]
    for other in ("fi", "en", ""):
        if other in messages:
            return messages[other]
    return next(iter(messages.values()), "")


@dataclass(frozen=True)
class ValidationResult:
    """One finding: what, where in the graph, where in the files, which rule, how bad.

    ``shape_id`` is the short id of the rule (``S5``, ``QA3``, ``qc-orphan-post``, ``bad-date``…)
    used for grouping, baselines and CI rule ids; ``location`` is where the focus node is defined,
    if known — for an input finding (``constraint_component`` :data:`INPUT_CHECK`), the file, row
    and column the finding is about. ``count`` says how many identical occurrences the finding
    stands for (an import groups them; the message names examples).
    """

    severity: Severity
    focus_node: Node
    path: ResultPath | None
    value: Node | None
    source_shape: URIRef | BNode | None
    constraint_component: URIRef
    messages: Messages = field(default_factory=dict)
    shape_id: str | None = None
    location: SourceLocation | None = None
    #: Set after comparison with a baseline; ``None`` without one.
    baseline_state: BaselineState | None = None
    count: int = 1
    #: Set when the finding is suppressed (reported, but never counted or failing).
    suppression: Suppression | None = None

    @property
    def about_input(self) -> bool:
        """True for a finding about an input file (its focus node only names the source row)."""
        return self.constraint_component == INPUT_CHECK

    def message(self, lang: str = "en") -> str:
        """The message in ``lang`` with fallbacks (see :func:`pick_message`)."""
        return pick_message(self.messages, lang)

    @property
    def rule_id(self) -> str:
        """A stable id for the rule: ``shape_id``, else the source shape, else the component."""
        if self.shape_id:
            return self.shape_id
        if isinstance(self.source_shape, URIRef):
            return str(self.source_shape)
        return str(self.constraint_component)

    def fingerprint(self) -> str:
        """A stable hash of what the finding is about (rule, component, focus, path, value).

        Blank nodes are left out (their labels change between runs), and the file location is
        left out (moving a resource to another file is not a new finding).
        """
        parts = [
            self.rule_id,
            str(self.constraint_component),
            term_key(self.focus_node),
            path_key(self.path),
            term_key(self.value),
        ]
        return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]

    def with_location(self, location: SourceLocation | None) -> ValidationResult:
        return replace(self, location=location)


def term_key(term: Node | None) -> str:
    """A run-independent text form of a term (blank nodes all read ``_:``)."""
    if term is None:
        return ""
    if isinstance(term, BNode):
        return "_:"
    return str(term.n3())


def path_key(path: ResultPath | None) -> str:
    """The SPARQL text of a path (``<iri>`` or e.g. ``^<a>/<b>``)."""
    if path is None:
        return ""
    return str(path.n3())


@dataclass(frozen=True)
class Rule:
    """A check that was run (a shape, a QA query, the reasoner), whether or not it found anything.

    Formats use it for JUnit test cases, SARIF rule descriptors and group headings.
    """

    id: str
    labels: Messages = field(default_factory=dict)
    severity: Severity = Severity.VIOLATION
    source: str | None = None  # the shape IRI or query file
    descriptions: Messages = field(default_factory=dict)

    def label(self, lang: str = "en") -> str:
        return pick_message(self.labels, lang) or self.id


@dataclass(frozen=True)
class ValidationReport:
    """What a validation run found.

    ``engine`` names the engine (``pyshacl``, ``fast``, ``check``…), ``as_of`` the date the
    date-relative shapes were evaluated on, ``inputs`` the files read.
    """

    results: tuple[ValidationResult, ...] = ()
    engine: str = ""
    as_of: dt.date | None = None
    inputs: tuple[str, ...] = ()
    parameters: Mapping[str, str] = field(default_factory=dict)
    rules: tuple[Rule, ...] = ()
    #: Findings of the baseline that no longer occur (``None`` when no baseline was used).
    baseline_fixed: int | None = None
    #: Prefixes declared in the input files (for short IRIs in human-readable formats).
    prefixes: Mapping[str, str] = field(default_factory=dict)
    #: What the reader should know about how the run was made (a shape that fell back to another
    #: engine and why, what an incremental run re-validated); plain sentences in English.
    notes: tuple[str, ...] = ()
    #: What an import read and made (``accountsRead``, ``relationships``, …); ``None`` elsewhere.
    summary: Mapping[str, int] | None = None
    #: Labels of the shapes that reported, by shape IRI: each finding's group is headed by its own
    #: shape's label (several shapes share one rule id, e.g. S27).
    shape_labels: Mapping[str, Messages] = field(default_factory=dict)

    def conforms(self, fail_on: Severity | str = Severity.VIOLATION) -> bool:
        """True when no result at or above ``fail_on`` is new (all are new without a baseline)."""
        return not self.failing(fail_on)

    def findings(self, fail_on: Severity | str = Severity.VIOLATION) -> list[ValidationResult]:
        """The results at or above ``fail_on`` that are not suppressed."""
        level = fail_on if isinstance(fail_on, Severity) else Severity.from_name(fail_on)
        return [r for r in self.results if r.severity >= level and r.suppression is None]

    @property
    def active(self) -> tuple[ValidationResult, ...]:
        """The results that count: all but the suppressed ones."""
        return tuple(r for r in self.results if r.suppression is None)

    @property
    def suppressed(self) -> tuple[ValidationResult, ...]:
        return tuple(r for r in self.results if r.suppression is not None)

    def failing(self, fail_on: Severity | str = Severity.VIOLATION) -> list[ValidationResult]:
        """The results that make the run fail: at or above ``fail_on`` and not in the baseline."""
        return [r for r in self.findings(fail_on) if r.baseline_state is not BaselineState.UNCHANGED]

    def rule(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.id == rule_id), None)

    def counts(self) -> dict[Severity, int]:
        """Number of results per severity, suppressed ones left out (every severity present as a key)."""
        counted = Counter(r.severity for r in self.active)
        return {sev: counted.get(sev, 0) for sev in sorted(Severity, reverse=True)}

    def sorted(self) -> ValidationReport:
        """The same report with results in a deterministic order (severity, rule, focus, path, value)."""
        return replace(self, results=tuple(sorted(self.results, key=result_sort_key)))

    def extend(self, results: Iterable[ValidationResult]) -> ValidationReport:
        return replace(self, results=(*self.results, *results))

    def replace(self, **changes: object) -> ValidationReport:
        return replace(self, **changes)  # type: ignore[arg-type]


def result_sort_key(r: ValidationResult) -> tuple[int, str, str, str, str, str]:
    return (
        -r.severity.rank,
        natural_key(r.rule_id),
        str(r.focus_node),
        path_key(r.path),
        term_key(r.value),
        str(r.constraint_component),
    )


def natural_key(text: str) -> str:
    """Sort key that puts S2 before S10 (pads digit runs)."""
    out: list[str] = []
    digits = ""
    for ch in text:
        if ch.isdigit():
            digits += ch
            continue
        if digits:
            out.append(digits.zfill(8))
            digits = ""
        out.append(ch)
    if digits:
        out.append(digits.zfill(8))
    return "".join(out)
