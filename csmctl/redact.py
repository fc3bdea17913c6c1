"""Keeping database passwords out of everything csmctl prints.

A password can reach csmctl in a URL (``postgresql://ana:s3cret@host/csm`` or ``?password=``), in
``PGPASSWORD``, or in ``~/.pgpass`` (read by libpq only, never by us). ``mask_url`` hides the URL
forms; ``redact`` also hides the literal value of ``PGPASSWORD`` and any other known secret, and
is applied to every error line the CLI prints. Standard library only: the error path of
``csmctl --help`` must not import the database stack.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable

MASK = "***"
_USERINFO = re.compile(r"(://[^:/@\s]*:)[^@\s]*@")
_QUERY_PASSWORD = re.compile(r"([?&]password=)[^&\s]*", re.IGNORECASE)
_KEYWORD_PASSWORD = re.compile(r"(\bpassword\s*=\s*)('[^']*'|\S+)", re.IGNORECASE)


def mask_url(url: str) -> str:
    """The URL with any password replaced by ***, safe for messages and `db info`."""
    return _QUERY_PASSWORD.sub(rf"\1{MASK}", _USERINFO.sub(rf"\1{MASK}@", url))


def url_password(url: str) -> str | None:
    """The password written in a database URL, percent-decoded, if any."""
    from urllib.parse import parse_qs, unquote, urlsplit

    try:
        parts = urlsplit(url)
        if parts.password:
            return unquote(parts.password)
        found = parse_qs(parts.query).get("password")
    except ValueError:
        return None
    return found[0] if found else None


def redact(text: str, secrets: Iterable[str | None] = ()) -> str:
    """``text`` with URL passwords, ``password=...`` pairs, PGPASSWORD and ``secrets`` masked."""
    text = _KEYWORD_PASSWORD.sub(rf"\1{MASK}", mask_url(text))
    known = [s for s in (*secrets, os.environ.get("PGPASSWORD")) if s]
    for secret in sorted(set(known), key=len, reverse=True):
        if len(secret) >= 3:  # masking "a" everywhere would mangle the message, not protect it
            text = text.replace(secret, MASK)
    return text
