"""Rendering a resume: a theme is a set of templates ``resume/<theme>.<md|html|txt|typ>.j2``.

md, html and txt come straight from the template engine. PDF renders the theme's Typst template
(``.typ.j2``) and compiles it with the ``typst`` package (the optional ``pdf`` extra). Values
are escaped for the output: HTML by the engine's autoescape, Markdown and Typst markup here
through ``finalize`` (every ``{{ value }}`` is escaped unless a template marks it ``| raw``), so a
resume that contains ``#``, ``*`` or ``$`` prints those characters instead of running them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from csmctl.documents.resume import Resume
from csmctl.domain.partial_dates import PartialDate
from csmctl.errors import CsmctlError, InvalidValue, NotFound

FORMATS = ("md", "html", "txt", "pdf")
LANGS = ("en", "ja")
_SUFFIX = {"md": "md", "html": "html", "txt": "txt", "pdf": "typ"}
_THEME_FILE = re.compile(r"^resume/([A-Za-z0-9_-]+)\.(md|html|txt|typ)\.j2$")
PDF_HINT = "PDF output needs the pdf extra: pip install 'csmctl[pdf]' (it adds the typst package)."

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "contact": "Contact",
        "summary": "Summary",
        "work": "Work Experience",
        "volunteer": "Volunteering",
        "education": "Education",
        "skills": "Skills",
        "certificates": "Certifications",
        "awards": "Awards",
        "publications": "Publications",
        "languages": "Languages",
        "projects": "Projects",
        "interests": "Interests",
        "references": "References",
        "present": "Present",
        "email": "Email",
        "phone": "Phone",
        "web": "Web",
        "location": "Location",
        "courses": "Courses",
        "score": "Score",
        "issued": "Issued",
    },
    "ja": {
        "contact": "連絡先",
        "summary": "職務要約",
        "work": "職務経歴",
        "volunteer": "ボランティア活動",
        "education": "学歴",
        "skills": "スキル",
        "certificates": "資格",
        "awards": "受賞歴",
        "publications": "著作・発表",
        "languages": "語学",
        "projects": "プロジェクト",
        "interests": "興味・関心",
        "references": "推薦者",
        "present": "現在",
        "email": "メール",
        "phone": "電話",
        "web": "ウェブ",
        "location": "住所",
        "courses": "履修科目",
        "score": "成績",
        "issued": "取得",
    },
}
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


class Raw(str):
    """A value a template marks ``| raw``: printed without Markdown/Typst escaping."""


def format_date(value: PartialDate | None, lang: str = "en") -> str:
    """``Mar 2020`` / ``2020年3月``; a year alone stays a year."""
    if value is None:
        return ""
    if lang == "ja":
        return f"{value.year}年{value.month}月" if value.month else f"{value.year}年"
    return f"{_MONTHS[value.month - 1]} {value.year}" if value.month else str(value.year)


def format_period(start: PartialDate | None, end: PartialDate | None, lang: str = "en") -> str:
    """``Mar 2020 – Present``; no start and no end is empty."""
    if start is None and end is None:
        return ""
    if start is None:
        return format_date(end, lang)
    return f"{format_date(start, lang)} – {format_date(end, lang) if end else LABELS[lang]['present']}"


_TYPST_SPECIAL = re.compile(r"([\\#*_`$<>@\[\]~/\-+=.'\"])")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>])")


def _one_line(text: Any) -> str:
    """Runs of whitespace (line breaks too) become one space; edge spaces stay (they separate)."""
    return re.sub(r"\s+", " ", str(text))


def typst_escape(text: str) -> str:
    """Text safe in Typst markup: every markup character escaped, line breaks as spaces."""
    return _TYPST_SPECIAL.sub(r"\\\1", _one_line(text))


def typst_string(text: Any) -> Raw:
    """A Typst string literal (for ``#link("...")``)."""
    body = str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "")
    return Raw(f'"{body}"')


def markdown_escape(text: str) -> str:
    escaped = _MD_SPECIAL.sub(r"\\\1", _one_line(text))
    return re.sub(r"^(#|[-+*] |\d+\. )", r"\\\1", escaped)  # would start a heading or list


def _finalizer(escape: Callable[[str], str]) -> Callable[[Any], Any]:
    def finalize(value: Any) -> Any:
        if isinstance(value, Raw) or value is None:
            return value
        return escape(str(value))

    return finalize


