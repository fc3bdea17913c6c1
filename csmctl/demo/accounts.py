"""Demo accounts and contacts: tiers, currencies and renewal dates a real book would have."""

from __future__ import annotations

from typing import TYPE_CHECKING

from csmctl.domain.dates import add_days, add_months
from csmctl.domain.money import Money

if TYPE_CHECKING:  # pragma: no cover
    from csmctl.demo import DemoContext

# name, domain, tier, currency, ARR (major units), owner, segment
BOOK = [
    ("Northwind Logistics", "northwind.example", "enterprise", "USD", 420_000, "Dana Reyes", "logistics"),
    ("Contoso Health", "contoso-health.example", "strategic", "USD", 1_150_000, "Dana Reyes", "healthcare"),
    ("Fabrikam Retail", "fabrikam.example", "enterprise", "EUR", 310_000, "Marco Bianchi", "retail"),
    ("Tailspin Travel", "tailspin.example", "mid-market", "GBP", 86_000, "Priya Natarajan", "travel"),
    ("Wide World Importers", "wideworld.example", "enterprise", "USD", 265_000, "Dana Reyes", "wholesale"),
    (
        "Adventure Works Cycles",
        "adventure-works.example",
        "mid-market",
        "USD",
        74_500,
        "Priya Natarajan",
        "manufacturing",
    ),
    ("Blue Yonder Airlines", "blueyonder.example", "strategic", "USD", 880_000, "Marco Bianchi", "aviation"),
    ("Coho Winery", "coho.example", "smb", "EUR", 14_400, "Priya Natarajan", "food & beverage"),
    ("Litware Labs", "litware.example", "mid-market", "USD", 58_000, "Dana Reyes", "software"),
    ("Lucerne Publishing", "lucerne.example", "smb", "CHF", 21_000, "Marco Bianchi", "media"),
    ("Margie's Travel", "margies.example", "smb", "USD", 9_600, "Priya Natarajan", "travel"),
    ("Proseware Analytics", "proseware.example", "mid-market", "EUR", 66_000, "Marco Bianchi", "software"),
    (
        "Sakura Foods",
        "sakura-foods.example",
        "enterprise",
        "JPY",
        38_000_000,
        "Kenji Sato",
        "food & beverage",
    ),
    ("Trey Research", "treyresearch.example", "mid-market", "USD", 97_000, "Dana Reyes", "research"),
    ("VanArsdel Robotics", "vanarsdel.example", "enterprise", "USD", 515_000, "Kenji Sato", "manufacturing"),
    (
        "Woodgrove Bank",
        "woodgrove.example",
        "strategic",
        "USD",
        1_420_000,
        "Dana Reyes",
        "financial services",
    ),
    ("Alpine Ski House", "alpineskihouse.example", "smb", "EUR", 12_000, "Marco Bianchi", "hospitality"),
    ("Bellows College", "bellows.example", "mid-market", "USD", 44_000, "Priya Natarajan", "education"),
    ("City Power & Light", "cpandl.example", "enterprise", "USD", 350_000, "Kenji Sato", "utilities"),
    ("Fourth Coffee", "fourthcoffee.example", "smb", "USD", 7_800, "Priya Natarajan", "food & beverage"),
    ("Graphic Design Institute", "gdi.example", "smb", "GBP", 11_500, "Marco Bianchi", "education"),
    ("Humongous Insurance", "humongous.example", "enterprise", "GBP", 298_000, "Kenji Sato", "insurance"),
    ("Nod Publishers", "nodpublishers.example", "mid-market", "EUR", 52_000, "Marco Bianchi", "media"),
    ("Southridge Video", "southridge.example", "smb", "USD", 18_000, "Dana Reyes", "media"),
    (
        "Yokohama Precision",
        "yokohama-precision.example",
        "mid-market",
        "JPY",
        9_600_000,
        "Kenji Sato",
        "manufacturing",
    ),
]
STAGE_BY_TIER = {
    "strategic": "expansion",
    "enterprise": "adoption",
    "mid-market": "adoption",
    "smb": "adoption",
}
FIRST = [
    "Ana",
    "Ben",
    "Chloe",
    "Diego",
    "Emi",
    "Farah",
    "Gus",
    "Hana",
    "Ivan",
    "Jun",
    "Kofi",
    "Lena",
    "Mateo",
    "Nia",
    "Omar",
    "Pia",
    "Quinn",
    "Rosa",
    "Sam",
    "Tomas",
    "Uma",
    "Viktor",
    "Wen",
    "Yara",
]
LAST = [
    "Okafor",
    "Lindqvist",
    "Moreau",
    "Tanaka",
    "Silva",
    "Kowalski",
    "Haddad",
    "Novak",
    "Ito",
    "Fischer",
    "Mendes",
    "Park",
    "Rossi",
    "Dubois",
    "Nakamura",
    "Berg",
]
ROLES = [
    ("VP Operations", True, False),
    ("Head of IT", False, False),
    ("Chief Operating Officer", False, True),
    ("Program Manager", True, False),
    ("Finance Director", False, False),
    ("Team Lead", False, False),
]


def fill(ctx: DemoContext) -> str:
    from sqlmodel import select

    from csmctl.domain.accounts import name_key
    from csmctl.store.accounts import add_account
    from csmctl.store.contacts import add_contact
    from csmctl.store.models import Account

    rng = ctx.rng
    taken = set(ctx.session.exec(select(Account.name_key)).all())
    contacts = 0
    for index, (name, domain, tier, currency, arr, owner, segment) in enumerate(BOOK):
        if name_key(name) in taken:
            continue
        # Renewals spread over the coming year; a few already past (overdue), a few imminent.
        offset_days = [-21, -6, 9, 24, 38][index] if index < 5 else rng.randint(40, 360)
        renewal = add_days(ctx.today, offset_days)
        term = 24 if tier == "strategic" else 12
        values = {
            "name": name,
            "domain": domain,
            "tier": tier,
            "segment": segment,
            "owner": owner,
            "stage": "renewal"
            if offset_days < 60
            else ("onboarding" if index % 7 == 3 else STAGE_BY_TIER[tier]),
            "arr": Money.from_major(arr, currency),
            "currency": currency,
            "contract_start": add_months(renewal, -term),
            "renewal_date": renewal,
            "term_months": term,
            "auto_renew": tier in ("smb", "mid-market") and index % 2 == 0,
            "notice_days": 90 if tier in ("strategic", "enterprise") else 30,
            "nps": rng.choice([None, -20, 10, 30, 45, 60]),
            "csat": rng.choice([None, 72, 81, 88, 94]),
            "tags": sorted(
                rng.sample(
                    [
                        "exec-sponsor-change",
                        "expansion-opportunity",
                        "reference",
                        "api-heavy",
                        "multi-region",
                        "renewal-risk",
                    ],
                    k=rng.randint(0, 2),
                )
            ),
            "external_id": f"CRM-{1000 + index}",
        }
        account = add_account(ctx.session, values, today=ctx.today, now=ctx.now)
        ctx.accounts.append(account)
        for role, champion, sponsor in rng.sample(ROLES, k=2 if tier == "smb" else 3):
            first, last = rng.choice(FIRST), rng.choice(LAST)
            add_contact(
                ctx.session,
                account,
                {
                    "name": f"{first} {last}",
                    "email": f"{first.lower()}.{last.lower()}@{domain}",
                    "role": role,
                    "champion": champion,
                    "exec_sponsor": sponsor,
                },
                now=ctx.now,
            )
            contacts += 1
    return f"{len(ctx.accounts)} accounts and {contacts} contacts"
