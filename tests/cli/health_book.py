"""A small book for the health, today, brief and metric tests: touchpoints, onboarding tasks,
renewal events, metrics and snapshots.

The commands that create touchpoints, checklists and renewal events live on other branches, so
the rows go in through the SQLModel tables directly, as those commands would write them.
"""

from __future__ import annotations

from datetime import UTC, date, datetime


def _at(day: str, hour: int = 15) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)


def fill(cli, target):
    """As of 2026-11-23. Acme: enterprise, stale (last call 22 days ago), a follow-up 3 days
    overdue, renewal in 20 days, history. Beta: smb onboarding with overdue and due-today tasks,
    notice deadline in 3 days. Gamma: mid-market with nothing recorded. Archived Omega."""
    from csmctl.domain.accounts import parse_account_fields
    from csmctl.store.accounts import add_account
    from csmctl.store.contacts import add_contact
    from csmctl.store.database import Database
    from csmctl.store.models import (
        Checklist,
        ChecklistTask,
        HealthSnapshot,
        MetricValue,
        RenewalEvent,
        Touchpoint,
        TouchpointContact,
    )

    today, now = date(2026, 11, 23), _at("2026-11-01")
    accounts = [
        {
            "name": "Acme Corp",
            "tier": "enterprise",
            "owner": "Dana Reyes",
            "arr": "120k",
            "renewal_date": "2026-12-13",
            "contract_start": "2025-12-13",
            "notice_days": "30",
            "nps": "40",
            "csat": "85",
            "segment": "retail",
            "stage": "renewal",
            "stage_since": "2026-10-01",
        },
        {
            "name": "Beta Labs",
            "tier": "smb",
            "owner": "Lee Park",
            "arr": "EUR 12k",
            "renewal_date": "2026-12-03",
            "notice_days": "7",
            "auto_renew": "yes",
            "stage": "onboarding",
            "stage_since": "2026-11-01",
        },
        {
            "name": "Gamma Co",
            "tier": "mid-market",
            "owner": "Dana Reyes",
            "arr": "50k",
            "renewal_date": "2027-06-11",
            "csat": "70",
            "stage_since": "2026-11-23",
        },
        {
            "name": "Omega Ltd",
            "tier": "smb",
            "owner": "Dana Reyes",
            "renewal_date": "2026-11-30",
            "archived": "yes",
        },
    ]
    db = Database(str(target))
    with db.write() as s:
        rows = []
        for values in accounts:
            parsed, problems = parse_account_fields(values, today=today)
            assert not problems, problems
            rows.append(add_account(s, parsed, today=today, now=now))
        add_contact(
            s,
            rows[0],
            {"name": "Ana Moreau", "email": "ana@acme.example", "role": "VP Operations", "champion": True},
            now=now,
        )
        add_contact(s, rows[0], {"name": "Omar Haddad", "role": "CFO", "exec_sponsor": True}, now=now)
        add_contact(s, rows[1], {"name": "Sam Ito", "role": "Team Lead"}, now=now)
        s.flush()
        created = now
        tps = [
            Touchpoint(
                account_id=1,
                kind="email",
                occurred_at=_at("2026-10-15"),
                summary="Sent the pricing | options",
                sentiment="negative",
                follow_up_date=date(2026, 11, 20),
                follow_up_text="Chase the pricing decision",
                created_at=created,
            ),
            Touchpoint(
                account_id=1,
                kind="call",
                occurred_at=_at("2026-11-01", 9),
                summary="Quarterly check-in",
                sentiment="positive",
                follow_up_date=date(2026, 11, 10),
                follow_up_done=True,
                follow_up_done_on=date(2026, 11, 9),
                created_at=created,
            ),
            Touchpoint(
                account_id=1,
                kind="note",
                occurred_at=_at("2026-11-20"),
                summary="Heard they hired a new CTO",
                created_at=created,
            ),
            Touchpoint(
                account_id=1,
                kind="meeting",
                occurred_at=_at("2026-12-05"),
                summary="EBR (planned)",
                planned=True,
                created_at=created,
            ),
        ]
        s.add_all(tps)
        s.flush()
        s.add(TouchpointContact(touchpoint_id=tps[1].id, contact_id=1))
        s.add(TouchpointContact(touchpoint_id=tps[1].id, contact_id=2))
        checklist = Checklist(
            account_id=2, playbook="low-touch", anchor=date(2026, 11, 2), status="active", started_at=created
        )
        s.add(checklist)
        s.flush()
        for position, (name, due, status) in enumerate(
            [
                ("Kickoff call", date(2026, 11, 2), "done"),
                ("Admin training", date(2026, 11, 20), "open"),
                ("First dashboard live", date(2026, 11, 23), "open"),
                ("30-day check-in", date(2026, 12, 2), "open"),
            ],
            1,
        ):
            s.add(
                ChecklistTask(
                    checklist_id=checklist.id,
                    position=position,
                    name=name,
                    due=due,
                    status=status,
                    done_on=due if status == "done" else None,
                    first_value=position == 3,
                    milestone=position == 3,
                )
            )
        s.add(
            RenewalEvent(
                account_id=1,
                date=date(2025, 12, 13),
                outcome="expanded",
                arr_before_minor=10_000_000,
                arr_after_minor=12_000_000,
                currency="USD",
                term_months=12,
                created_at=created,
            )
        )
        s.add(
            RenewalEvent(
                account_id=1,
                date=date(2024, 12, 13),
                outcome="renewed",
                arr_before_minor=10_000_000,
                arr_after_minor=10_000_000,
                currency="USD",
                term_months=12,
                created_at=created,
            )
        )
        s.add(MetricValue(account_id=1, name="usage", date=date(2026, 11, 1), value=40))
        s.add(MetricValue(account_id=1, name="usage", date=date(2026, 11, 15), value=65))
        s.add(MetricValue(account_id=1, name="usage", date=date(2026, 11, 30), value=99))  # after --as-of
        s.add(HealthSnapshot(account_id=1, date=date(2026, 11, 16), score=90, band="green"))
        s.add(HealthSnapshot(account_id=1, date=date(2026, 10, 26), score=88, band="green"))
        s.add(HealthSnapshot(account_id=3, date=date(2026, 10, 26), score=60, band="yellow"))
        s.add(HealthSnapshot(account_id=3, date=date(2026, 11, 16), score=70, band="yellow"))
    db.dispose()
    return cli
