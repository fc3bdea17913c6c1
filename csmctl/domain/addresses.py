"""Email and web addresses: one rule each, and the pydantic field types that carry it.

Contacts (``contact add/edit``), contact imports, job specs and resumes all use these, so an
address accepted in one place is accepted everywhere.

What is accepted, deliberately (real CRM and address-book exports, not RFC 5322 in full):
- email: ``local@domain.tld`` with one ``@``; plus-addressing, dots, Unicode letters (RFC 6531)
  and upper case are kept as typed. A ``mailto:`` prefix and the display form
  ``Ana Moreau <ana@example.com>`` (Outlook, Gmail and HubSpot exports) are reduced to the
  address. Refused: spaces, two addresses in one cell (``a@x.com; b@x.com``), a domain without
  a dot, an empty or hyphen-edged label, a local part over 64 or an address over 254 characters.
- web address: ``http`` or ``https`` with a host that has a dot (``localhost`` too). A bare
  ``example.com/path`` or ``www.example.com`` (as people write them in a resume) gets
  ``https://``. Refused: any other scheme (``javascript:``, ``data:``, ``ftp:``, ``mailto:``:
  the HTML documents link to these), spaces, control characters and user:password parts.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import BeforeValidator

EMAIL_HINT = "use one address such as ana@example.com"
URL_HINT = "use a full address such as https://example.com/page"

_DISPLAY = re.compile(r"^[^<>]*<([^<>]+)>$")
_LABEL = re.compile(r"^(?!-)[\w-]{1,63}(?<!-)$")
_TLD = re.compile(r"^(?:[^\W\d_]{2,63}|xn--[a-z0-9-]{1,59})$", re.IGNORECASE)
_BAD_LOCAL = re.compile(r"[\s<>()\[\],;:\\\"]")
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)


def _host_ok(host: str) -> bool:
    labels = host.rstrip(".").split(".")
    return (
        len(labels) >= 2
        and all(_LABEL.match(label) and "_" not in label for label in labels)
        and bool(_TLD.match(labels[-1]))
    )


def email_address(value: str) -> str:
    """The address in ``value``; ValueError saying why it is not one."""
    raw = value.strip()
    display = _DISPLAY.match(raw)
    if display:
        raw = display.group(1).strip()
    if raw.lower().startswith("mailto:"):
        raw = raw[7:].strip()
    local, at, domain = raw.rpartition("@")
    if (
        not at
        or not local
        or "@" in local
        or len(local) > 64
        or len(raw) > 254
        or _BAD_LOCAL.search(local)
        or local.startswith(".")
        or local.endswith(".")
        or ".." in local
        or not _host_ok(domain)
    ):
        raise ValueError(f"is not an email address: {EMAIL_HINT}")
    return raw


def web_address(value: str) -> str:
    """An absolute http(s) address for ``value``; ValueError saying why it is not one."""
    raw = value.strip()
    if not raw or any(c.isspace() or ord(c) < 32 for c in raw):
        raise ValueError(f"is not a web address: {URL_HINT}")
    if not _SCHEME.match(raw) or raw.lower().startswith(("localhost:", "www.")):
        raw = "https://" + raw.removeprefix("//")
    parts = urlsplit(raw)
    host = parts.hostname or ""
    if (
        parts.scheme.lower() not in ("http", "https")
        or "@" in parts.netloc
        or not (host == "localhost" or _host_ok(host))
    ):
        raise ValueError(f"is not a web address: {URL_HINT}")
    return raw


def _model_check(rule: Callable[[str], str]) -> Any:
    def check(value: Any) -> Any:
        if isinstance(value, str):
            return rule(value) if value.strip() else ""
        return value  # not text: the str type says so in its own words

    return BeforeValidator(check)


# Field types for pydantic models (job spec, resume): blank text stays blank (the field is unset).
Email = Annotated[str, _model_check(email_address)]
Url = Annotated[str, _model_check(web_address)]
