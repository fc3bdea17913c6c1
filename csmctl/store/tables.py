"""The schema, once: SQLAlchemy Core tables that the SQLModel classes in ``models.py`` map.

Reads on large books use these tables directly and get plain rows back, so a read command pays
for ``sqlalchemy`` and not for SQLModel, pydantic models or the ORM (issue 19). The migrations in
``csmctl.store.migrations`` build exactly this metadata; ``tests/store/test_backends.py`` compares
them on SQLite and PostgreSQL. A new column goes here (with its migration); its model field in
``models.py`` maps it with ``sa_column=tables.<table>.c.<column>``.

Conventions: money is ``*_minor`` (BigInteger) plus ``currency``; dates are ``Date``; moments are
timezone-aware UTC ``DateTime``; free-form tags are stored normalised as ``,a,b,`` so that a tag
filter is a simple ``LIKE '%,tag,%'`` on every dialect.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()


def _account_id() -> sa.Column:
    """The ``account_id`` of a table that belongs to an account (deleted with it)."""
    return sa.Column(
        "account_id", sa.Integer(), sa.ForeignKey("account.id", ondelete="CASCADE"), nullable=False
    )


account = sa.Table(
    "account",
    metadata,
    sa.Column("id", sa.Integer(), primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("name_key", sa.String(200), nullable=False, unique=True),
    sa.Column("domain", sa.String(255)),
    sa.Column("owner", sa.String(120)),
    # the owner folded like name_key (domain.predicates.owner_key): every --owner filter uses it
    sa.Column("owner_key", sa.String(120)),
    sa.Column("tier", sa.String(40)),
    sa.Column("segment", sa.String(80)),
    sa.Column("stage", sa.String(40), nullable=False),
    sa.Column("stage_since", sa.Date()),
    # NULL: unknown (imported without a contract value); 0 is a free account.
    sa.Column("arr_minor", sa.BigInteger()),
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
    sa.Index("ix_account_owner_key", "owner_key"),
    sa.Index("ix_account_renewal", "archived", "renewal_date"),
    sa.Index("ix_account_tier", "tier"),
)

csmctl_schema = sa.Table(
    "csmctl_schema",
    metadata,
    sa.Column("id", sa.Integer(), primary_key=True),
    sa.Column("version", sa.Integer(), nullable=False),
    sa.Column("app", sa.String(16), nullable=False),
)

checklist = sa.Table(
    "checklist",
    metadata,
    sa.Column("id", sa.Integer(), primary_key=True),
    _account_id(),
    sa.Column("playbook", sa.String(120), nullable=False),
    sa.Column("anchor", sa.Date(), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("completed_on", sa.Date()),
    sa.Index("ix_checklist_account", "account_id", "status"),
)

contact = sa.Table(
    "contact",
    metadata,
    sa.Column("id", sa.Integer(), primary_key=True),
    _account_id(),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("email", sa.String(255)),
    sa.Column("phone", sa.String(60)),
    sa.Column("role", sa.String(120)),
    sa.Column("champion", sa.Boolean(), nullable=False),
    sa.Column("exec_sponsor", sa.Boolean(), nullable=False),
    sa.Column("notes", sa.Text()),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_contact_account", "account_id"),
)

health_snapshot = sa.Table(
    "health_snapshot",
    metadata,
    sa.Column("id", sa.Integer(), primary_key=True),
    _account_id(),
    sa.Column("date", sa.Date(), nullable=False),
    sa.Column("score", sa.Integer(), nullable=False),
    sa.Column("band", sa.String(16), nullable=False),
    sa.Column("measures", sa.Text(), nullable=False),  # JSON
    sa.UniqueConstraint("account_id", "date", name="uq_health_account_date"),
)

metric_value = sa.Table(
    "metric_value",
    metadata,
    sa.Column("id", sa.Integer(), primary_key=True),
    _account_id(),
    sa.Column("name", sa.String(80), nullable=False),
    sa.Column("date", sa.Date(), nullable=False),
    sa.Column("value", sa.Float(), nullable=False),
    sa.UniqueConstraint("account_id", "name", "date", name="uq_metric_account_name_date"),
)

renewal_event = sa.Table(
    "renewal_event",
    metadata,
    sa.Column("id", sa.Integer(), primary_key=True),
    _account_id(),
    sa.Column("date", sa.Date(), nullable=False),
    sa.Column("outcome", sa.String(16), nullable=False),
    sa.Column("arr_before_minor", sa.BigInteger(), nullable=False),
    sa.Column("arr_after_minor", sa.BigInteger(), nullable=False),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("term_months", sa.Integer()),
    sa.Column("renewal_date_before", sa.Date()),
    sa.Column("notes", sa.Text()),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    # a risk reason code (domain.risks taxonomy) for churn and contraction analysis
    sa.Column("reason", sa.String(80)),
    sa.Index("ix_renewal_event_account", "account_id", "date"),
    sa.Index("ix_renewal_event_date", "date"),
)

touchpoint = sa.Table(
    "touchpoint",
    metadata,
    sa.Column("id", sa.Integer(), primary_key=True),
    _account_id(),
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
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    # covering for "the newest contact per account" (migration m008_touchpoint_covering)
    sa.Index("ix_touchpoint_account_recent", "account_id", "occurred_at", "kind", "planned"),
    sa.Index("ix_touchpoint_followup", "follow_up_done", "follow_up_date"),
)

checklist_task = sa.Table(
    "checklist_task",
    metadata,
    sa.Column("id", sa.Integer(), primary_key=True),
    sa.Column(
        "checklist_id", sa.Integer(), sa.ForeignKey("checklist.id", ondelete="CASCADE"), nullable=False
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
    sa.Column("due_offset", sa.String(16)),
    sa.UniqueConstraint("checklist_id", "position", name="uq_task_position"),
    sa.Index("ix_task_status_due", "status", "due"),
)

touchpoint_contact = sa.Table(
    "touchpoint_contact",
    metadata,
    sa.Column(
        "touchpoint_id", sa.Integer(), sa.ForeignKey("touchpoint.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("contact_id", sa.Integer(), sa.ForeignKey("contact.id", ondelete="CASCADE"), primary_key=True),
    # a contact's links: the cascade when a contact is removed, a contact's last touchpoint (m009)
    sa.Index("ix_touchpoint_contact_contact", "contact_id", "touchpoint_id"),
)


risk = sa.Table(
    "risk",
    metadata,
    sa.Column("id", sa.Integer(), primary_key=True),
    _account_id(),
    sa.Column("reason", sa.String(80), nullable=False),
    sa.Column("severity", sa.String(8), nullable=False),
    sa.Column("stage", sa.String(16), nullable=False),
    sa.Column("note", sa.Text()),
    sa.Column("opened_on", sa.Date(), nullable=False),
    sa.Column("closed_on", sa.Date()),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_risk_account_stage", "account_id", "stage"),
)

risk_stage = sa.Table(
    "risk_stage",
    metadata,
    sa.Column("id", sa.Integer(), primary_key=True),
    sa.Column("risk_id", sa.Integer(), sa.ForeignKey("risk.id", ondelete="CASCADE"), nullable=False),
    sa.Column("stage", sa.String(16), nullable=False),
    sa.Column("entered_on", sa.Date(), nullable=False),
    sa.Column("note", sa.Text()),
    sa.Index("ix_risk_stage_risk", "risk_id", "entered_on"),
)

forecast = sa.Table(
    "forecast",
    metadata,
    sa.Column("id", sa.Integer(), primary_key=True),
    _account_id(),
    sa.Column("renewal_date", sa.Date(), nullable=False),
    sa.Column("category", sa.String(16), nullable=False),
    sa.Column("expected_minor", sa.BigInteger()),
    sa.Column("likelihood", sa.Integer()),
    sa.Column("updated_on", sa.Date(), nullable=False),
    sa.UniqueConstraint("account_id", "renewal_date", name="uq_forecast_account_renewal"),
)

forecast_override = sa.Table(
    "forecast_override",
    metadata,
    sa.Column("id", sa.Integer(), primary_key=True),
    _account_id(),
    sa.Column("renewal_date", sa.Date(), nullable=False),
    sa.Column("changed_on", sa.Date(), nullable=False),
    sa.Column("who", sa.String(120)),
    sa.Column("field", sa.String(16), nullable=False),
    sa.Column("old", sa.String(40)),
    sa.Column("new", sa.String(40)),
    sa.Column("why", sa.Text()),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_forecast_override_account", "account_id", "renewal_date"),
)

forecast_snapshot = sa.Table(
    "forecast_snapshot",
    metadata,
    sa.Column("id", sa.Integer(), primary_key=True),
    _account_id(),
    sa.Column("taken", sa.Date(), nullable=False),
    sa.Column("renewal_date", sa.Date(), nullable=False),
    sa.Column("category", sa.String(16), nullable=False),
    sa.Column("expected_minor", sa.BigInteger(), nullable=False),
    sa.Column("likelihood", sa.Integer(), nullable=False),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.UniqueConstraint("account_id", "taken", name="uq_forecast_snapshot_account_taken"),
    sa.Index("ix_forecast_snapshot_renewal", "renewal_date"),
)

# A play that fired for an account: once per (play, account, episode); ``ended_on`` closes a
# ``condition`` episode when the condition stops holding, so the next time it holds fires anew.
play_firing = sa.Table(
    "play_firing",
    metadata,
    sa.Column("id", sa.Integer(), primary_key=True),
    sa.Column("play", sa.String(120), nullable=False),
    _account_id(),
    sa.Column("episode", sa.String(60), nullable=False),
    sa.Column("fired_on", sa.Date(), nullable=False),  # the run's date (--as-of)
    sa.Column("fired_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("reason", sa.Text(), nullable=False),  # the facts that made it true
    sa.Column("actions", sa.Text(), nullable=False),  # JSON list
    sa.Column("touchpoint_id", sa.Integer(), sa.ForeignKey("touchpoint.id", ondelete="SET NULL")),
    sa.Column("ended_on", sa.Date()),
    sa.UniqueConstraint("play", "account_id", "episode", name="uq_play_firing_episode"),
    sa.Index("ix_play_firing_account", "account_id", "fired_on"),
    # the play behind a follow-up (today, follow-up list) and SET NULL when a touchpoint goes (m009)
    sa.Index("ix_play_firing_touchpoint", "touchpoint_id"),
)
