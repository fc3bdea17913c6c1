"""SQLModel tables: the book of business.

The migrations in ``csmctl.store.migrations`` create exactly these tables; a test compares the
migrated schema with this metadata, so a column added here without a migration fails the build.

Conventions: money is ``*_minor`` (BigInteger) plus ``currency``; dates are ``date``; moments
are timezone-aware UTC ``datetime``; free-form tags are stored normalised as ``,a,b,`` so that a tag
filter is a simple ``LIKE '%,tag,%'`` on every dialect.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlmodel import Field, SQLModel


class SchemaVersion(SQLModel, table=True):
    __tablename__ = "csmctl_schema"
    id: int = Field(default=1, primary_key=True)
    version: int
    app: str = Field(default="csmctl", sa_column=Column(String(16), nullable=False))


class Account(SQLModel, table=True):
    __tablename__ = "account"
    __table_args__ = (
        Index("ix_account_renewal", "archived", "renewal_date"),
        Index("ix_account_owner_key", "owner_key"),
        Index("ix_account_tier", "tier"),
    )

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_column=Column(String(200), nullable=False))
    # lower-cased name: unique on every dialect, and an index for prefix look-ups
    name_key: str = Field(sa_column=Column(String(200), nullable=False, unique=True))
    domain: str | None = Field(default=None, sa_column=Column(String(255)))
    owner: str | None = Field(default=None, sa_column=Column(String(120)))
    # the owner folded like name_key (domain.predicates.owner_key): every --owner filter uses it
    owner_key: str | None = Field(default=None, sa_column=Column(String(120)))
    tier: str | None = Field(default=None, sa_column=Column(String(40)))
    segment: str | None = Field(default=None, sa_column=Column(String(80)))
    stage: str = Field(default="onboarding", sa_column=Column(String(40), nullable=False))
    stage_since: date | None = None
    arr_minor: int = Field(default=0, sa_column=Column(BigInteger, nullable=False))
    currency: str = Field(default="USD", sa_column=Column(String(3), nullable=False))
    contract_start: date | None = None
    renewal_date: date | None = None
    term_months: int = Field(default=12, sa_column=Column(Integer, nullable=False))
    auto_renew: bool = False
    notice_days: int | None = None
    nps: int | None = None
    csat: int | None = None
    cadence_days: int | None = None
    tags: str = Field(default="", sa_column=Column(Text, nullable=False))
    notes: str | None = Field(default=None, sa_column=Column(Text))
    external_id: str | None = Field(default=None, sa_column=Column(String(120), unique=True))
    archived: bool = False
    created_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    updated_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class Contact(SQLModel, table=True):
    __tablename__ = "contact"
    __table_args__ = (Index("ix_contact_account", "account_id"),)

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(
        sa_column=Column(Integer, ForeignKey("account.id", ondelete="CASCADE"), nullable=False)
    )
    name: str = Field(sa_column=Column(String(200), nullable=False))
    email: str | None = Field(default=None, sa_column=Column(String(255)))
    phone: str | None = Field(default=None, sa_column=Column(String(60)))
    role: str | None = Field(default=None, sa_column=Column(String(120)))
    champion: bool = False
    exec_sponsor: bool = False
    notes: str | None = Field(default=None, sa_column=Column(Text))
    created_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class Touchpoint(SQLModel, table=True):
    __tablename__ = "touchpoint"
    __table_args__ = (
        Index("ix_touchpoint_account_when", "account_id", "occurred_at"),
        Index("ix_touchpoint_followup", "follow_up_done", "follow_up_date"),
    )

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(
        sa_column=Column(Integer, ForeignKey("account.id", ondelete="CASCADE"), nullable=False)
    )
    kind: str = Field(sa_column=Column(String(40), nullable=False))
    occurred_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    summary: str = Field(sa_column=Column(Text, nullable=False))
    sentiment: str | None = Field(default=None, sa_column=Column(String(16)))
    follow_up_date: date | None = None
    follow_up_text: str | None = Field(default=None, sa_column=Column(Text))
    follow_up_done: bool = False
    follow_up_done_on: date | None = None
    tags: str = Field(default="", sa_column=Column(Text, nullable=False))
    planned: bool = False
    created_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class TouchpointContact(SQLModel, table=True):
    __tablename__ = "touchpoint_contact"

    touchpoint_id: int = Field(
        sa_column=Column(Integer, ForeignKey("touchpoint.id", ondelete="CASCADE"), primary_key=True)
    )
    contact_id: int = Field(
        sa_column=Column(Integer, ForeignKey("contact.id", ondelete="CASCADE"), primary_key=True)
    )


class Checklist(SQLModel, table=True):
    """An onboarding playbook started for an account (a snapshot of the playbook)."""

    __tablename__ = "checklist"
    __table_args__ = (Index("ix_checklist_account", "account_id", "status"),)

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(
        sa_column=Column(Integer, ForeignKey("account.id", ondelete="CASCADE"), nullable=False)
    )
    playbook: str = Field(sa_column=Column(String(120), nullable=False))
    anchor: date
    status: str = Field(default="active", sa_column=Column(String(16), nullable=False))
    started_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    completed_on: date | None = None


class ChecklistTask(SQLModel, table=True):
    __tablename__ = "checklist_task"
    __table_args__ = (
        UniqueConstraint("checklist_id", "position", name="uq_task_position"),
        Index("ix_task_status_due", "status", "due"),
    )

    id: int | None = Field(default=None, primary_key=True)
    checklist_id: int = Field(
        sa_column=Column(Integer, ForeignKey("checklist.id", ondelete="CASCADE"), nullable=False)
    )
    position: int
    name: str = Field(sa_column=Column(String(200), nullable=False))
    phase: str | None = Field(default=None, sa_column=Column(String(120)))
    description: str | None = Field(default=None, sa_column=Column(Text))
    owner_role: str | None = Field(default=None, sa_column=Column(String(40)))
    due: date
    status: str = Field(default="open", sa_column=Column(String(16), nullable=False))
    done_on: date | None = None
    notes: str | None = Field(default=None, sa_column=Column(Text))
    milestone: bool = False
    first_value: bool = False
    depends_on: str = Field(default="", sa_column=Column(Text, nullable=False))
    # the playbook offset the due date came from (``+5bd``); None for one-off tasks
    due_offset: str | None = Field(default=None, sa_column=Column(String(16)))


class RenewalEvent(SQLModel, table=True):
    __tablename__ = "renewal_event"
    __table_args__ = (
        Index("ix_renewal_event_date", "date"),
        Index("ix_renewal_event_account", "account_id", "date"),
    )

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(
        sa_column=Column(Integer, ForeignKey("account.id", ondelete="CASCADE"), nullable=False)
    )
    date: date
    outcome: str = Field(sa_column=Column(String(16), nullable=False))
    arr_before_minor: int = Field(sa_column=Column(BigInteger, nullable=False))
    arr_after_minor: int = Field(sa_column=Column(BigInteger, nullable=False))
    currency: str = Field(sa_column=Column(String(3), nullable=False))
    term_months: int | None = None
    renewal_date_before: date | None = None
    notes: str | None = Field(default=None, sa_column=Column(Text))
    created_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    # a risk reason code (domain.risks taxonomy) for churn and contraction analysis
    reason: str | None = Field(default=None, sa_column=Column(String(80)))


class HealthSnapshot(SQLModel, table=True):
    __tablename__ = "health_snapshot"
    __table_args__ = (UniqueConstraint("account_id", "date", name="uq_health_account_date"),)

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(
        sa_column=Column(Integer, ForeignKey("account.id", ondelete="CASCADE"), nullable=False)
    )
    date: date
    score: int
    band: str = Field(sa_column=Column(String(16), nullable=False))
    measures: str = Field(default="{}", sa_column=Column(Text, nullable=False))  # JSON


class MetricValue(SQLModel, table=True):
    """Custom per-account measures (usage, tickets, logins) imported for health."""

    __tablename__ = "metric_value"
    __table_args__ = (UniqueConstraint("account_id", "name", "date", name="uq_metric_account_name_date"),)

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(
        sa_column=Column(Integer, ForeignKey("account.id", ondelete="CASCADE"), nullable=False)
    )
    name: str = Field(sa_column=Column(String(80), nullable=False))
    date: date
    value: float


def _account_fk() -> Column:
    return Column(Integer, ForeignKey("account.id", ondelete="CASCADE"), nullable=False)


class Risk(SQLModel, table=True):
    """A risk to an account, tracked to resolution (stages in ``domain.risks``)."""

    __tablename__ = "risk"
    __table_args__ = (Index("ix_risk_account_stage", "account_id", "stage"),)

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(sa_column=_account_fk())
    reason: str = Field(sa_column=Column(String(80), nullable=False))
    severity: str = Field(sa_column=Column(String(8), nullable=False))
    stage: str = Field(sa_column=Column(String(16), nullable=False))
    note: str | None = Field(default=None, sa_column=Column(Text))
    opened_on: date
    closed_on: date | None = None
    created_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class RiskStage(SQLModel, table=True):
    """One entry in a risk's stage history: the stage and the day it was entered."""

    __tablename__ = "risk_stage"
    __table_args__ = (Index("ix_risk_stage_risk", "risk_id", "entered_on"),)

    id: int | None = Field(default=None, primary_key=True)
    risk_id: int = Field(sa_column=Column(Integer, ForeignKey("risk.id", ondelete="CASCADE"), nullable=False))
    stage: str = Field(sa_column=Column(String(16), nullable=False))
    entered_on: date
    note: str | None = Field(default=None, sa_column=Column(Text))


