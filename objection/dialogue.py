"""The dialogue of `objection letter` at a terminal: ask for what the letter states, in the
letter's language, check each answer as it is typed, confirm a summary, offer a profile.

Its own module so that the command stays a thin layer and each question is one small
function. Everything is said on standard error (the letter may go to standard output);
every string is a catalog entry (objection/i18n.py), so the dialogue speaks the letter's
language once it is chosen. Each answer goes through the rule make_request applies to its
field (request.check_value), so that an answer accepted here is not refused at the end.
"""

import difflib
import os
import re
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import click

from objection import dialogue_canada as canada
from objection import withdrawal
from objection.catalogue import GROUNDS, N_, SCOPES, scopes_for
from objection.cell_names import LAENDER, land_names, language_names
from objection.country_names import COUNTRY_ALIASES, closest
from objection.country_names import country_names as _country_names
from objection.country_names import normal as _normal
from objection.errors import InputError
from objection.fields import PROFILE_KEYS, REQUIRED
from objection.plaintext import fill_wide, has_wide

T = TypeVar("T")
WIDTH = 78

# What objecting to "Our AI features generally" may cost the sender; said once, before the
# letter is written when a terminal is there, else after (by the command, in English).
FEATURES_COST = N_("your objection includes LinkedIn's AI features generally (“Our AI "
                   "features generally”), among them the Hiring Assistant's processing of your "
                   "profile and résumé; if LinkedIn stops that processing, recruiters who use "
                   "the Hiring Assistant may see your profile less often.")

# The library's reasons (request.py) an answer is refused for most often, marked for
# translation and looked up by their English text; the numbers in them are placeholders
# here (%(n)s for a limit, %(count)s for what was given), matched as digits (library_reason).
# tests/test_dialogue.py checks that request.py still words them so.
LIBRARY_REASONS = (
    N_("not a valid e-mail address; expected e.g. jane.doe@example.org"),
    N_("not a LinkedIn profile address; expected https://www.linkedin.com/in/your-name"),
    N_("has no letters; expected a person's name"),
    N_("looks like a spreadsheet formula; expected a person's name"),
    N_("contains '/' or '\\'; expected a person's name"),
    N_("must be one line of text without control characters"),
    N_("must be plain text without control characters"),
    N_("is not valid text (undecodable bytes)"),
    N_("is too long; at most %(n)s characters"),
    N_("has %(count)s lines; at most %(n)s fit the letterhead and the window envelope's "
       "return line: join two lines (the flat or building on the street's line) or leave "
       "one out"),
)

TOGGLE_ANSWERS = (("off", N_("I have switched it off")),
                  ("pending", N_("I am switching it off now")))

# A refusal by make_request of a field no question sets directly, and the question that
# sets what it depends on (a German Land has its own question: see refused_step).
ASKED_WITH = {"bilingual": "lang", "region": "country"}



class Refused(Exception):
    """An answer the dialogue cannot use: why (translated), and perhaps what was meant."""

    def __init__(self, reason: str, suggestion: str = "", answer: str = "") -> None:
        super().__init__(reason)
        self.reason, self.suggestion, self.answer = reason, suggestion, answer or suggestion


class Dialogue:
    """The answers so far and the language they are asked in."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.values = values
        self.given = frozenset(key for key, value in values.items()
                               if value not in (None, "", [], ()))
        # Spoken until the letter's language is known: the terminal's for the whole dialogue,
        # the country's (the letter's default) for the few questions asked otherwise.
        self.fallback = _terminal_language()
        self.told = False  # whether the sender heard what objecting to AI features costs

    @property
    def lang(self) -> str:
        from objection.i18n import language_code

        return language_code(str(self.values.get("lang") or "")) or self.fallback

    def _(self, message: str) -> str:
        from objection.i18n import translations

        return translations(self.lang).gettext(message)

    @property
    def country(self) -> str:
        """The country of residence if known and supported, else the terminal's, else ''."""
        from objection.jurisdictions import supported_countries

        for code in (str(self.values.get("country") or "").strip().upper(), _locale()[1]):
            if COUNTRY_ALIASES.get(code, code) in supported_countries():
                return COUNTRY_ALIASES.get(code, code)
        return ""

    def reason(self, error: InputError) -> str:
        """The library's reason in the dialogue's language where the catalog has it."""
        if found := library_reason(error.expected):
            return self._(found[0]) % found[1]
        numbers = re.findall(r"\d+", error.expected)
        if len(numbers) == 1:  # another catalog entry with one number
            template = error.expected.replace(numbers[0], "%(n)s")
            if (translated := self._(template)) != template:
                return translated % {"n": numbers[0]}
        return self._(error.expected)


