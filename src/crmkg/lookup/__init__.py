"""Domain answers computed by SPARQL over a Store: who the customer is, who owns and who leads.

:mod:`crmkg.lookup.answers` holds what a lookup returns and how a query's row becomes it;
:mod:`crmkg.lookup.queries` runs the queries of ``queries/lookup/``.
"""

from crmkg.lookup.answers import (
    CAPACITIES,
    ROLES,
    Accountable,
    AgentResponsibility,
    Handover,
    HistoryEntry,
    Party,
    PartyRelationship,
    RelationshipAnswer,
    Resource,
    Responsibility,
    TracedQuery,
    local_name,
    role_label,
    role_name,
)
from crmkg.lookup.queries import (
    agent_relationships,
    current_responsibilities,
    describe_resource,
    lookup_query_text,
    ownership_table,
    party_relationships,
    relationship_answer,
    relationship_answer_exists,
    responsibility_history,
)

__all__ = [
    "CAPACITIES",
    "ROLES",
    "Accountable",
    "AgentResponsibility",
    "Handover",
    "HistoryEntry",
    "Party",
    "PartyRelationship",
    "RelationshipAnswer",
    "Resource",
    "Responsibility",
    "TracedQuery",
    "agent_relationships",
    "current_responsibilities",
    "describe_resource",
    "local_name",
    "lookup_query_text",
    "ownership_table",
    "party_relationships",
    "relationship_answer",
    "relationship_answer_exists",
    "responsibility_history",
    "role_label",
    "role_name",
]
