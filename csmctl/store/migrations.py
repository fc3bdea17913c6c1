"""Schema migrations: an ordered, append-only list. Never edit one that has shipped.

Each migration is a function of alembic's ``Operations`` object, so the same DDL runs on SQLite
(with batch mode where SQLite cannot ALTER) and on PostgreSQL. We use alembic's operations, not
its script directory: the list below is the whole history, and the version lives in the
``csmctl_schema`` table, which a current database answers with one cheap SELECT.

To add one: append a function, add it to MIGRATIONS, add the same change to ``tables.py``.
``tests/store/test_backends.py`` checks that migrating from nothing gives exactly the models,
on SQLite and on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa

Migration = Callable[..., None]


def _now_columns() -> list[sa.Column]:
    return [sa.Column("created_at", sa.DateTime(timezone=True), nullable=False)]


def m001_accounts(op) -> None:
    op.create_table(
        "csmctl_schema",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("app", sa.String(16), nullable=False),
    )
    op.create_table(
        "account",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("name_key", sa.String(200), nullable=False, unique=True),
        sa.Column("domain", sa.String(255)),
        sa.Column("owner", sa.String(120)),
        sa.Column("tier", sa.String(40)),
        sa.Column("segment", sa.String(80)),
        sa.Column("stage", sa.String(40), nullable=False),
        sa.Column("stage_since", sa.Date()),
        sa.Column("arr_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("contract_start", sa.Date()),
        sa.Column("renewal_date", sa.Date()),
        sa.Column("term_months", sa.Integer(), nullable=False),
        sa.Column("auto_renew", sa.Boolean(), nullable=False),
        sa.Column("notice_days", sa.Integer()),
        sa.Column("nps", sa.Integer()),
        sa.Column("csat", sa.Integer()),
        sa.Column("cadence_days", sa.Integer()),
        sa.Column("tags", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text()),
        sa.Column("external_id", sa.String(120), unique=True),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_account_renewal", "account", ["archived", "renewal_date"])
    op.create_index("ix_account_owner", "account", ["owner"])
    op.create_index("ix_account_tier", "account", ["tier"])
    op.create_table(
        "contact",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "account_id",
            sa.Integer(),
            sa.ForeignKey("account.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("email", sa.String(255)),
        sa.Column("phone", sa.String(60)),
        sa.Column("role", sa.String(120)),
        sa.Column("champion", sa.Boolean(), nullable=False),
        sa.Column("exec_sponsor", sa.Boolean(), nullable=False),
        sa.Column("notes", sa.Text()),
        *_now_columns(),
    )
    op.create_index("ix_contact_account", "contact", ["account_id"])


def _account_fk() -> sa.Column:
    return sa.Column(
        "account_id", sa.Integer(), sa.ForeignKey("account.id", ondelete="CASCADE"), nullable=False
    )


def m002_activity(op) -> None:
    """Touchpoints, onboarding checklists, renewal ledger, health snapshots, custom metrics."""
    op.create_table(
        "touchpoint",
        sa.Column("id", sa.Integer(), primary_key=True),
        _account_fk(),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("sentiment", sa.String(16)),
        sa.Column("follow_up_date", sa.Date()),
        sa.Column("follow_up_text", sa.Text()),
        sa.Column("follow_up_done", sa.Boolean(), nullable=False),
        sa.Column("follow_up_done_on", sa.Date()),
        sa.Column("tags", sa.Text(), nullable=False),
        sa.Column("planned", sa.Boolean(), nullable=False),
        *_now_columns(),
    )
    op.create_index("ix_touchpoint_account_when", "touchpoint", ["account_id", "occurred_at"])
    op.create_index("ix_touchpoint_followup", "touchpoint", ["follow_up_done", "follow_up_date"])
    op.create_table(
        "touchpoint_contact",
        sa.Column(
            "touchpoint_id",
            sa.Integer(),
            sa.ForeignKey("touchpoint.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column(
            "contact_id",
            sa.Integer(),
            sa.ForeignKey("contact.id", ondelete="CASCADE"),
            primary_key=True,
        ),
    )
    op.create_table(
        "checklist",
        sa.Column("id", sa.Integer(), primary_key=True),
        _account_fk(),
        sa.Column("playbook", sa.String(120), nullable=False),
        sa.Column("anchor", sa.Date(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("completed_on", sa.Date()),
    )
    op.create_index("ix_checklist_account", "checklist", ["account_id", "status"])
    op.create_table(
        "checklist_task",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "checklist_id",
            sa.Integer(),
            sa.ForeignKey("checklist.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("phase", sa.String(120)),
        sa.Column("description", sa.Text()),
        sa.Column("owner_role", sa.String(40)),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("done_on", sa.Date()),
        sa.Column("notes", sa.Text()),
        sa.Column("milestone", sa.Boolean(), nullable=False),
        sa.Column("first_value", sa.Boolean(), nullable=False),
        sa.Column("depends_on", sa.Text(), nullable=False),
        sa.UniqueConstraint("checklist_id", "position", name="uq_task_position"),
    )
    op.create_index("ix_task_status_due", "checklist_task", ["status", "due"])
    op.create_table(
        "renewal_event",
        sa.Column("id", sa.Integer(), primary_key=True),
        _account_fk(),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("arr_before_minor", sa.BigInteger(), nullable=False),
        sa.Column("arr_after_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("term_months", sa.Integer()),
        sa.Column("renewal_date_before", sa.Date()),
        sa.Column("notes", sa.Text()),
        *_now_columns(),
    )
    op.create_index("ix_renewal_event_date", "renewal_event", ["date"])
    op.create_index("ix_renewal_event_account", "renewal_event", ["account_id", "date"])
    op.create_table(
        "health_snapshot",
        sa.Column("id", sa.Integer(), primary_key=True),
        _account_fk(),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("band", sa.String(16), nullable=False),
        sa.Column("measures", sa.Text(), nullable=False),
        sa.UniqueConstraint("account_id", "date", name="uq_health_account_date"),
    )
    op.create_table(
        "metric_value",
        sa.Column("id", sa.Integer(), primary_key=True),
        _account_fk(),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.UniqueConstraint("account_id", "name", "date", name="uq_metric_account_name_date"),
    )


def m003_task_offset(op) -> None:
    """Each checklist task keeps the playbook offset it was expanded from (``+5bd``, ``+1m``),
    so ``onboard reanchor`` re-dates open tasks exactly (business days, month ends)."""
    op.add_column("checklist_task", sa.Column("due_offset", sa.String(16)))


def m004_owner_key(op) -> None:
    """``account.owner_key``: the owner folded like ``name_key`` (``domain.predicates.owner_key``),
    stored and indexed so every ``--owner`` filter is one indexed equality on every dialect
    (SQLite's ``lower()`` folds ASCII only). Backfilled here in Python, since no SQL function
    folds like ``str.casefold``; the plain ``owner`` index is replaced, nothing filters on it."""
    from csmctl.domain.predicates import owner_key

    op.add_column("account", sa.Column("owner_key", sa.String(120)))
    op.drop_index("ix_account_owner", table_name="account")
    op.create_index("ix_account_owner_key", "account", ["owner_key"])
    conn = op.get_bind()
    account = sa.table("account", sa.column("id"), sa.column("owner"), sa.column("owner_key"))
    rows = conn.execute(sa.select(account.c.id, account.c.owner).where(account.c.owner.is_not(None))).all()
    updates = [{"row_id": id_, "key": owner_key(owner)} for id_, owner in rows]
    for start in range(0, len(updates), 1000):
        conn.execute(
            sa.update(account)
            .where(account.c.id == sa.bindparam("row_id"))
            .values(owner_key=sa.bindparam("key")),
            updates[start : start + 1000],
        )


def m005_risks_forecast(op) -> None:
    """Risks with their stage history; renewal forecasts, their override history and daily
    snapshots; a reason code on renewal outcomes (churn analysis by reason)."""
    op.create_table(
        "risk",
        sa.Column("id", sa.Integer(), primary_key=True),
        _account_fk(),
        sa.Column("reason", sa.String(80), nullable=False),
        sa.Column("severity", sa.String(8), nullable=False),
        sa.Column("stage", sa.String(16), nullable=False),
        sa.Column("note", sa.Text()),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column("closed_on", sa.Date()),
        *_now_columns(),
    )
    op.create_index("ix_risk_account_stage", "risk", ["account_id", "stage"])
    op.create_table(
        "risk_stage",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("risk_id", sa.Integer(), sa.ForeignKey("risk.id", ondelete="CASCADE"), nullable=False),
        sa.Column("stage", sa.String(16), nullable=False),
        sa.Column("entered_on", sa.Date(), nullable=False),
        sa.Column("note", sa.Text()),
    )
    op.create_index("ix_risk_stage_risk", "risk_stage", ["risk_id", "entered_on"])
    op.create_table(
        "forecast",
        sa.Column("id", sa.Integer(), primary_key=True),
        _account_fk(),
        sa.Column("renewal_date", sa.Date(), nullable=False),
        sa.Column("category", sa.String(16), nullable=False),
        sa.Column("expected_minor", sa.BigInteger()),
        sa.Column("likelihood", sa.Integer()),
        sa.Column("updated_on", sa.Date(), nullable=False),
        sa.UniqueConstraint("account_id", "renewal_date", name="uq_forecast_account_renewal"),
    )
    op.create_table(
        "forecast_override",
        sa.Column("id", sa.Integer(), primary_key=True),
        _account_fk(),
        sa.Column("renewal_date", sa.Date(), nullable=False),
        sa.Column("changed_on", sa.Date(), nullable=False),
        sa.Column("who", sa.String(120)),
        sa.Column("field", sa.String(16), nullable=False),
        sa.Column("old", sa.String(40)),
        sa.Column("new", sa.String(40)),
        sa.Column("why", sa.Text()),
        *_now_columns(),
    )
    op.create_index("ix_forecast_override_account", "forecast_override", ["account_id", "renewal_date"])
    op.create_table(
        "forecast_snapshot",
        sa.Column("id", sa.Integer(), primary_key=True),
        _account_fk(),
        sa.Column("taken", sa.Date(), nullable=False),
        sa.Column("renewal_date", sa.Date(), nullable=False),
        sa.Column("category", sa.String(16), nullable=False),
        sa.Column("expected_minor", sa.BigInteger(), nullable=False),
        sa.Column("likelihood", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.UniqueConstraint("account_id", "taken", name="uq_forecast_snapshot_account_taken"),
    )
    op.create_index("ix_forecast_snapshot_renewal", "forecast_snapshot", ["renewal_date"])
    op.add_column("renewal_event", sa.Column("reason", sa.String(80)))


def m006_play_firing(op) -> None:
    """Plays: when each fired for an account, why, what it did, and its follow-up."""
    op.create_table(
        "play_firing",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("play", sa.String(120), nullable=False),
        _account_fk(),
        sa.Column("episode", sa.String(60), nullable=False),
        sa.Column("fired_on", sa.Date(), nullable=False),
        sa.Column("fired_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("actions", sa.Text(), nullable=False),
        sa.Column("touchpoint_id", sa.Integer(), sa.ForeignKey("touchpoint.id", ondelete="SET NULL")),
        sa.Column("ended_on", sa.Date()),
        sa.UniqueConstraint("play", "account_id", "episode", name="uq_play_firing_episode"),
    )
    op.create_index("ix_play_firing_account", "play_firing", ["account_id", "fired_on"])


def m007_arr_unknown(op) -> None:
    """An account's ARR can be unknown (NULL): an import without a contract value no longer stores
    0, which totals and metrics would count. On SQLite this rebuilds the account table (batch
    mode); ``Database.migrate`` runs migrations with foreign keys off so the rebuild's DROP does
    not cascade to the account's contacts, touchpoints, ..."""
    with op.batch_alter_table("account") as batch:
        batch.alter_column("arr_minor", existing_type=sa.BigInteger(), nullable=True)


def m008_touchpoint_covering(op) -> None:
    """``(account_id, occurred_at, kind, planned)`` replaces ``(account_id, occurred_at)``: "the
    newest touchpoint that counts as contact" per account walks one account's index entries from
    the newest and reads ``kind``/``planned`` from the index itself, never the table (issue 19:
    `stale` on 1M touchpoints was a scan of every index entry with a table lookup each, then a
    GROUP BY). The old index is a prefix of the new one, so it goes."""
    op.drop_index("ix_touchpoint_account_when", table_name="touchpoint")
    op.create_index(
        "ix_touchpoint_account_recent", "touchpoint", ["account_id", "occurred_at", "kind", "planned"]
    )


def m009_link_indexes(op) -> None:
    """Index the two foreign keys that had none: ``touchpoint_contact.contact_id`` (removing a
    contact cascaded through a scan of every link; `play run`'s champion facts group the links
    by contact) and ``play_firing.touchpoint_id`` (`today` and the follow-up list name the play
    behind each open follow-up: a scan of every firing per follow-up, or an index SQLite built
    on every run; deleting a touchpoint sets its firings' link to NULL through a scan too)."""
    op.create_index("ix_touchpoint_contact_contact", "touchpoint_contact", ["contact_id", "touchpoint_id"])
    op.create_index("ix_play_firing_touchpoint", "play_firing", ["touchpoint_id"])


MIGRATIONS: list[Migration] = [
    m001_accounts,
    m002_activity,
    m003_task_offset,
    m004_owner_key,
    m005_risks_forecast,
    m006_play_firing,
    m007_arr_unknown,
    m008_touchpoint_covering,
    m009_link_indexes,
]
HEAD = len(MIGRATIONS)


def apply(connection, current: int, target: int | None = None) -> None:
    """Run migrations ``current+1 .. target`` (default: the head) on ``connection`` (inside its
    transaction)."""
    if target is None:
        target = len(MIGRATIONS)
    from alembic.operations import Operations
    from alembic.runtime.migration import MigrationContext

    context = MigrationContext.configure(connection, opts={"render_as_batch": True})
    op = Operations(context)
    for number in range(current + 1, target + 1):
        MIGRATIONS[number - 1](op)
    table = sa.table("csmctl_schema", sa.column("id"), sa.column("version"), sa.column("app"))
    if current == 0:
        connection.execute(sa.insert(table).values(id=1, version=target, app="csmctl"))
    else:
        connection.execute(sa.update(table).where(table.c.id == 1).values(version=target))
