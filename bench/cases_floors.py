"""Start-up bound commands against their floors: an import of what they need, or the peer tool.

Issue 19's goals: `account show`, `touch`, `health ACCOUNT --explain` against `import sqlalchemy`;
`account list -f json` (10k) against `import sqlmodel`; `import accounts` against sqlite-utils'
`insert --csv` (a ratio of times: <= 0.5 is >= 2x its rows/s); `resume render -f pdf` against
compiling the very `.typ` that `resume render -f typ` writes with the typst module alone; `jd render
-f html` against importing its own dependencies.

Beside those goals, a "stack floor" for each of the two documents (bench/floors/): a plain script
doing the least any program must do for the same job on the required stack (Typer, a pydantic model
as large as csmctl's, YAML, Jinja from a file, Babel or Typst). It is not a same-output baseline:
it shows whether a goal is reachable on this stack at all (the floor over the goal's baseline) and
how far csmctl is from that floor. Below those, a "bound" each: the stack's imports and the one step
no such program can skip (validating one one-field pydantic model; compiling csmctl's own .typ the
way csmctl compiles it) - over the goal, the goal is out of reach whatever the program does.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

from benchlib import FLOOR, HERE, PASS, SA_FLOOR, Case, Ctx

FLOORS = HERE / "floors"


def fresh(path: Path) -> Callable[[], None]:
    def remove() -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)

    return remove


def cases(ctx: Ctx) -> list[Case]:
    py, csmctl, n, big, small = ctx.py, ctx.csmctl, ctx.n, ctx.db(), ctx.db("10k")
    export_csv = ctx.work / "export.csv"
    subprocess.run(
        [csmctl, *big, "export", "accounts", "-o", str(export_csv)],
        check=True,
        env=ctx.env,
        stderr=subprocess.DEVNULL,
    )
    with export_csv.open("rb") as handle:
        rows = sum(1 for _ in handle) - 1
    import_target, su_target = ctx.work / "import.db", ctx.work / "su.db"
    su = f"sqlite-utils insert --csv ({rows:,} rows)"
    return [
        Case(FLOOR, [py, "-c", "import sqlmodel"], PASS),
        Case(SA_FLOOR, [py, "-c", "import sqlalchemy"], PASS),
        Case("sqlite-utils --help", [ctx.sqlite_utils, "--help"], PASS),
        Case("csmctl --help", [csmctl, "--help"], "sqlite-utils --help", goal=0.7),
        Case("csmctl account --help", [csmctl, "account", "--help"], "sqlite-utils --help"),
        Case(
            "account list --format json (10k accounts)",
            [csmctl, *small, "account", "list", "--format", "json"],
            FLOOR,
            goal=1.3,
        ),
        Case(
            f"account list --owner X --renewing-within 30d ({n})",
            [csmctl, *big, "account", "list", "--owner", "CSM 07", "--renewing-within", "30d"],
            FLOOR,
        ),
        Case(f"account show EXT-5 ({n})", [csmctl, *big, "account", "show", "EXT-5"], SA_FLOOR, goal=1.5),
        Case(
            f"touch ACCOUNT (one insert, {n})",
            [csmctl, *big, "touch", "EXT-5", "bench call", "--kind", "call"],
            SA_FLOOR,
            goal=1.5,
        ),
        Case(
            f"health ACCOUNT --explain ({n})",
            [csmctl, *big, "health", "EXT-5", "--explain"],
            SA_FLOOR,
            goal=1.5,
        ),
        Case(f"health --owner X ({n})", [csmctl, *big, "health", "--owner", "CSM 07"], FLOOR),
        Case(
            f"followup list --format json ({n})",
            [csmctl, *big, "followup", "list", "--format", "json"],
            FLOOR,
        ),
        Case(f"metrics --period 2026 ({n})", [csmctl, *big, "metrics", "--period", "2026"], FLOOR),
        Case(
            f"export accounts --format csv ({n})",
            [csmctl, *big, "export", "accounts", "-o", str(ctx.work / "out.csv")],
            FLOOR,
        ),
        # The two slowest cases: timed once each, no warm-up (CPU seconds vary little between runs).
        Case(
            su,
            [ctx.sqlite_utils, "insert", str(su_target), "accounts", str(export_csv), "--csv"],
            PASS,
            prepare=fresh(su_target),
            runs=1,
        ),
        Case(
            f"import accounts ({rows:,} rows)",
            [csmctl, "--db", str(import_target), "import", "accounts", str(export_csv)],
            su,
            goal=0.5,  # >= 2x the rows/s of sqlite-utils
            prepare=fresh(import_target),
            runs=1,
        ),
        *row_import_cases(ctx, f"import accounts ({rows:,} rows)"),
        *resume_cases(ctx),
        *jd_cases(ctx),
    ]


def row_import_cases(ctx: Ctx, accounts_case: str) -> list[Case]:
    """`import contacts` and `import touchpoints` of one row per account of the big book, into a
    fresh copy of it, against `import accounts` of as many rows: the same batched path, the same
    order of cost (each row also names its account and is checked for a duplicate)."""
    import csv
    import shutil
    import sqlite3

    book = ctx.books["big"]
    con = sqlite3.connect(f"file:{book}?mode=ro", uri=True)
    try:
        names = [row[0] for row in con.execute("SELECT name FROM account ORDER BY id")]
    finally:
        con.close()
    files = {"contacts": ctx.work / "contacts.csv", "touchpoints": ctx.work / "touchpoints.csv"}
    with files["contacts"].open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["account", "name", "email", "role", "champion"])
        for i, name in enumerate(names, 1):
            out.writerow([name, f"Imported Person {i}", f"person{i}@example.com", "Buyer", i % 7 == 0])
    with files["touchpoints"].open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["account", "kind", "occurred_at", "summary", "sentiment"])
        for i, name in enumerate(names, 1):
            out.writerow(
                [name, "call", f"2026-0{1 + i % 9}-{1 + i % 28:02d}", f"Imported call {i}", "positive"]
            )
    target = ctx.work / "rows.db"

    def copy_book() -> None:
        fresh(target)()
        shutil.copyfile(book, target)

    return [
        Case(
            f"import {entity} ({len(names):,} rows, one per account, {ctx.n})",
            [ctx.csmctl, "--db", str(target), "--as-of", ctx.as_of, "import", entity, str(path)],
            accounts_case,
            goal=1.5,  # the same order as `import accounts`
            prepare=copy_book,
            runs=1,
        )
        for entity, path in files.items()
    ]


def resume_cases(ctx: Ctx) -> list[Case]:
    """resume render html against its import floor; pdf (when typst is installed) against compiling
    its own `.typ` with the typst module alone."""
    py, csmctl, work = ctx.py, ctx.csmctl, ctx.work
    resume = str(HERE.parent / "tests" / "resume" / "fixtures" / "resume.yaml")
    render = [csmctl, "resume", "render", resume, "--theme", "modern"]
    floor = "python -c 'import jinja2, pydantic, yaml' (resume import floor)"
    out = [
        Case(floor, [py, "-c", "import jinja2, pydantic, yaml"], PASS),
        Case(
            "csmctl resume render --format html",
            [*render, "--format", "html", "-o", str(work / "r.html")],
            floor,
        ),
    ]
    if subprocess.run([py, "-c", "import typst"], capture_output=True).returncode != 0:
        return out
    typ = work / "r.typ"
    subprocess.run([*render, "--format", "typ", "-o", str(typ)], check=True, capture_output=True, env=ctx.env)
    pdf_floor = "python -c: typst.compile(its own .typ) (pdf floor)"
    compile_typ = f"import typst; typst.compile({str(typ)!r}, output={str(work / 'floor.pdf')!r})"
    stack = "stack floor: bench/floors/resume_pdf.py (resume pdf)"
    pdf = [*render, "--format", "pdf", "-o", str(work / "r.pdf")]
    # No program on the stack does less: its imports and the compile of that .typ as csmctl compiles
    # it (bundled fonts), with no resume read, validated or rendered.
    bound = "python -c: stack imports + typst.compile(that .typ, bundled fonts) (resume render pdf bound)"
    compile_bundled = (
        "import gc; gc.disable(); import typer, jinja2, yaml, pydantic, typst; gc.enable(); "
        f"typst.compile({str(typ)!r}, output={str(work / 'bound.pdf')!r}, ignore_system_fonts=True)"
    )
    return [
        *out,
        Case(pdf_floor, [py, "-c", compile_typ], PASS),
        Case("csmctl resume render --format pdf", pdf, pdf_floor, goal=1.5),
        Case(bound, [py, "-c", compile_bundled], pdf_floor),
        Case(stack, [py, str(FLOORS / "resume_pdf.py"), resume, "-o", str(work / "floor-r.pdf")], pdf_floor),
        Case("csmctl resume render --format pdf (against the stack floor)", pdf, stack),
    ]


def jd_cases(ctx: Ctx) -> list[Case]:
    """`jd render` of one spec in every format, against the floor of its own dependencies."""
    spec = ctx.work / "job.yaml"
    new = ["jd", "new", "--force", "--level", "senior", "--segment", "enterprise", "-o", str(spec)]
    subprocess.run(
        [ctx.csmctl, "--as-of", ctx.as_of, *new], check=True, env=ctx.env, stderr=subprocess.DEVNULL
    )
    floor = "python -c 'import typer, jinja2, yaml, pydantic, babel' (jd floor)"
    stack = "stack floor: bench/floors/jd_html.py (jd html)"
    # No program on the stack that validates its input does less: the imports and one one-field model.
    bound = "python -c: jd imports + one one-field pydantic model validated (jd render bound)"
    one_model = (
        "import gc; gc.disable()\nimport typer, jinja2, yaml, pydantic, babel\ngc.enable()\n"
        "class Spec(pydantic.BaseModel):\n    title: str\n"
        "Spec.model_validate({'title': 'CSM'})"
    )
    return [
        Case(floor, [ctx.py, "-c", "import typer, jinja2, yaml, pydantic, babel"], PASS),
        Case(bound, [ctx.py, "-c", one_model], floor),
        *(
            Case(
                f"csmctl jd render -f {fmt}",
                [ctx.csmctl, "--as-of", ctx.as_of, "jd", "render", str(spec), "-f", fmt],
                floor,
                goal=1.3 if fmt == "html" else None,
            )
            for fmt in ("md", "html", "txt", "jsonld")
        ),
        Case(
            stack,
            [ctx.py, str(FLOORS / "jd_html.py"), str(spec), "-o", str(ctx.work / "floor-jd.html")],
            floor,
        ),
        Case(
            "csmctl jd render -f html (against the stack floor)",
            [ctx.csmctl, "--as-of", ctx.as_of, "jd", "render", str(spec), "-f", "html"],
            stack,
        ),
    ]
