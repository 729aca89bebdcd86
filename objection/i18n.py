"""Which letter languages exist, which one a country gets, and their translations.

English is the source language of every message; any other language needs a
catalog in locales/<lang>/LC_MESSAGES/messages.po and its legal terms in
data/legal_terms/<lang>.toml. Nothing else has to change to add one.
"""

import datetime as dt
import gettext
import io
import tomllib
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from babel.messages.catalog import Catalog

from objection.laws import term_languages
from objection.resources import DATA_DIR, locales_dir

SOURCE_LANGUAGE = "en"
DOMAIN = "messages"


@cache
def available_languages() -> list[str]:
    with_catalog = {path.parent.parent.name
                    for path in locales_dir().glob(f"*/LC_MESSAGES/{DOMAIN}.po")}
    return sorted(lang for lang in term_languages()
                  if lang == SOURCE_LANGUAGE or lang in with_catalog)


@cache
def _language_table() -> dict[str, Any]:
    with (DATA_DIR / "languages.toml").open("rb") as fh:
        return tomllib.load(fh)


def default_language(country: str) -> str:
    """The country's main language if we have it, else English."""
    lang = _language_table()["default"].get(country, SOURCE_LANGUAGE)
    return lang if lang in available_languages() else SOURCE_LANGUAGE


def letter_languages(law: str) -> list[str]:
    """The languages a letter under this law may be written in (languages.toml)."""
    table = _language_table()
    listed = table.get("law_languages", {}).get(law)
    if listed is not None:
        return [lang for lang in listed if lang in available_languages()]
    limited = table.get("language_laws", {})
    return [lang for lang in available_languages() if law in limited.get(lang, [law])]


def language_code(raw: str) -> str:
    """A language code as the user may write it (zh-HK, ZH_hant, de, fr-CA) as the catalog is
    named, or "" when it names no letter language. A region after the language (fr-CA,
    en-HK) names the language's catalog: the region's own spelling comes from the country."""
    text = raw.strip().replace("-", "_").lower()
    text = str(_language_table().get("aliases", {}).get(text, text)).lower()
    by_name = {lang.lower(): lang for lang in available_languages()}
    return by_name.get(text) or by_name.get(text.split("_")[0], "") if text else ""


def language_tag(lang: str) -> str:
    """A letter language's BCP 47 tag for <html lang> and the PDF's /Lang (languages.toml,
    [language_tags]: zh-Hant-HK); the code itself where none is recorded."""
    return str(_language_table().get("language_tags", {}).get(lang, lang.replace("_", "-")))


def formatting_locale(lang: str, country: str | None = None) -> str:
    """The Babel locale for dates, lists and country names in a letter of this language
    written from this country: the regional one where CLDR has it (de_AT writes "Jänner"),
    else the language's European default."""
    from babel import localedata

    regional = f"{lang}_{country}" if country else ""
    if regional and localedata.exists(regional):
        return regional
    return str(_language_table()["formatting_locale"].get(lang, lang))


def language_name(lang: str, in_language: str) -> str:
    from babel import Locale

    return str(Locale.parse(lang).get_display_name(in_language))


def completeness(lang: str) -> float:
    """Share of the template's messages that the language translates (not fuzzy)."""
    from babel.messages.pofile import read_po

    with (locales_dir() / "messages.pot").open("rb") as fh:
        wanted = {message.id for message in read_po(fh) if message.id}
    if lang == SOURCE_LANGUAGE or not wanted:
        return 1.0
    po_path = locales_dir() / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    with po_path.open("rb") as fh:
        done = {message.id for message in read_po(fh, locale=lang)
                if message.id and message.string and not message.fuzzy
                and (all(message.string) if isinstance(message.string, tuple) else True)}
    return len(wanted & done) / len(wanted)


def catalog_name(lang: str, country: str) -> str:
    """The catalog a letter in this language from this country is written with: the
    language's own, or a regional spelling of it (de_CH for German in CH and LI)."""
    for name, rule in _language_table().get("regional", {}).items():
        if rule["language"] == lang and country in rule["countries"]:
            return str(name)
    return lang


@cache
def translations(lang: str) -> gettext.NullTranslations:
    """The catalog for a language (or a regional spelling, see catalog_name), compiled from
    its .po file; fails if it is missing."""
    if lang == SOURCE_LANGUAGE:
        return gettext.NullTranslations()
    regional = _language_table().get("regional", {}).get(lang)
    if regional:
        return _compiled(_regional(lang, regional))
    return _compiled(_catalog(lang))


def _catalog(lang: str) -> "Catalog":
    return _read(locales_dir() / lang / "LC_MESSAGES" / f"{DOMAIN}.po", lang)


def _read(po_path: Path, lang: str) -> "Catalog":
    from babel.messages.pofile import read_po

    if not po_path.is_file():
        raise FileNotFoundError(f"no catalog for language {lang!r} at {po_path}")
    with po_path.open("rb") as fh:
        return read_po(fh, locale=lang)


def regional_overrides(name: str) -> "Catalog | None":
    """The messages a regional variant words differently (locales/regional/<name>.po), or
    None: a partial catalog, read on top of the language's own."""
    path = locales_dir() / "regional" / f"{name}.po"
    return _read(path, name.split("_")[0]) if path.is_file() else None


def _regional(name: str, rule: dict[str, Any]) -> "Catalog":
    """The language's catalog with the variant's own messages (regional_overrides) put in,
    then its spelling replacements made in every translation (languages.toml, [regional])."""
    catalog = _catalog(rule["language"])
    for message in regional_overrides(name) or ():
        if message.id and message.string and not message.fuzzy:
            catalog[message.id].string = message.string
    for message in catalog:
        if not message.id or not message.string:
            continue
        plural = not isinstance(message.string, str)
        strings = [str(text) for text in (message.string if plural else [message.string])]
        for old, new in rule["replace"]:
            strings = [text.replace(old, new) for text in strings]
        message.string = tuple(strings) if plural else strings[0]
    return catalog


def _compiled(catalog: "Catalog") -> gettext.NullTranslations:
    from babel.messages.mofile import write_mo
    from babel.support import Translations

    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


@cache
def long_date(date: dt.date, locale: str) -> str:
    """A date written out as the letter's language writes it (Babel's long format), with the
    first of the month as French writes it: « 1er octobre 2026 », not « 1 octobre 2026 »."""
    from babel.dates import format_date

    text = str(format_date(date, format="long", locale=locale))
    if date.day == 1 and locale.split("_")[0] == "fr" and text.startswith("1 "):
        text = "1er " + text[2:]
    return text
