"""The one error boundary: csmctl errors become a short message on stderr and an exit code.

Every command runs inside ``CsmctlGroup.invoke`` of the root group, so no command needs its own
try/except. Unexpected exceptions become one line too (with the hint to rerun with
CSMCTL_DEBUG=1, which shows the traceback) — a traceback can carry customer data.
"""

from __future__ import annotations

import os
import sys
from typing import Any

import typer
from typer.core import TyperGroup

from csmctl.errors import EXIT_FAILED, CsmctlError


def debug_enabled() -> bool:
    return os.environ.get("CSMCTL_DEBUG", "") not in ("", "0", "false", "no")


def report(error: CsmctlError) -> None:
    from csmctl.output import err
    from csmctl.redact import redact

    lines = [redact(line) for line in error.lines()]
    err(f"Error: {lines[0]}", style="error")
    for line in lines[1:]:
        err(line)


def _database_error(error: BaseException) -> CsmctlError | None:
    """Driver errors that escaped the store's own translation (a safety net)."""
    if "sqlalchemy" not in sys.modules and "sqlite3" not in sys.modules:
        return None
    import sqlite3

    from sqlalchemy import exc

    if isinstance(error, exc.DBAPIError | sqlite3.Error):
        from csmctl.store.database import database_error

        return database_error(error, "in use")
    return None


class CsmctlGroup(TyperGroup):
    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except CsmctlError as error:
            report(error)
            raise typer.Exit(error.exit_code) from None
        except (typer.Exit, typer.Abort, KeyboardInterrupt, SystemExit):
            raise
        except BrokenPipeError:
            # `csmctl account list | head`: the reader left; that is not an error.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            raise typer.Exit(0) from None
        except Exception as error:
            if _is_click_error(error) or debug_enabled():
                raise
            translated = _database_error(error)
            if translated is not None:
                report(translated)
                raise typer.Exit(translated.exit_code) from None
            from csmctl.output import err
            from csmctl.redact import redact

            err(redact(f"Error: internal error: {type(error).__name__}: {error}"), style="error")
            err("This is a bug in csmctl. Run again with CSMCTL_DEBUG=1 for the traceback.")
            raise typer.Exit(EXIT_FAILED) from None


def _is_click_error(error: BaseException) -> bool:
    # Click's usage errors (exit 2) are handled by Click itself.
    return type(error).__module__.startswith(("click", "typer"))
