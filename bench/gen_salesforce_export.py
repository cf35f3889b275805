"""Generate a deterministic Salesforce-format export for the ingest benchmark.

    python bench/gen_salesforce_export.py OUT_DIR [--accounts 100000] [--seed 7]

Per account on average: 2 team members, 2 contacts with AccountContactRelation rows (plus 10 %
indirect relations), and 1 owner change in AccountHistory (written twice, as Salesforce does:
names and ids). 2 % of accounts have a parent. Ids are 18 characters in Id columns and 15 in
some reference columns, as in real exports. Do not commit the output.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
from pathlib import Path

from crmkg.ingest.sfid import to_id18

TEAM_ROLES = ("Account Manager", "Executive Sponsor", "Sales Rep", "Pre-Sales Consultant", "Channel Manager")
CONTACT_ROLES = ("Business User", "Decision Maker", "Economic Buyer", "Evaluator", "Technical Buyer", "Influencer")
TYPES = ("Customer - Direct", "Customer - Channel", "Prospect", "Other")


def sfid(prefix: str, n: int) -> str:
    body = f"{n:09d}"
    # mix upper and lower case so the check suffix varies
    tail = "".join(c if i % 2 else chr(ord("A") + int(c)) for i, c in enumerate(body[-3:]))
    return to_id18(prefix + "5g" + body[:-3] + tail + "A")


def generate(out: Path, accounts: int, seed: int) -> None:
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    n_users, n_roles = max(20, accounts // 50), 60
    roles = [sfid("00E", i) for i in range(n_roles)]
    users = [sfid("005", i) for i in range(n_users)]
    base = dt.date(2015, 1, 1)

    def when(start: dt.date, span_days: int) -> tuple[dt.date, str]:
        day = start + dt.timedelta(days=rng.randrange(max(1, span_days)))
        return day, f"{day.isoformat()}T{rng.randrange(24):02d}:{rng.randrange(60):02d}:00.000Z"

    def writer(name: str, header: list[str]) -> tuple[object, csv.DictWriter[str]]:
        handle = (out / name).open("w", encoding="utf-8", newline="")
        w = csv.DictWriter(handle, fieldnames=header)
        w.writeheader()
        return handle, w

    h, w = writer("UserRole.csv", ["Id", "Name", "ParentRoleId"])
    for i, rid in enumerate(roles):
        w.writerow({"Id": rid, "Name": f"Role {i}", "ParentRoleId": roles[(i - 1) // 3] if i else ""})
    h.close()  # type: ignore[attr-defined]
    h, w = writer(
        "User.csv", ["Id", "Name", "Email", "EmployeeNumber", "UserRoleId", "ManagerId", "Department", "IsActive"]
    )
    for i, uid in enumerate(users):
        w.writerow(
            {
                "Id": uid,
                "Name": f"User {i}",
                "Email": f"user{i}@provider.example",
                "EmployeeNumber": f"E{i:05d}",
                "UserRoleId": roles[i % n_roles],
                "ManagerId": users[i // 10] if i else "",
                "Department": f"Dept {i % 25}",
                "IsActive": "true" if rng.random() > 0.05 else "false",
            }
        )
    h.close()  # type: ignore[attr-defined]
    files = {
        name: writer(name, header)
        for name, header in {
            "Account.csv": ["Id", "Name", "Type", "ParentId", "OwnerId", "CreatedDate", "BillingCity"],
            "Contact.csv": ["Id", "AccountId", "FirstName", "LastName", "Email"],
            "AccountTeamMember.csv": [
                "Id",
                "AccountId",
                "UserId",
                "TeamMemberRole",
                "AccountAccessLevel",
                "CreatedDate",
            ],
            "AccountContactRelation.csv": ["Id", "AccountId", "ContactId", "Roles", "IsDirect"],
            "AccountHistory.csv": ["Id", "AccountId", "CreatedDate", "Field", "OldValue", "NewValue"],
        }.items()
    }
    counters = {"con": 0, "atm": 0, "acr": 0, "hist": 0}
    account_ids = [sfid("001", i) for i in range(accounts)]
    for i, aid in enumerate(account_ids):
        created, created_text = when(base, 3000)
        changes = rng.choice((0, 0, 1, 1, 1, 2, 2))
        owners = [rng.choice(users) for _ in range(changes + 1)]
        parent = account_ids[rng.randrange(i)] if i and rng.random() < 0.02 else ""
        files["Account.csv"][1].writerow(
            {
                "Id": aid,
                "Name": f"Company {i} Oy",
                "Type": rng.choice(TYPES),
                "ParentId": parent[:15],
                "OwnerId": owners[-1][:15],
                "CreatedDate": created_text,
                "BillingCity": "Helsinki",
            }
        )
        day = created
        for k in range(changes):
            day, text = when(day + dt.timedelta(days=1), 400)
            for old, new in ((f"User {owners[k]}", f"User {owners[k + 1]}"), (owners[k], owners[k + 1])):
                counters["hist"] += 1
                files["AccountHistory.csv"][1].writerow(
                    {
                        "Id": sfid("017", counters["hist"]),
                        "AccountId": aid,
                        "CreatedDate": text,
                        "Field": "Owner",
                        "OldValue": old,
                        "NewValue": new,
                    }
                )
        for _ in range(rng.choice((1, 2, 3))):
            counters["atm"] += 1
            files["AccountTeamMember.csv"][1].writerow(
                {
                    "Id": sfid("01M", counters["atm"]),
                    "AccountId": aid,
                    "UserId": rng.choice(users),
                    "TeamMemberRole": rng.choice(TEAM_ROLES),
                    "AccountAccessLevel": "Read",
                    "CreatedDate": when(created, 500)[1],
                }
            )
        for _ in range(rng.choice((1, 2, 3))):
            counters["con"] += 1
            cid = sfid("003", counters["con"])
            files["Contact.csv"][1].writerow(
                {"Id": cid, "AccountId": aid, "FirstName": "Etu", "LastName": f"Suku{counters['con']}", "Email": ""}
            )
            relations = [(aid, True)] + ([(rng.choice(account_ids[: i + 1]), False)] if rng.random() < 0.1 else [])
            for target, direct in relations:
                counters["acr"] += 1
                roles_text = ";".join(sorted(rng.sample(CONTACT_ROLES, rng.choice((0, 1, 1, 2)))))
                files["AccountContactRelation.csv"][1].writerow(
                    {
                        "Id": sfid("07k", counters["acr"]),
                        "AccountId": target[:15],
                        "ContactId": cid,
                        "Roles": roles_text,
                        "IsDirect": str(direct).lower(),
                    }
                )
        if rng.random() < 0.3:
            counters["hist"] += 1
            files["AccountHistory.csv"][1].writerow(
                {
                    "Id": sfid("017", counters["hist"]),
                    "AccountId": aid,
                    "CreatedDate": when(created, 900)[1],
                    "Field": "Industry",
                    "OldValue": "Retail",
                    "NewValue": "Energy",
                }
            )
    for handle, _ in files.values():
        handle.close()  # type: ignore[attr-defined]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--accounts", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    generate(args.out, args.accounts, args.seed)


if __name__ == "__main__":
    main()
