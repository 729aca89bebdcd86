"""The law behind a letter, and citations written the way the letter's language writes them."""

import tomllib
from dataclasses import dataclass
from functools import cache
from typing import Any

from babel.lists import format_list

from objection.resources import DATA_DIR


@cache
def _laws() -> dict[str, Any]:
    with (DATA_DIR / "laws.toml").open("rb") as fh:
        return tomllib.load(fh)


@cache
def _terms() -> dict[str, Any]:
    with (DATA_DIR / "legal_terms.toml").open("rb") as fh:
        return tomllib.load(fh)


def law_keys() -> list[str]:
    return list(_laws())


def term_languages() -> list[str]:
    """Languages whose legal vocabulary is recorded."""
    return list(_terms())


@dataclass(frozen=True)
class Law:
    """One law (gdpr, uk_gdpr, fadp) as it is cited in one language."""

    key: str
    language: str
    locale: str  # Babel locale for joining references ("A and B")

    @property
    def name(self) -> str:
        return str(self._terms(self.key)["name"])

    @property
    def short(self) -> str:
        return str(self._terms(self.key)["short"])

    def _terms(self, law: str) -> dict[str, str]:
        terms: dict[str, str] = _terms()[self.language][law]
        return terms

    def cite(self, provision: str) -> str:
        """All references for one step of the letter, e.g. "Art. 17(1)(c) GDPR"."""
        refs = _laws()[self.key]["provisions"][provision]
        return format_list([self._format(ref) for ref in refs], locale=self.locale)

    def cites_only_own_law(self, provision: str) -> bool:
        refs = _laws()[self.key]["provisions"][provision]
        return all(ref.split(":")[0] == self.key for ref in refs)

    def _format(self, ref: str) -> str:
        law, article, *rest = ref.split(":")
        terms = self._terms(law)
        text = terms["article"].format(article)
        for part, value in zip(("paragraph", "point"), rest, strict=False):
            text += terms[part].format(value)
        return terms["citation"].format(ref=text, short=terms["short"])
