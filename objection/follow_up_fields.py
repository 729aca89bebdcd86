"""The inputs only follow-up letters have (a reminder, a complaint), validated: the letters
they follow, LinkedIn's answer and its date, the sender's remarks.

They arrive as JSON-shaped values (dicts, ISO dates, base64), whether from
objection/follow_up.py, which builds them from a letter's request data and the options, or
from the request data of a follow-up letter that `objection verify` makes again.
"""

import base64
import binascii
import datetime as dt
import re
from collections.abc import Mapping

from objection.deadline import VIA
from objection.errors import InputError
from objection.model import EarlierLetter, Enclosure, Kind
from objection.reading import MIB, describe_size

REFERENCE = re.compile(r"(OBJ|REM|CPL)-[A-Z2-7]{4}-[A-Z2-7]{4}")
MAX_ANSWER_BYTES = 10 * MIB
MAX_REMARKS = 2000
MAX_FILE_NAME = 100
# What LinkedIn's answer can be enclosed as, by its first bytes.
ANSWER_TYPES = ((b"%PDF-", "application/pdf"), (b"\x89PNG\r\n\x1a\n", "image/png"),
                (b"\xff\xd8\xff", "image/jpeg"))
TEXT_TYPES = {".txt": "text/plain", ".eml": "message/rfc822"}
# Enclosures are attached under names of their own (the letter lists them; the name a file
# had on the sender's disk stays there): LinkedIn's answer, the proof of sending.
ENCLOSURE_NAMES = {"answer": "linkedin-answer", "proof": "proof-of-sending"}
SUFFIXES = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg",
            "text/plain": ".txt", "message/rfc822": ".eml"}


def earlier_letters(raw: object, kind: Kind) -> tuple[EarlierLetter, ...]:
    """The letters a follow-up follows, oldest first: an objection, then perhaps a reminder;
    none for a kind that follows nothing."""
    items = [] if raw is None else raw
    if not isinstance(items, list | tuple):
        raise InputError("earlier", "", "expected a list of earlier letters")
    letters = tuple(_earlier_letter(item) for item in items)
    kinds = [letter.kind for letter in letters]
    if not kind.follows:
        if letters:
            raise InputError("earlier", kinds[0], f"a {kind.key} follows no earlier letter")
        return ()
    if kinds not in [list(kind.follows[:n]) for n in range(1, len(kind.follows) + 1)]:
        raise InputError("earlier", " ".join(kinds), f"a {kind.key} follows "
                         + " then ".join(kind.follows[:1] + tuple(
                             f"perhaps a {k}" for k in kind.follows[1:])))
    return letters


def _earlier_letter(item: object) -> EarlierLetter:
    if isinstance(item, EarlierLetter):
        return item
    if not isinstance(item, Mapping):
        raise InputError("earlier", "", "expected an earlier letter's kind, reference and dates")
    kind = str(item.get("kind", ""))
    if kind not in ("objection", "reminder"):
        raise InputError("earlier", kind, "expected objection or reminder")
    reference = str(item.get("reference", ""))
    if not REFERENCE.fullmatch(reference):
        raise InputError("earlier", reference, "not a letter's reference; expected e.g. "
                         "OBJ-ABCD-EFGH")
    via = str(item.get("via", ""))
    if via not in VIA:
        raise InputError("via", via, "expected one of " + ", ".join(VIA))
    date = iso_date(item.get("date"), "date")
    sent = iso_date(item.get("sent"), "sent")
    received = iso_date(item.get("received"), "received") if item.get("received") else None
    if sent < date:
        raise InputError("sent", sent.isoformat(), f"before the letter's date "
                         f"({date.isoformat()}); expected the day you sent it")
    if received is not None and received < sent:
        raise InputError("received", received.isoformat(), f"before the day it was sent "
                         f"({sent.isoformat()})")
    return EarlierLetter(kind, reference, date, sent, via, received)


