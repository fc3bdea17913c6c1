"""Demo touchpoints: four months of calls, emails, meetings and QBRs, with gaps on purpose.

Most accounts are contacted within their cadence; a few are not (so `csmctl stale` has
something to show), one has only internal notes (which do not count as contact), some follow-ups
are overdue, and a strategic account has a planned QBR next week.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from csmctl.domain.dates import add_days
from csmctl.domain.touchpoints import NOON

if TYPE_CHECKING:  # pragma: no cover
    from csmctl.demo import DemoContext

HISTORY_DAYS = 120
# Accounts left without contact for this many days (beyond their cadence, on purpose).
NEGLECTED = {"Tailspin Travel": 47, "Lucerne Publishing": 83, "Wide World Importers": 22, "Trey Research": 39}
NOTES_ONLY = {"Fourth Coffee"}
OVERDUE = {"Northwind Logistics": 4, "Contoso Health": 2, "Proseware Analytics": 9}
PLANNED_QBR = "Woodgrove Bank"

KINDS_BY_TIER = {
    "strategic": ["meeting", "call", "email", "ebr", "onsite"],
    "enterprise": ["call", "meeting", "email", "qbr", "support"],
    "mid-market": ["call", "email", "meeting", "qbr"],
    "smb": ["email", "call", "support"],
}
SUMMARIES = {
    "call": [
        "Weekly check-in: rollout on track, two teams still to onboard",
        "Reviewed adoption dashboard; usage up in the ops team",
        "Discussed renewal timing and who signs off on their side",
        "Walked through the new reporting feature they asked for",
    ],
    "email": [
        "Sent the training recording and the admin guide",
        "Shared the product roadmap summary ahead of planning",
        "Answered questions about SSO set-up",
        "Confirmed next steps after the workshop",
    ],
    "meeting": [
        "Workshop on workflow automation with the power users",
        "Success plan review: goals for next quarter agreed",
        "Met the new department head; introduced the product",
    ],
    "qbr": [
        "Quarterly business review: outcomes, usage and next quarter's goals",
        "QBR: ROI story landed well; asked for an expansion proposal",
    ],
    "ebr": ["Executive business review with the sponsor: renewal and expansion scope"],
    "onsite": ["On-site visit: shadowed the ops floor, collected feedback for product"],
    "support": [
        "Escalated a sync failure to support; fixed within a day",
        "Followed up on a billing question with finance",
    ],
    "note": [
        "Internal: champion may be leaving; find a second contact",
        "Internal: prepare expansion proposal before the QBR",
    ],
}
FOLLOW_UPS = [
    "Send the recap and action items",
    "Share the expansion proposal",
    "Book the next QBR",
    "Introduce the solutions engineer",
    "Check the fix with their admin",
]


def fill(ctx: DemoContext) -> str:
    from sqlmodel import select

    from csmctl.store.models import Contact
    from csmctl.store.touchpoints import add_touchpoint

    rng, today = ctx.rng, ctx.today
    count = follow_ups = 0

    def at(days_ago: int) -> datetime:
        return datetime.combine(add_days(today, -days_ago), NOON, tzinfo=UTC)

    for account in ctx.accounts:
        people = list(ctx.session.exec(select(Contact).where(Contact.account_id == account.id)).all())
        cadence = ctx.rules.cadence_for(account.tier, account.cadence_days)
        kinds = KINDS_BY_TIER.get(account.tier or "", ["call", "email"])
        last = NEGLECTED.get(account.name, rng.randint(1, max(2, cadence - 4)))
        entries: list[tuple[int, str]] = []
        days_ago = last
        while days_ago <= HISTORY_DAYS:
            kind = "note" if account.name in NOTES_ONLY else rng.choice(kinds)
            entries.append((days_ago, kind))
            if rng.random() < 0.2:  # an internal note now and then
                entries.append((days_ago + rng.randint(1, 5), "note"))
            days_ago += max(3, int(cadence * rng.uniform(0.5, 1.0)))
        overdue_placed = account.name not in OVERDUE
        for days_ago, kind in sorted(entries):
            values = {
                "kind": kind,
                "occurred_at": at(days_ago),
                "summary": rng.choice(SUMMARIES[kind]),
                "sentiment": None
                if kind == "note"
                else rng.choice(["positive", "positive", "neutral", "negative"]),
                "tags": ["renewal"] if kind in ("qbr", "ebr") else [],
            }
            # The overdue follow-up hangs off the latest touchpoint on or before its due date.
            if not overdue_placed and days_ago >= OVERDUE[account.name]:
                overdue_placed = True
                values["follow_up_date"] = add_days(today, -OVERDUE[account.name])
                values["follow_up_text"] = rng.choice(FOLLOW_UPS)
            elif kind != "note" and rng.random() < 0.3:
                due = add_days(today, -days_ago + rng.randint(2, 10))
                values["follow_up_date"], values["follow_up_text"] = due, rng.choice(FOLLOW_UPS)
                values["follow_up_done"] = due < today  # only the OVERDUE ones are left late
            with_ = [] if kind == "note" else rng.sample(people, k=min(len(people), rng.randint(1, 2)))
            add_touchpoint(ctx.session, account, values, with_, now=ctx.now)
            count += 1
            follow_ups += "follow_up_date" in values
        if account.name == PLANNED_QBR:
            add_touchpoint(
                ctx.session,
                account,
                {
                    "kind": "qbr",
                    "occurred_at": at(-6),
                    "planned": True,
                    "summary": "Planned QBR: adoption review and renewal plan",
                    "follow_up_date": add_days(today, 8),
                    "follow_up_text": "Send the QBR deck",
                },
                people[:2],
                now=ctx.now,
            )
            count += 1
            follow_ups += 1
    return f"{count} touchpoints and {follow_ups} follow-ups"
