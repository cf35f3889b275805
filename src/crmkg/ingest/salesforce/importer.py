"""``import_salesforce``: a Salesforce export folder (or one file) → an import result.

The folder holds one CSV per object (Data Export Service, Data Loader, reports re-saved in
Excel) and/or ``sf data query --json`` output. Account is required: an export whose Account
file cannot be read, or whose accounts make no customer relationship, fails as a whole.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from crmkg.errors import IngestError, Phrase
from crmkg.ingest.config import ImportConfig
from crmkg.ingest.findings import FindingLog
from crmkg.ingest.gcpause import gc_paused
from crmkg.ingest.iris import SalesforceIris
from crmkg.ingest.orgchart import PeopleIndex, read_people_index
from crmkg.ingest.result import ImportResult
from crmkg.ingest.rml import packaged_mapping
from crmkg.ingest.salesforce.objects import KNOWN_UNUSED, OBJECTS, REQUIRED_OBJECT, find_files
from crmkg.ingest.salesforce.people import People
from crmkg.ingest.salesforce.read import read_export
from crmkg.ingest.salesforce.sfdx import read_json_files
from crmkg.ingest.salesforce.stage import SalesforceStaging
from crmkg.ingest.staging import staged_tables

SYSTEM = "salesforce"
_OWNER_NOTES = {
    "none": 'owners: only account-team roles mapped to OwnerRole give owners (owner = "none")',
    "owner-role": 'owners: where no team member owns, the post of the OwnerId user\'s role owns (owner = "owner-role")',
    "manager": 'owners: where no team member owns, the OwnerId user\'s manager owns (owner = "manager")',
    "parent-role": "owners: where no team member owns, the parent post of the OwnerId user's role owns "
    '(owner = "parent-role")',
}


@gc_paused
def import_salesforce(source: Path, config: ImportConfig | None = None) -> ImportResult:
    """Read a Salesforce export (a folder of CSV/JSON files, or one such file) into an import result.

    Raises :class:`IngestError` if ``source`` does not exist or holds none of the expected
    files; every other problem is a finding in the result.
    """
    config = config or ImportConfig()
    sf = config.salesforce
    if not source.exists():
        raise IngestError(
            key="error.import_no_source", path=source, expected=Phrase("import_expected.salesforce_folder")
        )
    folder = source if source.is_dir() else source.parent
    paths = sorted(p for p in folder.iterdir() if p.is_file()) if source.is_dir() else [source]
    csv_files, unused = find_files([p for p in paths if p.suffix.casefold() == ".csv"])
    json_files = [p for p in paths if p.suffix.casefold() == ".json"]
    if not csv_files and not json_files:
        raise IngestError(key="error.import_no_files", path=source, expected=Phrase("import_expected.salesforce_found"))
    log = FindingLog(sf.base)
    tables = read_json_files(json_files, log) if json_files else {}
    files = {**csv_files, **{obj: t.path for obj, t in tables.items()}}
    _note_files(files, unused, folder, log)
    export = read_export(csv_files, tables, sf.read, log)
    export.files.update(files)
    newest = max((p.stat().st_mtime for p in files.values()), default=0.0)
    export_date = sf.export_date or dt.date.fromtimestamp(newest)
    hr = read_people_index(sf.orgchart, config, log) if sf.orgchart else PeopleIndex()
    ids = SalesforceIris(sf.base)
    people = People(export, ids, hr, sf.staff_user_types, log)
    staging = SalesforceStaging(export, sf, config.provider, export_date, people, log)
    summary = staging.summary()
    if REQUIRED_OBJECT in export.read and summary["relationships"] == 0 and not log.fatal:
        log.add("no-relationships", export.file(REQUIRED_OBJECT), accounts=summary["accountsRead"])
    tables_out = staged_tables(
        ids.export(export_date),
        SYSTEM,
        export_date,
        f"Salesforce export {export_date.isoformat()}",
        config.provider,
        staging.rows(),
    )
    return ImportResult.from_log(
        SYSTEM,
        log,
        tables_out,
        packaged_mapping("crm"),
        inputs=sorted(str(p) for p in files.values()),
        summary=summary,
        notes=[_OWNER_NOTES[sf.owner]],
    )


def _note_files(files: dict[str, Path], unused: list[Path], folder: Path, log: FindingLog) -> None:
    if REQUIRED_OBJECT not in files and not log.fatal:
        log.add("missing-required-file", folder / f"{REQUIRED_OBJECT}.csv", object=REQUIRED_OBJECT)
    absent = [obj for obj in OBJECTS if obj not in files and obj not in (REQUIRED_OBJECT, "AccountContactRole")]
    if "AccountContactRelation" in absent and "AccountContactRole" in files:
        absent.remove("AccountContactRelation")
    for obj in absent:
        log.add("absent-file", folder / f"{obj}.csv")
    if unused:
        known = {o.casefold() for o in KNOWN_UNUSED}
        names = sorted(p.name for p in unused)
        log.add(
            "unused-files",
            folder,
            value=", ".join(names),
            files=len(names),
            known=sum(1 for p in unused if p.stem.casefold() in known),
        )
