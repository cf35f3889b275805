"""The crmkg HTTP API (FastAPI): ``create_app(settings, store)``. Needs the ``api`` extra."""

from __future__ import annotations

from crmkg.api.app import create_app

__all__ = ["create_app"]
