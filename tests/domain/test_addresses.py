"""The one email rule and the one web-address rule (contacts, imports, job specs, resumes)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel

from csmctl.domain import fields
from csmctl.domain.addresses import Email, Url, email_address, web_address
from csmctl.errors import InvalidValue


@pytest.mark.parametrize(
    "text, stored",
    [
        ("ana@example.com", "ana@example.com"),
        (" Ana.Moreau+crm@Sub.Example.co.uk ", "Ana.Moreau+crm@Sub.Example.co.uk"),
        ("Ana Moreau <ana@example.com>", "ana@example.com"),  # Outlook / Gmail / HubSpot exports
        ("mailto:ana@example.io", "ana@example.io"),
        ("josé@exämple.de", "josé@exämple.de"),
        ("o'brien@example.ie", "o'brien@example.ie"),
    ],
)
def test_email_accepts_what_crm_exports_contain(text, stored):
    assert email_address(text) == stored
    assert fields.email(text) == stored


@pytest.mark.parametrize(
    "text",
    [
        "not-an-email",
        "a@b",
        "a b@x.com",
        "a@x.com; b@x.com",
        "a@x.com,b@x.com",
        "a@@x.com",
        "@x.com",
        "a@-x.com",
        "a@x..com",
        ".a@x.com",
        "a@x.c0m",
        "a@x_y.com",
        f"{'a' * 65}@x.com",
    ],
)
def test_email_refuses_garbage(text):
    with pytest.raises(ValueError, match="is not an email address"):
        email_address(text)
    with pytest.raises(InvalidValue, match="Invalid email"):
        fields.email(text)


@pytest.mark.parametrize(
    "text, stored",
    [
        ("https://example.com/me", "https://example.com/me"),
        ("http://localhost:8000/x", "http://localhost:8000/x"),
        ("linkedin.com/in/ana", "https://linkedin.com/in/ana"),
        ("www.ana.dev", "https://www.ana.dev"),
    ],
)
def test_web_address_accepts_what_people_write(text, stored):
    assert web_address(text) == stored


@pytest.mark.parametrize(
    "text",
    [
        "javascript:alert(1)",
        "data:text/html,x",
        "ftp://x.com",
        "mailto:a@x.com",
        "https://",
        "https://user:pw@x.com",
        "http://exa mple.com",
        "justaword",
        "https://x",
    ],
)
def test_web_address_refuses_other_schemes_and_garbage(text):
    with pytest.raises(ValueError, match="is not a web address"):
        web_address(text)


class _Card(BaseModel):
    email: Email | None = None
    url: Url | None = None


def test_the_field_types_apply_the_same_rules():
    card = _Card(email="Ana <ana@example.com>", url="example.com")
    assert (card.email, card.url) == ("ana@example.com", "https://example.com")
    assert (_Card(email="  ", url="").email, _Card(url=" ").url) == ("", "")


@given(st.text(max_size=40))
def test_an_accepted_address_is_stable(text):
    """Whatever is accepted is stored in a form that is accepted again, unchanged."""
    for rule in (email_address, web_address):
        try:
            stored = rule(text)
        except ValueError:
            continue
        assert rule(stored) == stored
