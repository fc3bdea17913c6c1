"""`play run --dry-run` with every built-in play enabled, on every book of the run (10k, 100k,
300k...: the scaling rows show whether a run stays linear in the book), against the sqlmodel
import floor. Issue 17's goal applies on the 100k book."""

from __future__ import annotations

from benchlib import FLOOR, HERE, Case, Ctx, label_of


def cases(ctx: Ctx) -> list[Case]:
    plays = sorted(p.stem for p in (HERE.parent / "templates" / "plays").glob("*.yaml"))
    config = ctx.work / "plays-config.toml"
    config.write_text(f"[plays]\nenabled = [{', '.join(repr(p) for p in plays)}]\n", encoding="utf-8")
    env = {"CSMCTL_CONFIG": str(config)}
    argv = ["play", "run", "--dry-run", "-f", "json"]
    return [
        Case(
            f"play run --dry-run -f json, all {len(plays)} built-ins ({size:,})",
            [ctx.csmctl, *ctx.db(label_of(size)), *argv],
            FLOOR,
            goal=7.5 if size == ctx.accounts else None,  # 7.5 x floor ~ 3 s
            env=env,
            per=size,
            runs=1 if size > ctx.accounts else None,  # the biggest book: one timed run
        )
        for size in ctx.sizes
    ]
