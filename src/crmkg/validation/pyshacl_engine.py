"""The reference engine: pyshacl over an rdflib graph (no inference, shapes already parameterised)."""

from __future__ import annotations

import logging
import warnings

from rdflib import Dataset, Graph

from crmkg.errors import ValidationError
from crmkg.store import Store, rdflib_dataset
from crmkg.validation import sparql_cache
from crmkg.validation.parameters import ValidationParameters
from crmkg.validation.profile import Profile, phase
from crmkg.validation.protocol import DataGraph
from crmkg.validation.report import ValidationReport
from crmkg.validation.shacl_graph import results_from_graph


def as_rdflib_graph(data: DataGraph) -> Graph:
    """One rdflib graph holding every triple of ``data`` (named graphs merged)."""
    if isinstance(data, Dataset):
        contexts = [g for g in data.contexts() if len(g)]
        if len(contexts) == 1:
            return contexts[0]
        merged = Graph()
        for s, p, o, _ in data.quads((None, None, None, None)):
            merged.add((s, p, o))
        return merged
    if isinstance(data, Graph):
        return data
    if isinstance(data, Store):
        return as_rdflib_graph(rdflib_dataset(data))
    raise ValidationError(key="error.cannot_validate_type", kind=type(data).__name__)


class PyshaclEngine:
    """SHACL Core + SHACL-SPARQL via pyshacl."""

    name = "pyshacl"
    preferred_backend = "memory"

    def validate(
        self,
        data: DataGraph,
        shapes: Graph,
        *,
        parameters: ValidationParameters,
        profile: Profile | None = None,
    ) -> ValidationReport:
        import pyshacl  # imported late: it is slow to import and only this engine needs it

        sparql_cache.install()
        with phase(profile, "copy"):
            graph = as_rdflib_graph(data)
        logging.getLogger("pyshacl").setLevel(logging.ERROR)
        try:
            with warnings.catch_warnings(), phase(profile, "pyshacl"):
                warnings.simplefilter("ignore")
                _conforms, results, _text = pyshacl.validate(
                    graph,
                    shacl_graph=shapes,
                    inference="none",
                    advanced=True,
                    inplace=True,  # never modified without inference; avoids a full copy
                    allow_warnings=True,
                    allow_infos=True,
                )
        except Exception as exc:  # pyshacl raises its own runtime errors for broken shapes
            raise ValidationError(key="error.pyshacl_failed", problem=exc) from exc
        if not isinstance(results, Graph):
            raise ValidationError(key="error.pyshacl_no_results")
        return ValidationReport(
            results=tuple(results_from_graph(results, shapes)),
            engine=self.name,
            as_of=parameters.today,
            parameters=parameters.as_strings(),
        )
