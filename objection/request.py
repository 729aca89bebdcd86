"""A letter request: the sender's inputs, validated once, the same way for every front end.

The command line, a profile file and a spreadsheet row all pass plain values to
`make_request`; every rule a value must meet lives here (the fields themselves are listed
in objection/fields.py, the rule a kind of letter adds in objection/kinds.py).
"""

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from urllib.parse import urlsplit

from objection.catalogue import GROUNDS, GROUNDS_WITH_FACT, SCOPE_COUNTRIES, SCOPES, scopes_for
from objection.cell_names import land_code
from objection.errors import InputError
from objection.fields import BY_NAME, REQUEST_FIELDS
from objection.follow_up_fields import (
    check_after_earlier,
    earlier_letters,
    enclosure,
    iso_date,
    remarks,
)
from objection.fonts import cannot_print, unprintable
from objection.i18n import (
    SOURCE_LANGUAGE,
    available_languages,
    default_language,
    language_code,
    letter_languages,
)
from objection.jurisdictions import (
    jurisdiction,
    other_regions,
    regions,
    supported_countries,
)
from objection.kinds import OBJECTION
from objection.laws import law_title, withdraws_consent
from objection.model import Kind, LetterRequest
from objection.postcodes import land_of_address, province_of_address
from objection.signature_image import load_signature_image

TOGGLE_STATES = BY_NAME["toggle"].choices
MAX_NAME = 120
MAX_LINE = 100
MAX_URL = 200
MAX_ADDRESS_LINES = 5
MAX_SITUATION = 4000
MAX_FACT = 300


def make_request(values: Mapping[str, object], kind: Kind = OBJECTION) -> LetterRequest:
    """Validate raw values (strings, or lists for repeatable fields); raise InputError."""
    _check_texts(values)
    country = jurisdiction(_text(values, "country", required=True)).country
    grounds = _keys(values.get("ground"), "ground", list(GROUNDS))
    facts = _facts(values.get("fact"))
    grounds += tuple(key for key, _ in facts if key not in grounds)
    situation = _situation(values.get("situation"))
    # what a kind's one_of may name
    given = {"ground": grounds, "situation": situation, "earlier": values.get("earlier")}
    law = jurisdiction(country).law
    if withdraws_consent(law) and not kind.withdrawal_wording:
        raise InputError("country", country, f"a {kind.key} for a letter under "
                         f"{law_title(law)} cannot be written yet; complain to the authority "
                         "named at the end of your letter (see docs/law.md)")
    reasons_optional = kind is OBJECTION and withdraws_consent(law)
    if kind.one_of and not reasons_optional and not any(given.get(f) for f in kind.one_of):
        raise InputError(kind.one_of[0], "", kind.one_of_reason)
    lang = _language(values.get("lang"), country)
    bilingual = parse_flag(values.get("bilingual"), "bilingual")
    if bilingual and lang == SOURCE_LANGUAGE:
        raise InputError("bilingual", lang, "the letter is already in English; --bilingual "
                         "adds an English translation to a letter in another language")
    address = _address(values.get("address"))
    date = parse_date(values.get("date"))
    earlier = earlier_letters(values.get("earlier"), kind)
    answer_date = (iso_date(values.get("answer_date"), "answer_date")
                   if values.get("answer_date") else None)
    check_after_earlier(date, earlier, answer_date)
    if isinstance(values.get("remarks"), str):
        check_text("remarks", str(values["remarks"]), lines=True, tabs=True)
    return LetterRequest(
        name=_name(values),
        email=_email(_text(values, "email", required=True)),
        country=country,
        lang=lang,
        grounds=grounds,
        facts=facts,
        situation=situation,
        scope=_scope(values.get("scope"), country),
        date=date,
        profile_url=_profile_url(_text(values, "profile_url")),
        address=address,
        place=_line(values, "place", MAX_LINE),
        toggle=_toggle(values.get("toggle")),
        bilingual=bilingual,
        region=(_region(values.get("region"), country) if _given(values.get("region"))
                else _region_of_address(address, country)),
        signature_image=(load_signature_image(image_path)
                         if (image_path := _text(values, "signature_image")) else None),
        earlier=earlier,
        extended=parse_flag(values.get("extended"), "extended"),
        answer_date=answer_date,
        answer=enclosure(values.get("answer"), "answer"),
        remarks=remarks(values.get("remarks")),
        proof=enclosure(values.get("proof"), "proof"),
    )


def _check_texts(values: Mapping[str, object]) -> None:
    """The character rule, for every text value of every field, whatever its source."""
    for field in REQUEST_FIELDS:
        raw = values.get(field.name)
        items = [raw] if isinstance(raw, str) else raw if isinstance(raw, list | tuple) else []
        for item in items:
            if isinstance(item, str) and not field.path:
                check_text(field.name, item, lines=field.lines or field.paragraphs,
                           tabs=field.paragraphs)


