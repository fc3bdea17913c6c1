"""Renewal dates and notice deadlines as an iCalendar file (the ``icalendar`` library).

UIDs are stable (``renewal-<account id>-<date>@csmctl``, ``notice-<account id>-<date>@csmctl``),
so importing a newer export updates the events a calendar already has instead of duplicating
them; a renewal rolled forward gets a new date and so a new event. Events are all-day, and
DTSTAMP is the report date (``--as-of``), so the same book and date give the same file.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any

PRODID = "-//csmctl//renewals//EN"


def uid(kind: str, account_id: int, day: date) -> str:
    return f"{kind}-{account_id}-{day.isoformat()}@csmctl"


def build_calendar(renewals: Iterable[Mapping[str, Any]], today: date) -> bytes:
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "Renewals (csmctl)")
    stamp = datetime(today.year, today.month, today.day, tzinfo=UTC)
    for row in renewals:
        renewal: date = row["renewal_date"]
        facts = [
            f"ARR: {row['arr']}",
            f"Owner: {row['owner'] or '-'}",
            f"Auto-renew: {'yes' if row['auto_renew'] else 'no'}",
        ]
        if row["notice_deadline"]:
            facts.append(f"Notice deadline: {row['notice_deadline'].isoformat()} ({row['notice_days']} days)")
        auto = " (auto-renews)" if row["auto_renew"] else ""
        cal.add_component(
            _event(
                Event,
                uid("renewal", row["id"], renewal),
                renewal,
                stamp,
                f"Renewal: {row['name']}{auto}",
                "\n".join(facts),
            )
        )
        if row["notice_deadline"]:
            deadline: date = row["notice_deadline"]
            cal.add_component(
                _event(
                    Event,
                    uid("notice", row["id"], deadline),
                    deadline,
                    stamp,
                    f"Notice deadline: {row['name']}",
                    f"Last day to give notice before the renewal on {renewal.isoformat()}.\n"
                    + "\n".join(facts),
                )
            )
    return cal.to_ical()


def _event(cls, event_uid: str, day: date, stamp: datetime, summary: str, description: str):
    event = cls()
    event.add("uid", event_uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", day)  # a date (not a datetime): an all-day event
    event.add("dtend", day + timedelta(days=1))
    event.add("summary", summary)
    event.add("description", description)
    event.add("transp", "TRANSPARENT")
    event.add("categories", ["csmctl", "renewal"])
    return event
