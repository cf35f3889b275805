"""How bad a finding is: the one :class:`Severity` of every findings model (validation, import,
check, the catalogue's quality checks).

A module of its own, so that what only names a severity (a query's header, ``--fail-on``) does not
import the validation engines.
"""

from __future__ import annotations

from enum import Enum
from functools import total_ordering

from rdflib import URIRef

from crmkg.errors import UsageError
from crmkg.namespaces import SH

_SH = str(SH)


@total_ordering
class Severity(Enum):
    """SHACL severities, ordered ``INFO < WARNING < VIOLATION``."""

    INFO = "Info"
    WARNING = "Warning"
    VIOLATION = "Violation"

    @property
    def rank(self) -> int:
        return _RANK[self]

    @property
    def iri(self) -> URIRef:
        """``sh:Info``, ``sh:Warning`` or ``sh:Violation``."""
        return URIRef(_SH + self.value)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank < other.rank

    @classmethod
    def from_iri(cls, iri: object) -> Severity:
        """The severity an ``sh:severity`` value names; a custom IRI counts as a Violation (SHACL §2.1.4)."""
        text = str(iri)
        for sev in cls:
            if text == _SH + sev.value:
                return sev
        return cls.VIOLATION

    @property
    def key(self) -> str:
        """``violation`` / ``warning`` / ``info``: the ``--fail-on`` and query-header vocabulary."""
        return self.value.lower()

    @classmethod
    def from_name(cls, name: str) -> Severity:
        """``violation`` / ``warning`` / ``info`` (any case) — the ``--fail-on`` vocabulary."""
        key = name.strip().lower()
        for sev in cls:
            if key == sev.key:
                return sev
        raise UsageError(key="error.unknown_severity", name=name)


_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.VIOLATION: 2}
