"""Salesforce exports: Data Export Service / Data Loader CSV files and ``sf data query --json``
output. Kept light on purpose: :func:`crmkg.ingest.salesforce.importer.import_salesforce` is the
entry point."""
