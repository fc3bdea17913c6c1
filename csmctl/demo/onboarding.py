"""Demo onboardings: one account in each state (On Track, Behind, Stuck, Done) and finished
onboardings over the past months, so `onboard status` and `onboard ttv` have something to say."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from csmctl.domain.dates import add_days

if TYPE_CHECKING:  # pragma: no cover
    from csmctl.demo import DemoContext

# (playbook, anchor days before today, tasks due on or before this many days ago are done,
#  the largest delay in days between a task's due date and its done date)
ACTIVE = [
    ("low-touch", 9, 0, 0),  # On Track: everything due so far is done
    ("standard", 26, 8, 1),  # Behind: tasks overdue for a week, work still moving
    ("standard", 52, 25, 2),  # Stuck: overdue and nothing done for over three weeks
    ("standard", 16, 0, 0),  # On Track
]
FINISHED = [
    ("standard", 120),
    ("low-touch", 95),
    ("standard", 150),
    ("low-touch", 160),
    ("standard", 185),
    ("standard", 210),
    ("low-touch", 230),
]


def fill(ctx: DemoContext) -> str:
    from csmctl.playbooks import load_playbook
    from csmctl.resources import builtin_dir
    from csmctl.store.checklists import active_checklist

    books = {
        name: load_playbook(builtin_dir("playbooks") / f"{name}.yaml") for name in ("standard", "low-touch")
    }
    free = [a for a in ctx.accounts if active_checklist(ctx.session, a) is None]
    plans = [(name, back, cutoff, lag) for name, back, cutoff, lag in ACTIVE]
    plans += [(name, back, 0, 6) for name, back in FINISHED]
    started = 0
    for account, (name, back, cutoff, lag) in zip(reversed(free), plans, strict=False):
        _run(ctx, account, name, books[name], add_days(ctx.today, -back), add_days(ctx.today, -cutoff), lag)
        started += 1
    return f"{started} onboardings ({min(started, len(ACTIVE))} in progress)"


def _run(ctx: DemoContext, account, name: str, playbook, anchor: date, cutoff: date, lag: int) -> None:
    from csmctl.domain.playbook import expand
    from csmctl.store.checklists import refresh_status, start_checklist, tasks_of

    checklist = start_checklist(
        ctx.session, account, playbook=name, anchor=anchor, planned=expand(playbook, anchor), now=ctx.now
    )
    tasks = tasks_of(ctx.session, checklist)
    for task in tasks:
        if task.due <= cutoff:
            task.status = "done"
            task.done_on = min(add_days(task.due, ctx.rng.randint(0, lag)), ctx.today)
            ctx.session.add(task)
    ctx.session.flush()
    refresh_status(ctx.session, checklist, tasks)
