"""csmctl: a command-line toolkit for Customer Success Managers.

The CLI is a thin layer over importable pieces: ``csmctl.store.database.Database`` opens a book,
``csmctl.store.accounts`` queries it, ``csmctl.domain`` holds the rules as pure functions.
"""

__version__ = "0.1.0"
