"""The crmkg HTTP API (FastAPI): ``create_app(settings, store)``. Needs the ``api`` extra."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from crmkg.api.app import create_app


def __getattr__(name: str) -> Any:
    # Loaded on first use: the SPARQL worker processes import crmkg.api.sparql and must not pay
    # for FastAPI (0.6 s of a worker's start, which a replaced worker makes a client wait for).
    if name == "create_app":
        from crmkg.api.app import create_app

        return create_app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["create_app"]
