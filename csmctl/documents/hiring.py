"""Hiring documents from one job spec: the posting, the interview kit and the scorecard.

``render_posting / render_kit / render_scorecard`` build a plain context (every value already
worded and formatted for ``lang``) and render ``hiring/<document>.<format>.j2`` through the
sandboxed engine, so a user template sees the same names as the built-in one. ``scaffold`` is
the complete spec ``jd new`` writes.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from csmctl.documents import hiring_content as content
from csmctl.documents.jobspec import CheckedSpec, Company, Remote, Salary
from csmctl.documents.locale import format_date, format_money
from csmctl.errors import InvalidValue

POSTING_FORMATS = ("md", "html", "txt", "jsonld")
KIT_FORMATS = ("md", "html")
SCORECARD_FORMATS = ("md", "html", "csv")
DEFAULT_TRAITS = ("empathy", "transparency", "proactivity", "communication")


def check_lang(lang: str) -> str:
    if lang not in content.LANGS:
        raise InvalidValue(f"Unknown language {lang!r}.", "Use en or ja.")
    return lang


def doc_lang(checked: CheckedSpec, lang: str | None) -> str:
    """--lang when given, else the spec's ``lang``, else English."""
    return check_lang(lang or checked.spec.lang or "en")


def require_complete(checked: CheckedSpec) -> None:
    """Refuse a JobPosting Google would reject: every missing required property, located."""
    from csmctl.documents.jobposting import gaps
    from csmctl.errors import InvalidInput

    missing = [g for g in gaps(checked) if g.severity == "error"]
    if missing:
        problems = [
            checked.locate.problem(f"{g.message} (Google requires {g.prop})", g.key, hint=g.hint)
            for g in missing
        ]
        raise InvalidInput(
            problems,
            summary=f"{checked.path}: Google would reject this JobPosting "
            f"({len(missing)} required propert{'ies' if len(missing) != 1 else 'y'} missing); "
            "fix the spec or pass --allow-incomplete:",
        )


def check_format(fmt: str, allowed: tuple[str, ...], what: str) -> str:
    if fmt not in allowed:
        raise InvalidValue(f"{what} cannot be written as {fmt!r}.", "Use " + ", ".join(allowed) + ".")
    return fmt


# -- the posting ------------------------------------------------------------------------------------


def posting_context(checked: CheckedSpec, lang: str, today: date) -> dict[str, Any]:
    spec = checked.spec
    t = content.pick(content.LABELS, lang)
    company = spec.company if isinstance(spec.company, Company) else None
    facts: list[dict[str, str]] = []

    def fact(label: str, value: str | None) -> None:
        if value:
            facts.append({"label": t[label], "value": value})

    fact("company", checked.company_name)
    fact("level", t["levels"][spec.level] if spec.level else None)
    if spec.segment:
        fact("segment", t["segments"].get(spec.segment.lower(), spec.segment))
    fact(
        "employment_type",
        t["list_sep"].join(t["employment_types"][e] for e in checked.employment_types)
        if checked.employment_types
        else spec.type,
    )
    fact("location", location_text(checked, lang))
    policy = checked.remote_policy
    fact("remote", t["remote_policies"][policy] if policy else None)
    remote = spec.remote if isinstance(spec.remote, Remote) else None
    if remote:
        fact("remote_from", t["list_sep"].join(remote.countries + remote.regions) or None)
        fact("time_zones", remote.time_zones)
    fact("book", book_text(checked, t, lang))
    posted = spec.date
    if posted is None or posted.day:
        fact("posted", format_date(posted.first_day() if posted else today, lang))
    else:  # a month or a year, as the JSON Resume job schema allows
        from csmctl.documents.resume_render import format_date as format_partial

        fact("posted", format_partial(posted, lang))
    fact("valid_through", format_date(spec.valid_through, lang))
    fact("identifier", str(spec.identifier) if spec.identifier is not None else None)

    return {
        "lang": lang,
        "t": t,
        "job": {
            "title": spec.title,
            "company": checked.company_name,
            "company_url": company.url if company else None,
            "mission": spec.mission,
            "description": spec.description,
            "experience": spec.experience,
            "responsibilities": list(spec.responsibilities),
            "qualifications": list(spec.qualifications),
            "skills": [
                {"name": s.label, "level": s.level, "keywords": list(s.keywords) if s.name else []}
                for s in spec.skills
            ],
            "outcomes": {
                "first_90_days": list(spec.outcomes.first_90_days) if spec.outcomes else [],
                "first_year": list(spec.outcomes.first_year) if spec.outcomes else [],
            },
            "traits": traits(checked, lang, default=False),
            "facts": facts,
            "compensation": compensation(checked, t, lang),
            "benefits": list(spec.benefits),
            "conditions": conditions(checked, t),
            "how_to_apply": _how_to_apply(checked),
        },
    }


