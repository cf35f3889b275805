"""Each CQ against the positive (+) and negative (−) cases of examples/esimerkki/README.md.

These cases were transcribed by hand from the README's table, independently of the expected
files, so a wrong expected file cannot hide a wrong answer. Every case runs on every local
backend, with and without RL materialisation.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from crmkg.catalogue import Catalogue, expand_iri
from crmkg.store import Store
from crmkg.store.base import SelectResult
from crmkg.store.terms import from_ox

from .conftest import params_for

Value = str | int | bool | None


@dataclass(frozen=True)
class Case:
    query: str
    present: tuple[Mapping[str, Value], ...] = ()
    absent: tuple[Mapping[str, Value], ...] = ()
    params: Mapping[str, str] = field(default_factory=dict)
    #: the number of distinct rows projected on these variables (rows binding them all), where the
    #: README says "exactly"
    exactly: tuple[tuple[str, ...], int] | None = None


def d(text: str) -> str:
    return f"date:{text}"


CASES = [
    Case(
        "CQ1",
        params={"relationship": "ex:rel-jarvilinna-kiinteistohuolto"},
        present=(
            {"party": "ex:jarvilinnan-kaupunki", "capacity": "akj:UserRole"},
            {"party": "ex:kuntien-yhteishankinta", "capacity": "akj:NegotiatingPartnerRole"},
            {"party": "ex:jarvilinnan-kaupunki", "capacity": "akj:PayerRole"},
        ),
        absent=({"party": "ex:esimerkki-palvelut"}, {"party": "ex:mikko-heikkinen"}),
    ),
    Case(
        "CQ2",
        present=(
            {"relationship": "ex:rel-energia-pilotti", "payer": "ex:rannikon-energia"},
            {"relationship": "ex:rel-int-digi-asiakaspalvelu", "payer": "ex:esimerkki-palvelut"},
            {"relationship": "ex:rel-int-talous-kiinteisto", "payer": "ex:esimerkki-palvelut"},
            {"relationship": "ex:rel-kivijalka-siivous", "payer": "ex:kivijalka-kiinteistot"},
            {"relationship": "ex:rel-sisu-rakennus-kiinteistohuolto", "payer": "ex:sisu-rakennus"},
        ),
        absent=(
            {"relationship": "ex:rel-energia-kivijalka"},
            {"relationship": "ex:rel-metsapuu-kiinteistohuolto"},
            {"relationship": "ex:rel-jarvilinna-kiinteistohuolto"},
        ),
        exactly=(("relationship", "payer"), 5),
    ),
    Case(
        "CQ3",
        present=(
            {"relationship": "ex:rel-jarvilinna-kiinteistohuolto", "negotiatingPartner": "ex:kuntien-yhteishankinta"},
            {"relationship": "ex:rel-koillismaa-kiinteistohuolto", "negotiatingPartner": "ex:kari-mustonen"},
            {"relationship": "ex:rel-pohjolan-logistiikka-siivous", "negotiatingPartner": "ex:heikki-toivonen"},
        ),
        absent=(
            {"relationship": "ex:rel-kivijalka-siivous"},
            {"relationship": "ex:rel-tunturihotellit-varausjarjestelma"},
        ),
        exactly=(("relationship", "negotiatingPartner"), 11),
    ),
    Case(
        "CQ4",
        present=(
            {"relationship": "ex:rel-metsapuu-kiinteistohuolto", "missingCapacity": "akj:PayerRole"},
            {"relationship": "ex:rel-sisu-rakennus-kiinteistohuolto", "missingCapacity": "akj:UserRole"},
            {
                "relationship": "ex:rel-tunturihotellit-varausjarjestelma",
                "missingCapacity": "akj:NegotiatingPartnerRole",
            },
        ),
        absent=({"relationship": "ex:rel-jarvilinna-kiinteistohuolto"},),
        exactly=(("relationship", "missingCapacity"), 3),
    ),
    Case(
        "CQ5",
        params={"party": "ex:jarvilinnan-kaupunki"},
        present=(
            {"relationship": "ex:rel-jarvilinna-kiinteistohuolto", "provider": "ex:esimerkki-palvelut"},
            {"relationship": "ex:rel-jarvilinna-digipalvelut", "provider": "ex:esimerkki-digi"},
        ),
        absent=({"relationship": "ex:rel-jarvilinnan-vesi-kiinteistohuolto"},),
        exactly=(("relationship",), 2),
    ),
    Case(
        "CQ5",
        params={"party": "ex:kuntien-yhteishankinta"},
        present=({"relationship": "ex:rel-jarvilinna-kiinteistohuolto"},),
        absent=({"relationship": "ex:rel-koillismaa-kiinteistohuolto"},),
    ),
    Case(
        "CQ6",
        present=(
            {"unit": "ex:palvelut-myynti", "model": "ex:malli-palvelut-myynti", "capacity": "akj:PayerRole"},
            {"unit": "ex:palvelut-asiakaspalvelu", "capacity": "akj:UserRole"},
            {
                "model": "ex:malli-palvelut-asiakaspalvelu",
                "otherModel": "ex:malli-palvelut-myynti",
                "organisation": "ex:esimerkki-palvelut",
            },
            {
                "model": "ex:malli-energia",
                "otherModel": "ex:malli-palvelut-myynti",
                "organisation": "ex:esimerkki-palvelut",
            },
            {
                "model": "ex:malli-konserni",
                "otherModel": "ex:malli-palvelut-myynti",
                "organisation": "ex:esimerkki-konserni",
            },
        ),
        absent=(
            {"model": "ex:malli-digi", "otherModel": "ex:malli-kiertotalous"},
            {"model": "ex:malli-digi", "otherModel": "ex:malli-konserni"},
            {"model": "ex:malli-kiertotalous", "otherModel": "ex:malli-konserni"},
            {"unit": "ex:palvelut-asiakaspalvelu", "capacity": "akj:PayerRole"},
        ),
        exactly=(("model", "otherModel"), 12),
    ),
    Case(
        "CQ7",
        params={"relationship": "ex:rel-jarvilinna-kiinteistohuolto"},
        present=(
            {"offering": "ex:tarjooma-kiinteistohuolto"},
            {"offering": "ex:tarjooma-siivous"},
            {"user": "ex:jarvilinnan-kaupunki"},
        ),
        absent=({"user": "ex:kuntien-yhteishankinta"}, {"offering": "ex:tarjooma-it-tuki"}),
    ),
    Case(
        "CQ8",
        present=(
            {"relationship": "ex:rel-int-talous-kiinteisto"},
            {"relationship": "ex:rel-int-talous-digi"},
            {"relationship": "ex:rel-int-digi-asiakaspalvelu", "boundary": "ex:esimerkki-konserni"},
            {"relationship": "ex:rel-int-asiakaspalvelu-energia"},
        ),
        absent=({"relationship": "ex:rel-energia-pilotti"},),
        exactly=(("relationship",), 4),
    ),
    Case(
        "CQ9",
        present=({"unit": "ex:palvelut-asiakaspalvelu"},),
        absent=(
            {"unit": "ex:konserni-talous"},
            {"unit": "ex:la-digitaaliset-palvelut"},
            {"unit": "ex:la-kiinteistopalvelut"},
            {"unit": "ex:startup-energia"},
        ),
        exactly=(("unit",), 1),
    ),
    Case(
        "CQ10",
        absent=({"relationship": "ex:rel-int-talous-kiinteisto"}, {"relationship": "ex:rel-energia-pilotti"}),
        exactly=(("relationship",), 0),
    ),
    Case(
        "CQ11",
        present=(
            {
                "relationship": "ex:rel-pohjolan-logistiikka-it",
                "owner": "ex:post-digi-la-johtaja",
                "since": d("2026-01-01"),
                "ownerKind": "org:Post",
            },
            {
                "relationship": "ex:rel-jarvilinna-kiinteistohuolto",
                "owner": "ex:post-palvelut-myyntijohtaja",
                "since": d("2023-06-01"),
            },
            {
                "relationship": "ex:rel-lahilaakarit-siivous",
                "owner": "ex:laura-koskinen",
                "since": d("2025-03-01"),
                "ownerKind": "foaf:Person",
            },
            {
                "relationship": "ex:rel-jarvilinna-digipalvelut",
                "owner": "ex:digi-myynti",
                "since": d("2025-05-01"),
                "ownerKind": "org:OrganizationalUnit",
            },
        ),
        absent=(
            {"relationship": "ex:rel-pohjolan-logistiikka-it", "owner": "ex:post-digi-myyntipaallikko"},
            {"relationship": "ex:rel-revontuli-kiinteistohuolto"},
        ),
        exactly=(("relationship",), 29),
    ),
    Case(
        "CQ12",
        present=(
            {
                "relationship": "ex:rel-koillismaa-kiinteistohuolto",
                "lead": "ex:tiina-heikkila",
                "onBehalfOf": "ex:post-kiinteisto-johtaja",
            },
            {
                "relationship": "ex:rel-koillismaa-it-tuki",
                "lead": "ex:elina-hamalainen",
                "primary": True,
                "onBehalfOf": "ex:digi-myynti",
            },
            {"relationship": "ex:rel-koillismaa-it-tuki", "lead": "ex:olli-mattila", "onBehalfOf": "ex:digi-myynti"},
            {
                "relationship": "ex:rel-kauppakulma-kiinteistohuolto",
                "lead": "ex:katja-lehtonen",
                "since": d("2025-09-01"),
            },
        ),
        absent=(
            {"lead": "ex:timo-jarvinen"},
            {"relationship": "ex:rel-pohjolan-logistiikka-it", "lead": "ex:riikka-peltonen"},
            {"relationship": "ex:rel-jarvilinna-digipalvelut", "lead": "ex:leena-virtanen"},
            {"relationship": "ex:rel-koillismaa-kiinteistohuolto", "onBehalfOf": "ex:post-palvelut-myyntijohtaja"},
        ),
    ),
    Case(
        "CQ13",
        present=({"relationship": "ex:rel-tunturihotellit-siivous", "missingRole": "akj:LeadRole"},),
        absent=(
            {"relationship": "ex:rel-revontuli-kiinteistohuolto"},
            {"missingRole": "akj:OwnerRole"},
            {"relationship": "ex:rel-kauppakulma-kiinteistohuolto"},
            {"relationship": "ex:rel-pohjolan-logistiikka-siivous"},
        ),
        exactly=(("relationship", "missingRole"), 1),
    ),
    Case(
        "CQ14",
        present=(
            {
                "relationship": "ex:rel-jarvilinnan-vesi-kiinteistohuolto",
                "owner": "ex:post-palvelut-asiakkuusjohtaja-julkinen",
                "ownerUnit": "ex:palvelut-myyntijohto",
                "leadUnit": "ex:palvelut-myynti",
            },
            {
                "relationship": "ex:rel-int-digi-asiakaspalvelu",
                "ownerUnit": "ex:la-digitaaliset-palvelut",
                "leadUnit": "ex:digi-tuotekehitys",
            },
            {"relationship": "ex:rel-koillismaa-it-tuki", "lead": "ex:olli-mattila"},
            {"relationship": "ex:rel-pohjolan-logistiikka-it", "leadUnit": "ex:digi-myynti"},
            {
                "relationship": "ex:rel-amk-siivous",
                "owner": "ex:post-palvelut-myyntijohtaja",
                "leadUnit": "ex:palvelut-myynti",
            },
        ),
        absent=(
            {"relationship": "ex:rel-metsapuu-kiinteistohuolto"},
            {"relationship": "ex:rel-kauppakulma-verkkokauppa"},
            {"relationship": "ex:rel-lahilaakarit-siivous"},
            {"relationship": "ex:rel-koillismaa-it-tuki", "lead": "ex:elina-hamalainen"},
            {"relationship": "ex:rel-koillismaa-kiinteistohuolto"},  # owned by the business area since 2026-04-01
        ),
        exactly=(("relationship",), 11),
    ),
    Case(
        "CQ15",
        present=({"relationship": "ex:rel-lahilaakarit-siivous", "person": "ex:laura-koskinen"},),
        absent=({"relationship": "ex:rel-kivijalka-siivous"}, {"person": "ex:digi-myynti"}),
        exactly=(("relationship",), 1),
    ),
    Case(
        "CQ16",
        present=(
            {"function": "akj:SalesManagementFunction", "relationships": 9},
            {"function": "akj:BusinessManagementFunction", "relationships": 10},
            {"function": "akj:SalesFunction", "relationships": 6},
            {"function": "akj:CustomerServiceFunction", "relationships": 2},
            {"function": "akj:FinanceFunction", "relationships": 2},
        ),
        exactly=(("function",), 5),
    ),
    Case(
        "CQ17",
        present=(
            {"leader": "ex:antti-niemi", "involvement": "akj:OwnerRole"},
            {"leader": "ex:antti-niemi", "involvement": "akj:CustomerAnalysisBasis"},
            {"leader": "ex:olli-mattila", "involvement": "akj:LeadRole"},
            {"leader": "ex:johanna-ahonen", "involvement": "akj:CustomerAnalysisBasis"},
            {"leader": "ex:aleksi-laaksonen", "involvement": "akj:LeadRole"},
            {"leader": "ex:eero-karjalainen", "involvement": "akj:OwnerRole"},
        ),
        absent=(
            {"leader": "ex:juha-nieminen"},
            {"leader": "ex:leena-virtanen"},
            {"leader": "ex:anna-makinen"},
            {"leader": "ex:sari-laine"},
            {"leader": "ex:tiina-heikkila"},
            {"leader": "ex:ville-kinnunen"},
        ),
        exactly=(("leader",), 5),
    ),
    Case(
        "CQ18",
        params={"relationship": "ex:rel-jarvilinna-kiinteistohuolto"},
        present=(
            {
                "plan": "ex:suunnitelma-jarvilinna-2026",
                "preparedBy": "ex:mikko-heikkinen",
                "approvedBy": "ex:sari-laine",
                "followUp": "ex:seuranta-jarvilinna-2026-04",
                "followedUpBy": "ex:sari-laine",
            },
            {
                "plan": "ex:suunnitelma-jarvilinna-2026",
                "followUp": "ex:seuranta-jarvilinna-2026-09",
                "followedUpBy": "ex:mikko-heikkinen",
            },
        ),
        absent=(
            {"plan": "ex:suunnitelma-jarvilinna-2026", "followUp": "ex:seuranta-jarvilinna-2025-06"},
            {"plan": "ex:suunnitelma-kauppakulma-2026"},
        ),
    ),
    Case(
        "CQ18",
        params={"relationship": "ex:rel-jarvilinna-digipalvelut"},
        present=({"plan": "ex:suunnitelma-jarvilinna-digi-2026", "approvedBy": None},),
    ),
    Case(
        "CQ19",
        present=(
            {"relationship": "ex:rel-amk-oppimisalusta", "finding": "no-current-plan"},
            {"relationship": "ex:rel-tunturihotellit-varausjarjestelma", "finding": "no-current-plan"},
            {"plan": "ex:suunnitelma-kauppakulma-2026", "finding": "no-recent-follow-up"},
            {"plan": "ex:suunnitelma-kiertotalous-sisu-2026", "finding": "no-recent-follow-up"},
        ),
        absent=(
            {"relationship": "ex:rel-revontuli-kiinteistohuolto"},
            {"relationship": "ex:rel-jarvilinna-kiinteistohuolto"},
            {"relationship": "ex:rel-rannikon-energia-kiinteistohuolto"},
        ),
        exactly=(("relationship", "finding"), 15),
    ),
    Case(
        "CQ20",
        present=(
            {"unit": "ex:konserni-talous", "mainlyFinancial": True, "analysisFollowUps": 0},
            {"unit": "ex:esimerkki-palvelut", "mainlyFinancial": True},
            {
                "unit": "ex:palvelut-myyntijohto",
                "financialFollowUps": 3,
                "analysisFollowUps": 1,
                "mainlyFinancial": True,
            },
        ),
        absent=(
            {"unit": "ex:la-kiinteistopalvelut", "mainlyFinancial": True},
            {"unit": "ex:startup-energia", "mainlyFinancial": True},
            {"unit": "ex:digi-myynti", "mainlyFinancial": True},
        ),
        exactly=(("unit",), 10),
    ),
    Case(
        "CQ21",
        params={"relationship": "ex:rel-pohjolan-logistiikka-it"},
        present=(
            {
                "role": "akj:OwnerRole",
                "assignee": "ex:post-digi-myyntipaallikko",
                "startDate": d("2024-03-01"),
                "endDate": d("2025-12-31"),
            },
            {"role": "akj:OwnerRole", "assignee": "ex:post-digi-la-johtaja", "startDate": d("2026-01-01")},
            {"role": "akj:LeadRole", "assignee": "ex:elina-hamalainen"},
        ),
        absent=({"assignee": "ex:riikka-peltonen"},),
        exactly=(("assignment",), 3),
    ),
    Case(
        "CQ21", params={"relationship": "ex:rel-jarvilinna-kiinteistohuolto"}, exactly=(("role",), 2)
    ),  # one owner and one lead, no change in T
    Case(
        "CQ22",
        present=(
            {"unit": "ex:palvelut-markkinointi", "function": "akj:MarketingFunction"},
            {"unit": "ex:konserni-talous", "function": "akj:FinanceFunction"},
            {"unit": "ex:startup-energia", "function": "akj:BusinessManagementFunction"},
        ),
        absent=(
            {"unit": "ex:digi-myynti"},
            {"unit": "ex:palvelut-myyntijohto"},
            {"unit": "ex:startup-kiertotalous"},
            {"unit": "ex:konsernijohto"},
        ),
        exactly=(("unit",), 6),
    ),
    Case(
        "CQ23",
        params={"subject": "ex:rel-jarvilinna-kiinteistohuolto"},
        present=(
            {
                "asset": "ex:data-asiakkuudet-palvelut",
                "model": "ex:malli-palvelut-myynti",
                "steward": "ex:palvelut-myyntijohto",
            },
        ),
        absent=({"asset": "ex:data-energia-kulutus"}, {"asset": "ex:data-kiertotalous-materiaalit"}),
    ),
    Case(
        "CQ23",
        params={"subject": "ex:jarvilinnan-kaupunki"},
        present=(
            {"asset": "ex:data-crm-asiakasrekisteri", "model": "ex:malli-konserni", "steward": "ex:digi-myynti"},
            {"asset": "ex:data-asiakaspalvelu-tiketit", "steward": "ex:palvelut-asiakaspalvelu"},
            {"asset": "ex:data-laskutus", "model": None, "steward": "ex:konserni-talous"},
        ),
        exactly=(("asset",), 3),
    ),
    Case(
        "CQ24",
        present=(
            {
                "decision": "ex:paatos-jarvilinna-palvelutaso",
                "information": "ex:analyysi-asiakastyytyvaisyys-2026",
                "concerns": "ex:rel-jarvilinna-kiinteistohuolto",
            },
            {
                "decision": "ex:paatos-energia-laajennus",
                "information": "ex:data-energia-kulutus",
                "concerns": "ex:rel-energia-kivijalka",
            },
        ),
        absent=({"decision": "ex:paatos-budjetti-2026"},),
    ),
    Case(
        "CQ25",
        present=(
            {"unit": "ex:la-digitaaliset-palvelut", "relationship": "ex:rel-koillismaa-it-tuki"},
            {"unit": "ex:digi-tuotekehitys", "relationship": "ex:rel-int-digi-asiakaspalvelu"},
        ),
        absent=(
            {"unit": "ex:la-kiinteistopalvelut"},
            {"unit": "ex:palvelut-myyntijohto"},
            {"unit": "ex:digi-myynti"},
            {"unit": "ex:konserni-talous"},
        ),
        exactly=(("unit", "relationship"), 5),
    ),
    Case(
        "CQ26",
        present=(
            {"area": "akj:RelationshipManagementDomain"},
            {"area": "akj:CustomerRelationshipMarketingDomain"},
            {"area": "ex:talousjohtaminen"},
            {"area": "ex:hankintojen-johtaminen"},
        ),
        absent=({"area": "akj:BusinessManagementDomain"},),
        exactly=(("area",), 5),
    ),
    Case(
        "CQ26",
        params={"whole": "akj:RelationshipManagementDomain"},
        present=({"area": "akj:CustomerRelationshipMarketingDomain"},),
    ),
    Case(
        "CQ26",
        params={"whole": "akj:CustomerRelationshipManagementDomain"},
        absent=({"area": "ex:hankintojen-johtaminen"},),
    ),
    Case(
        "CQ27",
        params={"activity": "ex:toimenpide-kanta-asiakaskampanja-2026"},
        present=(
            {"area": "akj:CustomerRelationshipMarketingDomain"},
            {"area": "akj:CustomerRelationshipManagementDomain"},
            {"area": "akj:RelationshipManagementDomain"},
            {"area": "akj:BusinessManagementDomain"},
        ),
        exactly=(("area",), 4),
    ),
    Case(
        "CQ27",
        params={"activity": "ex:toimenpide-kassavirtaennuste-2026"},
        present=({"area": "ex:talousjohtaminen"}, {"area": "akj:BusinessManagementDomain"}),
        absent=({"area": "akj:CustomerRelationshipManagementDomain"},),
    ),
    Case(
        "CQ28",
        present=(
            {"activity": "ex:seuranta-kauppakulma-2026-03"},
            {"activity": "ex:toimenpide-palautekasittely-2026"},
            {"activity": "ex:seuranta-energia-rannikko-2026-09"},
        ),
        absent=(
            {"activity": "ex:toimenpide-kanta-asiakaskampanja-2026"},
            {"activity": "ex:paatos-jarvilinna-palvelutaso"},
            {"activity": "ex:toimenpide-kassavirtaennuste-2026"},
            {"activity": "ex:paatos-energia-laajennus"},
        ),
        exactly=(("activity",), 13),
    ),
    Case(
        "CQ29",
        present=({"organisation": "ex:esimerkki-palvelut", "practice": "ex:viestinta-palvelut-ulkoinen"},),
        absent=(
            {"organisation": "ex:esimerkki-digi"},
            {"organisation": "ex:esimerkki-konserni"},
            {"practice": "ex:viestinta-palvelut-sisainen"},
        ),
        exactly=(("organisation",), 1),
    ),
    Case(
        "CQ30",
        present=(
            {"organisation": "ex:esimerkki-digi", "crmRole": "steering", "basis": "model", "system": None},
            {
                "organisation": "ex:esimerkki-konserni",
                "system": "ex:johtamisjarjestelma-konserni",
                "crmRole": "steering",
                "basis": "system",
                "steeringScope": "akj:FunctionLevel",
            },
            {
                "organisation": "ex:esimerkki-palvelut",
                "system": "ex:johtamisjarjestelma-palvelut",
                "crmRole": "subordinate",
                "basis": "system",
            },
        ),
        absent=(
            {"organisation": "ex:esimerkki-konserni", "crmRole": "subordinate"},
            {"organisation": "ex:esimerkki-palvelut", "crmRole": "steering"},
            {"model": "ex:johtamismalli-digi-2021"},
        ),
        exactly=(("organisation",), 3),
    ),
    Case(
        "CQ31",
        params={"organisation": "ex:esimerkki-konserni"},
        present=(
            {
                "capability": "akj:StrategicSensitivity",
                "level": 3,
                "date": d("2025-11-14"),
                "assessor": "ex:anna-makinen",
            },
            {
                "capability": "akj:ResourceFluidity",
                "level": 3,
                "date": d("2026-05-15"),
                "evidence": "ex:henkilostokysely-2026",
            },
        ),
        exactly=(("assessment",), 6),
    ),
    Case("CQ31", params={"organisation": "ex:esimerkki-palvelut"}, exactly=(("assessment",), 0)),
    Case(
        "CQ32",
        present=(
            {
                "startup": "ex:startup-energia",
                "resourcesManagedBy": "ex:startup-energia",
                "supportedBy": "ex:konsernijohto",
            },
        ),
        absent=({"startup": "ex:startup-kiertotalous"},),
        exactly=(("startup",), 1),
    ),
    Case(
        "CQ33",
        present=(
            {"startup": "ex:startup-kiertotalous", "finding": "no-group-management-support"},
            {"startup": "ex:startup-kiertotalous", "finding": "no-recent-situation-review"},
        ),
        absent=({"startup": "ex:startup-energia"},),
        exactly=(("startup",), 1),
    ),
    Case(
        "CQ34",
        present=(
            {
                "relationship": "ex:rel-energia-rannikon-energia",
                "model": "ex:malli-energia",
                "notDerived": True,
                "differentCapacities": True,
            },
            {"relationship": "ex:rel-energia-kivijalka", "groupModel": "ex:malli-konserni"},
        ),
        absent=(
            {"relationship": "ex:rel-kiertotalous-sisu-rakennus"},
            {"relationship": "ex:rel-kiertotalous-metsapuu"},
            {"relationship": "ex:rel-int-asiakaspalvelu-energia"},
        ),
        exactly=(("relationship",), 2),
    ),
    Case(
        "CQ35",
        present=(
            {
                "startupAsset": "ex:data-energia-kulutus",
                "enrichedAsset": "ex:data-crm-asiakasrekisteri",
                "date": d("2026-05-20"),
            },
        ),
        absent=(
            {"startupAsset": "ex:data-kiertotalous-materiaalit"},
            {"startupAsset": "ex:data-asiakaspalvelu-tiketit"},
        ),
        exactly=(("startupAsset",), 1),
    ),
    Case(
        "CQ36",
        present=(
            {
                "model": "ex:malli-palvelut-myynti",
                "owner": "ex:palvelut-myynti",
                "derivedFrom": "ex:malli-konserni",
                "relationships": 12,
            },
            {"model": "ex:malli-konserni", "owner": "ex:konsernijohto", "relationships": 0},
            {"model": "ex:malli-digi", "relationships": 7},
            {"model": "ex:malli-energia", "derivedFrom": None, "relationships": 2},
        ),
        absent=({"model": "ex:segmentointi-konserni"}, {"model": "ex:data-crm-asiakasrekisteri"}),
        exactly=(("model",), 6),
    ),
    # --- issue 12: dated organisation, leavers, vacancies, successions
    Case(
        "CQ37",
        present=(
            {
                "relationship": "ex:rel-kiertotalous-metsapuu",
                "role": "akj:LeadRole",
                "person": "ex:sanna-lindholm",
                "lastDay": d("2026-08-31"),
            },
        ),
        absent=({"person": "ex:timo-jarvinen"}, {"person": "ex:katja-lehtonen"}, {"person": "ex:laura-koskinen"}),
        exactly=(("assignment",), 1),
    ),
    Case("CQ37", params={"asOf": "2026-08-31"}, exactly=(("assignment",), 0)),  # her last day: still a member
    Case(
        "CQ38",
        present=(
            {
                "post": "ex:post-palvelut-asiakkuusjohtaja-julkinen",
                "relationship": "ex:rel-jarvilinnan-vesi-kiinteistohuolto",
                "role": "akj:OwnerRole",
                "lastHolder": None,
            },
        ),
        absent=({"post": "ex:post-palvelut-myyntijohtaja"}, {"post": "ex:post-palvelut-am-yritykset-2"}),
        exactly=(("post", "relationship"), 1),
    ),
    Case("CQ38", params={"asOf": "2026-08-31"}, exactly=(("post",), 0)),  # before the reorganisation
    Case(
        "CQ39",
        present=(
            {"level": "owner", "who": "ex:post-palvelut-myyntijohtaja", "relationships": 8, "percent": 28},
            {"level": "owner", "who": "ex:digi-myynti", "relationships": 4, "percent": 14},
            {"level": "person", "who": "ex:sari-laine", "relationships": 8, "percent": 28},
            {"level": "person", "who": "ex:markus-rantanen", "relationships": 5, "percent": 17},
            {"level": "person", "who": "ex:antti-niemi", "relationships": 3},
        ),
        absent=(
            {"level": "person", "who": "ex:post-palvelut-asiakkuusjohtaja-julkinen"},
            {"level": "person", "who": "ex:konserni-talous"},
            {"level": "person", "who": "ex:timo-jarvinen"},
        ),
        exactly=(("level", "who"), 22),
    ),
    Case(
        "CQ40",
        present=(
            {"lead": "ex:elina-hamalainen", "relationships": 4, "alone": 3, "keyPersonRisk": True},
            {"lead": "ex:olli-mattila", "relationships": 2, "alone": 1, "keyPersonRisk": False},
            {"lead": "ex:sanna-lindholm", "relationships": 1},
        ),
        absent=({"lead": "ex:timo-jarvinen"}, {"lead": "ex:riikka-peltonen", "relationships": 2}),
        exactly=(("lead",), 14),
    ),
    Case(
        "CQ41",
        present=(
            {
                "relationship": "ex:rel-koillismaa-kiinteistohuolto",
                "role": "akj:OwnerRole",
                "previous": "ex:post-palvelut-myyntijohtaja",
                "assignee": "ex:post-kiinteisto-johtaja",
                "handoverDate": d("2026-04-01"),
                "reason": "akj:ReorganisationReason",
            },
            {
                "relationship": "ex:rel-jarvilinnan-vesi-kiinteistohuolto",
                "assignee": "ex:post-palvelut-asiakkuusjohtaja-julkinen",
            },
        ),
        absent=(
            {"relationship": "ex:rel-pohjolan-logistiikka-it"},  # plan approved 2026-01-12, after the change
            {"relationship": "ex:rel-kauppakulma-kiinteistohuolto"},  # 2026 plan valid from 2026-01-01
            {"relationship": "ex:rel-metsapuu-pilvipalvelu"},
        ),
        exactly=(("relationship",), 2),
    ),
    Case(
        "CQ42",
        present=(
            {
                "kind": "self-approval",
                "relationship": "ex:rel-kiertotalous-sisu-rakennus",
                "person": "ex:eero-karjalainen",
                "subject": "ex:suunnitelma-kiertotalous-sisu-2026",
            },
            {"kind": "owner-is-lead", "relationship": "ex:rel-lahilaakarit-siivous", "person": "ex:laura-koskinen"},
            {
                "kind": "owner-is-lead",
                "relationship": "ex:rel-kiertotalous-sisu-rakennus",
                "person": "ex:eero-karjalainen",
            },
            {"kind": "owner-is-lead", "relationship": "ex:rel-amk-oppimisalusta", "person": "ex:markus-rantanen"},
        ),
        absent=(
            {"relationship": "ex:rel-kivijalka-siivous"},  # Laura leads it, a post owns it
            {"relationship": "ex:rel-energia-rannikon-energia"},  # the start-up owns it, its head is not recorded
            {"kind": "self-approval", "relationship": "ex:rel-jarvilinna-kiinteistohuolto"},
        ),
        exactly=(("kind", "relationship"), 6),
    ),
    Case(
        "CQ43",
        present=(
            {
                "relationship": "ex:rel-jarvilinna-kiinteistohuolto",
                "owner": "ex:post-palvelut-myyntijohtaja",
                "person": "ex:sari-laine",
                "basis": "post-holder",
            },
            {
                "relationship": "ex:rel-jarvilinnan-vesi-kiinteistohuolto",
                "person": None,
                "reason": "vacant-post",
            },
            {"relationship": "ex:rel-int-talous-kiinteisto", "owner": "ex:konserni-talous", "reason": "no-head"},
            {"relationship": "ex:rel-koillismaa-it-tuki", "person": "ex:markus-rantanen", "basis": "unit-head"},
            {"relationship": "ex:rel-lahilaakarit-siivous", "person": "ex:laura-koskinen", "basis": "person-owner"},
        ),
        absent=({"relationship": "ex:rel-revontuli-kiinteistohuolto"},),
        exactly=(("relationship",), 29),
    ),
    Case(
        "CQ43",
        params={"relationship": "ex:rel-jarvilinnan-vesi-kiinteistohuolto", "asOf": "2026-08-15"},
        present=({"owner": "ex:post-palvelut-myyntijohtaja", "person": "ex:sari-laine", "reason": None},),
        exactly=(("owner",), 1),
    ),
    Case(
        "CQ43",
        params={"relationship": "ex:rel-kauppakulma-kiinteistohuolto", "asOf": "2021-06-30"},
        exactly=(("owner",), 0),  # the relationship had no owner yet
    ),
    Case(
        "CQ44",
        present=(
            {
                "relationship": "ex:rel-metsapuu-pilvipalvelu",
                "changes": 2,
                "firstChange": d("2025-04-01"),
                "lastChange": d("2025-11-01"),
            },
        ),
        absent=(
            {"relationship": "ex:rel-pohjolan-logistiikka-it"},
            {"relationship": "ex:rel-koillismaa-kiinteistohuolto"},
        ),
        exactly=(("relationship",), 1),
    ),
    Case(
        "CQ45",
        present=(
            {
                "plan": "ex:suunnitelma-pohjolan-logistiikka-it-2026",
                "followUp": "ex:seuranta-pohjolan-logistiikka-it-2026-09",
                "date": d("2026-09-01"),
            },
        ),
        absent=(
            {"plan": "ex:suunnitelma-jarvilinna-2026"},
            {"plan": "ex:suunnitelma-jarvilinna-2025"},
            {"plan": "ex:suunnitelma-kauppakulma-2026"},
        ),
        exactly=(("plan",), 1),
    ),
    Case(
        "CQ46",
        present=(
            {"plan": "ex:suunnitelma-jarvilinna-2025", "objective": "ex:tavoite-jarvilinna-2025"},
            {
                "plan": "ex:suunnitelma-tunturihotellit-siivous-2024",
                "objective": "ex:tavoite-tunturihotellit-siivous-2024",
            },
        ),
        absent=(
            {"objective": "ex:tavoite-jarvilinna-2026"},
            {"objective": "ex:tavoite-koillismaa-it-2026"},
            {"objective": "ex:tavoite-kauppakulma-2026"},
            {"objective": "ex:tavoite-pankki-2026"},
        ),
        exactly=(("objective",), 14),
    ),
    Case(
        "CQ47",
        present=(
            {
                "plan": "ex:suunnitelma-tunturihotellit-siivous-2024",
                "relationship": "ex:rel-tunturihotellit-siivous",
                "planDate": d("2024-05-20"),
            },
        ),
        absent=({"plan": "ex:suunnitelma-jarvilinna-2025"}, {"plan": "ex:suunnitelma-jarvilinna-2026"}),
        exactly=(("plan",), 1),
    ),
    Case(
        "CQ48",
        present=(
            {
                "organisation": "ex:esimerkki-konserni",
                "firstCommunication": d("2022-09-01"),
                "customerCentricSince": d("2024-01-01"),
                "lagMonths": 16,
                "status": "communication-first",
            },
            {"organisation": "ex:esimerkki-digi", "lagMonths": 13, "status": "communication-first"},
            {
                "organisation": "ex:esimerkki-palvelut",
                "firstCommunication": d("2023-03-01"),
                "customerCentricSince": None,
                "status": "management-not-yet",
            },
        ),
        absent=({"organisation": "ex:esimerkki-palvelut", "firstCommunication": d("2020-01-01")},),
        exactly=(("organisation",), 3),
    ),
    Case(
        "CQ49",
        present=(
            {
                "organisation": "ex:esimerkki-konserni",
                "part": "ex:konserni-asiakkuuskatsaus",
                "kind": "akj:ManagementReport",
                "domain": "akj:CustomerRelationshipManagementDomain",
                "reach": "akj:OrganisationWide",
            },
            {
                "organisation": "ex:esimerkki-palvelut",
                "part": "ex:palvelut-myyntipalaveri",
                "kind": "akj:ManagementForum",
                "reach": "akj:FunctionLevel",
            },
        ),
        absent=(
            {"organisation": "ex:esimerkki-digi"},
            {"part": "ex:palvelut-johtoryhma", "reach": "akj:FunctionLevel"},
        ),
        exactly=(("part",), 6),
    ),
    Case("CQ44", params={"n": "1"}, exactly=(("relationship",), 4)),
    # Issue 15 (block `domain2`): CQ55–CQ57.
    Case(
        "CQ55",
        present=(
            {"model": "ex:malli-konserni", "segment": "ex:segmentti-julkinen", "customers": 6},
            {"model": "ex:malli-konserni", "segment": "ex:segmentti-yritykset", "customers": 8},
            {"model": "ex:malli-konserni", "segment": None, "customers": 12},
            {"model": "ex:malli-palvelut-myynti", "segment": None, "customers": 24},
            {"model": "ex:malli-palvelut-asiakaspalvelu", "segment": None, "customers": 17},
        ),
        absent=({"model": "ex:malli-palvelut-myynti", "segment": "ex:segmentti-julkinen"},),
        exactly=(("model",), 6),
    ),
    Case(
        "CQ56",
        present=(
            {"customer": "ex:jarvilinnan-kaupunki", "units": 2, "relationships": 2, "owners": 2},
            {"customer": "ex:koillismaan-hyvinvointialue", "units": 2, "owners": 2},
        ),
        absent=({"customer": "ex:kuntien-yhteishankinta"}, {"customer": "ex:jarvilinnan-vesi"}),
        exactly=(("customer",), 12),
    ),
    Case(
        "CQ57",
        present=(
            {
                "relationship": "ex:rel-energia-rannikon-energia",
                "startup": "ex:startup-energia",
                "horizon": "akj:MultiYearHorizon",
                "handovers": 0,
                "multiYearPlans": 0,
            },
            {"relationship": "ex:rel-kiertotalous-metsapuu", "startup": "ex:startup-kiertotalous"},
        ),
        absent=(
            {"relationship": "ex:rel-kiertotalous-sisu-rakennus"},
            {"relationship": "ex:rel-jarvilinna-kiinteistohuolto"},
        ),
        exactly=(("relationship",), 2),
    ),
]


def _value(value: Value) -> object:
    """A README value as the rdflib term the query returns (or None for 'unbound')."""
    if value is None:
        return None
    if isinstance(value, bool):
        return Literal(value)
    if isinstance(value, int):
        return Literal(value)
    if value.startswith("date:"):
        return Literal(value[5:], datatype=XSD.date)
    if (
        ":" in value
        and not value.startswith("http")
        and " " not in value
        and value.split(":")[0]
        in (
            "ex",
            "akj",
            "org",
            "foaf",
        )
    ):
        return from_ox(expand_iri(value))
    return Literal(value)


def _matches(row: Mapping[str, object], partial: Mapping[str, Value]) -> bool:
    for var, value in partial.items():
        want = _value(value)
        have = row.get(var)
        if want is None:
            if have is not None:
                return False
            continue
        if have is None:
            return False
        if isinstance(want, Literal) and isinstance(have, Literal) and want.datatype is not None:
            if want.toPython() != have.toPython():
                return False
        elif want != have:
            return False
    return True


@pytest.mark.parametrize("backend", ["oxigraph", "memory", "oxigraph-rl"])
@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.query}-{'-'.join(c.params.values()) or 'all'}")
def test_readme_case(case: Case, backend: str, catalogue: Catalogue, stores: dict[str, Store]) -> None:
    spec = catalogue.get(case.query)
    params = params_for(catalogue, spec.id)
    params.update(case.params)
    result = catalogue.run(spec, stores[backend], params)
    assert isinstance(result, SelectResult)
    rows = [{k: from_ox(v) for k, v in row.items()} for row in result.dicts()]  # compared by value, as rdflib does
    for partial in case.present:
        assert any(_matches(row, partial) for row in rows), f"{case.query}: no row matches {partial}"
    for partial in case.absent:
        hits = [row for row in rows if _matches(row, partial)]
        assert not hits, f"{case.query}: near-miss {partial} was returned: {hits[:2]}"
    if case.exactly is not None:
        variables, count = case.exactly
        distinct = {tuple(row[v] for v in variables) for row in rows if all(v in row for v in variables)}
        assert len(distinct) == count, f"{case.query}: {len(distinct)} distinct {variables}, README says {count}"


def test_every_cq_has_a_positive_and_a_negative_case(catalogue: Catalogue) -> None:
    covered_plus = {c.query for c in CASES if c.present or (c.exactly and c.exactly[1] > 0)}
    covered_minus = {c.query for c in CASES if c.absent or c.exactly}
    numbers = {f"CQ{s.cq_number}" for s in catalogue.list("cq")}
    assert {f"CQ{n}" for n in [*range(1, 50), 55, 56, 57]} <= numbers
    assert numbers - {"CQ10"} <= covered_plus  # CQ10's positive case lives in esimerkki-broken (test_qc)
    assert numbers <= covered_minus


def test_uri_helper_expands_prefixes() -> None:
    assert _value("ex:x") == URIRef("https://example.org/esimerkki/x")
