"""What the server hands an upload's child process and what it sends back (see :mod:`crmkg.api.uploads`).

Its own module so the child (:mod:`crmkg.api.upload_child`) and the server side import the same
types without importing each other.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from crmkg.formats import RdfFormat
from crmkg.inputcheck import InputLimits

if TYPE_CHECKING:
    from crmkg.validation import ValidationReport


@dataclass(frozen=True)
class Document:
    """One uploaded document; ``name`` is what errors call it (``request body``, a file's name)."""

    name: str
    data: bytes
    fmt: RdfFormat


@dataclass(frozen=True)
class UploadJob:
    """Uploaded documents to check, parse and validate together, and how to report on them.

    With ``render_as`` (a report format name) the child renders the report; else it sends the
    :class:`~crmkg.validation.ValidationReport` itself back.
    """

    documents: tuple[Document, ...]
    as_of: dt.date | None
    limits: InputLimits
    cpu_seconds: int
    render_as: str | None = None
    lang: str = "fi"


@dataclass(frozen=True)
class UploadResult:
    conforms: bool
    body: bytes = b""
    report: ValidationReport | None = None
