"""The query catalogue: the named SPARQL queries under ``queries/``, their headers and parameters.

:mod:`~crmkg.catalogue.header` reads a query's ``#+`` header, :mod:`~crmkg.catalogue.spec` makes a
file a typed :class:`QuerySpec`, :mod:`~crmkg.catalogue.binding` checks parameter values against
their types and makes them RDF terms (which the engine binds — parameter values never become
query text), and :class:`Catalogue` finds and runs the queries.
"""

from crmkg.catalogue.binding import RawValue, bind, expand_iri
from crmkg.catalogue.catalogue import Catalogue
from crmkg.catalogue.header import parse_header
from crmkg.catalogue.spec import ParamType, QueryKind, QueryParam, QuerySpec, Text, parse_query_file

__all__ = [
    "Catalogue",
    "ParamType",
    "QueryKind",
    "QueryParam",
    "QuerySpec",
    "RawValue",
    "Text",
    "bind",
    "expand_iri",
    "parse_header",
    "parse_query_file",
]
