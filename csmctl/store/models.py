"""SQLModel classes for writes and single-record work, mapped onto the Core tables of
``csmctl.store.tables`` (the one schema definition: each field names its column there).

Reads over many rows do not come here: they select from ``tables`` and get plain rows (the lean
read path, issue 19). A new column goes into ``tables`` (with its migration) and its field here
maps it with ``sa_column=tables.<table>.c.<column>``.
"""

from __future__ import annotations

import datetime as dt  # a field named `date` shadows the type inside its class

from sqlmodel import Field, SQLModel

from csmctl.store import tables


class SchemaVersion(SQLModel, table=True):
    __table__ = tables.csmctl_schema

    id: int = Field(default=1, sa_column=tables.csmctl_schema.c.id)
    version: int = Field(sa_column=tables.csmctl_schema.c.version)
    app: str = Field(default="csmctl", sa_column=tables.csmctl_schema.c.app)


class Account(SQLModel, table=True):
    __table__ = tables.account

    id: int | None = Field(default=None, sa_column=tables.account.c.id)
    name: str = Field(sa_column=tables.account.c.name)
    name_key: str = Field(sa_column=tables.account.c.name_key)
    domain: str | None = Field(default=None, sa_column=tables.account.c.domain)
    owner: str | None = Field(default=None, sa_column=tables.account.c.owner)
    owner_key: str | None = Field(default=None, sa_column=tables.account.c.owner_key)
    tier: str | None = Field(default=None, sa_column=tables.account.c.tier)
    segment: str | None = Field(default=None, sa_column=tables.account.c.segment)
    stage: str = Field(default="onboarding", sa_column=tables.account.c.stage)
    stage_since: dt.date | None = Field(default=None, sa_column=tables.account.c.stage_since)
    arr_minor: int | None = Field(default=None, sa_column=tables.account.c.arr_minor)
    currency: str = Field(default="USD", sa_column=tables.account.c.currency)
    contract_start: dt.date | None = Field(default=None, sa_column=tables.account.c.contract_start)
    renewal_date: dt.date | None = Field(default=None, sa_column=tables.account.c.renewal_date)
    term_months: int = Field(default=12, sa_column=tables.account.c.term_months)
    auto_renew: bool = Field(default=False, sa_column=tables.account.c.auto_renew)
    notice_days: int | None = Field(default=None, sa_column=tables.account.c.notice_days)
    nps: int | None = Field(default=None, sa_column=tables.account.c.nps)
    csat: int | None = Field(default=None, sa_column=tables.account.c.csat)
    cadence_days: int | None = Field(default=None, sa_column=tables.account.c.cadence_days)
    tags: str = Field(default="", sa_column=tables.account.c.tags)
    notes: str | None = Field(default=None, sa_column=tables.account.c.notes)
    external_id: str | None = Field(default=None, sa_column=tables.account.c.external_id)
    archived: bool = Field(default=False, sa_column=tables.account.c.archived)
    created_at: dt.datetime = Field(sa_column=tables.account.c.created_at)
    updated_at: dt.datetime = Field(sa_column=tables.account.c.updated_at)


class Contact(SQLModel, table=True):
    __table__ = tables.contact

    id: int | None = Field(default=None, sa_column=tables.contact.c.id)
    account_id: int = Field(sa_column=tables.contact.c.account_id)
    name: str = Field(sa_column=tables.contact.c.name)
    email: str | None = Field(default=None, sa_column=tables.contact.c.email)
    phone: str | None = Field(default=None, sa_column=tables.contact.c.phone)
    role: str | None = Field(default=None, sa_column=tables.contact.c.role)
    champion: bool = Field(default=False, sa_column=tables.contact.c.champion)
    exec_sponsor: bool = Field(default=False, sa_column=tables.contact.c.exec_sponsor)
    notes: str | None = Field(default=None, sa_column=tables.contact.c.notes)
    created_at: dt.datetime = Field(sa_column=tables.contact.c.created_at)


class Touchpoint(SQLModel, table=True):
    __table__ = tables.touchpoint

    id: int | None = Field(default=None, sa_column=tables.touchpoint.c.id)
    account_id: int = Field(sa_column=tables.touchpoint.c.account_id)
    kind: str = Field(sa_column=tables.touchpoint.c.kind)
    occurred_at: dt.datetime = Field(sa_column=tables.touchpoint.c.occurred_at)
    summary: str = Field(sa_column=tables.touchpoint.c.summary)
    sentiment: str | None = Field(default=None, sa_column=tables.touchpoint.c.sentiment)
    follow_up_date: dt.date | None = Field(default=None, sa_column=tables.touchpoint.c.follow_up_date)
    follow_up_text: str | None = Field(default=None, sa_column=tables.touchpoint.c.follow_up_text)
    follow_up_done: bool = Field(default=False, sa_column=tables.touchpoint.c.follow_up_done)
    follow_up_done_on: dt.date | None = Field(default=None, sa_column=tables.touchpoint.c.follow_up_done_on)
    tags: str = Field(default="", sa_column=tables.touchpoint.c.tags)
    planned: bool = Field(default=False, sa_column=tables.touchpoint.c.planned)
    created_at: dt.datetime = Field(sa_column=tables.touchpoint.c.created_at)