def location_text(resume: Resume) -> str:
    loc = resume.basics.location
    if loc is None:
        return ""
    city = " ".join(p for p in (loc.postalCode, loc.city) if p)
    return ", ".join(p for p in (loc.address, city, loc.region, loc.countryCode) if p)


def contacts(resume: Resume, lang: str) -> list[dict[str, str | None]]:
    """The contact line: email, phone, location, web, profiles (kind, text, href)."""
    b, labels = resume.basics, LABELS[lang]
    out: list[dict[str, str | None]] = []
    if b.email:
        out.append({"kind": labels["email"], "text": b.email, "href": Raw("mailto:" + b.email)})
    if b.phone:
        out.append({"kind": labels["phone"], "text": b.phone, "href": None})
    if location_text(resume):
        out.append({"kind": labels["location"], "text": location_text(resume), "href": None})
    if b.url:
        out.append({"kind": labels["web"], "text": _short_url(b.url), "href": Raw(b.url)})
    for profile in b.profiles:
        # Network, username and address are all shown: "Twitter: twitter.com" alone says nothing
        # about whose profile it is, and the address says which network it is where the label
        # is not shown.
        address = _short_url(profile.url) if profile.url else None
        text = " ".join(
            p for p in (profile.username, f"({address})" if profile.username and address else address) if p
        )
        if text:
            out.append(
                {
                    "kind": profile.network or labels["web"],
                    "text": text,
                    "href": Raw(profile.url) if profile.url else None,
                }
            )
    return out


def _short_url(url: str) -> str:
    return re.sub(r"^https?://(www\.)?", "", url).rstrip("/")


def themes(dirs: list[Path]) -> dict[str, list[str]]:
    """Theme name -> the formats it has (``pdf`` when it has a Typst template)."""
    from csmctl.documents.engine import list_templates

    found: dict[str, list[str]] = {}
    for info in list_templates(dirs, "resume/"):
        match = _THEME_FILE.match(info.name)
        if match:
            fmt = "pdf" if match.group(2) == "typ" else match.group(2)
            found.setdefault(match.group(1), []).append(fmt)
    return {name: sorted(fmts, key=FORMATS.index) for name, fmts in sorted(found.items())}


def template_name(dirs: list[Path], theme: str, fmt: str) -> str:
    available = themes(dirs)
    if theme not in available:
        names = ", ".join(available) or "none"
        raise NotFound(
            f"No resume theme named {theme!r}.",
            f"Themes: {names} (see `csmctl template list`, or add resume/{theme}.{_SUFFIX[fmt]}.j2 "
            "to your template dir).",
        )
    if fmt not in available[theme]:
        raise NotFound(
            f"Theme {theme!r} has no {fmt} template (it has: {', '.join(available[theme])}).",
            f"Add resume/{theme}.{_SUFFIX[fmt]}.j2 to your template dir, or pick another format.",
        )
    return f"resume/{theme}.{_SUFFIX[fmt]}.j2"


def render_text(resume: Resume, *, theme: str, fmt: str, dirs: list[Path], lang: str = "en") -> str:
    """The resume as md, html or txt (or the Typst source when fmt is 'typ')."""
    from csmctl.documents.engine import render

    name = template_name(dirs, theme, "pdf" if fmt == "typ" else fmt)
    return render(name, resume_context(resume, lang), dirs=dirs, env=environment(dirs, fmt, lang))


def resume_context(resume: Resume, lang: str) -> dict[str, Any]:
    """The names every resume template (and the cover letter) sees."""
    return {
        "r": resume,
        "b": resume.basics,
        "t": LABELS[lang],
        "lang": lang,
        "contacts": contacts(resume, lang),
        "location": location_text(resume),
    }


def environment(dirs: list[Path], fmt: str, lang: str):
    """The template environment for ``fmt``: its escaping (``finalize``) and the date filters."""
    from csmctl.documents.engine import make_environment

    if lang not in LANGS:
        raise InvalidValue(f"Unknown language {lang!r}.", f"Use one of: {', '.join(LANGS)}.")
    filters = {
        "period": lambda start, end=None: format_period(start, end, lang),
        "rdate": lambda value: format_date(value, lang),
        "raw": Raw,
        "typstr": typst_string,
    }
    env = make_environment(dirs, filters)
    if fmt in ("typ", "pdf"):
        env.finalize = _finalizer(typst_escape)
    elif fmt == "md":
        env.finalize = _finalizer(markdown_escape)
    return env