# Control (ESC ...), format (bidi overrides and isolates, zero-width, soft hyphen), line and
# paragraph separators: they act on the terminal or the layout instead of being read.
_CONTROLS = frozenset({"Cc", "Cf", "Zl", "Zp"})


def check_text(field: str, text: str, lines: bool = False, tabs: bool = False) -> None:
    """Text the letter can carry: decoded (no bytes kept as lone surrogates), without control
    characters (a line break only where the field takes `lines`, a tab only in pasted
    paragraphs, where it reads as a space), and only characters the letter's font prints, so
    that a text letter and a PDF are refused alike."""
    if any(unicodedata.category(ch) == "Cs" for ch in text):
        raise InputError(field, text, "is not valid text (undecodable bytes)")
    plain = text.replace("\r\n", "\n") if lines else text
    breaks = ("\n" if lines else "") + ("\t" if tabs else "")
    if any(unicodedata.category(ch) in _CONTROLS and ch not in breaks for ch in plain):
        raise InputError(field, text, "must be plain text without control characters" if lines
                         else "must be one line of text without control characters")
    if missing := unprintable(plain.replace("\n", " ").replace("\t", " ")):
        # Not the value itself: right-to-left letters would reorder the terminal's line.
        raise InputError(field, "", cannot_print([f"U+{ord(ch):04X}" for ch in missing]))


def _text(values: Mapping[str, object], field: str, required: bool = False) -> str:
    raw = values.get(field)
    text = "" if raw is None else str(raw).strip()
    if required and not text:
        raise InputError(field, "", "is required")
    return text


def _line(values: Mapping[str, object], field: str, limit: int, required: bool = False) -> str:
    text = _text(values, field, required)
    _check_length(field, text, limit)
    return text


def _name(values: Mapping[str, object]) -> str:
    name = _line(values, "name", MAX_NAME, required=True)
    if name[0] in "=+-@":
        # A spreadsheet formula, not a name; it would also run when the manifest is opened.
        raise InputError("name", name, "looks like a spreadsheet formula; expected a "
                         "person's name")
    if not any(ch.isalpha() for ch in name):
        raise InputError("name", name, "has no letters; expected a person's name")
    if "/" in name or "\\" in name:
        # A path (../../etc/passwd) is not a name; refuse it rather than slug it quietly.
        raise InputError("name", name, "contains '/' or '\\'; expected a person's name")
    return name


def _check_length(field: str, text: str, limit: int) -> None:
    if len(text) > limit:
        raise InputError(field, text, f"is too long; at most {limit} characters")


def as_list(raw: object) -> list[str]:
    """Repeatable values arrive as a list (options) or one comma-separated string (files)."""
    if raw is None:
        return []
    items: Iterable[object] = [raw] if isinstance(raw, str) else raw  # type: ignore[assignment]
    return [part.strip() for item in items for part in str(item).split(",") if part.strip()]


def _keys(raw: object, field: str, known: list[str]) -> tuple[str, ...]:
    keys: list[str] = []
    for key in as_list(raw):
        key = key.lower()
        if key not in known:
            raise InputError(field, key, "unknown; expected one of " + ", ".join(known))
        if key not in keys:
            keys.append(key)
    return tuple(keys)


def _facts(raw: object) -> tuple[tuple[str, str], ...]:
    """Facts as "GROUND: one line", for the grounds that take one; at most one per ground."""
    if raw is None:
        return ()
    items = raw.splitlines() if isinstance(raw, str) else [
        line for item in raw for line in str(item).splitlines()]  # type: ignore[attr-defined]
    facts: dict[str, str] = {}
    for item in (item.strip() for item in items):
        if not item:
            continue
        key, colon, text = item.partition(":")
        key, text = key.strip().lower(), text.strip()
        if not colon or key not in GROUNDS or not text:
            raise InputError("fact", item, "expected 'GROUND: one line of fact', e.g. "
                             "'harassment: A former client has impersonated me online'; grounds "
                             "that take a fact: " + ", ".join(GROUNDS_WITH_FACT))
        if key not in GROUNDS_WITH_FACT:
            raise InputError("fact", item, f"the ground {key} takes no fact; grounds that do: "
                             + ", ".join(GROUNDS_WITH_FACT) + " (say more with --situation)")
        if key in facts:
            raise InputError("fact", item, f"a second fact for {key}; give one line per ground")
        _check_length("fact", text, MAX_FACT)
        facts[key] = text
    return tuple(facts.items())


def parse_flag(raw: object, field: str) -> bool:
    """A yes/no value: a real bool (options, TOML) or a spreadsheet's text."""
    if raw is None or isinstance(raw, bool):
        return bool(raw)
    text = str(raw).strip().lower()
    if text in ("", "0", "no", "false", "n"):
        return False
    if text in ("1", "yes", "true", "y", "x"):
        return True
    raise InputError(field, raw, "expected yes or no")


