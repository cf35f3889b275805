"""``crmkg lookup``: domain answers — whose is each customer relationship."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import sys
from typing import Any

from crmkg.cli._common import EXIT_OK, add_data_options, iso_date, open_loaded_store
from crmkg.i18n import counted, message
from crmkg.language import LANGUAGES, cli_language
from crmkg.lookup import (
    CAPACITIES,
    Party,
    RelationshipAnswer,
    Responsibility,
    ownership_table,
    relationship_answer,
    responsibility_history,
    role_label,
)
from crmkg.namespaces import expand_identifier

_LANG_HELP = "label and text language; default: CRMKG_LANG, else the locale (fi_* → fi, else en)"


def _text(key: str, lang: str, **values: object) -> str:
    return message(f"lookup.{key}", lang, **values)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("lookup", help="who owns and who leads customer relationships")
    verbs = parser.add_subparsers(dest="lookup_verb", required=True, metavar="VERB")
    table = verbs.add_parser(
        "ownership",
        help="every relationship: customer parties by capacity, owner and lead as of a date",
    )
    add_data_options(table, default_example=True)
    table.add_argument("--as-of", type=iso_date, default=None, help="date (default: today)")
    table.add_argument("--lang", choices=LANGUAGES, help=_LANG_HELP)
    table.add_argument("--format", choices=("text", "csv", "json"), default="text")
    table.set_defaults(func=run_ownership)

    for verb, help_text in (
        ("owner", "the owner of one relationship as of a date, since when, from which assignment"),
        ("leads", "the leads of one relationship as of a date"),
        ("relationship", "one relationship: customer parties by capacity, owner and leads"),
        ("history", "every owner and lead assignment of one relationship, and the handovers"),
    ):
        one = verbs.add_parser(verb, help=help_text)
        one.add_argument("relationship", metavar="RELATIONSHIP", help="IRI, <IRI> or CURIE such as ex:rel-1")
        add_data_options(one, default_example=True)
        one.add_argument("--as-of", type=iso_date, default=None, help="date (default: today)")
        one.add_argument("--lang", choices=LANGUAGES, help=_LANG_HELP)
        one.add_argument("--format", choices=("text", "json"), default="text")
        one.set_defaults(func=run_single, lookup_verb=verb)


def run_ownership(args: argparse.Namespace) -> int:
    as_of: dt.date = args.as_of or dt.date.today()
    lang = cli_language(args.lang)
    store = open_loaded_store(args)
    answers = ownership_table(store, as_of, lang=lang)
    if args.format == "json":
        json.dump([_as_json(a) for a in answers], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    elif args.format == "csv":
        _write_csv(answers)
    else:
        _write_text(answers, as_of, lang)
    return EXIT_OK


def run_single(args: argparse.Namespace) -> int:
    """``owner``, ``leads``, ``relationship`` and ``history`` for one relationship."""
    as_of: dt.date = args.as_of or dt.date.today()
    iri = expand_identifier(args.relationship)
    lang = cli_language(args.lang)
    store = open_loaded_store(args)
    if args.lookup_verb == "history":
        entries, handovers = responsibility_history(store, iri, lang=lang)
        if args.format == "json":
            payload: Any = {
                "relationship": iri,
                "assignments": [
                    {"role": e.role, "role_label": role_label(e.role, lang), **_resp_json(e.responsibility)}
                    for e in entries
                ],
                "handovers": [
                    {
                        "role": h.role,
                        "role_label": role_label(h.role, lang),
                        "date": h.date.isoformat(),
                        "from": h.previous.iri if h.previous else None,
                        "to": h.to.iri,
                        "reason": h.reason.iri if h.reason else None,
                        "assignment": h.assignment,
                    }
                    for h in handovers
                ],
            }
            json.dump(payload, sys.stdout, ensure_ascii=False, indent=2)
            sys.stdout.write("\n")
        else:
            width = max((len(role_label(h.role, lang)) for h in handovers), default=0)
            for h in handovers:
                before = f"{h.previous.label} → " if h.previous else ""
                why = f" ({h.reason.label})" if h.reason else ""
                role = role_label(h.role, lang)
                sys.stdout.write(f"{h.date.isoformat()}  {role:<{width}} {before}{h.to.label}{why}\n")
        return EXIT_OK
    answer = relationship_answer(store, iri, as_of, lang=lang)
    if args.format == "json":
        data = _as_json(answer)
        data["as_of"] = as_of.isoformat()
        if args.lookup_verb == "owner":
            data = {k: data[k] for k in ("relationship", "label", "as_of", "owners")}
        elif args.lookup_verb == "leads":
            data = {k: data[k] for k in ("relationship", "label", "as_of", "leads")}
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return EXIT_OK
    if args.lookup_verb == "relationship":
        _write_text([answer], as_of, lang)
        return EXIT_OK
    items = answer.owners if args.lookup_verb == "owner" else answer.leads
    since = _text("since", lang)
    for r in items:
        until = f" – {r.until.isoformat()}" if r.until else ""
        sys.stdout.write(
            f"{_who(r, lang)}  <{r.assignee.iri}>  {since} {r.since.isoformat()}{until}  ({r.assignment})\n"
        )
    if not items:
        sys.stdout.write(_text("nobody", lang) + "\n")
    return EXIT_OK


def _resp_json(r: Responsibility) -> dict[str, Any]:
    return {
        "assignee": r.assignee.iri,
        "label": r.assignee.label,
        "since": r.since.isoformat(),
        "until": r.until.isoformat() if r.until else None,
        "assignment": r.assignment,
        "accountable": [
            {
                "person": a.person.iri,
                "label": a.person.label,
                "basis": a.basis,
                "since": a.since.isoformat() if a.since else None,
                "until": a.until.isoformat() if a.until else None,
            }
            for a in r.accountable
        ],
        "accountable_reason": r.accountable_reason,
    }


def _who(r: Responsibility, lang: str) -> str:
    """The assignee's label with the person(s) accountable behind it on the date, or why nobody is:
    "Myyntijohtaja, palvelut (Sari Laine)"; a person assignee is shown by their name alone."""
    behind = [a.person.label for a in r.accountable if a.person.iri != r.assignee.iri]
    if behind:
        return f"{r.assignee.label} ({', '.join(behind)})"
    if r.accountable_reason in ("vacant-post", "no-head"):
        return f"{r.assignee.label} ({_text(r.accountable_reason, lang)})"
    return r.assignee.label


def _names(parties: list[Party]) -> str:
    return ", ".join(p.label for p in parties)


def _write_text(answers: list[RelationshipAnswer], as_of: dt.date, lang: str) -> None:
    headings = [_text(f"capacity.{c}", lang) for c in ("user", "negotiator", "payer")]
    owner, lead = role_label("owner", lang), role_label("lead", lang)
    provider, nobody, since = _text("provider", lang), _text("nobody", lang), _text("since", lang)
    out = sys.stdout
    out.write(_text("title", lang, date=as_of.isoformat()) + "\n\n")
    width = max(len(h) for h in (*headings, owner, lead, provider)) + 1
    for a in answers:
        status = f"  [{_text('ended', lang)} {a.end.isoformat()}]" if a.end and a.end < as_of else ""
        out.write(f"{a.relationship.label}  <{a.relationship.iri}>{status}\n")
        if a.provider:
            out.write(f"  {provider:<{width}} {a.provider.label}\n")
        for cap, heading in zip(CAPACITIES, headings, strict=True):
            out.write(f"  {heading:<{width}} {_names(a.parties.get(str(cap), [])) or nobody}\n")
        for role, items in ((owner, a.owners), (lead, a.leads)):
            shown = "; ".join(f"{_who(r, lang)} ({since} {r.since.isoformat()})" for r in items)
            out.write(f"  {role:<{width}} {shown or nobody}\n")
        out.write("\n")
    no_owner = sum(1 for a in answers if a.active_on(as_of) and not a.owners)
    no_lead = sum(1 for a in answers if a.active_on(as_of) and not a.leads)
    out.write(counted("lookup.summary", lang, len(answers), no_owner=no_owner, no_lead=no_lead) + "\n")


def _write_csv(answers: list[RelationshipAnswer]) -> None:
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["relationship", "role", "party", "since"])
    for a in answers:
        for cap in CAPACITIES:
            for party in a.parties.get(str(cap), []):
                writer.writerow([a.relationship.iri, str(cap), party.iri, ""])
        for role, items in (("owner", a.owners), ("lead", a.leads)):
            for r in items:
                writer.writerow([a.relationship.iri, role, r.assignee.iri, r.since.isoformat()])


def _as_json(a: RelationshipAnswer) -> dict[str, Any]:
    resp = _resp_json
    return {
        "relationship": a.relationship.iri,
        "label": a.relationship.label,
        "provider": a.provider.iri if a.provider else None,
        "parties": {cap: [p.iri for p in ps] for cap, ps in a.parties.items()},
        "owners": [resp(r) for r in a.owners],
        "leads": [resp(r) for r in a.leads],
    }
