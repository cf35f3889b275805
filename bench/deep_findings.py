"""The findings a defect of ``generate_deep.py`` must produce, and the manifest they are written to.

A finding is keyed as the tests compare them: shape id, severity, focus node, result path, constraint
component and value (N-Triples). Values are written exactly as the data writes them, so a report that
normalises a literal does not match.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

SH = "http://www.w3.org/ns/shacl#"
AKJ = "https://w3id.org/crmkg/akj#"
ORG = "http://www.w3.org/ns/org#"
XSD = "http://www.w3.org/2001/XMLSchema#"

#: Severity of each shape id that is not a violation.
_LOWER = {
    "S3": "Warning",
    "S6": "Warning",
    "S7": "Warning",
    "S9": "Warning",
    "S14": "Warning",
    "S15": "Warning",
    "S16": "Warning",
    "S20b": "Warning",
    "S21": "Warning",
    "S22b": "Warning",
    "S13b": "Info",
    "S19": "Info",
}

#: The alternative paths two shapes use, as the report writes them.
CUSTOMER_PARTY_PATH = "|".join(
    f"<{AKJ}{p}>"
    for p in (
        "involvesCustomerParty",
        "hasUser",
        "hasNegotiatingPartner",
        "hasPayer",
        "hasDecisionMaker",
        "hasInfluencer",
    )
)
PARENT_PATH = f"<{ORG}subOrganizationOf>|<{ORG}unitOf>"

FIELDS = ("shape_id", "severity", "focus_node", "path", "constraint_component", "value", "kind", "reference_gap")


@dataclass(frozen=True)
class Finding:
    """One expected result. ``path`` is a full IRI for a predicate, or the path as the report writes it."""

    shape_id: str
    focus: str
    component: str
    path: str = ""
    value: str = ""
    kind: str = ""
    #: Why the reference engine (pyshacl) is known to miss this one, when it is.
    reference_gap: str = ""

    @property
    def severity(self) -> str:
        return SH + _LOWER.get(self.shape_id, "Violation")

    def row(self) -> dict[str, str]:
        return {
            "shape_id": self.shape_id,
            "severity": self.severity,
            "focus_node": self.focus,
            "path": self.path,
            "constraint_component": SH + self.component + "ConstraintComponent",
            "value": self.value,
            "kind": self.kind,
            "reference_gap": self.reference_gap,
        }


def iri_nt(iri: str) -> str:
    return f"<{iri}>"


def literal_nt(lexical: str, datatype: str | None = None) -> str:
    escaped = lexical.replace("\\", "\\\\").replace('"', '\\"')
    if datatype is None or datatype == XSD + "string":
        return f'"{escaped}"'
    return f'"{escaped}"^^<{datatype}>'


def write_manifest(path: Path, findings: list[Finding]) -> None:
    """The expected findings as CSV, one row per distinct finding, sorted."""
    rows = sorted({tuple(f.row().items()) for f in findings})
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=FIELDS)
        writer.writeheader()
        for row in rows:
            writer.writerow(dict(row))


def read_manifest(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def divergent_model_findings(
    models: list[tuple[str, str, frozenset[str]]], parents: dict[str, list[str]]
) -> list[Finding]:
    """S19: one finding per pair of models owned by different units where one counts a capacity the
    other does not, at the lowest organisation strictly above both owners. ``models`` are
    (model, owner, capacities); ``parents`` maps a unit to its parents."""

    def ancestors(unit: str) -> dict[str, int]:
        """Organisations strictly above ``unit`` and their distance."""
        seen: dict[str, int] = {}
        todo = [(p, 1) for p in parents.get(unit, [])]
        while todo:
            node, d = todo.pop()
            if node in seen and seen[node] <= d:
                continue
            seen[node] = d
            todo.extend((p, d + 1) for p in parents.get(node, []))
        return seen

    out = []
    by_caps: dict[frozenset[str], list[tuple[str, str]]] = {}
    for model, owner, caps in models:
        by_caps.setdefault(caps, []).append((model, owner))
    groups = list(by_caps.items())
    for gi, (caps_a, members_a) in enumerate(groups):
        for caps_b, members_b in groups[gi + 1 :]:
            if caps_a == caps_b:
                continue
            for a, owner_a in members_a:
                up_a = ancestors(owner_a)
                for b, owner_b in members_b:
                    if owner_a == owner_b:
                        continue
                    up_b = ancestors(owner_b)
                    common = set(up_a) & set(up_b)
                    # The lowest: no other common organisation lies below it.
                    lowest = [c for c in common if not any(c in ancestors(o) for o in common if o != c)]
                    for top in lowest:
                        out.append(Finding("S19", top, "SPARQL", value=iri_nt(min(a, b)), kind="divergent-model"))
    return out
