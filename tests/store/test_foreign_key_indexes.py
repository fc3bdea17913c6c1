"""Every foreign key's child column leads an index (or a unique/primary key), so a cascade, a SET
NULL or a join from the parent side searches the child table instead of scanning it (SQLite does
not index foreign keys by itself; m009 added the last two that had none)."""

from __future__ import annotations

from csmctl.store import tables


def test_every_foreign_key_leads_an_index():
    missing = []
    for table in tables.metadata.sorted_tables:
        leading = {next(iter(index.columns)).name for index in table.indexes}
        leading |= {
            next(iter(constraint.columns)).name
            for constraint in table.constraints
            if getattr(constraint, "columns", None) and not hasattr(constraint, "elements")
        }
        missing += [
            f"{table.name}.{fk.parent.name}" for fk in table.foreign_keys if fk.parent.name not in leading
        ]
    assert missing == []
