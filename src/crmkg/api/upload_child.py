"""What runs in the child process of one ``POST /validate``: check, parse, validate, render.

Imported once by the multiprocessing fork server (see :mod:`crmkg.api.uploads`), so a request's
child starts with everything loaded. The child lowers its own priority (lookups first), caps its
CPU time, dies with its parent, and reports back one message: the report, or a problem.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import resource
import signal
from multiprocessing.connection import Connection
from pathlib import Path

from crmkg._version import __version__
from crmkg.api.problems import status_of
from crmkg.api.upload_jobs import Document, UploadJob, UploadResult
from crmkg.errors import CrmkgError
from crmkg.inputcheck import using_limits
from crmkg.loading import parse_bytes
from crmkg.validation import validate
from crmkg.validation.fast.engine import FastEngine
from crmkg.validation.formats import RenderOptions, render

#: Nice value of an upload's process: a CPU-bound upload yields the cores to lookups.
NICENESS = 10
_PR_SET_PDEATHSIG = 1


def run(job: UploadJob, folder: Path, reply: Connection) -> None:
    """The child's whole life: one job, one reply (an :class:`UploadResult` or ``("problem", …)``)."""
    _confine(job.cpu_seconds)
    message: UploadResult | tuple[object, ...]
    try:
        with using_limits(job.limits):
            message = _validate(job, folder)
    except CrmkgError as exc:
        status, slug, title = status_of(exc)
        message = ("problem", status, slug, title, exc.localised(job.lang))
    except (MemoryError, RecursionError) as exc:
        message = ("problem", 500, "upload-failed", "The upload could not be processed", type(exc).__name__)
    reply.send(message)
    reply.close()


def _confine(cpu_seconds: int) -> None:
    os.nice(NICENESS)
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 5))
    with contextlib.suppress(OSError, AttributeError):  # Linux: die with the fork server (and server)
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


def _file_name(document: Document) -> str:
    """The upload's own file name where it has one with the right extension (reports show it)."""
    name = Path(document.name).name
    return name if name.lower().endswith(document.fmt.extensions) else "request" + document.fmt.extensions[0]


def _validate(job: UploadJob, folder: Path) -> UploadResult:
    paths = []
    for index, document in enumerate(job.documents):
        # Limits first, then errors that name the upload's own file:line.
        parse_bytes(document.data, document.fmt, source=document.name)
        path = folder / f"{index:03d}-{_file_name(document)}"
        path.write_bytes(document.data)
        paths.append(path)
    # One process per upload: the checks run one after another here, not in forked workers.
    report = validate(paths, as_of=job.as_of, engine=FastEngine(workers=1))
    if job.render_as is None:
        return UploadResult(report.conforms(), report=report)
    options = RenderOptions(lang=job.lang, title="crmkg /validate", tool_version=__version__)
    return UploadResult(report.conforms(), body=render(report, job.render_as, options).encode("utf-8"))
