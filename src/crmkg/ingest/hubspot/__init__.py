"""HubSpot exports: the companies and contacts CSV exports and the owners (``/crm/v3/owners`` JSON
or a CSV). The entry point is :func:`crmkg.ingest.hubspot.importer.import_hubspot`."""
