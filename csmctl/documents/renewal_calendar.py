"""Renewal dates and notice deadlines as an iCalendar file (the ``icalendar`` library).

Each account has one event per kind, whatever its dates: the UID is
``renewal-<account id>@csmctl`` or ``notice-<account id>@csmctl``. When the account changes (a
renewal rolled forward, an edit), SEQUENCE and DTSTAMP move forward with it, so a calendar that
imports a newer export replaces the event it already has instead of adding a second one (RFC
5545: the higher SEQUENCE, then the later DTSTAMP, wins). Both come from the account's last
revision (``updated_at``), so the same book gives the same file, and events are all-day.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any

from csmctl.domain.money import show_money

PRODID = "-//csmctl//renewals//EN"
# SEQUENCE counts seconds from here: it grows with every revision and fits RFC 5545's 32-bit
# integer until 2088.
_EPOCH = datetime(2020, 1, 1, tzinfo=UTC)


def uid(kind: str, account_id: int) -> str:
    return f"{kind}-{account_id}@csmctl"


def revision(updated_at: datetime | None, today: date) -> tuple[int, datetime]:
    """(SEQUENCE, DTSTAMP) for an account last revised at ``updated_at``."""
    if updated_at is None:
        stamp = datetime(today.year, today.month, today.day, tzinfo=UTC)
    else:
        stamp = updated_at if updated_at.tzinfo else updated_at.replace(tzinfo=UTC)
        stamp = stamp.astimezone(UTC).replace(microsecond=0)
    return max(0, int((stamp - _EPOCH).total_seconds())), stamp


def build_calendar(
    renewals: Iterable[Mapping[str, Any]], today: date, revised: Mapping[int, datetime] | None = None
) -> bytes:
    """``revised``: account id -> when it was last changed (``updated_at``)."""
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "Renewals (csmctl)")
    for row in renewals:
        renewal: date = row["renewal_date"]
        sequence, stamp = revision((revised or {}).get(row["id"]), today)
        facts = [
            f"ARR: {show_money(row['arr'])}",
            f"Owner: {row['owner'] or '-'}",
            f"Auto-renew: {'yes' if row['auto_renew'] else 'no'}",
        ]
        if row["notice_deadline"]:
            facts.append(f"Notice deadline: {row['notice_deadline'].isoformat()} ({row['notice_days']} days)")
        auto = " (auto-renews)" if row["auto_renew"] else ""
        cal.add_component(
            _event(
                Event,
                uid("renewal", row["id"]),
                renewal,
                (sequence, stamp),
                f"Renewal: {row['name']}{auto}",
                "\n".join(facts),
            )
        )
        if row["notice_deadline"]:
            deadline: date = row["notice_deadline"]
            cal.add_component(
                _event(
                    Event,
                    uid("notice", row["id"]),
                    deadline,
                    (sequence, stamp),
                    f"Notice deadline: {row['name']}",
                    f"Last day to give notice before the renewal on {renewal.isoformat()}.\n"
                    + "\n".join(facts),
                )
            )
    return cal.to_ical()


def _event(cls, event_uid: str, day: date, revised: tuple[int, datetime], summary: str, description: str):
    sequence, stamp = revised
    event = cls()
    event.add("uid", event_uid)
    event.add("dtstamp", stamp)
    event.add("last-modified", stamp)
    event.add("sequence", sequence)
    event.add("dtstart", day)  # a date (not a datetime): an all-day event
    event.add("dtend", day + timedelta(days=1))
    event.add("summary", summary)
    event.add("description", description)
    event.add("transp", "TRANSPARENT")
    event.add("categories", ["csmctl", "renewal"])
    return event
