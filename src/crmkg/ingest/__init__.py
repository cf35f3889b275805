"""CRM and HR exports → akj RDF (Salesforce, HubSpot and Dynamics 365 exports, a simple HR org chart).

Reading, checking and id normalisation are Python; the statements each staged row becomes are
RML mappings in ``mappings/``. Every generated node says which source record it came from.
"""

from crmkg.ingest.config import ImportConfig, load_config
from crmkg.ingest.dynamics.importer import import_dynamics
from crmkg.ingest.hubspot.importer import import_hubspot
from crmkg.ingest.orgchart import import_orgchart
from crmkg.ingest.result import ImportResult
from crmkg.ingest.salesforce.importer import import_salesforce

__all__ = [
    "ImportConfig",
    "ImportResult",
    "import_dynamics",
    "import_hubspot",
    "import_orgchart",
    "import_salesforce",
    "load_config",
]
