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
    return format_list(law._texts(law._refs(provision)), locale=law.locale)


def _setting(law: str, name: str, default: Any) -> Any:
    """A law's own setting in laws.toml, else that of the law it extends."""
    entry = _laws()[law]
    if name in entry:
        return entry[name]
    return _setting(entry["extends"], name, default) if "extends" in entry else default


def law_title(law: str) -> str:
    """The law's short English name, for messages at the terminal: "PIPEDA", "UK GDPR"."""
    terms = _terms(FALLBACK_LANGUAGE)
    return str(terms[law]["short"]) if law in terms else law_title(_laws()[law]["extends"])


def withdraws_consent(law: str) -> bool:
    """Whether a letter under this law withdraws consent (PIPEDA, the PDPO: laws built on
    consent, without a right to object) rather than objecting (the GDPR family)."""
    return bool(_setting(law, "act", "objection") == "withdrawal")


@cache
def _provisions(law: str) -> dict[str, Any]:
    """A law's provisions, with those of the law it extends (pipeda_qc adds Quebec's Act to
    PIPEDA's)."""
    entry = _laws()[law]
    base = _provisions(entry["extends"]) if "extends" in entry else {}
    return {**base, **entry["provisions"]}


def _versions(law: str, provision: str) -> list[dict[str, Any]]:
    """The versions of a provision, oldest first: [{"from": date or None, "refs": [...]}]."""
    value = _provisions(law)[provision]
    if value and isinstance(value[0], dict):
        return sorted(value, key=lambda version: version.get("from") or dt.date.min)
    return [{"from": None, "refs": value}]


@cache
def _changes(law: str) -> tuple[dt.date, ...]:
    """The dates from which any of the law's provisions changed."""
    return tuple(sorted({version["from"] for provision in _provisions(law)
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
        return str(self._law_terms(self.family)["name"])

    @property
    def short(self) -> str:
        """The law's abbreviation (PIPEDA also for a Quebec letter, which adds Quebec's Act)."""
        return str(self._law_terms(self.family)["short"])

    @property
    def family(self) -> str:
        """The law this one extends, or itself: pipeda for pipeda_qc (whose letter is the
        PIPEDA letter with Quebec's Act added)."""
        key = self.key
        while "extends" in _laws()[key]:
            key = _laws()[key]["extends"]
        return key

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
        return format_list(self._texts(refs, first=law in _terms(self.language)),
                           locale=self.locale)

    def recital(self, number: int) -> str:
        """A recital, as this letter's law cites it: "recital 47 GDPR", "recital 47 UK GDPR"
        (the UK GDPR keeps the Regulation's recitals); Swiss letters cite the GDPR's."""
        law = "uk_gdpr" if self.key == "uk_gdpr" else "gdpr"
        return str(self._law_terms(law)["recital"].format(number))

    def has(self, provision: str) -> bool:
        """Whether the law has this step at all on the letter's date (s. 164A DPA 2018 only
        from 19 June 2026; never in the GDPR)."""
        return provision in _provisions(self.key) and bool(self._refs(provision))

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

    def _texts(self, refs: list[str], first: bool = False) -> list[str]:
        """The citations of `refs`, in order; neighbours that the language cites together
        share one ("PIPEDA, Sch. 1, cls. 4.9 and 4.9.1"; see `articles` in legal_terms)."""
        groups: list[list[str]] = []
        for ref in refs:
            if groups and self._joins(groups[-1][-1], ref):
                groups[-1].append(ref)
            else:
                groups.append([ref])
        return [self._citation(group, "first_citation" if first and index == 0 else "citation")
                for index, group in enumerate(groups)]

    def _joins(self, before: str, ref: str) -> bool:
        """Whether two references are cited together: the same law and part of it, whole
        articles (clauses) only, and a plural form for them in this language."""
        terms, _article, paragraph, point = self._resolve(ref)
        prior = self._resolve(before)
        return ("articles" in terms and prior[0] == terms and not paragraph and not point
                and not prior[2] and not prior[3])

    @cache  # noqa: B019 (Law is a frozen value; few laws and references)
    def _resolve(self, ref: str) -> tuple[dict[str, Any], str, str, str]:
        """A reference's terms (the law's, or those of the part of the law it is in) and its
        article, paragraph and point."""
        law, article, *rest = ref.split(":")
        paragraph, point = [*rest, "", ""][:2]
        terms: dict[str, Any] = self._law_terms(law)
        for prefix, form in terms.get("forms", {}).items():
            # A part of the law numbered apart: "sch1.4.3.8" is clause 4.3.8 of PIPEDA's
            # Schedule 1, "dpp3" the PDPO's Data Protection Principle 3; the form's keys
            # replace the law's own (article, shapes, citation ...).
            if article.startswith(prefix):
                terms, article = {**terms, **form}, article.removeprefix(prefix)
                break
        point = terms.get("letters", {}).get(point, point)  # "f" is "е" in Bulgarian
        return terms, article, paragraph, point

    def _citation(self, refs: list[str], pattern: str) -> str:
        """One citation of one reference, or of several whole articles of the same part of
        a law (pattern: citation or first_citation)."""
        terms, article, paragraph, point = self._resolve(refs[0])
        if len(refs) > 1:
            numbers = [self._resolve(ref)[1] for ref in refs]
            text = terms["articles"].format(format_list(numbers, locale=self.locale))
            long = terms.get("first_articles", terms["articles"]).format(
                format_list(numbers, locale=self.locale))
        else:
            text = self._reference(terms, "article", article, paragraph, point)
            long = self._reference(terms, "first_article", article, paragraph, point)
        return str(terms[pattern].format(ref=text, long=long, short=terms["short"],
                                         name=terms["name"]))

    @staticmethod
    def _reference(terms: dict[str, Any], article_key: str, article: str, paragraph: str,
                   point: str) -> str:
        """Article, paragraph and point as the language writes them; `article_key` names the
        pattern for the article (first_article: "data protection principle 3", where the
        short form is "DPP3")."""
        shape = ("point" if point else "paragraph") if paragraph else \
            ("article_point" if point else "article")
        shapes: dict[str, str] = terms.get("shapes", {})
        if shape in shapes:
            # Languages that cite the smallest unit first ("f-lið 1. mgr. 6. gr.").
            return shapes[shape].format(article=article, paragraph=paragraph, point=point)
        text = str(terms.get(article_key, terms["article"])).format(article)
        if paragraph:
            text += terms["paragraph"].format(paragraph)
        if point:
            text += terms["point"].format(point)
        return text