def library_reason(expected: str) -> tuple[str, dict[str, str]] | None:
    """The entry of LIBRARY_REASONS a reason of request.py is worded by, and the numbers it
    put in for the placeholders; None for a reason not listed."""
    for template in LIBRARY_REASONS:
        pieces = re.split(r"%\((\w+)\)s", template)  # text, name, text, name ... text
        pattern = "".join(re.escape(piece) if index % 2 == 0 else rf"(?P<{piece}>\d+)"
                          for index, piece in enumerate(pieces))
        if match := re.fullmatch(pattern, expected):
            return template, match.groupdict()
    return None


def converse(values: dict[str, Any]) -> bool:
    """Ask at a terminal for what `values` lacks: the whole dialogue when something the
    letter needs is missing, else only the questions the command always asks. Returns
    whether the sender was told what objecting to AI features may cost. Ctrl-C leaves
    nothing behind: one line, exit status 130."""
    d = Dialogue(values)
    try:
        if _needs_guide(values):
            guide(d)
        else:
            from objection.i18n import default_language

            d.fallback = default_language(d.country)
            complete(d)
    except (click.Abort, KeyboardInterrupt):
        click.echo("\n" + d._("Stopped; nothing was written."), err=True)
        raise SystemExit(130) from None
    return d.told


def _needs_guide(values: dict[str, Any]) -> bool:
    return any(not values.get(key) for key in REQUIRED) or not (
        _withdrawal(Dialogue(values)) or any(values.get(key)
                                             for key in ("ground", "fact", "situation")))


def _withdrawal(d: "Dialogue") -> bool:
    """Whether the letter, for the country given, withdraws consent (no grounds needed)."""
    from objection.jurisdictions import jurisdiction, supported_countries
    from objection.laws import withdraws_consent

    country = str(d.values.get("country") or "").strip().upper()
    return country in supported_countries() and withdraws_consent(jurisdiction(country).law)


def complete(d: Dialogue) -> None:
    """All the letter needs was given: ask only what it may not assume, as before."""
    ask_facts(d, only_missing=True)
    if not d.values.get("toggle"):
        ask_toggle(d)
    if not d.values.get("scope"):
        ask_scope(d)


def guide(d: Dialogue) -> None:
    """Every question whose answer was not given, then the summary until it is confirmed,
    then the offer of a profile."""
    for step in STEPS:
        if not d.given & set(step.keys) and step.needed(d):
            step.ask(d)
    while True:
        require_grounds_or_words(d)
        if (refused := refused_step(d)) is not None:
            refused.ask(d)
            continue
        steps = shown_steps(d)
        show_summary(d, steps)
        choice = confirm(d, len(steps))
        if choice is None:
            break
        change(d, steps[choice - 1])
    offer_profile(d)


def change(d: Dialogue, step: "Step") -> None:
    """Ask one question again; a new country or address asks again what depends on it."""
    step.ask(d)
    if step.keys == ("country",) and "scope" not in d.given:
        ask_scope(d)
    if step.keys in (("country",), ("address",)) and not d.values.get("region") \
            and _land_needed(d):
        ask_region(d)
    if step.keys in (("country",), ("address",)) and _quebec_needed(d):
        ask_quebec(d)


# --- asking ---------------------------------------------------------------------------

def ask(d: Dialogue, text: str, parse: Callable[[str], T], default: str | None = None,
        suffix: str = ": ") -> T:
    """Ask until `parse` accepts the answer; a refusal says why and offers what was
    probably meant as the default (Enter takes it). No default: an answer is required."""
    suggested = ""
    while True:
        answer = str(click.prompt(text, default=default, show_default=bool(default),
                                  prompt_suffix=suffix, err=True)).strip()
        if suggested and _is_word(answer, d._("yes"), "yes"):  # "Did you mean ...?" "yes"
            answer = suggested
        try:
            return parse(answer)
        except InputError as error:
            refusal = Refused(d.reason(error))
        except Refused as error:
            refusal = error
        say(d._("Not accepted: %(reason)s") % {"reason": refusal.reason})
        suggested = ""
        if refusal.suggestion:
            say(d._("Did you mean %(suggestion)s?") % {"suggestion": refusal.suggestion})
            default = suggested = refusal.answer