class TouchpointContact(SQLModel, table=True):
    __table__ = tables.touchpoint_contact

    touchpoint_id: int = Field(sa_column=tables.touchpoint_contact.c.touchpoint_id)
    contact_id: int = Field(sa_column=tables.touchpoint_contact.c.contact_id)


class Checklist(SQLModel, table=True):
    """An onboarding playbook started for an account (a snapshot of the playbook)."""

    __table__ = tables.checklist

    id: int | None = Field(default=None, sa_column=tables.checklist.c.id)
    account_id: int = Field(sa_column=tables.checklist.c.account_id)
    playbook: str = Field(sa_column=tables.checklist.c.playbook)
    anchor: dt.date = Field(sa_column=tables.checklist.c.anchor)
    status: str = Field(default="active", sa_column=tables.checklist.c.status)
    started_at: dt.datetime = Field(sa_column=tables.checklist.c.started_at)
    completed_on: dt.date | None = Field(default=None, sa_column=tables.checklist.c.completed_on)


class ChecklistTask(SQLModel, table=True):
    __table__ = tables.checklist_task

    id: int | None = Field(default=None, sa_column=tables.checklist_task.c.id)
    checklist_id: int = Field(sa_column=tables.checklist_task.c.checklist_id)
    position: int = Field(sa_column=tables.checklist_task.c.position)
    name: str = Field(sa_column=tables.checklist_task.c.name)
    phase: str | None = Field(default=None, sa_column=tables.checklist_task.c.phase)
    description: str | None = Field(default=None, sa_column=tables.checklist_task.c.description)
    owner_role: str | None = Field(default=None, sa_column=tables.checklist_task.c.owner_role)
    due: dt.date = Field(sa_column=tables.checklist_task.c.due)
    status: str = Field(default="open", sa_column=tables.checklist_task.c.status)
    done_on: dt.date | None = Field(default=None, sa_column=tables.checklist_task.c.done_on)
    notes: str | None = Field(default=None, sa_column=tables.checklist_task.c.notes)
    milestone: bool = Field(default=False, sa_column=tables.checklist_task.c.milestone)
    first_value: bool = Field(default=False, sa_column=tables.checklist_task.c.first_value)
    depends_on: str = Field(default="", sa_column=tables.checklist_task.c.depends_on)
    due_offset: str | None = Field(default=None, sa_column=tables.checklist_task.c.due_offset)


class RenewalEvent(SQLModel, table=True):
    __table__ = tables.renewal_event

    id: int | None = Field(default=None, sa_column=tables.renewal_event.c.id)
    account_id: int = Field(sa_column=tables.renewal_event.c.account_id)
    date: dt.date = Field(sa_column=tables.renewal_event.c.date)
    outcome: str = Field(sa_column=tables.renewal_event.c.outcome)
    arr_before_minor: int = Field(sa_column=tables.renewal_event.c.arr_before_minor)
    arr_after_minor: int = Field(sa_column=tables.renewal_event.c.arr_after_minor)
    currency: str = Field(sa_column=tables.renewal_event.c.currency)
    term_months: int | None = Field(default=None, sa_column=tables.renewal_event.c.term_months)
    renewal_date_before: dt.date | None = Field(
        default=None, sa_column=tables.renewal_event.c.renewal_date_before
    )
    notes: str | None = Field(default=None, sa_column=tables.renewal_event.c.notes)
    created_at: dt.datetime = Field(sa_column=tables.renewal_event.c.created_at)
    reason: str | None = Field(default=None, sa_column=tables.renewal_event.c.reason)


class HealthSnapshot(SQLModel, table=True):
    __table__ = tables.health_snapshot

    id: int | None = Field(default=None, sa_column=tables.health_snapshot.c.id)
    account_id: int = Field(sa_column=tables.health_snapshot.c.account_id)
    date: dt.date = Field(sa_column=tables.health_snapshot.c.date)
    score: int = Field(sa_column=tables.health_snapshot.c.score)
    band: str = Field(sa_column=tables.health_snapshot.c.band)
    measures: str = Field(default="{}", sa_column=tables.health_snapshot.c.measures)


class MetricValue(SQLModel, table=True):
    """Custom per-account measures (usage, tickets, logins) imported for health."""

    __table__ = tables.metric_value

    id: int | None = Field(default=None, sa_column=tables.metric_value.c.id)
    account_id: int = Field(sa_column=tables.metric_value.c.account_id)
    name: str = Field(sa_column=tables.metric_value.c.name)
    date: dt.date = Field(sa_column=tables.metric_value.c.date)
    value: float = Field(sa_column=tables.metric_value.c.value)


