"""Stable IRIs for generated nodes, derived from source ids under a configurable base."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from urllib.parse import quote

_NON_WORD = re.compile(r"[^a-z0-9]+")
_SAFE_SEGMENT = re.compile(r"[A-Za-z0-9._~-]+")


def slug(text: str) -> str:
    """``"Myynti & Markkinointi"`` → ``"myynti-markkinointi"`` (ASCII, stable)."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return _NON_WORD.sub("-", folded).strip("-") or "x"


def segment(text: str) -> str:
    """An id as one IRI path segment."""
    return text if _SAFE_SEGMENT.fullmatch(text) else quote(text, safe="-._~")


class SalesforceIris:
    def __init__(self, base: str) -> None:
        self.base = base

    def account(self, id18: str) -> str:
        return f"{self.base}account/{id18}"

    def relationship(self, id18: str) -> str:
        return f"{self.base}relationship/{id18}"

    def user(self, id18: str) -> str:
        return f"{self.base}user/{id18}"

    def post(self, id18: str) -> str:
        return f"{self.base}role/{id18}"

    def department(self, name: str) -> str:
        return f"{self.base}department/{slug(name)}"

    def contact(self, id18: str) -> str:
        return f"{self.base}contact/{id18}"

    def team_assignment(self, id18: str) -> str:
        return f"{self.base}assignment/{id18}"

    def owner_assignment(self, account: str, start: dt.date) -> str:
        return f"{self.base}assignment/{account}/owner/{start.isoformat()}"

    def derived_owner(self, account: str) -> str:
        return f"{self.base}assignment/{account}/derived-owner"

    def employment(self, id18: str) -> str:
        """The dated membership in the provider of a user the export marks inactive."""
        return f"{self.base}user/{id18}/employment"

    def role_tenure(self, id18: str) -> str:
        """The dated tenure of an inactive user's role (post)."""
        return f"{self.base}user/{id18}/role-tenure"

    def record(self, obj: str, id18: str) -> str:
        return f"{self.base}record/{obj}/{segment(id18)}"

    def export(self, date: dt.date) -> str:
        return f"{self.base}export/{date.isoformat()}"


class OrgChartIris:
    def __init__(self, base: str) -> None:
        self.base = base

    def person(self, person_id: str) -> str:
        return f"{self.base}person/{segment(person_id)}"

    def unit(self, unit_id: str) -> str:
        return f"{self.base}unit/{segment(unit_id)}"

    def post(self, unit_id: str, post_key: str) -> str:
        return f"{self.base}unit/{segment(unit_id)}/post/{segment(post_key)}"

    def membership(self, person_id: str, unit_id: str, start: str) -> str:
        return f"{self.base}membership/{segment(person_id)}/{segment(unit_id)}/{start or 'open'}"

    def tenure(self, person_id: str, post: str, start: str) -> str:
        """A post tenure: ``post`` is the post's IRI (already unique within the chart)."""
        return f"{post}/tenure/{segment(person_id)}/{start or 'open'}"

    def record(self, line_key: str) -> str:
        return f"{self.base}record/{segment(line_key)}"

    def export(self, date: dt.date) -> str:
        return f"{self.base}export/{date.isoformat()}"