def parse_choice(raw: object, field: str, choices: tuple[str, ...]) -> str:
    """One of a few words, in any case (options, profiles and cells alike)."""
    value = str(raw).strip().lower()
    if value not in choices:
        raise InputError(field, raw, "expected one of " + ", ".join(choices))
    return value


def _given(raw: object) -> bool:
    return raw is not None and bool(str(raw).strip())


def _region(raw: object, country: str) -> str:
    """A German Land as BY or DE-BY, Quebec as QC or CA-QC; nothing when not given or for a
    Canadian province without a law of its own in the letter (ON)."""
    text = "" if raw is None else str(raw).strip().upper()
    if not text:
        return ""
    known = regions(country)
    if not known:
        with_regions = [code for code in supported_countries() if regions(code)]
        raise InputError("region", raw, "applies only to residents of "
                         + ", ".join(with_regions) + " (regions with their own authority)")
    code = land_code(text).upper().removeprefix(f"{country}-")  # Bayern, Québec: a code
    if code in other_regions(country):  # a province whose residents get the country's letter
        return ""
    if code not in known:
        others = other_regions(country)
        raise InputError("region", raw, "unknown; expected one of " + ", ".join(
            [*known, *others]) + (f" ({', '.join(known)} adds its own law)" if others else ""))
    return code


def _region_of_address(address: tuple[str, ...], country: str) -> str:
    """A German sender's Land, or a Canadian sender's Quebec, from the postcode of their
    address, where it is certain."""
    if country == "CA":
        return province_of_address(address)
    return land_of_address(address) if country == "DE" else ""


def _toggle(raw: object) -> str:
    """off or pending; nothing when the sender did not say (the letter then claims nothing)."""
    if raw is None or not str(raw).strip():
        return ""
    return parse_choice(raw, "toggle", TOGGLE_STATES)


def _scope(raw: object, country: str) -> tuple[str, ...]:
    keys = _keys(raw, "scope", list(SCOPES))
    if not keys or "all" in as_list(raw):
        return tuple(scopes_for(country))
    for key in keys:
        allowed = SCOPE_COUNTRIES.get(key)
        if allowed is not None and country not in allowed:
            raise InputError("scope", key,
                             "applies only to residents of " + ", ".join(sorted(allowed)))
    return keys


def _situation(raw: object) -> str:
    text = "" if raw is None else str(raw).replace("\r\n", "\n").strip()
    if len(text) > MAX_SITUATION:
        raise InputError("situation", text, f"is too long; at most {MAX_SITUATION} characters")
    return text


def _email(text: str) -> str:
    from email_validator import EmailNotValidError, validate_email  # not needed for --help

    try:
        return str(validate_email(text, check_deliverability=False).normalized)
    except EmailNotValidError:
        raise InputError("email", text, "not a valid e-mail address; expected e.g. "
                         "jane.doe@example.org") from None


# A name of letters, digits, '-', '_', '.', '~' or %-escapes: nothing that ends an address
# or starts markup (spaces, <, >, ", ') when the letter is read or pasted.
_PROFILE_PATH = re.compile(r"/in/([\w%.~-]{3,100})/?")


def _profile_url(text: str) -> str:
    """Accept linkedin.com/in/NAME with or without scheme; return the canonical https URL."""
    if not text:
        return ""
    _check_length("profile_url", text, MAX_URL)
    candidate = text if "://" in text else "https://" + text
    parts = urlsplit(candidate)
    host = (parts.hostname or "").lower()
    match = _PROFILE_PATH.fullmatch(parts.path)
    if (parts.scheme not in ("http", "https") or not match
            or not (host == "linkedin.com" or host.endswith(".linkedin.com"))):
        raise InputError("profile_url", text, "not a LinkedIn profile address; expected "
                         "https://www.linkedin.com/in/your-name")
    return f"https://www.linkedin.com/in/{match.group(1)}"


def _address(raw: object) -> tuple[str, ...]:
    if raw is None:
        return ()
    items = [raw] if isinstance(raw, str) else [str(item) for item in raw]  # type: ignore[attr-defined]
    lines = [line.strip() for item in items for line in item.splitlines() if line.strip()]
    if len(lines) > MAX_ADDRESS_LINES:
        # Worded as objection/dialogue.py's LIBRARY_REASONS looks it up for translation.
        raise InputError("address", " / ".join(lines),
                         f"has {len(lines)} lines; at most {MAX_ADDRESS_LINES} fit the "
                         "letterhead and the window envelope's return line: join two lines "
                         "(the flat or building on the street's line) or leave one out")
    for line in lines:
        _check_length("address", line, MAX_LINE)
    return tuple(lines)