def location_text(checked: CheckedSpec, lang: str) -> str | None:
    location = checked.spec.location
    if not location:
        return None
    if lang == "ja":  # largest unit first, no separators: 〒100-0001 東京都千代田区… (JP)
        pieces = [p for p in (location.region, location.city, location.address) if p]
        place = ("" if not any(p.isascii() for p in pieces) else " ").join(pieces)
        parts = [
            f"〒{location.postalCode}" if location.postalCode else None,
            place or None,
            f"({location.countryCode})" if location.countryCode else None,
        ]
        return " ".join(p for p in parts if p) or None
    parts = [location.address, location.city, location.region, location.postalCode, location.countryCode]
    return ", ".join(p for p in parts if p) or None


def conditions(checked: CheckedSpec, t: dict[str, Any]) -> list[dict[str, str]]:
    """Scope of change of duties and work location, and contract renewal (Japan's 2024 rules)."""
    spec = checked.spec
    scope = spec.scope_of_change
    rows = [
        (t["duties_change"], scope.duties if scope else None),
        (t["location_change"], scope.work_location if scope else None),
        (t["contract_renewal"], spec.contract_renewal),
    ]
    return [{"label": label, "value": value} for label, value in rows if value]


def book_text(checked: CheckedSpec, t: dict[str, Any], lang: str) -> str | None:
    book = checked.spec.book_size
    if not book:
        return None
    parts = []
    if book.accounts is not None:
        parts.append(t["book_accounts"].format(n=book.accounts))
    if checked.book_arr is not None:
        parts.append(t["book_arr"].format(amount=format_money(checked.book_arr, lang)))
    return t["list_sep"].join(parts) or None


def compensation(checked: CheckedSpec, t: dict[str, Any], lang: str) -> list[dict[str, str]]:
    salary = checked.spec.salary
    if salary is None:
        return []
    if not isinstance(salary, Salary):
        return [{"label": t["base_salary"], "value": str(salary)}]
    rows = []
    base = _range_text(checked.salary_min, checked.salary_max, t, lang)
    if base:
        rows.append({"label": t["base_salary"], "value": f"{base} ({t['per'][salary.period]})"})
    ote = _range_text(checked.ote_min, checked.ote_max, t, lang)
    if ote:
        rows.append({"label": t["ote"], "value": f"{ote} ({t['per'][salary.period]})"})
    if salary.bonus:
        rows.append({"label": t["bonus"], "value": salary.bonus})
    return rows


def _range_text(low, high, t: dict[str, Any], lang: str) -> str | None:
    if low is not None and high is not None:
        if low == high:
            return format_money(low, lang)
        return t["range"].format(low=format_money(low, lang), high=format_money(high, lang))
    if low is not None:
        return t["from"].format(low=format_money(low, lang))
    if high is not None:
        return t["up_to"].format(high=format_money(high, lang))
    return None


def _how_to_apply(checked: CheckedSpec) -> dict[str, str | None] | None:
    how = checked.spec.how_to_apply
    if not how:
        return None
    return {"url": how.url, "email": how.email, "instructions": how.instructions}


def traits(checked: CheckedSpec, lang: str, *, default: bool) -> list[dict[str, Any]]:
    """The spec's traits (built-in ones get their wording); with ``default``, also the digest's four
    (and leadership / self-organisation where the level or remote work calls for them), which the
    interview kit always probes."""
    names = list(checked.spec.traits)
    if default:
        names += [n for n in DEFAULT_TRAITS if not any(n == given.strip().lower() for given in names)]
    if (
        default
        and checked.spec.level in ("lead", "manager")
        and not any(n.lower() == "leadership" for n in names)
    ):
        names.append("leadership")
    if (
        default
        and checked.remote_policy in ("full", "hybrid")
        and not any(n.lower() == "organisation" for n in names)
    ):
        names.append("organisation")  # the kit's remote-work question tests it
    out = []
    for name in names:
        known = content.TRAITS.get(name.strip().lower())
        if known:
            out.append({"key": name.strip().lower(), **content.pick(known, lang)})
        else:
            out.append({"key": None, "name": name, "look_for": None})
    return out