CJK_FONT_PACKAGE = "fonts-noto-cjk"


class MissingFont(CsmctlError):
    """A Japanese PDF would print blank headings: no CJK font is installed (exit 1)."""


def render_pdf(
    resume: Resume,
    *,
    theme: str,
    dirs: list[Path],
    lang: str = "en",
    allow_missing_font: bool = False,
    system_fonts: bool = True,
) -> tuple[bytes, list[str]]:
    """The resume as PDF bytes through Typst, and Typst's warnings.

    A clear error when the pdf extra is missing, and (unless ``allow_missing_font``) when a Japanese
    resume names a font Typst cannot find: Typst's built-in fonts have no Japanese glyphs."""
    source = render_text(resume, theme=theme, fmt="typ", dirs=dirs, lang=lang).encode("utf-8")
    pdf, warnings = compile_typst(
        source,
        what=f"the {theme} theme",
        hint=f"Check resume/{theme}.typ.j2 (see the source with --format typ).",
        system_fonts=system_fonts,
    )
    missing = [w for w in warnings if w.startswith("unknown font family")]
    if lang == "ja" and missing and not allow_missing_font:
        raise MissingFont(
            f"The Japanese PDF needs a CJK font that is not installed ({missing[0]}).",
            f"Install one (Debian/Ubuntu: apt-get install {CJK_FONT_PACKAGE}), or pass --allow-missing-font "
            "to write it with blank Japanese text.",
        )
    notes = []
    for message in warnings:
        if message.startswith("unknown font family") and lang == "ja":
            message += f" (install a Japanese font, e.g. Debian's {CJK_FONT_PACKAGE}, for Japanese text)"
        notes.append(message)
    return pdf, notes


# Text Typst's bundled Libertinus Serif covers: Latin (ASCII, Latin-1, Extended-A/B, Extended
# Additional) and the general punctuation up to U+2037 (dashes, quotes, bullets, ellipsis, primes).
# Checked glyph by glyph against a system-font compile; the euro sign, Greek and Cyrillic are not
# all there, so a document with them takes the system fonts as before.
_BEYOND_BUNDLED = re.compile(r"[^\t\n\r\x20-\x7e\xa0-\u024f\u1e00-\u1eff\u2000-\u2037]")


def bundled_fonts_cover(source: str) -> bool:
    """Whether every character of ``source`` has a glyph in Typst's bundled fonts."""
    return _BEYOND_BUNDLED.search(source) is None


def compile_typst(
    source: bytes, *, what: str, hint: str, system_fonts: bool = True
) -> tuple[bytes, list[str]]:
    """Typst source -> PDF bytes and the warnings' messages; errors name ``what`` and the ``hint``.

    Scanning the system fonts costs Typst ~55 ms, most of a resume's compile. When Typst's bundled
    fonts cover every character of ``source``, it first compiles without them; only a document that
    names a font Typst does not bundle ("unknown font family": a CJK font, a user theme's own font)
    is compiled again with the system fonts. The text, fonts and pages are the same either way (Typst
    picks a bundled font first for the text it covers; its PDF bytes differ between processes in
    any case)."""
    try:
        import typst
    except ImportError:
        raise CsmctlError("Cannot render PDF: the typst package is not installed.", PDF_HINT) from None
    bundled_first = system_fonts and bundled_fonts_cover(source.decode("utf-8", "replace"))
    try:
        if hasattr(typst, "compile_with_warnings"):  # typst-py >= 0.13
            pdf, warnings = typst.compile_with_warnings(
                source, format="pdf", ignore_system_fonts=bundled_first or not system_fonts
            )
            if bundled_first and any(_message(w).startswith("unknown font family") for w in warnings):
                pdf, warnings = typst.compile_with_warnings(source, format="pdf", ignore_system_fonts=False)
        else:  # pragma: no cover - older typst-py
            pdf, warnings = typst.compile(source, format="pdf"), []
    except Exception as error:  # typst.TypstError: the template produced invalid Typst
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise CsmctlError(f"Typst could not compile {what}: {first[:200]}", hint) from None
    return pdf, [_message(w) for w in warnings]


def _message(warning: Any) -> str:
    return str(getattr(warning, "message", warning))