# The earliest letter date: LinkedIn began to use members' data for AI on 3 November 2025
# (EU/EEA, Switzerland, UK); a letter dated before objects to processing that had not begun.
FIRST_DATE = dt.date(2025, 11, 3)
# The latest, counted from today: a letter dated well ahead of when it is sent misleads its
# signer, whose deadline for LinkedIn's answer runs from when LinkedIn receives it.
DAYS_AHEAD = 31
DATE_EXAMPLE = "2026-11-23"


_EXPECTED_DAY = {"date": "the day you sign the letter", "sent": "the day you sent it",
                 "received": "the day LinkedIn received it",
                 "answer_date": "the date of LinkedIn's answer"}


def parse_date(raw: object, field: str = "date") -> dt.date:
    """YYYY-MM-DD, a real date from FIRST_DATE to DAYS_AHEAD days after today; empty means
    today. The rule of every source: option, profile, batch --date and batch cell."""
    today = dt.date.today()
    if raw is None or raw == "":
        return today
    if isinstance(raw, dt.date):
        date = raw.date() if isinstance(raw, dt.datetime) else raw
        text = date.isoformat()
    else:
        text = str(raw).strip()
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise InputError(field, text, f"expected YYYY-MM-DD, e.g. {_date_example(text)}")
        try:
            date = dt.date.fromisoformat(text)
        except ValueError:
            raise InputError(field, text, "not a real date; expected YYYY-MM-DD, e.g. "
                             + DATE_EXAMPLE) from None
    expected = _EXPECTED_DAY.get(field, _EXPECTED_DAY["date"])
    if date < FIRST_DATE:
        raise InputError(field, text, f"before {FIRST_DATE.day} {FIRST_DATE:%B %Y}, when "
                         f"LinkedIn began to use members' data for AI; expected {expected}")
    if date > today + dt.timedelta(days=DAYS_AHEAD):
        raise InputError(field, text, f"more than {DAYS_AHEAD} days after today "
                         f"({today.isoformat()}); expected {expected}")
    return date


def _date_example(text: str) -> str:
    """The date written in another way (30.11.2026, 3/11/2026, 2026/11/30, 2026-11-3) as
    YYYY-MM-DD, day before month as in Europe; a date-time as its date; else a fixed example."""
    stamp = re.match(r"(\d{4}-\d{2}-\d{2})[T ]", text)
    if stamp:
        text = stamp.group(1)
    numbers = re.fullmatch(r"(\d{1,4})[-./ ](\d{1,2})[-./ ](\d{1,4})", text)
    if numbers:
        first, month, last = (int(part) for part in numbers.groups())
        big_first = len(numbers.group(1)) == 4
        for year, month_, day in ([(first, month, last)] if big_first
                                  else [(last, month, first), (last, first, month)]):
            if year >= 1000:
                try:
                    return dt.date(year, month_, day).isoformat()
                except ValueError:
                    pass
    return DATE_EXAMPLE


def _language(raw: object, country: str) -> str:
    """The letter's language: one its country's law is written in (a Canadian letter in
    English or French), the country's main language by default."""
    if raw is None or str(raw).strip() == "":
        return default_language(country)
    lang = language_code(str(raw))
    if not lang:
        raise InputError("lang", raw, "unsupported language; expected one of "
                         + ", ".join(available_languages()) + " (see 'objection languages')")
    if not country:  # a front end asking the language before the country (the dialogue)
        return lang
    law = jurisdiction(country).law
    allowed = letter_languages(law)
    if lang not in allowed:
        raise InputError("lang", raw, f"a letter from {country} ({law_title(law)}) is "
                         "written in one of " + ", ".join(allowed))
    return lang


def check_value(field: str, raw: object, country: str = "") -> object:
    """One field's value checked by the rules make_request applies to it, so that a front end
    can refuse an answer as soon as it is given (the dialogue) and never at the end; returns
    the value as the request holds it. `country` matters for lang and scope only."""
    values = {field: raw}
    _check_texts(values)
    checks: dict[str, Callable[[], object]] = {
        "name": lambda: _name(values),
        "email": lambda: _email(_text(values, "email", required=True)),
        "profile_url": lambda: _profile_url(_text(values, "profile_url")),
        "address": lambda: _address(raw),
        "place": lambda: _line(values, "place", MAX_LINE),
        "country": lambda: jurisdiction(_text(values, "country", required=True)).country,
        "lang": lambda: _language(raw, country),
        "ground": lambda: _keys(raw, "ground", list(GROUNDS)),
        "fact": lambda: _facts(raw),
        "situation": lambda: _situation(raw),
        "scope": lambda: _scope(raw, country),
        "toggle": lambda: _toggle(raw),
    }
    return checks[field]()
