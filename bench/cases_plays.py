"""`play run --dry-run` with every built-in play enabled, on the 10k and the big book (the ratio
between the two shows whether a run stays linear in the book), against the sqlmodel import floor."""

from __future__ import annotations

from benchlib import FLOOR, HERE, Case, Ctx


def cases(ctx: Ctx) -> list[Case]:
    plays = sorted(p.stem for p in (HERE.parent / "templates" / "plays").glob("*.yaml"))
    config = ctx.work / "plays-config.toml"
    config.write_text(f"[plays]\nenabled = [{', '.join(repr(p) for p in plays)}]\n", encoding="utf-8")
    env = {"CSMCTL_CONFIG": str(config)}
    argv = ["play", "run", "--dry-run", "-f", "json"]
    return [
        Case(
            f"play run --dry-run -f json, all {len(plays)} built-ins ({label})",
            [ctx.csmctl, *ctx.db(book), *argv],
            FLOOR,
            goal=goal,
            env=env,
        )
        for book, label, goal in (("10k", "10,000", None), ("big", ctx.n, 7.5))  # 7.5 x floor ~ 3 s
    ]
