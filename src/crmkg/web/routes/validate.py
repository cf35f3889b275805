"""Validation in the browser: upload files or validate the loaded data, read the report grouped by
shape, download it as JSON, SARIF or Turtle.

Uploads pass the same checks as ``POST /validate``: the request-size limit (the app's
:class:`~crmkg.api.limits.BodySizeLimit`), the optional bearer token (``CRMKG_VALIDATE_TOKEN``, sent
as a form field or an Authorization header), the same input limits and safe parsers, in the same
kind of child process (:mod:`crmkg.api.uploads`).
The POST answers with a redirect to the report's page (no state changes on GET).
"""

from __future__ import annotations

import datetime as dt
import hmac
import shutil
import tempfile
from pathlib import Path

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.responses import RedirectResponse, Response

from crmkg._version import __version__
from crmkg.api.problems import ApiProblem
from crmkg.api.routers.validate import upload_job
from crmkg.api.upload_jobs import Document
from crmkg.daterange import parse_date
from crmkg.errors import NotFound, Phrase, UnsupportedFormatError, UsageError
from crmkg.formats import RdfFormat
from crmkg.validation import ValidationReport
from crmkg.validation import validate as run_validation
from crmkg.validation.formats import RenderOptions, render
from crmkg.web import findings as fv
from crmkg.web.common import PageRoute, api_state, language, link, web_state
from crmkg.web.i18n import message
from crmkg.web.render import SECURITY_HEADERS, render_page
from crmkg.web.state import StoredReport

router = APIRouter(route_class=PageRoute, include_in_schema=False)
MAX_FILES = 50
DOWNLOADS = {
    "json": ("json", "application/json"),
    "sarif": ("sarif", "application/sarif+json"),
    "ttl": ("turtle", "text/turtle; charset=utf-8"),
}


def _authorised(request: Request, form_token: str | None) -> None:
    expected = api_state(request).settings.validate_token
    if not expected:
        return
    header = request.headers.get("authorization", "")
    scheme, _, given = header.partition(" ")
    token = given.strip() if scheme.lower() == "bearer" else (form_token or "")
    if not hmac.compare_digest(token.encode(), expected.encode()):
        raise ApiProblem(
            401,
            "unauthorized",
            "Unauthorized",
            message("val.token", language(request)),
            headers={"WWW-Authenticate": 'Bearer realm="crmkg"'},
        )


async def _validate_files(request: Request, files: list[tuple[str, bytes]], as_of: dt.date | None) -> ValidationReport:
    """Check, parse and validate the files together in a child process, as ``POST /validate`` does."""
    state = api_state(request)
    documents = [Document(name, data, RdfFormat.from_path(name)) for name, data in files]
    result = await state.uploads.run(upload_job(state, documents, as_of))
    assert result.report is not None  # no render_as: the report itself comes back
    return result.report


def _validate_loaded(request: Request, as_of: dt.date | None) -> ValidationReport:
    state = api_state(request)
    if state.settings.data:
        return run_validation(list(state.settings.data), as_of=as_of)
    folder = Path(tempfile.mkdtemp(prefix="crmkg-web-validate-"))
    try:
        path = folder / "store.nq"
        path.write_bytes(state.store.dump(RdfFormat.N_QUADS))
        return run_validation([path], as_of=as_of)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@router.get("/ui/validate")
def validate_form(request: Request) -> Response:
    lang = language(request)
    state = web_state(request)
    loaded = state.loaded_report()
    context = {
        "max_bytes": state.api.settings.max_request_bytes,
        "needs_token": bool(state.api.settings.validate_token),
        "loaded_link": link(f"/ui/validate/report/{state.loaded_report_id}", lang) if loaded else None,
        "today": dt.date.today(),
    }
    return render_page(request, lang, "validate.html", context)


@router.post("/ui/validate")
async def validate_post(request: Request) -> Response:
    lang = language(request)
    async with request.form(max_files=MAX_FILES, max_fields=20) as form:
        token = form.get("token")
        _authorised(request, token if isinstance(token, str) else None)
        raw_date = form.get("as_of")
        as_of = parse_date(raw_date, "as_of") if isinstance(raw_date, str) and raw_date else None
        uploads = [f for f in form.getlist("files") if isinstance(f, UploadFile) and f.filename]
        if form.get("source") == "loaded":
            report = await run_in_threadpool(_validate_loaded, request, as_of)
            stored = StoredReport(report, message("val.loaded", lang), loaded_data=True)
        else:
            if not uploads:
                raise UsageError(key="error.choose_files")
            files = []
            for upload in uploads:
                name = upload.filename or "upload.ttl"
                try:
                    RdfFormat.from_path(name)
                except UsageError:
                    raise UnsupportedFormatError(name, Phrase("error.send_rdf_files")) from None
                files.append((name, await upload.read()))
            report = await _validate_files(request, files, as_of)
            stored = StoredReport(report, ", ".join(name for name, _ in files), loaded_data=False)
    report_id = web_state(request).keep(stored)
    return RedirectResponse(link(f"/ui/validate/report/{report_id}", lang), status_code=303)


def _stored(request: Request, report_id: str) -> StoredReport:
    stored = web_state(request).report(report_id)
    if stored is None:
        raise NotFound(key="error.no_report", report=report_id)
    return stored


@router.get("/ui/validate/report/{report_id}.{ext}")
def report_download(request: Request, report_id: str, ext: str) -> Response:
    if ext not in DOWNLOADS:
        raise NotFound(key="error.no_report_format", ext=ext)
    fmt, media = DOWNLOADS[ext]
    stored = _stored(request, report_id)
    options = RenderOptions(lang=language(request), title="crmkg web validation", tool_version=__version__)
    text = render(stored.report, fmt, options)
    headers = {**SECURITY_HEADERS, "Content-Disposition": f'attachment; filename="crmkg-report.{ext}"'}
    return Response(text.encode("utf-8"), media_type=media, headers=headers)


@router.get("/ui/validate/report/{report_id}")
def report_page(request: Request, report_id: str) -> Response:
    lang = language(request)
    stored = _stored(request, report_id)
    groups = fv.grouped(
        stored.report, lang, lambda iri: link("/ui/resource", lang, id=iri), lambda iri: link("/ui/term", lang, id=iri)
    )
    downloads = [(ext, f"/ui/validate/report/{report_id}.{ext}?lang={lang}") for ext in DOWNLOADS]
    context = {"stored": stored, "groups": groups, "downloads": downloads, "count": len(stored.report.results)}
    return render_page(request, lang, "report.html", context)
