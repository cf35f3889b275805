"""Output formats of a :class:`~crmkg.validation.report.ValidationReport`: one module per format."""

from __future__ import annotations

from collections.abc import Callable

from crmkg.errors import UsageError
from crmkg.validation.formats import github, json_format, junit, markdown, sarif, text, turtle
from crmkg.validation.formats._common import RenderOptions
from crmkg.validation.report import ValidationReport

Renderer = Callable[[ValidationReport, RenderOptions], str]

#: ``--format`` name → the module's ``render(report, options) -> str``.
FORMATS: dict[str, Renderer] = {
    "text": text.render,
    "json": json_format.render,
    "turtle": turtle.render,
    "junit": junit.render,
    "sarif": sarif.render,
    "github": github.render,
    "markdown": markdown.render,
}

__all__ = ["FORMATS", "RenderOptions", "Renderer", "render"]


def renderer(name: str) -> Renderer:
    found = FORMATS.get(name)
    if found is None:
        raise UsageError(key="error.report_format", name=name, formats=", ".join(FORMATS))
    return found


def render(report: ValidationReport, name: str = "text", options: RenderOptions | None = None) -> str:
    """The report in format ``name``: one of :data:`FORMATS`."""
    return renderer(name)(report, options or RenderOptions())
