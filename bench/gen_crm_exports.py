"""Generate deterministic HubSpot and Dynamics 365 exports for the ingest benchmark.

    python bench/gen_crm_exports.py hubspot|dynamics OUT_DIR [--accounts 100000] [--seed 7]

HubSpot: the companies and contacts exports as HubSpot writes them (display-label headers, every
value quoted, ``YYYY-MM-DD HH:MM`` datetimes) and an owners CSV; per company 2 contacts on
average, 1 owner per 50 companies, 20 teams. Dynamics: CSV with logical names (GUIDs), per account
2 contacts and 2 connections on average (users in connection roles, contacts as decision makers),
1 user per 50 accounts (each a member of one or two teams: teammembership.csv), 20 teams, 10
business units; a tenth of the accounts team-owned, 3 % inactive. Do not commit the output.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
from pathlib import Path
from typing import IO

STAGES = ("Customer", "customer", "Evangelist", "Lead", "Opportunity", "Subscriber")
ROLES = ("Account Manager", "Executive Sponsor", "Sales Professional", "Technical Sales Professional")


def _writer(path: Path, header: list[str], quote_all: bool = False) -> tuple[IO[str], csv.writer]:  # type: ignore[valid-type]
    handle = path.open("w", encoding="utf-8", newline="")
    w = csv.writer(handle, quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL, lineterminator="\n")
    w.writerow(header)
    return handle, w


def hubspot(out: Path, accounts: int, rng: random.Random) -> None:
    base = dt.datetime(2015, 1, 1, 8, 0)
    n_owners = max(20, accounts // 50)
    teams = [f"Tiimi {t}" for t in range(20)]
    h, w = _writer(out / "owners.csv", ["id", "name", "email", "team"])
    for i in range(n_owners):
        w.writerow([str(61_000_000 + i), f"Omistaja {i}", f"owner{i}@provider.example", teams[i % 20]])
    h.close()
    companies, cw = _writer(
        out / "hubspot-crm-exports-all-companies-2026-02-25.csv",
        [
            "Record ID",
            "Company name",
            "Company Domain Name",
            "Company owner",
            "HubSpot Team",
            "Owner assigned date",
            "Create Date",
            "Lifecycle Stage",
            "Parent Company ID",
        ],
        quote_all=True,
    )
    contacts, kw = _writer(
        out / "hubspot-crm-exports-all-contacts-2026-02-25.csv",
        [
            "Record ID",
            "First Name",
            "Last Name",
            "Email",
            "Contact owner",
            "Associated Company IDs (Primary)",
            "Create Date",
        ],
        quote_all=True,
    )
    contact_id = 25_000_000
    for i in range(accounts):
        cid = 18_000_000_000 + i
        created = base + dt.timedelta(minutes=rng.randrange(5_000_000))
        assigned = created + dt.timedelta(days=rng.randrange(900))
        owner = rng.randrange(n_owners)
        parent = str(18_000_000_000 + rng.randrange(i)) if i and rng.random() < 0.02 else ""
        cw.writerow(
            [
                str(cid),
                f"Yritys {i} Oy",
                f"yritys{i}.example",
                f"Omistaja {owner}",
                teams[owner % 20],
                assigned.strftime("%Y-%m-%d %H:%M"),
                created.strftime("%Y-%m-%d %H:%M"),
                rng.choice(STAGES),
                parent,
            ]
        )
        for _ in range(rng.choice((1, 2, 3))):
            contact_id += 1
            kw.writerow(
                [
                    str(contact_id),
                    "Etu",
                    f"Suku{contact_id}",
                    f"c{contact_id}@yritys{i}.example",
                    f"Omistaja {owner}",
                    str(cid),
                    created.strftime("%Y-%m-%d %H:%M"),
                ]
            )
    companies.close()
    contacts.close()


def _guid(kind: int, n: int) -> str:
    return f"{kind:08x}-0000-4000-8000-{n:012x}"


def dynamics(out: Path, accounts: int, rng: random.Random) -> None:
    base = dt.datetime(2015, 1, 1, 8, 0)
    bus = [_guid(1, b) for b in range(10)]
    h, w = _writer(out / "businessunit.csv", ["businessunitid", "name", "parentbusinessunitid"])
    for b, bid in enumerate(bus):
        w.writerow([bid, f"Liiketoimintayksikkö {b}", bus[0] if b else ""])
    h.close()
    teams = [_guid(2, t) for t in range(20)]
    h, w = _writer(out / "team.csv", ["teamid", "name", "businessunitid"])
    for t, tid in enumerate(teams):
        w.writerow([tid, f"Tiimi {t}", bus[t % 10]])
    h.close()
    users = [_guid(3, u) for u in range(max(20, accounts // 50))]
    h, w = _writer(
        out / "systemuser.csv", ["systemuserid", "fullname", "internalemailaddress", "businessunitid", "isdisabled"]
    )
    for u, uid in enumerate(users):
        w.writerow(
            [
                uid,
                f"Käyttäjä {u}" if u else "# Integraatio",
                f"user{u}@provider.example",
                bus[u % 10],
                "true" if rng.random() < 0.03 else "false",
            ]
        )
    h.close()
    h, w = _writer(out / "teammembership.csv", ["teammembershipid", "systemuserid", "teamid"])
    n_member = 0
    for u, uid in enumerate(users):
        for tid in dict.fromkeys((teams[u % 20], rng.choice(teams))):  # its own team, often a second one
            n_member += 1
            w.writerow([_guid(8, n_member), uid, tid])
    h.close()
    roles = [_guid(6, r) for r in range(len(ROLES) + 1)]
    h, w = _writer(out / "connectionrole.csv", ["connectionroleid", "name"])
    for r, name in enumerate((*ROLES, "Decision Maker")):
        w.writerow([roles[r], name])
    h.close()
    acc, aw = _writer(
        out / "account.csv",
        [
            "accountid",
            "name",
            "parentaccountid",
            "ownerid",
            "owneridtype",
            "owningbusinessunit",
            "statecode",
            "customertypecode",
            "createdon",
        ],
    )
    con, cw = _writer(out / "contact.csv", ["contactid", "fullname", "parentcustomerid", "statecode"])
    link, lw = _writer(
        out / "connection.csv",
        [
            "connectionid",
            "record1id",
            "record1roleid",
            "record2id",
            "record2roleid",
            "effectivestart",
            "effectiveend",
            "statecode",
        ],
    )
    n_contact = n_link = 0
    account_ids = [_guid(4, i) for i in range(accounts)]
    for i, aid in enumerate(account_ids):
        created = base + dt.timedelta(minutes=rng.randrange(5_000_000))
        team_owned = rng.random() < 0.1
        owner = rng.choice(teams) if team_owned else rng.choice(users)
        parent = account_ids[rng.randrange(i)] if i and rng.random() < 0.02 else ""
        aw.writerow(
            [
                aid,
                f"Asiakas {i} Oy",
                parent,
                owner,
                "team" if team_owned else "systemuser",
                rng.choice(bus),
                "1" if rng.random() < 0.03 else "0",
                rng.choice(("3", "3", "3", "", "8", "1")),
                created.strftime("%Y-%m-%dT%H:%M:%SZ"),
            ]
        )
        for _ in range(rng.choice((1, 2, 3))):
            n_contact += 1
            cid = _guid(5, n_contact)
            cw.writerow([cid, f"Yhteys Henkilö {n_contact}", aid, "0"])
            if rng.random() < 0.3:
                n_link += 1
                lw.writerow([_guid(7, n_link), cid, roles[-1], aid, "", "", "", "0"])
        for _ in range(rng.choice((0, 1, 2, 3))):
            n_link += 1
            start = created + dt.timedelta(days=rng.randrange(700))
            lw.writerow(
                [
                    _guid(7, n_link),
                    aid,
                    "",
                    rng.choice(users),
                    rng.choice(roles[:-1]),
                    start.strftime("%Y-%m-%dT%H:%M:%SZ"),
                    "",
                    "0",
                ]
            )
    for handle in (acc, con, link):
        handle.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("crm", choices=("hubspot", "dynamics"))
    parser.add_argument("out", type=Path)
    parser.add_argument("--accounts", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    (hubspot if args.crm == "hubspot" else dynamics)(args.out, args.accounts, random.Random(args.seed))


if __name__ == "__main__":
    main()