class Forecast(SQLModel, table=True):
    """The forecast of one renewal (an account's renewal date); None amount/likelihood = default."""

    __tablename__ = "forecast"
    __table_args__ = (UniqueConstraint("account_id", "renewal_date", name="uq_forecast_account_renewal"),)

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(sa_column=_account_fk())
    renewal_date: date
    category: str = Field(sa_column=Column(String(16), nullable=False))
    expected_minor: int | None = Field(default=None, sa_column=Column(BigInteger))
    likelihood: int | None = None
    updated_on: date


class ForecastOverride(SQLModel, table=True):
    """Who changed a forecast, when, from what to what, and why."""

    __tablename__ = "forecast_override"
    __table_args__ = (Index("ix_forecast_override_account", "account_id", "renewal_date"),)

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(sa_column=_account_fk())
    renewal_date: date
    changed_on: date
    who: str | None = Field(default=None, sa_column=Column(String(120)))
    field: str = Field(sa_column=Column(String(16), nullable=False))
    old: str | None = Field(default=None, sa_column=Column(String(40)))
    new: str | None = Field(default=None, sa_column=Column(String(40)))
    why: str | None = Field(default=None, sa_column=Column(Text))
    created_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class ForecastSnapshot(SQLModel, table=True):
    """The forecast of one renewal frozen on a day (``forecast snapshot``, once per day)."""

    __tablename__ = "forecast_snapshot"
    __table_args__ = (
        UniqueConstraint("account_id", "taken", name="uq_forecast_snapshot_account_taken"),
        Index("ix_forecast_snapshot_renewal", "renewal_date"),
    )

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(sa_column=_account_fk())
    taken: date
    renewal_date: date
    category: str = Field(sa_column=Column(String(16), nullable=False))
    expected_minor: int = Field(sa_column=Column(BigInteger, nullable=False))
    likelihood: int
    currency: str = Field(sa_column=Column(String(3), nullable=False))


class PlayFiring(SQLModel, table=True):
    """A play that fired for an account: once per (play, account, episode); ``ended_on`` closes a
    ``condition`` episode when the condition stops holding, so the next time it holds fires anew."""

    __tablename__ = "play_firing"
    __table_args__ = (
        UniqueConstraint("play", "account_id", "episode", name="uq_play_firing_episode"),
        Index("ix_play_firing_account", "account_id", "fired_on"),
    )

    id: int | None = Field(default=None, primary_key=True)
    play: str = Field(sa_column=Column(String(120), nullable=False))
    account_id: int = Field(
        sa_column=Column(Integer, ForeignKey("account.id", ondelete="CASCADE"), nullable=False)
    )
    episode: str = Field(sa_column=Column(String(60), nullable=False))
    fired_on: date  # the run's date (--as-of)
    fired_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    reason: str = Field(sa_column=Column(Text, nullable=False))  # the facts that made it true
    actions: str = Field(default="[]", sa_column=Column(Text, nullable=False))  # JSON list
    touchpoint_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("touchpoint.id", ondelete="SET NULL"))
    )
    ended_on: date | None = None
