"""What the web app keeps between requests (beside the API's :class:`~crmkg.api.state.AppState`).

Validation reports are kept in memory so that their pages and downloads can be fetched with GET
after the POST that made them; the newest few only, so memory stays bounded.
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from crmkg.web.cache import TtlCache

if TYPE_CHECKING:  # crmkg.api imports crmkg.web to mount it: a runtime import here would be circular
    from crmkg.api.state import AppState
    from crmkg.catalogue import Catalogue
    from crmkg.validation import ValidationReport

KEPT_REPORTS = 20


@dataclass
class StoredReport:
    report: ValidationReport
    source: str  # what was validated: file names, or "loaded data"
    loaded_data: bool


@dataclass
class WebState:
    api: AppState
    _reports: OrderedDict[str, StoredReport] = field(default_factory=OrderedDict)
    loaded_report_id: str | None = None
    _catalogue: Catalogue | None = None
    answers: TtlCache = field(default_factory=TtlCache)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        # Kept answers are of the data served; a load that publishes new data makes them old.
        self.api.snapshots.on_switch.append(self.answers.clear)

    def keep(self, stored: StoredReport) -> str:
        """Keep a report; returns the unguessable id its pages and downloads are reached by."""
        report_id = secrets.token_urlsafe(12)
        with self._lock:
            self._reports[report_id] = stored
            if stored.loaded_data:
                self.loaded_report_id = report_id
            while len(self._reports) > KEPT_REPORTS:
                oldest, _ = self._reports.popitem(last=False)
                if oldest == self.loaded_report_id:
                    self.loaded_report_id = None
        return report_id

    def report(self, report_id: str) -> StoredReport | None:
        with self._lock:
            return self._reports.get(report_id)

    def loaded_report(self) -> StoredReport | None:
        """The newest report of the loaded data, if it has been validated."""
        with self._lock:
            return self._reports.get(self.loaded_report_id) if self.loaded_report_id else None

    @property
    def catalogue(self) -> Catalogue:
        if self._catalogue is None:
            from crmkg.catalogue import Catalogue

            with self._lock:
                if self._catalogue is None:
                    self._catalogue = Catalogue(data_dir=self.api.settings.data_dir)
        return self._catalogue