def say(text: str, indent: str = "", hang: int = 2) -> None:
    """A paragraph wrapped for the terminal, its further lines indented by `hang`."""
    click.echo(fill_wide(text, indent, indent + " " * hang, WIDTH) if has_wide(text) else
               textwrap.fill(text, WIDTH, initial_indent=indent,
                             subsequent_indent=indent + " " * hang), err=True)


def yes_no(d: Dialogue, question: str, default: bool) -> bool:
    yes, no = d._("yes"), d._("no")
    hint = f"{yes[0].upper()}/{no[0]}" if default else f"{yes[0]}/{no[0].upper()}"

    def parse(answer: str) -> bool:
        if not answer:
            return default
        if _is_word(answer, yes, "yes"):
            return True
        if _is_word(answer, no, "no"):
            return False
        raise Refused(d._("Please answer %(yes)s or %(no)s.") % {"yes": yes, "no": no})

    return ask(d, f"{question} [{hint}]", parse, default="")


def _is_word(answer: str, translated: str, english: str) -> bool:
    """The word or its first letter, in the dialogue's language or in English; accents do
    not count (Slovak "áno" and Greek "όχι" answered with a plain a or ο)."""
    typed, word = _normal(answer), _normal(translated)
    return typed in {word, word[:1], english, english[0]}


def _checked(field: str) -> Callable[[str], str]:
    """A parser keeping the typed text once the request's rule accepts it."""
    def parse(answer: str) -> str:
        from objection.request import check_value

        check_value(field, answer)
        return answer
    return parse


# --- the questions ----------------------------------------------------------------------

def ask_language(d: Dialogue) -> None:
    """First, so that everything after it is asked in the letter's language."""
    from objection.i18n import available_languages

    first = country_languages(d.country)
    if first:
        say(d._("Languages of %(country)s:") % {"country": country_name(d, d.country)} + " "
            + ", ".join(f"{code} {_autonym(code)}" for code in first))
    say(d._("All languages:") + " " + ", ".join(f"{code} {_autonym(code)}"
                                                for code in available_languages()))
    default = first[0] if first else d.lang
    d.values["lang"] = ask(d, d._("Letter language (a code or a name)"),
                           lambda text: parse_language(d, text), default=default)


def country_languages(country: str) -> list[str]:
    """The letter languages spoken in a country, its default language first."""
    from babel.languages import get_official_languages

    from objection.i18n import available_languages, default_language

    if not country:
        return []
    spoken = [default_language(country), *get_official_languages(country, de_facto=True)]
    return [lang for lang in dict.fromkeys(spoken) if lang in available_languages()]


def parse_language(d: Dialogue, text: str) -> str:
    """A code (zh_Hant, zh-HK), a name in any letter language (Deutsch, German, 中文)."""
    from objection.i18n import language_code
    from objection.request import check_value

    names = language_names()
    if found := language_code(text) or names.get(_normal(text)):
        return str(check_value("lang", found))
    close = difflib.get_close_matches(_normal(text), names, n=1)
    raise Refused(d._("%(value)s is not a language objection writes letters in.")
                  % {"value": text}, _autonym(names[close[0]]) if close else "")


def _autonym(code: str) -> str:
    from objection.i18n import language_name

    return language_name(code, code)


def ask_name(d: Dialogue) -> None:
    d.values["name"] = ask(d, d._("Your full name, as on your LinkedIn account"),
                           _checked("name"), default=d.values.get("name") or None)


def ask_email(d: Dialogue) -> None:
    d.values["email"] = ask(d, d._("E-mail address of your LinkedIn account"),
                            _checked("email"), default=d.values.get("email") or None)


def ask_profile_url(d: Dialogue) -> None:
    d.values["profile_url"] = ask(
        d, d._("Address of your LinkedIn profile, e.g. linkedin.com/in/your-name (Enter: "
               "leave it out)"), _checked("profile_url"),
        default=d.values.get("profile_url") or "")


