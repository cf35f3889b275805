"""Dynamics 365 / Dataverse exports: CSV (logical or display names), Web API JSON, Excel (.xlsx,
with the ``xlsx`` extra). The entry point is :func:`crmkg.ingest.dynamics.importer.import_dynamics`."""