# -- the interview kit ------------------------------------------------------------------------------


def kit_context(checked: CheckedSpec, lang: str, as_of: date) -> dict[str, Any]:
    """The kit's stages and questions. The logistics question follows the remote policy; the spec's own
    ``interview_questions`` join the screening stage, except pay-history ones where a jurisdiction of
    the spec forbids them on ``as_of``."""
    from csmctl.documents.jobrules import asks_pay_history, forbids_pay_history

    spec = checked.spec
    t = content.pick(content.LABELS, lang)
    trait_list = traits(checked, lang, default=True)
    resolve = _tests_resolver(checked, lang, t)

    def question(raw: dict[str, Any]) -> dict[str, Any]:
        picked = content.pick(raw, lang)
        return {
            "text": picked["text"],
            "strong": picked["strong"],
            "weak": picked["weak"],
            "tests": resolve(raw["tests"]),
        }

    role = content.ROLE_QUESTIONS
    screening = [question(q) for q in content.SCREENING_QUESTIONS] + [question(role[3])]
    policy = checked.remote_policy
    if policy:
        screening.append(question(content.LOGISTICS_QUESTIONS[policy]))
    no_pay_history = forbids_pay_history(checked, as_of)
    screening += [
        {"text": q, "strong": None, "weak": None, "tests": None}
        for q in spec.interview_questions
        if not (no_pay_history and asks_pay_history(q))
    ]
    cross = [question(role[5]), question(role[7])]
    for trait in trait_list:
        if trait["key"] in content.TRAIT_QUESTIONS:
            cross.append(question(content.TRAIT_QUESTIONS[trait["key"]]))
    questions = {
        "screening": screening,
        "role": [question(role[i]) for i in (0, 1, 2, 4, 6)],
        "cross_functional": cross,
        "panel": [
            {
                "text": e["name"] + ": " + e["brief"],
                "strong": e["strong"],
                "weak": e["weak"],
                "tests": resolve(raw["tests"]),
            }
            for raw, e in zip(content.EXERCISES, content.pick(content.EXERCISES, lang), strict=True)
        ],
        "writing": [
            {"text": w["task"], "strong": w["strong"], "weak": w["weak"], "tests": resolve(raw["tests"])}
            for raw, w in zip(content.WRITING_TASKS, content.pick(content.WRITING_TASKS, lang), strict=True)
        ],
        "references": [
            {"text": q, "strong": None, "weak": None, "tests": None}
            for q in content.pick(content.REFERENCE_QUESTIONS, lang)
        ],
        "debrief": [],
    }
    stages = []
    for raw in content.STAGES:
        stage = content.pick(raw, lang)
        stage["questions"] = questions[raw["id"]]
        stage["duration"] = t["minutes"].format(n=raw["minutes"])
        stages.append(stage)
    return {
        "lang": lang,
        "t": t,
        "job": {"title": spec.title, "company": checked.company_name},
        "stages": stages,
        "scale": content.pick(content.SCALE, lang),
    }


def _tests_resolver(checked: CheckedSpec, lang: str, t: dict[str, Any]):
    """'trait:empathy' -> the trait's name; 'retention' -> the spec outcome it matches, or its name."""
    outcomes = []
    if checked.spec.outcomes:
        outcomes = [(t["outcome_90"], o) for o in checked.spec.outcomes.first_90_days] + [
            (t["outcome_year"], o) for o in checked.spec.outcomes.first_year
        ]

    def resolve(key: str) -> str:
        if key.startswith("trait:"):
            trait = content.TRAITS[key.removeprefix("trait:")]
            return f"{t['trait']}: {trait['name'][lang]}"
        outcome = matching_outcome(key, outcomes)
        if outcome:
            return f"{outcome[0]}: {outcome[1]}"
        return f"{t['skill']}: {content.COMPETENCIES[key]['name'][lang]}"

    return resolve


