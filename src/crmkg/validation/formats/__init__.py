"""Output formats of a :class:`~crmkg.validation.report.ValidationReport`: one module per format."""

from __future__ import annotations

import importlib
from collections.abc import Callable

from crmkg.errors import UsageError
from crmkg.validation.formats._common import RenderOptions
from crmkg.validation.report import ValidationReport

#: ``--format`` name → module under this package (each has ``render(report, options) -> str``).
FORMATS = {
    "text": "text",
    "json": "json_format",
    "turtle": "turtle",
    "junit": "junit",
    "sarif": "sarif",
    "github": "github",
    "markdown": "markdown",
}

__all__ = ["FORMATS", "RenderOptions", "render"]


def renderer(name: str) -> Callable[[ValidationReport, RenderOptions], str]:
    module = FORMATS.get(name)
    if module is None:
        raise UsageError(f"unknown report format {name!r}; expected one of {', '.join(FORMATS)}")
    render_fn: Callable[[ValidationReport, RenderOptions], str] = importlib.import_module(f"{__name__}.{module}").render
    return render_fn


def render(report: ValidationReport, name: str = "text", options: RenderOptions | None = None) -> str:
    """The report in format ``name``: one of :data:`FORMATS`."""
    return renderer(name)(report, options or RenderOptions())