def ask_address(d: Dialogue) -> None:
    say(d._("Your postal address, for a letter sent by post: one line at a time, an empty "
            "line at the end (an empty line now: leave it out)."))
    d.values["address"] = ask_lines(d, "address", lambda lines: lines)


def ask_place(d: Dialogue) -> None:
    d.values["place"] = ask(d, d._("Place written before the date, e.g. your town (Enter: "
                                   "leave it out)"), _checked("place"),
                            default=d.values.get("place") or "")


def ask_country(d: Dialogue) -> None:
    """A Land is kept only for a resident of Germany, Quebec for one of Canada."""
    d.values["country"] = ask(d, d._("Country of residence (a name or a code)"),
                              lambda text: parse_country(d, text),
                              default=country_name(d, d.country) or None)
    if not _in_germany(d) and not _in_canada(d):
        d.values.pop("region", None)


def country_names(lang: str) -> dict[str, str]:
    """Every way of naming a supported country the dialogue accepts, compared by _normal:
    the code, the aliases, the name in the letter's language and in English."""
    return _country_names((lang, "en"))


def country_name(d: Dialogue, code: str) -> str:
    from babel import Locale

    return str(Locale.parse(d.lang).territories.get(code, code)) if code else ""


def parse_country(d: Dialogue, text: str) -> str:
    from objection.request import check_value

    names = country_names(d.lang)
    if code := names.get(_normal(text)):
        return str(check_value("country", code))
    close = closest(text, names)
    raise Refused(d._("%(value)s is not a country objection writes letters for (see "
                      "'objection countries').") % {"value": text},
                  country_name(d, close) if close else "")


def _in_germany(d: Dialogue) -> bool:
    """Whether the country of residence given (not guessed from the terminal) is Germany."""
    return str(d.values.get("country") or "").strip().upper() == "DE"


def _in_canada(d: Dialogue) -> bool:
    """Whether the country of residence given is Canada (Quebec is asked then)."""
    return str(d.values.get("country") or "").strip().upper() == "CA"


def _postal_code_given(d: Dialogue) -> bool:
    from objection.postcodes import canadian_postal_code

    return bool(canadian_postal_code(_lines(d.values.get("address"))))


def _quebec_needed(d: Dialogue) -> bool:
    """A resident of Canada whose address has no postal code to tell the province by."""
    return _in_canada(d) and not _postal_code_given(d)


def _is_quebec(d: Dialogue) -> bool:
    from objection.postcodes import province_of_address

    region = str(d.values.get("region") or "").strip().upper().removeprefix("CA-")
    return region == "QC" or (not region and province_of_address(
        _lines(d.values.get("address"))) == "QC")


def ask_quebec(d: Dialogue) -> None:
    """Quebec or not, for a resident of Canada (else no region is kept)."""
    if not _in_canada(d):
        d.values.pop("region", None)
        return
    d.values["region"] = "QC" if yes_no(d, canada.quebec_question(d._),
                                        default=_is_quebec(d)) else "ON"


def _show_quebec(d: Dialogue) -> str:
    from_postal_code = not str(d.values.get("region") or "").strip() and _postal_code_given(d)
    return canada.quebec_shown(d._, _is_quebec(d), from_postal_code)


def _land_of_address(d: Dialogue) -> str:
    from objection.postcodes import land_of_address

    return land_of_address(_lines(d.values.get("address")))


def _land_needed(d: Dialogue) -> bool:
    """A resident of Germany whose address's postcode does not say the Land: the letter names
    the authority of their Land only when they say which it is."""
    return _in_germany(d) and not _land_of_address(d)


def _laender() -> list[str]:
    """The codes of the Länder with their own authority, in LAENDER's order."""
    from objection.jurisdictions import regions

    known = regions("DE")
    return [code for code in LAENDER if code in known]


def land_name(d: Dialogue, code: str) -> str:
    """The Land's German name, with the English one where it differs and the dialogue is
    not in German."""
    german, english = LAENDER.get(code, (code, code))
    return german if d.lang == "de" or english == german else f"{german} ({english})"


