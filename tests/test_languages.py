"""Every letter language: a complete, clean catalog; a letter in that language, text and PDF.

Languages are discovered from locales/, so a new catalog is tested without touching this file.
"""

import datetime as dt
import re
import tomllib
from collections.abc import Callable
from functools import cache
from pathlib import Path

import py3langid
import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from objection.catalogue import GROUNDS
from objection.i18n import available_languages, letter_languages
from objection.jurisdictions import jurisdiction
from objection.laws import law_as_of
from objection.resources import DATA_DIR
from tests.conftest import assert_contains

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "locales"
CATALOG_LANGUAGES = sorted(p.parent.parent.name for p in LOCALES.glob("*/LC_MESSAGES/messages.po"))
ALL_LANGUAGES = sorted({"en", *CATALOG_LANGUAGES})
PLACEHOLDER = re.compile(r"%\((\w+)\)s")
ALL_GROUNDS = [arg for key in GROUNDS for arg in ("--ground", key)]
DETECTOR_CODES = {"nb": "no", "zh_Hant": "zh"}  # langid.py's codes
# Modules whose messages are said at the terminal, never written in a letter, and may land
# before every catalog has them (then said in English). None now: the dialogue and the next
# steps are translated and reviewed in every language.
SPOKEN_ONLY: tuple[str, ...] = ()


@cache
def _country_for(lang: str) -> str:
    """An EU/EEA country whose main language this is (Ireland where there is none); for a
    language written only under another law, a country of that law (zh_Hant: Hong Kong)."""
    with (DATA_DIR / "languages.toml").open("rb") as fh:
        defaults = tomllib.load(fh)["default"]
    if lang not in letter_languages("gdpr"):
        return next(country for country, default in sorted(defaults.items())
                    if default == lang)
    return next((country for country, default in sorted(defaults.items())
                 if default == lang and jurisdiction(country).law == "gdpr"), "IE")


def _for_other_laws(lang: str, locations: list[tuple[str, int | None]]) -> bool:
    """Whether a message is used only in wording for laws that letters in `lang` are not
    written under (languages.toml, [wording_laws]): the Canadian wording in Polish."""
    with (DATA_DIR / "languages.toml").open("rb") as fh:
        owners = tomllib.load(fh)["wording_laws"]
    return all(path in owners and not any(lang in letter_languages(law) for law in owners[path])
               for path, _line in locations)


def _terms(lang: str) -> dict[str, dict[str, str]]:
    with (DATA_DIR / "legal_terms" / f"{lang}.toml").open("rb") as fh:
        return tomllib.load(fh)


def _catalog(lang: str) -> Catalog:
    with (LOCALES / lang / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        return read_po(fh, locale=lang)


@pytest.mark.parametrize("lang", CATALOG_LANGUAGES)
def test_catalog_is_complete_clean_and_keeps_placeholders(lang: str) -> None:
    catalog = _catalog(lang)
    with (LOCALES / "messages.pot").open("rb") as fh:
        template = {m.id for m in read_po(fh) if m.id}
    messages = {m.id: m for m in catalog if m.id}
    assert template <= set(messages), f"run ./scripts/i18n: {sorted(template - set(messages))[:3]}"
    untranslated = [str(m.id)[:50] for m in messages.values() if not m.string
                    and not all(path in SPOKEN_ONLY for path, _line in m.locations)
                    and not _for_other_laws(lang, m.locations)]
    fuzzy = [str(m.id)[:50] for m in messages.values() if m.fuzzy]
    assert not untranslated, f"{len(untranslated)} untranslated, e.g. {untranslated[:3]}"
    assert not fuzzy, f"fuzzy entries: {fuzzy[:3]}"
    problems = [(str(m.id)[:40], [str(e) for e in errors]) for m, errors in catalog.check()]
    assert not problems, problems
    for message in (m for m in messages.values() if m.string):  # untranslated: English
        assert sorted(PLACEHOLDER.findall(str(message.string))) == \
            sorted(PLACEHOLDER.findall(str(message.id))), f"placeholders differ in {message.id!r}"


def test_every_catalog_has_legal_terms_and_is_available() -> None:
    """A language names each law it writes letters under (Chinese: the PDPO only)."""
    assert set(available_languages()) == set(ALL_LANGUAGES)
    for lang in ALL_LANGUAGES:
        laws = [law for law in ("gdpr", "pipeda", "pdpo") if lang in letter_languages(law)]
        assert laws and all(law in _terms(lang) for law in laws), lang


@pytest.mark.parametrize("lang", ALL_LANGUAGES)
def test_letter_in_each_language(letter: Callable[..., str], lang: str) -> None:
    country = _country_for(lang)
    args = ("--country", country, "--lang", lang, *ALL_GROUNDS)
    text = letter(*args)
    pdf = letter(*args, fmt="pdf")  # fails on any missing glyph
    law = _terms(lang)[law_as_of(jurisdiction(country).law, lang, lang, dt.date.today()).family]
    for content in (text, pdf):
        assert_contains(content, "Jane Doe", "jane@example.org", "OBJ-", law["short"],
                        law["name"])
    body = text[text.index("\n\n", text.index("OBJ-")):]
    py3langid.set_languages([DETECTOR_CODES.get(code, code) for code in ALL_LANGUAGES])
    detected, _ = py3langid.classify(body)
    assert detected == DETECTOR_CODES.get(lang, lang)


@pytest.mark.parametrize("lang", sorted({"de", "fr", "it", "en"} & set(ALL_LANGUAGES)))
def test_swiss_letter_uses_the_fadp_terms_of_its_language(letter: Callable[..., str],
                                                         lang: str) -> None:
    fadp = _terms(lang)["fadp"]
    text = letter("--country", "CH", "--lang", lang, "--ground", "journalist", fmt="pdf")
    assert_contains(text, fadp["short"], fadp["name"])


@pytest.mark.parametrize("lang", [lang for lang in ALL_LANGUAGES if lang != "en"])
def test_bilingual_letter_adds_the_english_version(letter: Callable[..., str], tmp_path: Path,
                                                   lang: str) -> None:
    from pypdf import PdfReader

    args = ("--country", _country_for(lang), "--lang", lang, "--ground", "old-content",
            "--bilingual")
    text = letter(*args)
    original, english = text.split("-" * 72)
    assert "Courtesy translation into English" not in original
    assert_contains(english, "Courtesy translation into English", "Dear Sir or Madam,",
                    "Yours faithfully,", "Jane Doe")
    letter(*args, fmt="pdf")
    pages = [page.extract_text() for page in PdfReader(tmp_path / "letter-1.pdf").pages]
    first_english = next(i for i, page in enumerate(pages) if "Courtesy translation" in page)
    assert first_english > 0
    assert "Dear Sir or Madam" not in "".join(pages[:first_english])
