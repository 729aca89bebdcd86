"""The law behind a letter, and citations written the way the letter's language writes them.

Law changes: a provision in data/laws.toml is either a list of references, or a list of
versions, each applying from its date (`from`) until the next one's, with its source. The
letter's date chooses; a `Law` is the law as in force on that date (its `edition`: the
date of the latest change before it, so that letters of the same edition share a body).
"""

import datetime as dt
import tomllib
from dataclasses import dataclass
from functools import cache
from typing import Any

from babel.lists import format_list

from objection.resources import DATA_DIR

TERMS_DIR = DATA_DIR / "legal_terms"
FALLBACK_LANGUAGE = "en"


@cache
def _laws() -> dict[str, Any]:
    with (DATA_DIR / "laws.toml").open("rb") as fh:
        return tomllib.load(fh)


@cache
def _terms(language: str) -> dict[str, Any]:
    with (TERMS_DIR / f"{language}.toml").open("rb") as fh:
        return tomllib.load(fh)


def list_markers(language: str) -> list[str]:
    """The letters that number a list in this language: a b c, α β γ, а б в."""
    markers: list[str] = _terms(language).get("list_markers", list("abcdefghij"))
    return markers


def term_languages() -> list[str]:
    """Languages whose legal vocabulary is recorded (one file each)."""
    return sorted(path.stem for path in TERMS_DIR.glob("*.toml"))


@cache
def _cite(law: "Law", provision: str) -> str:
    return format_list([law._format(ref) for ref in law._refs(provision)], locale=law.locale)


def _versions(law: str, provision: str) -> list[dict[str, Any]]:
    """The versions of a provision, oldest first: [{"from": date or None, "refs": [...]}]."""
    value = _laws()[law]["provisions"][provision]
    if value and isinstance(value[0], dict):
        return sorted(value, key=lambda version: version.get("from") or dt.date.min)
    return [{"from": None, "refs": value}]


@cache
def _changes(law: str) -> tuple[dt.date, ...]:
    """The dates from which any of the law's provisions changed."""
    return tuple(sorted({version["from"] for provision in _laws()[law]["provisions"]
                         for version in _versions(law, provision) if version.get("from")}))


def edition(law: str, date: dt.date) -> dt.date:
    """The date of the latest change to the law's provisions on or before `date`."""
    return max((change for change in _changes(law) if change <= date), default=dt.date.min)


def law_as_of(key: str, language: str, locale: str, date: dt.date) -> "Law":
    """The law as in force on the letter's date, cited in the letter's language."""
    return Law(key, language, locale, edition(key, date))


@dataclass(frozen=True)
class Law:
    """One law (gdpr, uk_gdpr, fadp) as in force from `edition`, cited in one language."""

    key: str
    language: str
    locale: str  # Babel locale for joining references ("A and B")
    edition: dt.date = dt.date.min  # see law_as_of

    @property
    def name(self) -> str:
        return str(self._law_terms(self.key)["name"])

    @property
    def short(self) -> str:
        return str(self._law_terms(self.key)["short"])

    def cite(self, provision: str) -> str:
        """All references for one step of the letter, e.g. "Art. 17(1)(c) GDPR"."""
        return _cite(self, provision)

    def cite_first(self, provision: str) -> str:
        """Like cite, but spelling out the law's name: its first mention in a letter.

        A law this language has no terms for keeps the short form, so that no English
        name lands in the middle of a sentence in another language.
        """
        refs = self._refs(provision)
        law = refs[0].split(":")[0]
        pattern = "first_citation" if law in _terms(self.language) else "citation"
        texts = [self._format(refs[0], pattern)] + [self._format(r) for r in refs[1:]]
        return format_list(texts, locale=self.locale)

    def recital(self, number: int) -> str:
        """A recital, as this letter's law cites it: "recital 47 GDPR", "recital 47 UK GDPR"
        (the UK GDPR keeps the Regulation's recitals); Swiss letters cite the GDPR's."""
        law = "uk_gdpr" if self.key == "uk_gdpr" else "gdpr"
        return str(self._law_terms(law)["recital"].format(number))

    def has(self, provision: str) -> bool:
        """Whether the law has this step at all on the letter's date (s. 164A DPA 2018 only
        from 19 June 2026; never in the GDPR)."""
        return provision in _laws()[self.key]["provisions"] and bool(self._refs(provision))

    def cites(self, provision: str, ref: str) -> bool:
        """Whether this step cites `ref` on the letter's date ("uk_gdpr:12A" from 5 February
        2026): for what else changes with the law, such as the advice after the letter."""
        return ref in self._refs(provision)

    def _refs(self, provision: str) -> list[str]:
        refs: list[str] = []
        for version in _versions(self.key, provision):
            if (version.get("from") or dt.date.min) <= self.edition:
                refs = version["refs"]
        return refs

    def _law_terms(self, law: str) -> dict[str, str]:
        terms = _terms(self.language)
        found: dict[str, str] = terms[law] if law in terms else _terms(FALLBACK_LANGUAGE)[law]
        return found

    def _format(self, ref: str, pattern: str = "citation") -> str:
        law, article, *rest = ref.split(":")
        paragraph, point = [*rest, "", ""][:2]
        terms: dict[str, Any] = self._law_terms(law)
        point = terms.get("letters", {}).get(point, point)  # "f" is "е" in Bulgarian
        shape = ("point" if point else "paragraph") if paragraph else \
            ("article_point" if point else "article")
        shapes: dict[str, str] = terms.get("shapes", {})
        if shape in shapes:
            # Languages that cite the smallest unit first ("f-lið 1. mgr. 6. gr.").
            text = shapes[shape].format(article=article, paragraph=paragraph, point=point)
        else:
            text = terms["article"].format(article)
            if paragraph:
                text += terms["paragraph"].format(paragraph)
            if point:
                text += terms["point"].format(point)
        return str(terms[pattern].format(ref=text, short=terms["short"], name=terms["name"]))