def iso_date(raw: object, field: str) -> dt.date:
    """A date given as YYYY-MM-DD (or a date)."""
    if isinstance(raw, dt.date):
        return raw
    text = "" if raw is None else str(raw).strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return dt.date.fromisoformat(text)
    except ValueError:
        pass
    raise InputError(field, text, "expected a real date as YYYY-MM-DD, e.g. 2026-11-23")


def check_after_earlier(date: dt.date, earlier: tuple[EarlierLetter, ...],
                        answer_date: dt.date | None) -> None:
    """Nothing is sent, received or answered after the follow-up's own date."""
    for letter in earlier:
        for field, day in (("sent", letter.sent), ("received", letter.received)):
            if day is not None and day > date:
                raise InputError(field, day.isoformat(), f"after this letter's date "
                                 f"({date.isoformat()}); expected a day before it")
    if answer_date is not None:
        if earlier and answer_date < earlier[0].sent:
            raise InputError("answer_date", answer_date.isoformat(), "before your objection "
                             f"was sent ({earlier[0].sent.isoformat()})")
        if answer_date > date:
            raise InputError("answer_date", answer_date.isoformat(), f"after this letter's "
                             f"date ({date.isoformat()}); expected a day before it")


def enclosure(raw: object, field: str) -> Enclosure | None:
    """An enclosure (`field`: answer, proof): a PDF, PNG, JPEG, text or e-mail file of at
    most MAX_ANSWER_BYTES, given as {"name", "mime", "data" (base64)}."""
    if raw is None or raw == "":
        return None
    if isinstance(raw, Enclosure):
        return _checked_enclosure(field, raw.name, raw.data, raw.mime)
    if not isinstance(raw, Mapping):
        raise InputError(field, "", "expected a file's name, type and content")
    try:
        data = base64.b64decode(str(raw.get("data", "")), validate=True)
    except binascii.Error:
        raise InputError(field, "", "its content is not base64") from None
    enclosed = _checked_enclosure(field, str(raw.get("name", "")), data, str(raw.get("mime", "")))
    if enclosed.name != raw.get("name"):
        raise InputError(field, str(raw.get("name", "")), "not the name objection gives it")
    return enclosed


def enclosure_from_file(field: str, name: str, data: bytes) -> Enclosure:
    """A file's type from its first bytes (a PDF, PNG, JPEG) or, for text, its suffix."""
    return _checked_enclosure(field, name, data, "")


def _checked_enclosure(field: str, name: str, data: bytes, mime: str) -> Enclosure:
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    if not base or len(base) > MAX_FILE_NAME:
        raise InputError(field, name, f"expected a file name of at most {MAX_FILE_NAME} "
                         "characters")
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in base):
        raise InputError(field, "", "its file name has control characters; rename the file")
    if len(data) > MAX_ANSWER_BYTES:
        raise InputError(field, base, f"is {describe_size(len(data))}; at most "
                         f"{describe_size(MAX_ANSWER_BYTES)}")
    found = next((kind for magic, kind in ANSWER_TYPES if data.startswith(magic)), "")
    if not found:
        suffix = "." + base.rsplit(".", 1)[-1].lower() if "." in base else ""
        if suffix in TEXT_TYPES:
            try:
                data.decode("utf-8")
            except UnicodeDecodeError:
                raise InputError(field, base, "not UTF-8 text") from None
            found = TEXT_TYPES[suffix]
    if not found:
        raise InputError(field, base, "expected a PDF, PNG or JPEG file, or text (.txt) or an "
                         "e-mail (.eml)")
    if mime and mime != found:
        raise InputError(field, base, f"its content is {found}, not {mime}")
    return Enclosure(ENCLOSURE_NAMES[field] + SUFFIXES[found], found, data)


def remarks(raw: object) -> str:
    """The sender's own words on LinkedIn's answer (paragraphs; their characters are checked
    by request.check_text)."""
    text = "" if raw is None else str(raw).replace("\r\n", "\n").strip()
    if len(text) > MAX_REMARKS:
        raise InputError("remarks", text, f"is too long; at most {MAX_REMARKS} characters")
    return text
