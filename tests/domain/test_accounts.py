from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from csmctl.domain.accounts import check_account, name_key, notice_deadline, parse_account_fields
from csmctl.domain.money import Money

TODAY = date(2026, 11, 23)


def test_parse_account_fields_types_everything():
    values, problems = parse_account_fields(
        {
            "name": "  Acme   Corp ",
            "tier": "Mid Market",
            "arr": "120k",
            "currency": "eur",
            "renewal_date": "+90d",
            "auto_renew": "yes",
            "tags": "Renewal Risk; exec",
            "cadence_days": "2w",
        },
        today=TODAY,
    )
    assert problems == []
    assert values["name"] == "Acme Corp"
    assert values["tier"] == "mid-market"
    assert values["arr"] == Money(12_000_000, "EUR")
    assert values["renewal_date"] == date(2027, 2, 21)
    assert values["auto_renew"] is True
    assert values["tags"] == ["exec", "renewal-risk"]
    assert values["cadence_days"] == 14


def test_every_bad_field_is_reported_with_its_column():
    _, problems = parse_account_fields(
        {"name": "", "tier": "gold", "arr": "lots", "nps": "200", "renewal_date": "March 2020"},
        today=TODAY,
        path="a.csv",
        line=7,
        columns={"tier": "Tier", "arr": "ARR"},
    )
    fields = {p.field for p in problems}
    assert fields == {"name", "Tier", "ARR", "nps", "renewal_date"}
    assert all(p.line == 7 and p.path == "a.csv" for p in problems)


def test_currency_written_in_the_amount():
    values, problems = parse_account_fields({"name": "A", "arr": "EUR 10k"}, today=TODAY)
    assert problems == [] and values["currency"] == "EUR"


def test_negative_arr_is_refused():
    _, problems = parse_account_fields({"name": "A", "arr": "-5"}, today=TODAY)
    assert "negative" in problems[0].message


def test_cross_field_rule():
    assert check_account({"contract_start": date(2026, 5, 1), "renewal_date": date(2026, 4, 1)})


def test_name_key_and_notice_deadline():
    assert name_key(" ACME  corp") == "acme corp"
    assert notice_deadline(date(2026, 12, 31), 90) == date(2026, 10, 2)
    assert notice_deadline(date(2026, 12, 31), None) == date(2026, 12, 31)


# A few texts per field, good and bad, so that rows repeat cells (what a memo serves).
_CELLS = {
    "name": ["Acme", " acme  corp", ""],
    "tier": ["ent", "Mid Market", "gold", ""],
    "stage": ["at risk", "renewal", "??"],
    "owner": ["Dana", " dana ", ""],
    "arr": ["120k", "EUR 5", "USD 7", "-3", "lots", ""],
    "currency": ["usd", "EUR", "XXX1", ""],
    "renewal_date": ["2027-01-02", "+90d", "today", "March", ""],
    "term_months": ["12", "0", "x"],
    "auto_renew": ["yes", "maybe", ""],
    "tags": ["a; B", "bad tag!", ""],
    "cadence_days": ["2w", "400", ""],
}


@given(
    st.lists(
        st.fixed_dictionaries({}, optional={k: st.sampled_from(v) for k, v in _CELLS.items()}),
        max_size=12,
    )
)
def test_a_memo_changes_no_parsed_value_and_no_problem(rows):
    """The memo an import keeps across its rows gives what parsing each row afresh gives."""
    memo: dict = {}
    for row in rows:
        with_memo = parse_account_fields(row, today=TODAY, memo=memo)
        assert with_memo == parse_account_fields(row, today=TODAY)
        assert list(with_memo[0]) == list(parse_account_fields(row, today=TODAY)[0])  # same order


def test_a_remembered_tag_list_is_a_fresh_list_each_time():
    memo: dict = {}
    first, _ = parse_account_fields({"name": "A", "tags": "x; y"}, today=TODAY, memo=memo)
    first["tags"].append("mutated")
    second, _ = parse_account_fields({"name": "B", "tags": "x; y"}, today=TODAY, memo=memo)
    assert second["tags"] == ["x", "y"]