def ask_region(d: Dialogue) -> None:
    """A German resident's Land, so that the letter names its supervisory authority; asked
    when the address's postcode does not say it (or to change it). Enter leaves it out: the
    letter then refers to the authority of the sender's Land in general."""
    if not _in_germany(d):
        d.values.pop("region", None)
        return
    say(d._("Your Land (federal state), so that the letter names its data protection "
            "supervisory authority:"))
    codes = _laender()
    cells = [f"{number:>2}  {code}  {land_name(d, code)}" for number, code in
             enumerate(codes, 1)]
    half = (len(cells) + 1) // 2  # two columns where they fit: sixteen Länder on eight lines
    column = max(map(len, cells[:half])) + 3
    if 2 + column + max(map(len, cells[half:])) > WIDTH:
        half, column = len(cells), 0
    for left, right in zip(cells[:half], [*cells[half:], *[""] * half], strict=False):
        click.echo(f"  {left:<{column}}{right}".rstrip(), err=True)
    say(d._("Enter: leave it out; the letter then refers to the supervisory authority of "
            "your Land in general."), indent="  ")
    current = str(d.values.get("region") or "").strip().upper().removeprefix("DE-")
    answer = ask(d, d._("Your Land (a number, its code or its name)"),
                 lambda text: parse_region(d, text), default=current)
    if answer:
        d.values["region"] = answer
    else:
        d.values.pop("region", None)


def parse_region(d: Dialogue, text: str) -> str:
    """A Land by its number in the list, its code (BY, DE-BY), its German or English name;
    nothing for none."""
    codes = _laender()
    if not text:
        return ""
    if text.isdigit() and 1 <= int(text) <= len(codes):
        return codes[int(text) - 1]
    names = {name: code for name, code in land_names().items() if code in codes}
    if found := names.get(_normal(text)):
        return found
    close = difflib.get_close_matches(_normal(text), names, n=1)
    suggestion = LAENDER.get(names[close[0]], ("",))[0] if close else ""
    raise Refused(d._("%(value)s is not a German Land; give its number, its code or its "
                      "name.") % {"value": text}, suggestion)


def _show_region(d: Dialogue) -> str:
    code = str(d.values.get("region") or "").strip().upper().removeprefix("DE-")
    if code:
        return f"{code} {land_name(d, code)}"
    if code := _land_of_address(d):
        return d._("%(land)s (from the postcode of your address)") % {
            "land": f"{code} {land_name(d, code)}"}
    return ""


def ask_toggle(d: Dialogue) -> None:
    """The letter states only what the sender says about the setting: ask, never assume."""
    say(d._("What have you done with LinkedIn's setting “Data for Generative AI "
            "Improvement”?"))
    for number, (_key, text) in enumerate(TOGGLE_ANSWERS, 1):
        say(f"{number}  {d._(text)}", indent="  ")
    say(d._("Enter: the letter says nothing about your setting"), indent="  ")
    current = d.values.get("toggle") or ""
    d.values["toggle"] = ask(d, d._("Your answer"), lambda text: parse_toggle(d, text),
                             default=current)


def parse_toggle(d: Dialogue, text: str) -> str:
    from objection.request import check_value

    if text.isdigit() and 1 <= int(text) <= len(TOGGLE_ANSWERS):
        return TOGGLE_ANSWERS[int(text) - 1][0]
    try:
        return str(check_value("toggle", text))
    except InputError:
        raise Refused(d._("Answer with a number from the list, or press Enter.")) from None


def ask_grounds(d: Dialogue) -> None:
    """The grounds by number or key, then the one line of fact each needs."""
    say(d._("Grounds relating to your particular situation:"))
    for number, entry in enumerate(GROUNDS.values(), 1):
        say(f"{number:>2}  {entry.key}: {d._(entry.summary)}", indent=" ", hang=4)
    say(d._("Give their numbers or keys, several separated by commas or spaces (Enter: none)."))
    d.values["ground"] = ask(d, d._("Grounds"), lambda text: parse_grounds(d, text),
                             default=" ".join(_ground_keys(d)))
    ask_facts(d, only_missing=False)


def parse_grounds(d: Dialogue, text: str) -> list[str]:
    from objection.request import check_value

    keys, tokens = list(GROUNDS), [token for token in re.split(r"[\s,;]+", text) if token]
    chosen = []
    for index, token in enumerate(tokens):
        if token.isdigit() and 1 <= int(token) <= len(keys):
            chosen.append(keys[int(token) - 1])
        elif token.lower() in GROUNDS:
            chosen.append(token.lower())
        else:
            close = difflib.get_close_matches(token.lower(), keys, n=1)
            raise Refused(d._("%(value)s is not one of the grounds listed; give its number or "
                              "its key.") % {"value": token}, close[0] if close else "",
                          " ".join(tokens[:index] + close + tokens[index + 1:]) if close else "")
    check_value("ground", chosen)
    return list(dict.fromkeys(chosen))


