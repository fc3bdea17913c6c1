"""`copy_book` moves every table, every column, ids included, both ways between the backends."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import sqlalchemy as sa

from csmctl.store.copy import book_tables, copy_to
from csmctl.store.database import Database

NOW = datetime(2026, 11, 23, 9, 15, 30)


def fill_every_table(db: Database) -> None:
    """One or more rows in every table, with ids that leave gaps and awkward values."""
    rows = {
        "account": [
            dict(
                id=3,
                name="Ünïcode Co",
                name_key="ünïcode co",
                domain=None,
                owner="Dana",
                tier="smb",
                segment=None,
                stage="adoption",
                stage_since=date(2026, 1, 2),
                arr_minor=2**40,
                currency="JPY",
                contract_start=None,
                renewal_date=date(2027, 2, 28),
                term_months=12,
                auto_renew=True,
                notice_days=60,
                nps=-40,
                csat=None,
                cadence_days=30,
                tags=",a,b,",
                notes="line 1\nline 2 'quoted' %s",
                external_id="CRM-9",
                archived=False,
                created_at=NOW,
                updated_at=NOW,
            )
        ],
        "contact": [
            dict(
                id=7,
                account_id=3,
                name="Ana",
                email="ana@x.example",
                phone=None,
                role="champion",
                champion=True,
                exec_sponsor=False,
                notes=None,
                created_at=NOW,
            )
        ],
        "touchpoint": [
            dict(
                id=11,
                account_id=3,
                kind="qbr",
                occurred_at=NOW,
                summary="QBR",
                sentiment="positive",
                follow_up_date=date(2026, 12, 1),
                follow_up_text="send deck",
                follow_up_done=False,
                follow_up_done_on=None,
                tags="",
                planned=False,
                created_at=NOW,
            )
        ],
        "touchpoint_contact": [dict(touchpoint_id=11, contact_id=7)],
        "checklist": [
            dict(
                id=2,
                account_id=3,
                playbook="smb",
                anchor=date(2026, 11, 1),
                status="active",
                started_at=NOW,
                completed_on=None,
            )
        ],
        "checklist_task": [
            dict(
                id=5,
                checklist_id=2,
                position=1,
                name="Kickoff",
                phase="Start",
                description=None,
                owner_role="csm",
                due=date(2026, 11, 3),
                status="done",
                done_on=date(2026, 11, 2),
                notes=None,
                milestone=True,
                first_value=False,
                depends_on="",
            )
        ],
        "renewal_event": [
            dict(
                id=4,
                account_id=3,
                date=date(2026, 2, 28),
                outcome="expanded",
                arr_before_minor=100,
                arr_after_minor=200,
                currency="JPY",
                term_months=12,
                renewal_date_before=date(2026, 2, 28),
                notes=None,
                created_at=NOW,
                reason="adoption/low-usage",
            )
        ],
        "health_snapshot": [
            dict(
                id=8, account_id=3, date=date(2026, 11, 1), score=72, band="green", measures='{"usage": 0.8}'
            )
        ],
        "metric_value": [dict(id=9, account_id=3, name="seats", date=date(2026, 11, 1), value=0.1 + 0.2)],
        "risk": [
            dict(
                id=10,
                account_id=3,
                reason="budget/cost-cutting",
                severity="high",
                stage="saving",
                note="CFO freeze",
                opened_on=date(2026, 10, 1),
                closed_on=None,
                created_at=NOW,
            )
        ],
        "risk_stage": [
            dict(id=11, risk_id=10, stage="at-risk", entered_on=date(2026, 10, 1), note=None),
            dict(id=12, risk_id=10, stage="saving", entered_on=date(2026, 10, 20), note="plan agreed"),
        ],
        "forecast": [
            dict(
                id=13,
                account_id=3,
                renewal_date=date(2027, 2, 28),
                category="commit",
                expected_minor=250,
                likelihood=None,
                updated_on=date(2026, 11, 1),
            )
        ],
        "forecast_override": [
            dict(
                id=14,
                account_id=3,
                renewal_date=date(2027, 2, 28),
                changed_on=date(2026, 11, 1),
                who="Dana",
                field="category",
                old=None,
                new="commit",
                why="signed",
                created_at=NOW,
            )
        ],
        "forecast_snapshot": [
            dict(
                id=15,
                account_id=3,
                taken=date(2026, 11, 1),
                renewal_date=date(2027, 2, 28),
                category="commit",
                expected_minor=250,
                likelihood=95,
                currency="JPY",
            )
        ],
        "play_firing": [
            dict(
                id=12,
                play="health-drop",
                account_id=3,
                episode="since:2026-11-01",
                fired_on=date(2026, 11, 1),
                fired_at=NOW,
                reason="health.drop_30d = 18",
                actions='["follow-up #11 due 2026-12-01: send deck"]',
                touchpoint_id=11,
                ended_on=None,
            )
        ],
    }
    tables = {table.name: table for table in book_tables()}
    assert set(rows) == set(tables), "a new table needs a row here so db copy is tested on it"
    with db.write() as session:
        conn = session.connection()
        for table in book_tables():
            conn.execute(sa.insert(table), rows[table.name])


def dump(db: Database) -> dict[str, list[tuple]]:
    with db.read() as session:
        conn = session.connection()
        return {
            table.name: [
                tuple(row) for row in conn.execute(sa.select(table).order_by(*table.primary_key.columns))
            ]
            for table in book_tables()
        }


@pytest.mark.postgres
def test_every_table_round_trips_between_sqlite_and_postgresql(db_target, backend, tmp_path, request):
    source = Database(db_target)
    fill_every_table(source)
    other = str(tmp_path / "other.db") if backend == "postgresql" else request.getfixturevalue("pg_schema")
    report = copy_to(source, other)
    assert report.rows["account"] == 1 and report.total == 16  # every row of fill_every_table
    target = Database(other)
    assert dump(target) == dump(source)
    back = str(tmp_path / "back.db")
    copy_to(target, back)
    again = Database(back)
    assert dump(again) == dump(source)
    # the next id after a copy follows the copied ones, on either backend
    with target.write() as session:
        conn = session.connection()
        table = [t for t in book_tables() if t.name == "metric_value"][0]
        new_id = conn.execute(
            sa.insert(table)
            .values(account_id=3, name="nps", date=date(2026, 11, 2), value=1.0)
            .returning(table.c.id)
        ).scalar()
    assert new_id == 10
    for db in (source, target, again):
        db.dispose()
