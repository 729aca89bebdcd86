"""Countries as people name them, turned into the ISO codes the letters use.

Shared by the dialogue (a name typed in the letter's language or English) and the batch (a
spreadsheet's country cell, in any language we write letters in, or English). The names are
Babel's (CLDR), never a list of our own.
"""

import difflib
import functools
import unicodedata

from objection.errors import InputError

# Countries people call by another code: the United Kingdom, and Greece as the EU writes it.
COUNTRY_ALIASES = {"UK": "GB", "EL": "GR"}
# Names people write in sheets that CLDR does not give as the country's name: the United
# Kingdom as Great Britain or by its nations, the Czech Republic and the Netherlands by
# their older or fuller names (English and the main languages of the staff lists we meet),
# and Hong Kong by its short name.
OTHER_NAMES = {
    "GB": ("Great Britain", "Britain", "England", "Scotland", "Wales", "Northern Ireland",
           "Großbritannien", "England", "Schottland", "Grande-Bretagne", "Angleterre",
           "Écosse", "Gran Bretaña", "Inglaterra", "Gran Bretagna", "Inghilterra",
           "Groot-Brittannië", "Engeland", "Wielka Brytania", "Anglia"),
    "CZ": ("Czech Republic", "Tschechische Republik", "République tchèque",
           "Česká republika"),
    "NL": ("The Netherlands", "Holland", "Die Niederlande", "Les Pays-Bas"),
    # CLDR's "Hong Kong SAR China" is rarely written out; Chinese names as Hong Kong writes them.
    "HK": ("Hong Kong", "Hongkong", "HKSAR", "Hong Kong SAR", "香港", "中國香港",
           "香港特別行政區"),
}


def normal(text: str) -> str:
    """For comparing names: case, accents, spaces and punctuation do not count."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if ch.isalnum())


@functools.cache
def country_names(languages: tuple[str, ...]) -> dict[str, str]:
    """Every way of naming a supported country, by its `normal` form: the code, the aliases
    and its name in each of `languages` (the first one's name wins where two differ)."""
    from babel import Locale

    from objection.jurisdictions import supported_countries

    names = {normal(alias): code for alias, code in COUNTRY_ALIASES.items()}
    names.update({normal(name): code for code, others in OTHER_NAMES.items() for name in others})
    for code in supported_countries():
        names[normal(code)] = code
        for locale in languages:
            names.setdefault(normal(Locale.parse(locale).territories.get(code, code)), code)
    return names


def closest(text: str, names: dict[str, str]) -> str | None:
    """The code of the name closest to `text`, if one is close enough to be what was meant."""
    close = difflib.get_close_matches(normal(text), names, n=1)
    return names[close[0]] if close else None


def _every_language() -> tuple[str, ...]:
    from objection.i18n import available_languages

    return ("en", *(lang for lang in available_languages() if lang != "en"))


@functools.cache
def _territories() -> dict[str, str]:
    """Every territory Babel names, in every letter language and English: to tell a country
    we do not write letters for from a name we do not know."""
    from babel import Locale

    names: dict[str, str] = {}
    for lang in _every_language():
        for code, name in Locale.parse(lang).territories.items():
            if len(code) == 2 and code.isalpha():
                names.setdefault(normal(name), code)
    return names


def country_code(text: str) -> str:
    """A spreadsheet's country cell as a code: a code (as it is: the letter's rules judge
    it), an alias, or a supported country's name in a letter language or English. A name
    we do not know is an InputError that suggests the closest one."""
    from babel import Locale

    from objection.jurisdictions import supported_countries

    stripped = text.strip()
    if not stripped or (len(stripped) == 2 and stripped.isascii() and stripped.isalpha()):
        return COUNTRY_ALIASES.get(stripped.upper(), stripped)
    names = country_names(_every_language())
    if code := names.get(normal(stripped)):
        return code
    if code := _territories().get(normal(stripped)):
        raise InputError("country", text, f"is {code}, not a country of residence objection "
                         "writes letters for; expected one of " + " ".join(supported_countries())
                         + " (see 'objection countries')")
    match = difflib.get_close_matches(normal(stripped), names, n=1, cutoff=0.75)
    if match:
        code = names[match[0]]
        # Shown as written in the language whose name was nearly typed, else as a code.
        shown = next((name for lang in _every_language() if normal(
            name := str(Locale.parse(lang).territories.get(code, code))) == match[0]), code)
        hint = f"did you mean {shown} ({code})?" if shown != code else f"did you mean {code}?"
    else:
        hint = ("expected a country's name or ISO code, one of "
                + " ".join(supported_countries()) + " (see 'objection countries')")
    raise InputError("country", text, f"not a country we know; {hint}")