def ask_facts(d: Dialogue, only_missing: bool) -> None:
    """A ground that is concrete only with a fact of the sender's asks for one line of it.
    Asked anew (the current line as default), the facts of grounds no longer chosen go:
    a fact would give its ground back."""
    from objection.request import as_list

    chosen = [key.lower() for key in as_list(d.values.get("ground"))]
    facts = _facts(d.values.get("fact"))
    for key in chosen:
        question = GROUNDS[key].question if key in GROUNDS else ""
        if not question or (only_missing and key in facts):
            continue
        say(f"{key}: " + d._("%(question)s (Enter: none)") % {"question": d._(question)})
        text = ask(d, key, _fact_checker(key), default=facts.get(key, ""))
        facts.pop(key, None)
        if text:
            facts[key] = text
    if not only_missing:
        facts = {key: text for key, text in facts.items() if key in chosen}
    d.values["fact"] = [f"{key}: {text}" for key, text in facts.items()]


def _facts(raw: object) -> dict[str, str]:
    """Facts as given ("GROUND: text", a list or lines), by ground."""
    return {key.strip().lower(): text.strip()
            for key, _colon, text in (line.partition(":") for line in _lines(raw))}


def _lines(raw: object) -> list[str]:
    """The lines of a value given as text or as a list of texts."""
    items = [raw] if isinstance(raw, str) else list(raw) if isinstance(raw, list | tuple) else []
    return [line.strip() for item in items for line in str(item).splitlines() if line.strip()]


def _ground_keys(d: Dialogue) -> list[str]:
    """The grounds chosen, with those a fact gives."""
    from objection.request import as_list

    keys = [key.lower() for key in as_list(d.values.get("ground"))]
    return list(dict.fromkeys([*keys, *_facts(d.values.get("fact"))]))


def _fact_checker(key: str) -> Callable[[str], str]:
    def parse(text: str) -> str:
        from objection.request import check_value

        if text:
            check_value("fact", f"{key}: {text}")
        return text
    return parse


def ask_situation(d: Dialogue) -> None:
    """Own words may come in paragraphs, typed or pasted: an empty line between them is kept
    (the letter makes a paragraph of each), two empty lines end them."""
    say(d._("Your situation in your own words, typed or pasted: an empty line between "
            "paragraphs, two empty lines at the end (an empty line now: none)."))
    d.values["situation"] = "\n".join(ask_lines(d, "situation", "\n".join, paragraphs=True))


def ask_lines(d: Dialogue, field: str, value: Callable[[list[str]], object],
              paragraphs: bool = False) -> list[str]:
    """Lines until an empty one; each is checked as part of the `value` they make so far.
    With `paragraphs`, an empty line after text is kept as a paragraph break and two in a row
    end the answer (an empty line first: none); no empty line is kept at the end."""
    from objection.request import check_value

    lines: list[str] = []

    def parse(text: str) -> str:
        if text:
            check_value(field, value([*lines, text]))
        return text

    while True:
        line = ask(d, "", parse, default="", suffix="> ")
        if not line and not (paragraphs and lines and lines[-1]):
            break
        lines.append(line)
    while lines and not lines[-1]:
        lines.pop()
    return lines


def require_grounds_or_words(d: Dialogue) -> None:
    """An objection rests on the sender's particular situation: ask until there is some (a
    withdrawal of consent, for Canada and Hong Kong, needs no reasons)."""
    while not _withdrawal(d) and not any(d.values.get(key)
                                         for key in ("ground", "fact", "situation")):
        say(d._("Give at least one ground or your own words: an objection is argued from "
                "your particular situation."))
        ask_grounds(d)
        if not d.values.get("ground"):
            ask_situation(d)


