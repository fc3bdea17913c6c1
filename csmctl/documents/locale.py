"""Dates and money written the way a reader of ``lang`` expects (Babel, imported lazily).

``format_money(Money(12_000_000, "USD"), "en")`` -> ``$120,000``; in ``ja`` a yen amount reads
``￥12,000,000``. Whole amounts drop the minor digits (postings quote round numbers).
"""

from __future__ import annotations

from datetime import date

from csmctl.domain.money import Money, minor_exponent

LOCALES = {"en": "en_US", "ja": "ja_JP"}


def locale_for(lang: str) -> str:
    return LOCALES.get(lang, "en_US")


def format_money(money: Money | None, lang: str) -> str:
    if money is None:
        return ""
    from babel.numbers import format_currency

    whole = money.amount_minor % (10 ** minor_exponent(money.currency)) == 0
    if whole:
        return format_currency(
            money.major, money.currency, format="¤#,##0", locale=locale_for(lang), currency_digits=False
        )
    return format_currency(money.major, money.currency, locale=locale_for(lang))


def format_date(value: date | None, lang: str) -> str:
    if value is None:
        return ""
    from babel.dates import format_date as babel_date

    return babel_date(value, format="long", locale=locale_for(lang))
