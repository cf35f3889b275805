"""Input errors as findings, so a CI format never goes silent when the input cannot be read.

A syntax error, an unreadable or missing file, or a bad option stops a run (exit 2). The CLI
still writes the report it was asked for: one finding with the rule id ``input-error``, the
:data:`~crmkg.validation.report.INPUT_CHECK` component and the error's file, line and column,
so GitHub gets an ``::error file=…,line=…,col=…::`` annotation, SARIF a result with a region
(and a tool notification), JUnit an ``<error>`` test case, JSON and Markdown the error.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from rdflib import URIRef

from crmkg.errors import CrmkgError
from crmkg.i18n import message
from crmkg.validation.report import INPUT_CHECK, Rule, Severity, ValidationReport, ValidationResult

#: The rule id of input errors in every format.
INPUT_ERROR = "input-error"

INPUT_ERROR_RULE = Rule(
    id=INPUT_ERROR,
    labels={"fi": "syötettä ei voi lukea", "en": "input cannot be read"},
    severity=Severity.VIOLATION,
    source="crmkg",
    descriptions={
        "fi": "Tiedostoa ei voi lukea, sen syntaksi on virheellinen tai valinta on väärä; mitään ei tarkistettu.",
        "en": "A file cannot be read, its syntax is wrong or an option is wrong; nothing was checked.",
    },
)


def error_result(error: CrmkgError) -> ValidationResult:
    """One finding for ``error``, located where the error says it is."""
    location = error.location
    focus = "urn:crmkg:input"
    if location is not None:
        focus = Path(location.file).resolve().as_uri() if location.file else focus
        if location.line is not None:
            focus += f"#line={location.line}"
    return ValidationResult(
        severity=Severity.VIOLATION,
        focus_node=URIRef(quote(focus, safe=":/#=.-_~")),
        path=None,
        value=None,
        source_shape=None,
        constraint_component=INPUT_CHECK,
        messages={lang: message("report.input_error", lang, error=error.localised(lang)) for lang in ("fi", "en")},
        shape_id=INPUT_ERROR,
        location=location,
    )


def error_report(error: CrmkgError, *, inputs: tuple[str, ...] = (), engine: str = "") -> ValidationReport:
    """A report holding only the input error."""
    return ValidationReport(results=(error_result(error),), engine=engine, inputs=inputs, rules=(INPUT_ERROR_RULE,))


def is_input_error(result: ValidationResult) -> bool:
    return result.shape_id == INPUT_ERROR and result.constraint_component == INPUT_CHECK


def input_errors(report: ValidationReport) -> list[ValidationResult]:
    """The input errors of ``report`` (empty for a run that read its input)."""
    return [r for r in report.results if is_input_error(r)]