class Risk(SQLModel, table=True):
    """A risk to an account, tracked to resolution (stages in ``domain.risks``)."""

    __table__ = tables.risk

    id: int | None = Field(default=None, sa_column=tables.risk.c.id)
    account_id: int = Field(sa_column=tables.risk.c.account_id)
    reason: str = Field(sa_column=tables.risk.c.reason)
    severity: str = Field(sa_column=tables.risk.c.severity)
    stage: str = Field(sa_column=tables.risk.c.stage)
    note: str | None = Field(default=None, sa_column=tables.risk.c.note)
    opened_on: dt.date = Field(sa_column=tables.risk.c.opened_on)
    closed_on: dt.date | None = Field(default=None, sa_column=tables.risk.c.closed_on)
    created_at: dt.datetime = Field(sa_column=tables.risk.c.created_at)


class RiskStage(SQLModel, table=True):
    """One entry in a risk's stage history: the stage and the day it was entered."""

    __table__ = tables.risk_stage

    id: int | None = Field(default=None, sa_column=tables.risk_stage.c.id)
    risk_id: int = Field(sa_column=tables.risk_stage.c.risk_id)
    stage: str = Field(sa_column=tables.risk_stage.c.stage)
    entered_on: dt.date = Field(sa_column=tables.risk_stage.c.entered_on)
    note: str | None = Field(default=None, sa_column=tables.risk_stage.c.note)


class Forecast(SQLModel, table=True):
    """The forecast of one renewal (an account's renewal date); None amount/likelihood = default."""

    __table__ = tables.forecast

    id: int | None = Field(default=None, sa_column=tables.forecast.c.id)
    account_id: int = Field(sa_column=tables.forecast.c.account_id)
    renewal_date: dt.date = Field(sa_column=tables.forecast.c.renewal_date)
    category: str = Field(sa_column=tables.forecast.c.category)
    expected_minor: int | None = Field(default=None, sa_column=tables.forecast.c.expected_minor)
    likelihood: int | None = Field(default=None, sa_column=tables.forecast.c.likelihood)
    updated_on: dt.date = Field(sa_column=tables.forecast.c.updated_on)


class ForecastOverride(SQLModel, table=True):
    """Who changed a forecast, when, from what to what, and why."""

    __table__ = tables.forecast_override

    id: int | None = Field(default=None, sa_column=tables.forecast_override.c.id)
    account_id: int = Field(sa_column=tables.forecast_override.c.account_id)
    renewal_date: dt.date = Field(sa_column=tables.forecast_override.c.renewal_date)
    changed_on: dt.date = Field(sa_column=tables.forecast_override.c.changed_on)
    who: str | None = Field(default=None, sa_column=tables.forecast_override.c.who)
    field: str = Field(sa_column=tables.forecast_override.c.field)
    old: str | None = Field(default=None, sa_column=tables.forecast_override.c.old)
    new: str | None = Field(default=None, sa_column=tables.forecast_override.c.new)
    why: str | None = Field(default=None, sa_column=tables.forecast_override.c.why)
    created_at: dt.datetime = Field(sa_column=tables.forecast_override.c.created_at)


class ForecastSnapshot(SQLModel, table=True):
    """The forecast of one renewal frozen on a day (``forecast snapshot``, once per day)."""

    __table__ = tables.forecast_snapshot

    id: int | None = Field(default=None, sa_column=tables.forecast_snapshot.c.id)
    account_id: int = Field(sa_column=tables.forecast_snapshot.c.account_id)
    taken: dt.date = Field(sa_column=tables.forecast_snapshot.c.taken)
    renewal_date: dt.date = Field(sa_column=tables.forecast_snapshot.c.renewal_date)
    category: str = Field(sa_column=tables.forecast_snapshot.c.category)
    expected_minor: int = Field(sa_column=tables.forecast_snapshot.c.expected_minor)
    likelihood: int = Field(sa_column=tables.forecast_snapshot.c.likelihood)
    currency: str = Field(sa_column=tables.forecast_snapshot.c.currency)


class PlayFiring(SQLModel, table=True):
    """A play that fired for an account: once per (play, account, episode); ``ended_on`` closes a
    ``condition`` episode when the condition stops holding, so the next time it holds fires anew."""

    __table__ = tables.play_firing

    id: int | None = Field(default=None, sa_column=tables.play_firing.c.id)
    play: str = Field(sa_column=tables.play_firing.c.play)
    account_id: int = Field(sa_column=tables.play_firing.c.account_id)
    episode: str = Field(sa_column=tables.play_firing.c.episode)
    fired_on: dt.date = Field(sa_column=tables.play_firing.c.fired_on)
    fired_at: dt.datetime = Field(sa_column=tables.play_firing.c.fired_at)
    reason: str = Field(sa_column=tables.play_firing.c.reason)
    actions: str = Field(default="[]", sa_column=tables.play_firing.c.actions)
    touchpoint_id: int | None = Field(default=None, sa_column=tables.play_firing.c.touchpoint_id)
    ended_on: dt.date | None = Field(default=None, sa_column=tables.play_firing.c.ended_on)
