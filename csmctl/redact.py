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
_URL = re.compile(r"[A-Za-z][\w+.-]*://")
_NEEDS_ENCODING = re.compile(r"[\s@/:?#\[\]]|%(?![0-9A-Fa-f]{2})")


def _userinfo(url: str) -> tuple[str, str, str | None, str] | None:
    """(scheme://, user, raw password or None, rest after the @) of a whole URL, else None.

    The userinfo runs to the *last* ``@``: a password written unencoded (``my secret``,
    ``ab@cd``) is still taken whole, whatever part of it libpq would mistake for the host."""
    match = _URL.match(url)
    if not match:
        return None
    head, rest = url[: match.end()], url[match.end() :]
    at = rest.rfind("@")
    if at < 0:
        return None
    user, colon, password = rest[:at].partition(":")
    return head, user, password if colon else None, rest[at + 1 :]


def mask_url(url: str) -> str:
    """The URL (or text holding URLs) with any password replaced by ***, safe for messages and
    `db info`."""
    parts = _userinfo(url) if not any(ch in url for ch in "\n") else None
    if parts is not None and parts[2] is not None:
        head, user, _, rest = parts
        url = f"{head}{user}:{MASK}@{rest}"
    return _QUERY_PASSWORD.sub(rf"\1{MASK}", _USERINFO.sub(rf"\1{MASK}@", url))


def url_password(url: str) -> str | None:
    """The password written in a database URL as written (percent-decoding is in ``url_secrets``)."""
    from urllib.parse import parse_qs, urlsplit

    parts = _userinfo(url)
    if parts is not None and parts[2]:
        return parts[2]
    try:
        found = parse_qs(urlsplit(url).query).get("password")
    except ValueError:
        return None
    return found[0] if found else None


def url_secrets(url: str) -> list[str]:
    """Every form of a URL's password a message could show: as written, percent-decoded, and
    each piece of an unencoded one (libpq splits ``ab@cd123@host`` at the first ``@``)."""
    from urllib.parse import unquote

    password = url_password(url)
    if not password:
        return []
    forms = {password, unquote(password)}
    forms.update(piece for piece in password.replace("@", " ").split() if len(piece) >= 3)
    return sorted(forms, key=len, reverse=True)


def password_warnings(url: str, *, from_flag: bool) -> list[str]:
    """What to tell the user about a password in a database URL: characters it must encode, and
    that ``--db`` shows it to every local user in ``ps``."""
    password = url_password(url)
    if not password:
        return []
    notes = []
    if _NEEDS_ENCODING.search(password):
        notes.append(
            "the password in the database URL has characters that must be URL-encoded "
            "(@ as %40, : as %3A, / as %2F, space as %20, % as %25); unencoded, part of it is read as the host."
        )
    if from_flag:
        notes.append(
            "a password in --db is visible to other local users in `ps`; "
            "use CSMCTL_DB, PGPASSWORD or ~/.pgpass instead."
        )
    return notes


_REMEMBERED: set[str] = set()


def remember(url: str) -> None:
    """Mask this URL's password in every message from now on (the CLI calls it for --db and
    ``db copy --to``, so an error anywhere cannot show it)."""
    _REMEMBERED.update(url_secrets(url))


def redact(text: str, secrets: Iterable[str | None] = ()) -> str:
    """``text`` with URL passwords, ``password=...`` pairs, PGPASSWORD and ``secrets`` masked."""
    text = _KEYWORD_PASSWORD.sub(rf"\1{MASK}", mask_url(text))
    known = [s for s in (*secrets, *_REMEMBERED, os.environ.get("PGPASSWORD")) if s]
    for secret in sorted(set(known), key=len, reverse=True):
        if len(secret) >= 3:  # masking "a" everywhere would mangle the message, not protect it
            text = text.replace(secret, MASK)
    return text
