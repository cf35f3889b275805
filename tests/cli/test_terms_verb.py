"""``crmkg terms search|show`` (issue 14 §7, §9): the API's term search and cards on the command line,
under the same language rule — a hit is shown in the language of the label that matched."""

from __future__ import annotations

import json

import pytest

from crmkg.cli import main
from crmkg.terms import default_index


def _json(capsys: pytest.CaptureFixture[str], *args: str) -> object:
    assert main(["terms", *args, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("locale", ["C.UTF-8", "fi_FI.UTF-8"])
def test_a_hit_speaks_the_language_that_matched(
    locale: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Why: searching "payer" showed the Finnish card."""
    monkeypatch.setenv("LANG", locale)
    for text, label, lang in (("payer", "payer", "en"), ("maksaja", "maksaja", "fi")):
        hits = _json(capsys, "search", text)
        assert isinstance(hits, list)
        assert hits[0]["curie"] == "akj:hasPayer"
        assert hits[0]["label"] == label
        assert hits[0]["match"]["lang"] == lang


def test_lang_restricts_the_match_and_the_display(capsys: pytest.CaptureFixture[str]) -> None:
    hits = _json(capsys, "search", "pay", "--lang", "fi")
    assert isinstance(hits, list)
    assert hits
    index = default_index()
    for hit in hits:
        assert hit["match"]["lang"] in ("fi", "")  # a Finnish label, or the local name (always searched)
        assert hit["label"] == index.get(hit["iri"]).label("fi")
    assert main(["terms", "search", "maksaja", "--lang", "en"]) == 0
    assert "no terms match 'maksaja'" in capsys.readouterr().out


def test_the_card_follows_the_rule_and_the_index(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    term = default_index().get("https://w3id.org/crmkg/akj#hasPayer")
    card = _json(capsys, "show", "akj:hasPayer")
    assert isinstance(card, dict)
    assert card["label"] == "payer"
    assert card["parents"] == term.parents
    assert set(card["shapes"]) == {use.shape for use in term.shapes}
    assert card["queries"] == [use.id for use in term.queries]
    monkeypatch.setenv("CRMKG_LANG", "fi")
    assert main(["terms", "show", "akj:hasPayer"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("akj:hasPayer  maksaja  (olioiden välinen ominaisuus)")  # the kind in Finnish too
    assert "yläkäsitteet: akj:involvesCustomerParty" in text


def test_an_unknown_term_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["terms", "show", "akj:noSuchTerm"]) == 2
    assert "noSuchTerm" in capsys.readouterr().err


def test_every_kind_of_term_has_its_words() -> None:
    from crmkg.i18n import message
    from crmkg.terms.model import KINDS

    for kind in KINDS:
        assert message(f"term_kind.{kind}", "fi")
        assert message(f"term_kind.{kind}", "en")


def test_cards_name_shapes_not_blank_nodes() -> None:
    """A nested shape (inside sh:or, sh:node …) is shown as the named shape it belongs to."""
    unnamed = [(term.curie, use.shape) for term in default_index() for use in term.shapes if use.shape.startswith("_:")]
    assert unnamed == []