def ask_scope(d: Dialogue) -> None:
    """Say what objecting to LinkedIn's AI features may cost, and let the sender narrow the
    objection to AI training (yes keeps the default: every purpose that applies)."""
    scopes = scopes_for(d.country)
    if "features" not in scopes:
        return
    if _withdrawal(d):
        say(d._(withdrawal.SCOPE_INTRO) % {"cost": d._(withdrawal.FEATURES_NOTE)})
        question = d._(withdrawal.SCOPE_QUESTION)
    else:
        say(d._("Your letter objects to all the purposes LinkedIn names; %(cost)s")
            % {"cost": d._(FEATURES_COST)})
        question = d._("Object to LinkedIn's AI features as well?")
    d.told = True
    if yes_no(d, question, default=True):
        d.values.pop("scope", None)
    else:
        d.values["scope"] = [key for key in scopes if key != "features"]


# --- summary, confirmation, profile ---------------------------------------------------

def _always(_d: Dialogue) -> bool:
    return True


@dataclass(frozen=True)
class Step:
    """One question of the dialogue: the values it sets, its label in the summary, whether
    it is asked when its value was not given, whether it is in the summary."""

    keys: tuple[str, ...]
    label: str
    ask: Callable[[Dialogue], None]
    show: Callable[[Dialogue], str]
    needed: Callable[[Dialogue], bool] = _always
    applies: Callable[[Dialogue], bool] = _always


def _shown(key: str) -> Callable[[Dialogue], str]:
    return lambda d: " ".join(str(d.values.get(key) or "").split())


def _show_lines(key: str) -> Callable[[Dialogue], str]:
    return lambda d: textwrap.shorten(", ".join(_lines(d.values.get(key))), 60,
                                      placeholder=" …")


def _show_situation(d: Dialogue) -> str:
    """Each paragraph on a line of its own, shortened; at most three."""
    paragraphs = [" ".join(paragraph.split()) for paragraph
                  in str(d.values.get("situation") or "").split("\n\n") if paragraph.strip()]
    shown = [textwrap.shorten(paragraph, 60, placeholder=" …") for paragraph in paragraphs[:3]]
    return "\n".join(shown + ["…"] * (len(paragraphs) > 3))


def _show_toggle(d: Dialogue) -> str:
    return next((d._(text) for key, text in TOGGLE_ANSWERS
                 if key == str(d.values.get("toggle") or "").strip().lower()), "")


def _show_grounds(d: Dialogue) -> str:
    facts = _facts(d.values.get("fact"))
    return "\n".join([", ".join(_ground_keys(d)),
                      *(textwrap.shorten(f"{key}: {text}", 60, placeholder=" …")
                        for key, text in facts.items())])


def _show_scope(d: Dialogue) -> str:
    """Each purpose objected to by its one-line summary, in the dialogue's language."""
    from objection.request import as_list

    keys = [key.lower() for key in as_list(d.values.get("scope"))] or scopes_for(d.country)
    return "\n".join(d._(SCOPES[key].summary) if key in SCOPES else key for key in keys)


STEPS = (
    Step(("lang",), N_("Letter language"), ask_language, lambda d: _autonym(d.lang)),
    Step(("name",), N_("Name"), ask_name, _shown("name")),
    Step(("email",), N_("E-mail"), ask_email, _shown("email")),
    Step(("profile_url",), N_("Profile"), ask_profile_url, _shown("profile_url")),
    Step(("address",), N_("Postal address"), ask_address, _show_lines("address")),
    Step(("place",), N_("Place"), ask_place, _shown("place")),
    Step(("country",), N_("Country"), ask_country, lambda d: country_name(d, d.country)),
    Step(("region",), N_("German Land"), ask_region, _show_region, needed=_land_needed,
         applies=_in_germany),
    Step(("region",), canada.LABEL, ask_quebec, _show_quebec, needed=_quebec_needed,
         applies=_in_canada),
    Step(("toggle",), N_("LinkedIn's setting"), ask_toggle, _show_toggle),
    Step(("ground", "fact"), N_("Grounds"), ask_grounds, _show_grounds),
    Step(("situation",), N_("Own words"), ask_situation, _show_situation),
    Step(("scope",), N_("Objection to"), ask_scope, _show_scope),
)


def refused_step(d: Dialogue) -> Step | None:
    """The question to ask again if the answers together are refused (a rule across fields,
    or a value given as an option); a refusal no question can mend ends the command."""
    from objection.request import make_request

    try:
        make_request(d.values)
    except InputError as error:
        key = ("region" if error.field == "region" and (_in_germany(d) or _in_canada(d))
               else ASKED_WITH.get(error.field, error.field))
        step = next((step for step in STEPS if key in step.keys and step.applies(d)), None)
        if step is None:
            raise
        say(d._("Not accepted: %(reason)s") % {"reason": d.reason(error)})
        return step
    return None