def matching_outcome(
    competency: str, outcomes: Sequence[tuple[str | None, str]]
) -> tuple[str | None, str] | None:
    """The first spec outcome a competency's keywords appear in."""
    keywords = content.COMPETENCIES[competency]["keywords"]
    for label, text in outcomes:
        if any(word in text.lower() for word in keywords):
            return label, text
    return None


def kit_competencies() -> list[str]:
    """The competencies the kit's questions test, in the kit's order."""
    raw = content.SCREENING_QUESTIONS + content.ROLE_QUESTIONS + content.EXERCISES + content.WRITING_TASKS
    return list(dict.fromkeys(q["tests"] for q in raw if not q["tests"].startswith("trait:")))


# -- the scorecard ----------------------------------------------------------------------------------


def scorecard_context(checked: CheckedSpec, lang: str) -> dict[str, Any]:
    t = content.pick(content.LABELS, lang)
    rows = []
    if checked.spec.outcomes:
        rows += [
            {"section": t["outcome_90"], "criterion": o, "look_for": None}
            for o in checked.spec.outcomes.first_90_days
        ]
        rows += [
            {"section": t["outcome_year"], "criterion": o, "look_for": None}
            for o in checked.spec.outcomes.first_year
        ]
    outcomes = [(None, o) for o in rows_text(rows)]
    rows += [
        {"section": t["skill"], "criterion": content.COMPETENCIES[key]["name"][lang], "look_for": None}
        for key in kit_competencies()
        if not matching_outcome(key, outcomes)
    ]
    rows += [
        {"section": t["trait"], "criterion": tr["name"], "look_for": tr["look_for"]}
        for tr in traits(checked, lang, default=True)
    ]
    return {
        "lang": lang,
        "t": t,
        "job": {"title": checked.spec.title, "company": checked.company_name},
        "rows": rows,
        "scale": content.pick(content.SCALE, lang),
    }


def rows_text(rows: list[dict[str, Any]]) -> list[str]:
    return [row["criterion"] for row in rows]


# -- rendering --------------------------------------------------------------------------------------


def render_posting(
    checked: CheckedSpec,
    fmt: str,
    *,
    lang: str,
    today: date,
    dirs: list[Path],
    allow_incomplete: bool = False,
) -> str:
    from csmctl.documents.engine import render
    from csmctl.documents.jobposting import jobposting

    check_format(fmt, POSTING_FORMATS, "A job posting")
    context = posting_context(checked, lang, today)
    if fmt in ("jsonld", "html"):
        if not allow_incomplete:
            require_complete(checked)
        description = render("hiring/description.html.j2", context, dirs=dirs).strip()
        data = jobposting(checked, description_html=description, today=today)
        if fmt == "jsonld":
            return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        from markupsafe import Markup

        # inside <script>, "</" would end the element: JSON allows escaping it
        script = json.dumps(data, ensure_ascii=False, indent=2).replace("<", "\\u003c")
        context["jsonld"] = Markup(script)
    return render(f"hiring/posting.{fmt}.j2", context, dirs=dirs)


def render_kit(checked: CheckedSpec, fmt: str, *, lang: str, dirs: list[Path], as_of: date) -> str:
    from csmctl.documents.engine import render

    check_format(fmt, KIT_FORMATS, "An interview kit")
    return render(f"hiring/kit.{fmt}.j2", kit_context(checked, lang, as_of), dirs=dirs)


def render_scorecard(checked: CheckedSpec, fmt: str, *, lang: str, dirs: list[Path]) -> str:
    from csmctl.documents.engine import render

    check_format(fmt, SCORECARD_FORMATS, "A scorecard")
    return render(f"hiring/scorecard.{fmt}.j2", scorecard_context(checked, lang), dirs=dirs)


# -- jd new -----------------------------------------------------------------------------------------


