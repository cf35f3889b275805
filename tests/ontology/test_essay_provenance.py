"""Provenance to the essay (issue 15 §9): locators and paraphrases, fi and en, on the terms derived
from Hakanen (2014); crmkg's own interpretations carry an editorial note instead."""

from __future__ import annotations

import re

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS

from crmkg import resources
from crmkg.namespaces import AKJ

#: The essay's section headings (fi) and how the locators render them in English.
SECTIONS = {
    "Asiakkuuksien johtaminen": "Customer relationship management",
    "Johdatteluna – Kenen on asiakkuus?": "Introduction – Whose is the customer relationship?",
    "CRM – Suhdemarkkinointia vai suhdejohtamista": "CRM – relationship marketing or relationship management",
    "Strateginen ketteryys vai pitkäjänteinen asiakastyö": "Strategic agility or long-term customer work",
}
#: paragraphs per section in the essay (the introduction has 2, CRM 2, agility 3)
PARAGRAPHS = {
    "Asiakkuuksien johtaminen": 2,
    "Johdatteluna – Kenen on asiakkuus?": 2,
    "CRM – Suhdemarkkinointia vai suhdejohtamista": 2,
    "Strateginen ketteryys vai pitkäjänteinen asiakastyö": 3,
}
LOCATOR_FI = re.compile(r"^(?P<section>.+), kappale(?:et)? (?P<first>\d)(?:–(?P<last>\d))?$")
LOCATOR_EN = re.compile(r"^(?P<section>.+), paragraphs? (?P<first>\d)(?:–(?P<last>\d))?$")


@pytest.fixture(scope="module")
def ontology() -> Graph:
    graph = Graph()
    for path in resources.ontology_files():
        graph.parse(path)
    return graph


def _by_lang(graph: Graph, subject: URIRef, prop: URIRef) -> dict[str, str]:
    return {o.language or "": str(o) for o in graph.objects(subject, prop) if isinstance(o, Literal)}


def test_enough_terms_point_at_the_essay(ontology: Graph) -> None:
    located = {str(t).removeprefix(str(AKJ)) for t in ontology.subjects(AKJ.essayLocator, None)}
    # the terms the essay's own questions and claims give (issue 15's list of what is sound)
    key_terms = {
        "CustomerRelationship",
        "hasUser",
        "hasNegotiatingPartner",
        "hasPayer",
        "CustomerModel",
        "InternalCustomerRelationship",
        "ManagementDomain",
        "ManagementModel",
        "CommunicationPractice",
        "StrategicCapability",
        "InternalStartup",
        "GroupManagement",
        "DataEnrichment",
        "PlanFollowUp",
    }
    assert key_terms <= located, key_terms - located


def test_each_locator_names_a_real_passage_in_both_languages(ontology: Graph) -> None:
    for term in set(ontology.subjects(AKJ.essayLocator, None)):
        locators = _by_lang(ontology, term, AKJ.essayLocator)
        assert set(locators) == {"fi", "en"}, term
        fi_parts, en_parts = locators["fi"].split("; "), locators["en"].split("; ")
        assert len(fi_parts) == len(en_parts), term
        for fi, en in zip(fi_parts, en_parts, strict=True):
            m_fi, m_en = LOCATOR_FI.match(fi), LOCATOR_EN.match(en)
            assert m_fi, (term, fi)
            assert m_en, (term, en)
            section = m_fi["section"]
            assert SECTIONS.get(section) == m_en["section"], (term, section)
            assert (m_fi["first"], m_fi["last"]) == (m_en["first"], m_en["last"]), term
            last = int(m_fi["last"] or m_fi["first"])
            assert 1 <= int(m_fi["first"]) <= last <= PARAGRAPHS[section], (term, fi)


def test_each_located_term_says_what_the_essay_claims_in_both_languages(ontology: Graph) -> None:
    for term in set(ontology.subjects(AKJ.essayLocator, None)):
        paraphrase = _by_lang(ontology, term, AKJ.essayParaphrase)
        assert set(paraphrase) == {"fi", "en"}, term
        assert all(text.startswith(("Essee", "The essay")) for text in paraphrase.values()), term


@pytest.mark.parametrize("term", ["ResponsibilityAssignment", "RaciType", "CapabilityAssessment"])
def test_crmkgs_interpretations_say_so(ontology: Graph, term: str) -> None:
    notes = _by_lang(ontology, AKJ[term], SKOS.editorialNote)
    assert set(notes) == {"fi", "en"}
    assert "crmkg" in notes["fi"]
    assert "crmkg" in notes["en"]


def test_the_ontology_pages_show_the_locator_and_paraphrase(ontology: Graph) -> None:
    import crmkg.api  # noqa: F401  (the web package is imported through the app)
    from crmkg.web.ontodoc import model

    entry = model.build(ontology).get(str(AKJ.CustomerRelationship))
    assert entry is not None
    assert entry.locators["fi"].startswith("Johdatteluna")
    assert entry.paraphrases["en"].startswith("The essay")
