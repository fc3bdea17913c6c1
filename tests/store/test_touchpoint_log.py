"""store/touchpoint_log.py: `touch` logs a touchpoint on Core. The rows it writes are the rows the
ORM wrote before (the Touchpoint model on the same table), on every backend; contacts resolve
as they did (id, email or name, within the account)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from csmctl import errors
from csmctl.store.database import Database
from csmctl.store.tables import touchpoint as T
from csmctl.store.tables import touchpoint_contact as TC
from csmctl.store.touchpoint_log import account_row, add_touchpoint, resolve_contacts

NOW = datetime(2026, 11, 23, 9, 30, 15, 123456, tzinfo=UTC)


def _orm_add(session, account, values, contacts, now):
    """What store.touchpoints.add_touchpoint did before (the ORM model, flushed), kept here as
    the reference the Core insert must equal."""
    from csmctl.domain import fields
    from csmctl.store.models import Touchpoint, TouchpointContact

    tp = Touchpoint(
        account_id=account.id,
        kind=values["kind"],
        occurred_at=values["occurred_at"],
        summary=values["summary"],
        sentiment=values.get("sentiment"),
        follow_up_date=values.get("follow_up_date"),
        follow_up_text=values.get("follow_up_text"),
        follow_up_done=bool(values.get("follow_up_done")),
        tags=fields.store_tags(values.get("tags") or []),
        planned=bool(values.get("planned")),
        created_at=now,
    )
    if values.get("follow_up_done_on"):
        tp.follow_up_done, tp.follow_up_done_on = True, values["follow_up_done_on"]
    elif tp.follow_up_done and tp.follow_up_date:
        tp.follow_up_done_on = tp.follow_up_date
    session.add(tp)
    session.flush()
    for contact in contacts:
        session.add(TouchpointContact(touchpoint_id=tp.id, contact_id=contact.id))
    session.flush()
    return tp.id


@pytest.fixture
def book(db_target):
    from csmctl.store.accounts import add_account
    from csmctl.store.contacts import add_contact

    db = Database(db_target)
    with db.write() as session:
        account = add_account(session, {"name": "Acme Ünited"}, today=NOW.date(), now=NOW)
        for name, email in (("Ana Díaz", "ana@acme.test"), ("Bo Li", None)):
            add_contact(session, account, {"name": name, "email": email}, now=NOW)
    yield db
    db.dispose()


def _raw(db, touchpoint_id):
    """The stored row as the driver returns it (no type processing), and its contact ids."""
    with db.rows() as conn:
        columns = ", ".join(c.name for c in T.c if c.name != "id")
        row = conn.exec_driver_sql(f"SELECT {columns} FROM touchpoint WHERE id = {int(touchpoint_id)}").one()
        links = conn.execute(
            sa.select(TC.c.contact_id).where(TC.c.touchpoint_id == touchpoint_id).order_by(TC.c.contact_id)
        ).all()
    return tuple(row), [r[0] for r in links]


values_strategy = st.fixed_dictionaries(
    {
        "kind": st.sampled_from(["call", "qbr", "note"]),
        "occurred_at": st.datetimes(
            min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1), timezones=st.just(UTC)
        ),
        "summary": st.text(min_size=1, max_size=30).filter(lambda s: "\x00" not in s),
    },
    optional={
        "sentiment": st.sampled_from(["positive", "neutral", "negative", None]),
        "follow_up_date": st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 1, 1)) | st.none(),
        "follow_up_text": st.text(max_size=10).filter(lambda s: "\x00" not in s) | st.none(),
        "follow_up_done": st.booleans(),
        "follow_up_done_on": st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 1, 1)) | st.none(),
        "tags": st.lists(st.sampled_from(["renewal", "exec", "Risk"]), max_size=3),
        "planned": st.booleans(),
    },
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=values_strategy, with_contacts=st.booleans())
@example(  # done with a due date: done on the due date
    values={
        "kind": "call",
        "occurred_at": NOW,
        "summary": "s",
        "follow_up_date": date(2026, 12, 1),
        "follow_up_done": True,
    },
    with_contacts=True,
)
@example(  # done on a given day
    values={
        "kind": "call",
        "occurred_at": NOW,
        "summary": "s",
        "follow_up_done_on": date(2026, 11, 2),
        "tags": ["a"],
    },
    with_contacts=False,
)
@example(values={"kind": "qbr", "occurred_at": NOW, "summary": "s", "planned": True}, with_contacts=False)
def test_core_insert_writes_the_rows_the_orm_wrote(book, values, with_contacts):
    with book.write() as session:
        account = account_row(session, "acme")
        people = resolve_contacts(session, account, ["ana@acme.test", "bo li"] if with_contacts else [])
        orm_id = _orm_add(session, account, values, people, NOW)
    with book.write_rows() as conn:
        account = account_row(conn, "acme")
        people = resolve_contacts(conn, account, ["ana@acme.test", "bo li"] if with_contacts else [])
        written = add_touchpoint(conn, account, values, people, now=NOW)
    assert _raw(book, written["id"]) == _raw(book, orm_id)
    assert written["id"] > orm_id


def test_contacts_resolve_by_id_email_or_name_within_the_account(book):
    with book.write_rows() as conn:
        account = account_row(conn, "Acme")
        assert (account.name, account.archived) == ("Acme Ünited", False)
        ana = resolve_contacts(conn, account, ["ANA@acme.test"])[0]
        both = resolve_contacts(conn, account, [str(ana.id), "BO  LI", "#" + str(ana.id)])
        assert [c.name for c in both] == ["Ana Díaz", "Bo Li"]  # once each, in the order given
    for ref in ("Nobody", "bo"):  # a name is matched whole, as before
        with pytest.raises(errors.NotFound, match="No contact"):
            with book.write_rows() as conn:
                resolve_contacts(conn, account_row(conn, "acme"), [ref])


def test_a_failed_touch_writes_nothing(book):
    with pytest.raises(errors.NotFound):
        with book.write_rows() as conn:
            account = account_row(conn, "acme")
            add_touchpoint(
                conn,
                account,
                {"kind": "call", "occurred_at": NOW - timedelta(days=1), "summary": "x"},
                now=NOW,
            )
            resolve_contacts(conn, account, ["Nobody"])
    with book.rows() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(T)).scalar_one() == 0
