"""Settings from config.toml, the environment and flags (flags win, then env, then file).

Where things live (all overridable, which the tests use to stay out of the real home):
    data dir    CSMCTL_DATA_DIR   or platformdirs' user data dir   (the database, backups)
    config dir  CSMCTL_CONFIG_DIR or platformdirs' user config dir (config.toml, templates/,
                                                                     playbooks/)
    config file CSMCTL_CONFIG     or <config dir>/config.toml
    database    --db, CSMCTL_DB, ``db`` in config.toml, or <data dir>/csmctl.db

config.toml example::

    db = "~/csm/book.db"
    [user]
    name = "Dana Reyes"          # what `--owner me` means
    [cadence]                    # expected contact interval per tier
    enterprise = "14d"
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from csmctl.errors import InvalidInput, Problem

APP_NAME = "csmctl"


def _platform_dir(kind: str) -> Path:
    import platformdirs

    if kind == "data":
        return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    config_dir: Path
    config_file: Path
    values: Mapping[str, Any] = field(default_factory=dict)
    env: Mapping[str, str] = field(default_factory=dict)

    def get(self, dotted: str, default: Any = None) -> Any:
        """``settings.get("cadence.enterprise", "14d")``."""
        node: Any = self.values
        for part in dotted.split("."):
            if not isinstance(node, Mapping) or part not in node:
                return default
            node = node[part]
        return node

    @property
    def default_db(self) -> str:
        return str(self.data_dir / "csmctl.db")

    def database_url(self, flag: str | None = None) -> str:
        """The database to use: --db, then CSMCTL_DB, then config, then the data dir."""
        for candidate in (flag, self.env.get("CSMCTL_DB"), self.get("db")):
            if candidate:
                return str(candidate)
        return self.default_db

    @property
    def user_template_dir(self) -> Path:
        return self.config_dir / "templates"

    @property
    def user_playbook_dir(self) -> Path:
        return self.config_dir / "playbooks"

    @property
    def user_name(self) -> str | None:
        return self.get("user.name") or self.env.get("CSMCTL_USER")


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    env = dict(os.environ if env is None else env)
    data_dir = Path(env["CSMCTL_DATA_DIR"]) if env.get("CSMCTL_DATA_DIR") else _platform_dir("data")
    config_dir = Path(env["CSMCTL_CONFIG_DIR"]) if env.get("CSMCTL_CONFIG_DIR") else _platform_dir("config")
    config_file = Path(env["CSMCTL_CONFIG"]) if env.get("CSMCTL_CONFIG") else config_dir / "config.toml"
    values = {}
    if config_file.is_file():
        from csmctl.files import refuse_shared_writable

        refuse_shared_writable(config_file, "the config file")
        values = read_config_file(config_file)
    return Settings(data_dir, config_dir, config_file, values, env)


def read_config_file(path: Path) -> dict[str, Any]:
    import tomllib

    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        # tomllib says "... (at line 3, column 7)"; keep its words, they are precise.
        raise InvalidInput(
            Problem(f"not valid TOML: {exc}", path=str(path), hint="fix or remove the file")
        ) from None
    except OSError as exc:
        raise InvalidInput(Problem(f"cannot read config: {exc.strerror}", path=str(path))) from None