def shown_steps(d: Dialogue) -> list[Step]:
    """The steps of the summary, numbered from 1 in this order (the Land for Germany only)."""
    return [step for step in STEPS if step.applies(d)]


def show_summary(d: Dialogue, steps: list[Step]) -> None:
    """Each answer by its number and label; a long one wrapped under itself."""
    say(d._("Your letter:"))
    labels = [d._(step.label) for step in steps]
    width = max(map(len, labels))
    room = max(WIDTH - width - 7, 20)
    for number, (step, label) in enumerate(zip(steps, labels, strict=True), 1):
        lines = [wrapped for line in (step.show(d) or d._("(none)")).split("\n")
                 for wrapped in (textwrap.wrap(line, room) or [""])]
        click.echo(f"{number:>3}  {label:<{width}}  {lines[0]}", err=True)
        for line in lines[1:]:
            click.echo(f"{'':>{width + 7}}{line}", err=True)


def confirm(d: Dialogue, count: int) -> int | None:
    """None to write the letter, or the number (1 to `count`) of the answer to change;
    quitting stops the command without writing (exit status 1)."""
    yes, stop = d._("yes"), d._("quit")

    def parse(answer: str) -> int | None:
        if not answer or _is_word(answer, yes, "yes"):
            return None
        if answer.isdigit() and 1 <= int(answer) <= count:
            return int(answer)
        if _is_word(answer, stop, "quit"):
            say(d._("Nothing was written."))
            raise SystemExit(1)
        raise Refused(d._("Answer %(yes)s, a number from 1 to %(count)s, or %(quit)s.")
                      % {"yes": yes[0], "count": count, "quit": stop[0]})

    return ask(d, d._("Write the letter? %(yes)s: yes; a number: change that answer; "
                      "%(quit)s: quit") % {"yes": yes[0], "quit": stop[0]}, parse,
               default=yes[0])


def offer_profile(d: Dialogue) -> None:
    """Next time `--profile FILE` gives the same answers; an existing file is replaced only
    when the sender says so."""
    if not yes_no(d, d._("Save these answers in a profile file for next time?"), False):
        return
    prompt, default = d._("File name"), "objection-profile.toml"
    while name := str(click.prompt(prompt, default=default, show_default=bool(default),
                                   err=True)).strip():
        path = Path(name).expanduser()
        if path.exists() and not yes_no(d, d._("%(file)s exists. Replace it?")
                                        % {"file": path}, False):
            prompt, default = d._("Another file name (Enter: do not save)"), ""
            continue
        try:
            save_profile(path, d.values)
        except OSError as error:
            say(d._("Cannot write %(file)s (%(reason)s).")
                % {"file": path, "reason": error.strerror})
            prompt, default = d._("Another file name (Enter: do not save)"), ""
            continue
        say(d._("Saved %(file)s. Next time: objection letter --profile %(file)s")
            % {"file": path})
        return


def save_profile(path: Path, values: dict[str, Any]) -> None:
    """The answers as TOML under the keys --profile reads, readable by the owner only
    (0600), written whole or not at all; never the date or the output file, which belong
    to one letter."""
    import tomli_w

    from objection.output import write_private

    data = {key: values[key] for key in PROFILE_KEYS
            if key not in ("date", "output") and values.get(key) not in (None, "", [], ())}
    write_private(path, tomli_w.dumps(data).encode("utf-8"))


# --- the terminal's language ----------------------------------------------------------

def _locale() -> tuple[str, str]:
    """(language, country) of the terminal's locale, e.g. ('de', 'AT') for de_AT.UTF-8;
    the first of $LC_ALL, $LC_MESSAGES and $LANG that is set, as the C library reads them."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if value := os.environ.get(name, ""):
            match = re.match(r"([a-z]{2,3})(?:_([A-Z]{2}))?", value)
            return (match.group(1), match.group(2) or "") if match else ("", "")
    return "", ""


def _terminal_language() -> str:
    from objection.i18n import SOURCE_LANGUAGE, available_languages

    lang = _locale()[0]
    return lang if lang in available_languages() else SOURCE_LANGUAGE
