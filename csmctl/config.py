"""One policy object: config.toml, the ``CSMCTL_*`` environment and flags, loaded once.

Precedence, for every setting that more than one place can give: flag > environment > file >
default. The root callback builds one :class:`Settings` per invocation (``cli/state.py``) and
every command reads policy from it (cadence, contact kinds, stuck days, notice warning days,
health profiles and bands), never from a constant of its own.

Where things live (all overridable, which the tests use to stay out of the real home):
    data dir    CSMCTL_DATA_DIR   or platformdirs' user data dir   (the database, backups)
    config dir  CSMCTL_CONFIG_DIR or platformdirs' user config dir (config.toml, health.toml,
                                                                     templates/, playbooks/,
                                                                     plays/)
    config file CSMCTL_CONFIG     or <config dir>/config.toml
    cache dir   CSMCTL_CACHE_DIR  or platformdirs' user cache dir  (compiled templates; safe to
                                                                     delete at any time)
    database    --db, CSMCTL_DB, ``db`` in config.toml, or <data dir>/csmctl.db
    user        CSMCTL_USER, ``[user] name`` in config.toml          (what ``--owner me`` means)
    busy wait   CSMCTL_BUSY_TIMEOUT, ``busy_timeout`` in config.toml, 5 seconds

config.toml (every section and key is optional; an unknown one is an error naming its line)::

    db = "~/csm/book.db"
    busy_timeout = 5             # seconds to wait for another writer
    [user]
    name = "Dana Reyes"
    [cadence]                    # expected contact interval per tier: days, 14d or 2w
    enterprise = "14d"
    [touchpoints]
    kinds = ["call", "email", "meeting", "qbr", "ebr", "onsite", "support", "note"]
    non_contact_kinds = ["note"] # logged, but not contact
    default_kind = "call"
    [onboarding]
    stuck_days = 14
    [renewals]
    notice_warning_days = 14     # a notice deadline this close is flagged (renewals, today)
    [plays]
    enabled = ["health-drop", "detractor-follow-up"]  # plays are off until listed here

The pydantic models are imported only when a command first asks for the settings, so
``csmctl --help`` never pays for them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from csmctl.config_text import busy_timeout_from

if TYPE_CHECKING:  # pragma: no cover
    from csmctl.domain.touchpoints import Rules

APP_NAME = "csmctl"
DEFAULT_BUSY_TIMEOUT = 5.0  # seconds


def _platform_dir(kind: str) -> Path:
    import platformdirs

    if kind == "data":
        return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def cache_dir(env: Mapping[str, str] | None = None) -> Path:
    """Where csmctl keeps what it can rebuild (compiled templates): CSMCTL_CACHE_DIR, else the
    user cache dir."""
    given = (os.environ if env is None else env).get("CSMCTL_CACHE_DIR")
    if given:
        return Path(given).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def env_busy_timeout(env: Mapping[str, str] | None = None) -> float:
    """CSMCTL_BUSY_TIMEOUT when set, else the default (for a Database opened outside the CLI)."""
    raw = (os.environ if env is None else env).get("CSMCTL_BUSY_TIMEOUT")
    return DEFAULT_BUSY_TIMEOUT if raw in (None, "") else busy_timeout_from(raw, source="CSMCTL_BUSY_TIMEOUT")


class Settings:
    """The paths (cheap, from the environment) and the validated config file (on first use)."""

    def __init__(
        self, data_dir: Path, config_dir: Path, config_file: Path, env: Mapping[str, str] | None = None
    ) -> None:
        self.data_dir = data_dir
        self.config_dir = config_dir
        self.config_file = config_file
        self.env: Mapping[str, str] = dict(env or {})

    # -- the file ----------------------------------------------------------------------------------

    @cached_property
    def file(self) -> Any:
        """The validated config.toml (a ``ConfigFile``), or None when there is none.

        Without a file the settings below answer with the domain's defaults (the same constants
        the ``ConfigFile`` fields default to; tests/cli/test_policy.py checks that both agree), so
        a command on a machine with no config.toml never imports pydantic (issue 19: start-up)."""
        if not self.config_file.is_file():
            return None
        from csmctl.config_file import read_config_file
        from csmctl.files import refuse_shared_writable

        # another local user who can write it could point `db` at a book of their choosing
        refuse_shared_writable(self.config_file, "the config file")
        return read_config_file(self.config_file)

    # -- resolved values (flag > env > file > default) ---------------------------------------------

    @property
    def default_db(self) -> str:
        return str(self.data_dir / "csmctl.db")

    def database_url(self, flag: str | None = None) -> str:
        """The database to use: --db, then CSMCTL_DB, then config, then the data dir."""
        for candidate in (flag, self.env.get("CSMCTL_DB"), None if self.file is None else self.file.db):
            if candidate:
                return str(candidate)
        return self.default_db

    @property
    def user_name(self) -> str | None:
        return self.env.get("CSMCTL_USER") or (None if self.file is None else self.file.user.name)

    @cached_property
    def busy_timeout(self) -> float:
        if self.env.get("CSMCTL_BUSY_TIMEOUT"):
            return busy_timeout_from(self.env["CSMCTL_BUSY_TIMEOUT"], source="CSMCTL_BUSY_TIMEOUT")
        if self.file is not None and self.file.busy_timeout is not None:
            return self.file.busy_timeout
        return DEFAULT_BUSY_TIMEOUT

    @property
    def stuck_days(self) -> int:
        from csmctl.domain.onboarding import DEFAULT_STUCK_DAYS

        return self.file.onboarding.stuck_days if self.file is not None else DEFAULT_STUCK_DAYS

    @property
    def notice_warning_days(self) -> int:
        from csmctl.domain.renewals import NOTICE_WARNING_DAYS

        return self.file.renewals.notice_warning_days if self.file is not None else NOTICE_WARNING_DAYS

    @cached_property
    def touchpoint_rules(self) -> Rules:
        """Kinds, what counts as contact, cadence per tier (validated when the file was read)."""
        from csmctl.domain.touchpoints import rules_from_config

        return self.file.rules() if self.file is not None else rules_from_config(None, None, where="config")

    @cached_property
    def risk_taxonomy(self) -> Any:
        """The risk reasons (``[risk.reasons]``, else the shipped default): a domain.risks.Taxonomy."""
        from csmctl.domain.risks import parse_taxonomy

        return self.file.risk.taxonomy() if self.file is not None else parse_taxonomy(None)

    @property
    def risk_quiet_days(self) -> int:
        from csmctl.domain.risks import DEFAULT_QUIET_DAYS

        return self.file.risk.quiet_days if self.file is not None else DEFAULT_QUIET_DAYS

    @cached_property
    def forecast_likelihood(self) -> dict[str, int]:
        """Default likelihood per forecast category (``[forecast.likelihood]`` over the defaults)."""
        from csmctl.domain.forecast import likelihoods

        return self.file.forecast.likelihoods() if self.file is not None else likelihoods(None)

    @property
    def cadence(self) -> Mapping[str, int]:
        return self.touchpoint_rules.cadence

    @property
    def non_contact_kinds(self) -> frozenset[str]:
        return self.touchpoint_rules.non_contact

    @property
    def user_template_dir(self) -> Path:
        return self.config_dir / "templates"

    @property
    def user_playbook_dir(self) -> Path:
        return self.config_dir / "playbooks"

    @property
    def user_play_dir(self) -> Path:
        return self.config_dir / "plays"

    @property
    def plays_enabled(self) -> tuple[str, ...]:
        return tuple(self.file.plays.enabled) if self.file is not None else ()


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    env = dict(os.environ if env is None else env)
    data_dir = Path(env["CSMCTL_DATA_DIR"]) if env.get("CSMCTL_DATA_DIR") else _platform_dir("data")
    config_dir = Path(env["CSMCTL_CONFIG_DIR"]) if env.get("CSMCTL_CONFIG_DIR") else _platform_dir("config")
    config_file = Path(env["CSMCTL_CONFIG"]) if env.get("CSMCTL_CONFIG") else config_dir / "config.toml"
    return Settings(data_dir, config_dir, config_file, env)


__all__ = [
    "DEFAULT_BUSY_TIMEOUT",
    "Settings",
    "env_busy_timeout",
    "load_settings",
]
