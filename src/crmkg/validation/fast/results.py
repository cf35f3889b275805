"""From a compiled check's solutions to findings: the rows a check returns, and the
:class:`~crmkg.validation.report.ValidationResult` each stands for, with the reference engine's
defaults (messages, value, path), one result per distinct finding.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from crmkg.store.terms import from_ox
from crmkg.validation.fast.compiler import Check
from crmkg.validation.fast.messages import fill, generic
from crmkg.validation.report import ValidationResult
from crmkg.validation.shacl_graph import ShapeNamer

Term = URIRef | BNode | Literal
Row = dict[str, Term]
#: A solution in the store's terms: what forked workers send back (pickled as written; an rdflib
#: literal would be re-parsed, and so rewritten, on the way).
StoreRow = dict[str, ox.NamedNode | ox.BlankNode | ox.Literal]

#: One check's solutions and the seconds it took where it ran.
Timed = tuple[list[StoreRow], float]


def results_of(check: Check, store_rows: Iterable[StoreRow], namer: ShapeNamer) -> Iterator[ValidationResult]:
    """The results one check's solutions stand for, with the reference engine's defaults."""
    shape_id = namer(check.shape)
    for store_row in store_rows:
        row: Row = {k: from_ox(v) for k, v in store_row.items()}
        focus = row.get(check.focus_var)
        if focus is None:
            continue
        value: Node | None = row.get(check.value_var) if check.value_var else None
        if value is None and check.value_defaults_to_focus:
            value = focus
        path = row.get(check.path_var) if check.path_var else None
        result_path = path if isinstance(path, URIRef) else check.result_path
        if check.messages and check.fills_templates:
            # As the reference engine: this, the row's ?path, the value (the focus for node
            # shapes) and every other variable of the row the messages name.
            bindings = {"this": str(focus)}
            if isinstance(path, URIRef):
                bindings["path"] = str(path)
            if value is not None:
                bindings["value"] = str(value)
            for name, col in check.message_vars:
                bound = row.get(col)
                if bound is not None:
                    bindings[name] = str(bound)
            messages = fill(check.messages, bindings)
        elif check.messages:
            # Core constraints: the reference engine leaves templates as they are.
            messages = fill(check.messages, {})
        else:
            messages = generic(check.component)
        yield ValidationResult(
            severity=check.severity,
            focus_node=focus,
            path=result_path,
            value=value if isinstance(value, URIRef | BNode | Literal) else None,
            source_shape=check.shape,
            constraint_component=check.component,
            messages=messages,
            shape_id=shape_id,
        )


def results_of_checks(timed: Iterable[tuple[Check, Timed]], namer: ShapeNamer) -> list[ValidationResult]:
    """The results of checks that have run (see :meth:`FastEngine.run_checks`)."""
    return [r for check, (rows, _) in timed for r in results_of(check, rows, namer)]


def dedupe(results: Iterable[ValidationResult]) -> list[ValidationResult]:
    """One result per (focus, path, value, shape, component, severity, messages), as a SHACL report
    is a set; SPARQL rows that differ only in a variable the message names stay apart, as in the reference."""
    seen: set[tuple[object, ...]] = set()
    out = []
    for r in results:
        messages = tuple(sorted(r.messages.items()))
        key = (r.focus_node, r.path, r.value, r.source_shape, r.constraint_component, r.severity, messages)
        if key not in seen:
            seen.add(key)
            out.append(r)
    return out