def scaffold(
    level: str,
    segment: str,
    *,
    lang: str,
    today: date,
    company: str | None = None,
    apply_url: str | None = None,
) -> dict[str, Any]:
    """A complete, valid job spec for ``level`` and ``segment``, ready to edit; without ``company`` and
    ``apply_url`` it carries placeholders that `jd lint` reports until they are replaced."""
    from csmctl.documents.jobspec import LEVELS, SEGMENTS

    if level not in LEVELS:
        raise InvalidValue(f"Unknown level {level!r}.", "Use " + ", ".join(LEVELS) + ".")
    if segment not in SEGMENTS:
        raise InvalidValue(f"Unknown segment {segment!r}.", "Use " + ", ".join(SEGMENTS) + ".")

    def pick(value: Any) -> Any:
        return content.pick(value, lang)

    segment_name = pick(content.SEGMENT_SHORT[segment])
    seg = content.SEGMENT_SCAFFOLD[segment]
    lvl = content.LEVEL_SCAFFOLD[level]
    currency = "JPY" if lang == "ja" else "USD"
    low, high = lvl["salary"][currency]
    percent = content.VARIABLE_PERCENT

    if level == "manager":
        title = pick(content.TITLE_PARTS["manager_title"]).format(
            segment=pick(content.TITLE_PARTS["segment"]).format(name=segment_name)
        )
    else:
        title = pick(content.TITLE).format(
            level=pick(content.TITLE_PARTS["level"][level]),
            segment=pick(content.TITLE_PARTS["segment"]).format(name=segment_name),
        )
    responsibilities = pick(content.RESPONSIBILITIES)
    qualifications = [q.format(years=lvl["years"]) for q in pick(content.QUALIFICATIONS)]
    outcomes = pick(content.OUTCOMES)
    if level in ("senior", "lead", "manager"):
        responsibilities += pick(content.RESPONSIBILITIES_SENIOR)
    if level == "manager":
        responsibilities += pick(content.RESPONSIBILITIES_MANAGER)
        qualifications += pick(content.QUALIFICATIONS_MANAGER)
        extra = pick(content.OUTCOMES_MANAGER)
        outcomes = {key: outcomes[key] + extra[key] for key in outcomes}
    trait_names = list(DEFAULT_TRAITS) + (["leadership"] if level in ("lead", "manager") else [])
    data = {
        "lang": lang,
        "title": title,
        "company": company or pick(content.COMPANY),
        "type": pick(content.TYPE),
        "date": today,
        "description": pick(content.DESCRIPTION).format(style=pick(seg["style"])),
        "location": content.LOCATION[lang],
        "remote": {"policy": "hybrid", "countries": [content.LOCATION[lang]["countryCode"]]},
        "salary": {
            "min": low,
            "max": high,
            "currency": currency,
            "period": "year",
            "bonus": pick(content.BONUS).format(percent=percent),
            "ote": {"min": low * (100 + percent) // 100, "max": high * (100 + percent) // 100},
        },
        "experience": pick(content.EXPERIENCE[level]),
        "responsibilities": responsibilities,
        "qualifications": qualifications,
        "skills": pick(content.SKILLS),
        "mission": pick(content.MISSION).format(segment=segment_name),
        "level": level,
        "segment": segment,
        "book_size": {"accounts": seg["accounts"], "arr": seg["arr"][currency], "currency": currency},
        "outcomes": outcomes,
        "traits": trait_names,
        "employment_type": ["FULL_TIME"],
        "valid_through": today + timedelta(days=60),
        "how_to_apply": {
            "url": apply_url or "https://example.com/careers",
            "instructions": pick(content.HOW_TO_APPLY),
        },
        "direct_apply": False,
        "identifier": f"CS-{level.upper()}-{today:%Y%m}",
        "benefits": pick(content.BENEFITS),
    }
    if content.LOCATION[lang]["countryCode"] == "JP":  # Japan's 2024 rules: jobrules' jp-scope-of-change
        data["scope_of_change"] = pick(content.SCOPE_OF_CHANGE)
    return data


def scaffold_yaml(data: dict[str, Any], lang: str) -> str:
    import yaml

    header = {
        "en": "# Job spec written by `csmctl jd new`: edit it, then `csmctl jd lint` and `csmctl jd render`.\n"
        "# JSON Resume job-schema keys work as is; see `csmctl jd --help` for csmctl's own keys.\n",
        "ja": "# `csmctl jd new` が作成した求人仕様です。編集後に `csmctl jd lint` と `csmctl jd render` を実行してください。\n"
        "# JSON Resume のジョブスキーマのキーはそのまま使えます。\n",
    }[lang]
    from csmctl.documents.input_schemas import schema_line

    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    return schema_line("job") + header + body
