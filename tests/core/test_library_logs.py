"""Library warnings (rdflib's ill-typed literals above all) become one-line notes, never tracebacks."""

from __future__ import annotations

import io
import logging

from rdflib import Literal
from rdflib.namespace import XSD

from crmkg.library_logs import LIBRARY_LOGGERS, library_notes, quiet_libraries


def test_ill_typed_literals_are_collected_as_one_counted_note() -> None:
    with library_notes() as logged:
        Literal("2024-13-05", datatype=XSD.date)
        Literal("2024-13-06", datatype=XSD.date)
        Literal("kolme", datatype=XSD.integer)
    notes = logged.notes()
    assert any("not a valid xsd:date (month must be in 1..12)" in n and "(2 times)" in n for n in notes), notes
    assert any("not a valid xsd:integer" in n for n in notes), notes
    assert not any("Traceback" in n or "\n" in n for n in notes)


def test_outside_a_collection_the_loggers_are_as_before() -> None:
    logger = logging.getLogger("rdflib")
    before = (list(logger.handlers), logger.propagate)
    with library_notes(), library_notes() as inner:  # nested (overlapping runs) share one handler
        logging.getLogger("owlrl").warning("rule %s skipped", "R1")
    assert inner.notes() == ["owlrl: rule R1 skipped"]
    assert (list(logger.handlers), logger.propagate) == before


def test_the_command_line_prints_one_line_per_warning() -> None:
    stream = io.StringIO()
    loggers = [logging.getLogger(name) for name in LIBRARY_LOGGERS]
    saved = [(list(logger.handlers), logger.propagate) for logger in loggers]
    try:
        quiet_libraries(stream)
        try:
            raise ValueError("bad value\nsecond line")
        except ValueError:
            logging.getLogger("owlrl").warning("could not do it", exc_info=True)
    finally:
        for logger, (handlers, propagate) in zip(loggers, saved, strict=True):
            logger.handlers, logger.propagate = handlers, propagate
    assert stream.getvalue() == "crmkg: note: owlrl: could not do it (bad value)\n"
