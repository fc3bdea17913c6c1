"""The Typer app. Importing this must stay cheap: no sqlmodel, sqlalchemy or jinja2 here."""

from csmctl.cli.app import app, main

__all__ = ["app", "main"]
