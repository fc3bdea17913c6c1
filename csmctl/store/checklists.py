"""Onboarding checklists: a playbook expanded for one account and stored as a snapshot.

Editing a playbook later never changes a running checklist: its tasks are rows here. A
checklist is ``active`` until every task is done or skipped (``done``), or until a new one is
started over it with ``--force`` (``cancelled``). Functions take a Session; the caller owns the
transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlmodel import Session, select

from csmctl import errors
from csmctl.domain import onboarding
from csmctl.domain.dates import add_days
from csmctl.domain.onboarding import OPEN, TaskView
from csmctl.store import tables
from csmctl.store.models import Account, Checklist, ChecklistTask
from csmctl.store.predicates import overdue_task_clause, owner_clause

if TYPE_CHECKING:  # pragma: no cover
    from csmctl.domain.playbook import PlannedTask

ACTIVE, COMPLETED, CANCELLED = "active", "done", "cancelled"


def _positions(text: str) -> tuple[int, ...]:
    return tuple(map(int, text.strip(",").split(","))) if text else ()


def _store_positions(positions: Iterable[int]) -> str:
    values = sorted(set(positions))
    return "," + ",".join(str(p) for p in values) + "," if values else ""


def task_view(task: ChecklistTask) -> TaskView:
    return TaskView(
        position=task.position,
        name=task.name,
        due=task.due,
        status=task.status,
        done_on=task.done_on,
        milestone=task.milestone,
        first_value=task.first_value,
        depends_on=_positions(task.depends_on),
    )


def active_checklist(session: Session, account: Account) -> Checklist | None:
    return session.exec(
        select(Checklist)
        .where(Checklist.account_id == account.id, Checklist.status == ACTIVE)
        .order_by(Checklist.id.desc())
    ).first()


def current_checklist(session: Session, account: Account) -> Checklist:
    """The active checklist, else the latest finished one (so a done task can be reopened)."""
    found = (
        active_checklist(session, account)
        or session.exec(
            select(Checklist)
            .where(Checklist.account_id == account.id, Checklist.status == COMPLETED)
            .order_by(Checklist.id.desc())
        ).first()
    )
    if found is None:
        raise errors.NotFound(
            f"{account.name} has no onboarding checklist.",
            f"Start one with `csmctl onboard start {_quoted(account.name)} --playbook standard`.",
        )
    return found


def _quoted(name: str) -> str:
    return f'"{name}"' if " " in name else name


def tasks_of(session: Session, checklist: Checklist) -> list[ChecklistTask]:
    return list(
        session.exec(
            select(ChecklistTask)
            .where(ChecklistTask.checklist_id == checklist.id)
            .order_by(ChecklistTask.position)
        ).all()
    )


def start_checklist(
    session: Session,
    account: Account,
    *,
    playbook: str,
    anchor: date,
    planned: Sequence[PlannedTask],
    now: datetime,
    force: bool = False,
) -> Checklist:
    """Store the expanded playbook; a second active checklist needs ``force`` (the old one is
    then cancelled, its tasks kept)."""
    existing = active_checklist(session, account)
    if existing is not None:
        if not force:
            raise errors.Conflict(
                f"{account.name} already has an active onboarding ({existing.playbook}, "
                f"anchored {existing.anchor.isoformat()}).",
                "Use --force to cancel it and start a new one, or `csmctl onboard status` to see it.",
            )
        existing.status = CANCELLED
        session.add(existing)
    checklist = Checklist(
        account_id=account.id, playbook=playbook, anchor=anchor, status=ACTIVE, started_at=now
    )
    session.add(checklist)
    session.flush()
    for task in planned:
        session.add(
            ChecklistTask(
                checklist_id=checklist.id,
                position=task.position,
                name=task.name,
                phase=task.phase,
                description=task.description,
                owner_role=task.owner_role,
                due=task.due,
                due_offset=task.due_offset,
                milestone=task.milestone,
                first_value=task.first_value,
                depends_on=_store_positions(task.depends_on),
            )
        )
    session.flush()
    return checklist


def resolve_task(tasks: Sequence[ChecklistTask], ref: str) -> ChecklistTask:
    """By number (``3`` or ``#3``), exact name (any case), or an unambiguous name prefix."""
    text = ref.strip()
    number = text.lstrip("#")
    if number.isdigit():
        for task in tasks:
            if task.position == int(number):
                return task
        if text.startswith("#") or not any(t.name.casefold().startswith(text.casefold()) for t in tasks):
            raise errors.NotFound(
                f"No task number {number}.",
                f"Tasks are numbered 1 to {max((t.position for t in tasks), default=0)}.",
            )
    key = text.casefold()
    exact = [t for t in tasks if t.name.casefold() == key]
    if exact:
        return exact[0]
    matches = [t for t in tasks if t.name.casefold().startswith(key)] if key else []
    if len(matches) == 1:
        return matches[0]
    if matches:
        listed = ", ".join(f"{t.position} {t.name}" for t in matches[:8])
        raise errors.InvalidValue(
            f"{ref!r} matches {len(matches)} tasks: {listed}.", "Use more of the name, or the task number."
        )
    raise errors.NotFound(f"No task matches {ref!r}.", "See the tasks with `csmctl onboard status ACCOUNT`.")


def set_task_status(
    session: Session, checklist: Checklist, task: ChecklistTask, status: str, *, on: date, note: str | None
) -> tuple[list[ChecklistTask], bool]:
    """Mark a task done, skipped or open again; the checklist closes when nothing is left open
    (and reopens with the task). Idempotent: a task already in ``status`` is left as it is (its
    date and notes kept) and ``False`` says nothing changed. Returns the checklist's tasks."""
    if task.status == status:
        return tasks_of(session, checklist), False
    task.status = status
    task.done_on = None if status == OPEN else on
    if note:
        line = f"{on.isoformat()}: {note}"
        task.notes = f"{task.notes}\n{line}" if task.notes else line
    session.add(task)
    session.flush()
    tasks = tasks_of(session, checklist)
    refresh_status(session, checklist, tasks)
    return tasks, True


def refresh_status(session: Session, checklist: Checklist, tasks: Sequence[ChecklistTask]) -> None:
    if checklist.status == CANCELLED:
        return
    finished = onboarding.completed_on([task_view(t) for t in tasks], checklist.anchor)
    checklist.status = COMPLETED if finished else ACTIVE
    checklist.completed_on = finished
    session.add(checklist)


def reanchor(session: Session, checklist: Checklist, anchor: date) -> int:
    """Move the anchor and re-date the open tasks (done and skipped ones keep their dates).
    Playbook tasks are re-expanded from their offset; one-off tasks move by the same days."""
    shift = (anchor - checklist.anchor).days
    changed = 0
    for task in tasks_of(session, checklist):
        if task.status != OPEN:
            continue
        new_due = (
            onboarding.due_date(anchor, task.due_offset) if task.due_offset else add_days(task.due, shift)
        )
        if new_due != task.due:
            task.due = new_due
            session.add(task)
            changed += 1
    checklist.anchor = anchor
    session.add(checklist)
    session.flush()
    return changed


def add_task(
    session: Session,
    checklist: Checklist,
    *,
    name: str,
    due: date,
    phase: str | None,
    owner_role: str,
    description: str | None,
    milestone: bool,
    depends_on: Sequence[int],
) -> ChecklistTask:
    tasks = tasks_of(session, checklist)
    if any(t.name.casefold() == name.casefold() for t in tasks):
        raise errors.AlreadyExists(f"The checklist already has a task named {name!r}.", "Pick another name.")
    task = ChecklistTask(
        checklist_id=checklist.id,
        position=max((t.position for t in tasks), default=0) + 1,
        name=name,
        phase=phase,
        description=description,
        owner_role=owner_role,
        due=due,
        milestone=milestone,
        depends_on=_store_positions(depends_on),
    )
    session.add(task)
    session.flush()
    refresh_status(session, checklist, [*tasks, task])
    return task


@dataclass
class Onboarding:
    """One checklist with its account and tasks, for portfolio views."""

    account: Account
    checklist: Checklist
    tasks: list[Any]  # rows with the checklist_task columns as attributes

    def views(self) -> list[TaskView]:
        return [task_view(t) for t in self.tasks]


def onboardings(
    session: Session,
    *,
    statuses: Sequence[str] = (ACTIVE,),
    owner: str | None = None,
    account: Account | None = None,
    include_archived: bool = False,
) -> list[Onboarding]:
    """Checklists (with accounts and tasks) in two set-based queries, ordered by account name."""
    query = (
        select(Checklist, Account)
        .join(Account, Account.id == Checklist.account_id)
        .where(Checklist.status.in_(list(statuses)))
        .order_by(Account.name_key, Checklist.id)
    )
    if account is not None:
        query = query.where(Checklist.account_id == account.id)
    if owner:
        query = query.where(owner_clause(tables.account.c.owner_key, owner))
    if not include_archived and account is None:
        query = query.where(Account.archived == sa.false())
    rows = session.exec(query).all()
    if not rows:
        return []
    by_id = {checklist.id: Onboarding(acct, checklist, []) for checklist, acct in rows}
    # Tasks as plain rows (attribute access like the model): ORM instances cost ~10x more here.
    tasks, checklists, accounts = tables.checklist_task, tables.checklist, tables.account
    task_query = (
        sa.select(tasks)
        .join(checklists, checklists.c.id == tasks.c.checklist_id)
        .where(checklists.c.status.in_(list(statuses)))
        .order_by(tasks.c.checklist_id, tasks.c.position)
    )
    if account is not None:
        task_query = task_query.where(checklists.c.account_id == account.id)
    if owner:
        task_query = task_query.join(accounts, accounts.c.id == checklists.c.account_id).where(
            owner_clause(accounts.c.owner_key, owner)
        )
    for task in session.connection().execute(task_query):
        if task.checklist_id in by_id:
            by_id[task.checklist_id].tasks.append(task)
    return list(by_id.values())


def checklist_states(
    session: Session, ids: sa.Select, today: date, stuck_days: int
) -> dict[int, tuple[str, int]]:
    """account -> (state, percent) of its active checklist, from one aggregate row per checklist
    (``domain.onboarding.state_of``, the rule ``assess`` applies to task views): what a whole-book
    pass needs without loading 20 tasks per account."""
    from csmctl.store.rows import as_date

    tasks, checklists = tables.checklist_task, tables.checklist
    closed = tasks.c.status != OPEN
    query = (
        sa.select(
            checklists.c.account_id,
            checklists.c.anchor,
            sa.func.count(tasks.c.id),
            sa.func.sum(sa.case((closed, 1), else_=0)),
            sa.func.sum(sa.case((overdue_task_clause(today), 1), else_=0)),
            sa.func.max(sa.case((closed, tasks.c.done_on))),
        )
        .select_from(checklists.outerjoin(tasks, tasks.c.checklist_id == checklists.c.id))
        .where(checklists.c.status == ACTIVE, checklists.c.account_id.in_(ids))
        .group_by(checklists.c.id, checklists.c.account_id, checklists.c.anchor)
        .order_by(checklists.c.id)  # an account with two active checklists: the latest, as before
    )
    out: dict[int, tuple[str, int]] = {}
    for account_id, anchor, total, done, overdue, last_done in session.connection().execute(query):
        anchor = as_date(anchor)
        last = max(anchor, as_date(last_done) or anchor)
        state = onboarding.state_of(int(total), int(done or 0), int(overdue or 0), last, today, stuck_days)
        out[account_id] = (state, onboarding.progress_percent(int(done or 0), int(total)))
    return out
