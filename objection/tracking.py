"""The tracking sheet of a batch (issue 14): tracking.csv and its hidden record.

Every batch run, plain or follow-up, writes tracking.csv: one row per person, with when the
letter was sent, by when LinkedIn must answer and what is due next. An organisation keeps it
up to date by hand: the columns sent, via, received and answered (and name and email) are
read back, and a value typed there wins over the options; a value objection filled in itself
(the letter's date, the --via given) follows the options of the next run. What objection
wrote last is kept in `.objection-tracking.json` beside it, so that the two can be told apart.
Columns the organisation adds are kept.

The sheet is read as any spreadsheet program may have saved it. A row's status comes from the
batch's manifest and the follow-ups' manifests (reminders/, complaints/), which are read here
too; `objection batch` calls `track_batch` after a plain run, `batch_follow_up` calls
`write_tracking` after a follow-up run.
"""

import csv
import datetime as dt
import functools
import io
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from objection.batch import COVER, OK, file_kind
from objection.batch_state import locked
from objection.errors import InputError
from objection.manifest import MANIFEST, read_entries, safe_cell
from objection.manifest import unsafe_cell as _unsafe_cell

FOLDERS = {"reminder": "reminders", "complaint": "complaints"}
TRACKING = "tracking.csv"
RECORD = ".objection-tracking.json"  # what objection wrote into tracking.csv last
# A letter's status in tracking.csv: "sent", "reminder due", "reminded", "complaint due",
# "complained" or "answered" (see _status).
TRACKING_FIELDS = ("row", "reference", "name", "email", "country", "letter_file", "sent", "via",
                   "received", "due", "answered", "status", "reminder_reference",
                   "reminder_due", "complaint_reference")
# The tracking sheet's columns read back: a value typed there wins. received and answered are
# only ever typed; name, email, sent and via objection fills in.
READ_BACK = ("name", "email", "sent", "via", "received", "answered")
FOLLOW_UP_FIELDS = ("row", "letter", "status", "file", "sha256", "reference", "date",
                    "follows", "objection", "answer_by", "error")
# A letter of the batch, as the manifest names it (in a large batch with its subfolder);
# anything else in an edited manifest is not read.
_LETTER = re.compile(r"(?P<stem>(?:\d{3,}/)?[a-z0-9_-]+)\.(?P<suffix>pdf|txt)")
FOLLOW_UP_FILE = re.compile(r"(?P<stem>(?:\d{3,}/)?[a-z0-9_-]+)-(?P<reference>(?:REM|CPL)-"
                            r"[A-Z2-7]{4}-[A-Z2-7]{4})\.(?P<suffix>pdf|txt)")
MAX_SHEET_BYTES = 256 * 1024 * 1024


@dataclass(frozen=True)
class BatchLetter:
    """A letter of the batch, as its manifest lists it."""

    row: int
    identity: str        # its file name without suffix: "000002-jane-doe" ("012/..." in a
    file: str            # large batch); the PDF's name if there is one, else the text's
    pdf: bool
    reference: str
    country: str
    problem: str = ""    # the manifest names a file that is not one of the batch's
    sha256: str = ""     # of the PDF, as the batch wrote it


@dataclass(frozen=True)
class LetterInfo:
    """What the tracking sheet says of a letter, read from it (or from the sheet it came from)."""

    reference: str
    name: str
    email: str
    date: str            # the letter's date, YYYY-MM-DD
    law: str             # gdpr, uk_gdpr, fadp


@dataclass(frozen=True)
class Sending:
    """When and how a row's letter was sent, from the sheet, the options or the defaults."""

    sent: str | None     # YYYY-MM-DD, or None: the letter's date
    via: str
    received: str | None
    answered: str        # as typed; "" when not answered
    problem: tuple[str, str] | None = None  # (column, reason): a value that cannot be used


# ---------------------------------------------------------------------------------------
# Dates and small helpers


def parse_day(text: str, column: str) -> dt.date:
    """A date typed into the sheet: YYYY-MM-DD, or as spreadsheet programs in Europe save it
    (1.12.2026, 01/12/2026, day first), or a date-time's date."""
    value = text.strip()
    try:
        if found := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T][\d:.]+)?", value):
            return dt.date(int(found[1]), int(found[2]), int(found[3]))
        if found := re.fullmatch(r"(\d{1,2})[./](\d{1,2})[./](\d{4})", value):
            return dt.date(int(found[3]), int(found[2]), int(found[1]))
    except ValueError:
        pass
    raise InputError(column, text, "expected a date as YYYY-MM-DD, e.g. 2026-12-01")


def iso_or_none(text: str | None) -> dt.date | None:
    """A date objection wrote (YYYY-MM-DD), or None for none."""
    return dt.date.fromisoformat(text) if text else None


def _law(country: str) -> str:
    return _law_and_route(country)[0]


@functools.cache
def _law_and_route(country: str) -> tuple[str, str]:
    """The law of a sender's country, and the way a posted letter takes from it to LinkedIn."""
    from objection.deadline import post_route
    from objection.jurisdictions import jurisdiction

    try:
        place = jurisdiction(country)
    except InputError:
        return "", "europe"
    return place.law, post_route(place.country, place.controller.country)


def csv_lines(header: Iterable[str], rows: Iterable[Iterable[object]],
              bom: bool = False) -> Iterator[bytes]:
    """A CSV file as encoded lines, formula-safe cells (as manifest.csv's)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(list(header))
    yield ("\ufeff" if bom else "").encode("utf-8") + buffer.getvalue().encode("utf-8")
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([safe_cell(cell) for cell in row])
        yield buffer.getvalue().encode("utf-8")


def _regular_or_none(path: Path, what: str) -> bytes | None:
    """The content of one of the batch's own files, or None if there is none; a link or a
    device in its place is refused (exit 2)."""
    from objection.reading import read_user_file

    if path.is_symlink():
        raise InputError(what, str(path), "is a symbolic link; the batch's own files must be "
                         "regular files")
    if not path.exists():
        return None
    return read_user_file(path, what, MAX_SHEET_BYTES)


# ---------------------------------------------------------------------------------------
# The batch's letters, the follow-up manifests


def batch_letters(folder: Path) -> list[BatchLetter]:
    """The rows of the batch's manifest that have a letter, in row order."""
    letters = []
    for row, entries in sorted(read_entries(folder).items()):
        # The letter's PDF and text; not its e-mail draft or cover sheet (--eml, --cover).
        files = [entry for entry in entries if entry.status == OK and entry.file
                 and file_kind(entry.file) not in ("eml", COVER)]
        if not files:
            continue  # a row the batch rejected: no letter, nothing follows
        first = files[0]
        names = {entry.file: entry for entry in files}
        bad = [name for name in names if not _LETTER.fullmatch(name)]
        if bad:
            letters.append(BatchLetter(row, f"#{row}", bad[0], False, first.reference,
                                       first.country, f"manifest.csv names {bad[0]!r}, which "
                                       "is not a letter file of the batch"))
            continue
        pdf = next((name for name in names if name.endswith(".pdf")), None)
        name = pdf or next(iter(names))
        stem = _LETTER.fullmatch(name)
        assert stem is not None
        letters.append(BatchLetter(row, stem["stem"], name, pdf is not None,
                                   names[name].reference, names[name].country,
                                   sha256=names[name].sha256 if pdf else ""))
    return letters


def read_follow_ups(directory: Path) -> dict[str, list[dict[str, str]]]:
    """A kind's manifest.csv by letter (identity): the entries of the last run."""
    raw = _regular_or_none(directory / MANIFEST, "manifest")
    found: dict[str, list[dict[str, str]]] = {}
    if raw is None:
        return found
    reader = csv.reader(io.StringIO(raw.decode("utf-8", errors="replace")))
    header = next(reader, None)
    if header is None or tuple(header) != FOLLOW_UP_FIELDS:
        return found
    for cells in reader:
        if len(cells) != len(FOLLOW_UP_FIELDS):
            continue
        entry = dict(zip(FOLLOW_UP_FIELDS, (_unsafe_cell(cell) for cell in cells), strict=True))
        if entry["file"]:
            name = FOLLOW_UP_FILE.fullmatch(entry["file"])
            if name is None or name["stem"] != entry["letter"] or \
                    name["reference"] != entry["reference"]:
                continue  # not a name objection writes: never read, never removed
        found.setdefault(entry["letter"], []).append(entry)
    return found


def current_follow_up(entries: list[dict[str, str]], reference: str) -> dict[str, str] | None:
    """A letter's follow-up (its first file's entry) if it follows this letter."""
    return next((entry for entry in entries
                 if entry["status"] == OK and entry["objection"] == reference), None)


# ---------------------------------------------------------------------------------------
# The tracking sheet


@dataclass
class Sheet:
    """tracking.csv as read: each letter's cells by column, the organisation's own columns,
    and rows that name no letter of the batch (kept if anything in them was typed)."""

    rows: dict[str, dict[str, str]] = field(default_factory=dict)
    extra: list[str] = field(default_factory=list)
    others: list[dict[str, str]] = field(default_factory=list)


def _column(header: str) -> str:
    return re.sub(r"[\s_-]+", "_", header.strip().lower())


def read_sheet(path: Path) -> Sheet:
    """The tracking sheet, as a spreadsheet program may have saved it: UTF-8 (with or
    without BOM) or Windows-1252, comma, semicolon or tab."""
    raw = _regular_or_none(path, "tracking")
    sheet = Sheet()
    if raw is None:
        return sheet
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = next(reader, None) or []
    names = []
    for title in header:
        name = _column(title)
        if name in TRACKING_FIELDS:
            names.append("" if name in names else name)  # a column twice: the first counts
        else:
            names.append(title)
            if title.strip() and title not in sheet.extra:
                sheet.extra.append(title)
    for cells in reader:
        if not any(cell.strip() for cell in cells):
            continue
        values = {name: _unsafe_cell(cell) for name, cell in zip(names, cells, strict=False)
                  if name}
        letter = _LETTER.fullmatch(values.get("letter_file", "").strip())
        identity = letter["stem"] if letter else ""
        if identity and identity not in sheet.rows:
            sheet.rows[identity] = values
        else:
            sheet.others.append(values)
    return sheet


def read_record(directory: Path) -> dict[str, dict[str, Any]]:
    """What objection wrote into tracking.csv last, by letter; empty if unreadable."""
    raw = _regular_or_none(directory / RECORD, "tracking")
    try:
        rows = json.loads(raw or b"{}").get("rows", {})
    except (ValueError, AttributeError):
        return {}
    return {key: value for key, value in rows.items() if isinstance(value, dict)} \
        if isinstance(rows, dict) else {}


def _typed(sheet_row: dict[str, str], record_row: dict[str, Any] | None, column: str,
           ours: str = "") -> str:
    """The value typed into the sheet for `column`, or "" if it holds none, or what
    objection wrote there itself (last time, or now: `ours`)."""
    value = sheet_row.get(column, "").strip()
    if not value or value == ours:
        return ""
    if record_row is not None and record_row.get(column) == value:
        return ""
    return sheet_row.get(column, "")


def resolve_sending(sheet_row: dict[str, str], record_row: dict[str, Any] | None,
                    reference: str, option_sent: str | None, option_via: str | None,
                    ) -> Sending:
    """A row's sending: typed into the sheet, else the option given, else what objection
    filled in for the same letter before, else the letter's date and no channel (a
    follow-up never assumes one; a due date without one counts as by post, the later)."""
    from objection.deadline import VIA

    same = record_row if record_row and record_row.get("reference") == reference else None
    typed = {column: _typed(sheet_row, record_row, column) for column in READ_BACK}
    problem = None
    sent = received = None
    for column in ("sent", "received"):
        if typed[column]:
            try:
                day = parse_day(typed[column], column).isoformat()
            except InputError as error:
                problem = problem or (column, f"tracking.csv: {error}")
                continue
            if column == "sent":
                sent = day
            else:
                received = day
    if not typed["sent"]:
        sent = option_sent or (same or {}).get("sent") or None
    via = typed["via"].strip().lower()
    if via and via not in VIA:
        problem = problem or ("via", f"tracking.csv: via {typed['via']!r}: expected form or "
                              "post")
    if not via or via not in VIA:
        via = option_via or (same or {}).get("via") or ""
    return Sending(sent, via, received, typed["answered"].strip(), problem)


def _status(answered: str, due: dt.date | None, reminder: dict[str, str] | None,
            complaint: dict[str, str] | None, today: dt.date) -> str:
    if answered:
        return "answered"
    if complaint:
        return "complained"
    if reminder:
        limit = iso_or_none(reminder.get("answer_by") or None)
        return "complaint due" if limit is not None and today > limit else "reminded"
    return "reminder due" if due is not None and today > due else "sent"


def write_tracking(out: Path, letters: list[BatchLetter], infos: dict[str, LetterInfo],
                   sheet: Sheet, record: dict[str, dict[str, Any]], today: dt.date,
                   option_sent: str | None = None, option_via: str | None = None) -> None:
    """tracking.csv, one row per letter in row order (then the rows of the sheet that name no
    letter of the batch but hold something typed), and the record of what objection wrote."""
    from objection.deadline import deadline

    reminders = read_follow_ups(out / FOLDERS["reminder"])
    complaints = read_follow_ups(out / FOLDERS["complaint"])
    new_record: dict[str, dict[str, Any]] = {}
    lines: list[list[str]] = []
    for letter in letters:
        if letter.problem:
            continue
        sheet_row = sheet.rows.pop(letter.identity, {})
        record_row = record.get(letter.identity)
        info = infos.get(letter.identity)
        if info is None and record_row and record_row.get("reference") == letter.reference:
            info = LetterInfo(letter.reference, str(record_row.get("name") or ""),
                              str(record_row.get("email") or ""),
                              str(record_row.get("date") or ""),
                              str(record_row.get("law") or _law(letter.country)))
        info = info or LetterInfo(letter.reference, "", "", "", _law(letter.country))
        sending = resolve_sending(sheet_row, record_row, letter.reference, option_sent,
                                  option_via)
        cells = {column: sheet_row.get(column, "") for column in READ_BACK}
        ours: dict[str, Any] = {"reference": letter.reference, "date": info.date,
                                "law": info.law}
        # A name or e-mail the same as the letter's is the letter's; a date or a way of
        # sending is typed unless objection wrote it there (typed, it wins over options).
        for column, value, letter_s in (("name", info.name, True), ("email", info.email, True),
                                        ("sent", sending.sent or info.date, False),
                                        ("via", sending.via, False)):
            if _typed(sheet_row, record_row, column, value if letter_s else "") or not value:
                ours[column] = None  # kept as typed (or unknown: what the sheet holds)
            else:
                cells[column] = ours[column] = value
        due = None
        try:
            sent = parse_day(cells["sent"], "sent") if cells["sent"].strip() else None
            received = parse_day(cells["received"], "received") \
                if cells["received"].strip() else None
            # Without the channel (or the day of receipt) there is no due date to give.
            if sent is not None and info.law and (sending.via or received is not None):
                due = deadline(info.law, sent, sending.via, received,
                               _law_and_route(letter.country)[1]).due
        except InputError:
            pass
        reminder = current_follow_up(reminders.get(letter.identity, []), letter.reference)
        complaint = current_follow_up(complaints.get(letter.identity, []), letter.reference)
        cells.update(
            row=str(letter.row), reference=letter.reference, country=letter.country,
            letter_file=letter.file, due=due.isoformat() if due else "",
            status=_status(sending.answered, due, reminder, complaint, today),
            reminder_reference=reminder["reference"] if reminder else "",
            reminder_due=reminder["answer_by"] if reminder else "",
            complaint_reference=complaint["reference"] if complaint else "")
        lines.append([cells[column] for column in TRACKING_FIELDS]
                     + [sheet_row.get(title, "") for title in sheet.extra])
        new_record[letter.identity] = ours
    for values in [*sheet.rows.values(), *sheet.others]:  # rows that name no letter
        letter_file = _LETTER.fullmatch(values.get("letter_file", "").strip())
        record_row = record.get(letter_file["stem"]) if letter_file else None
        if any(_typed(values, record_row, column) for column in READ_BACK) or \
                any(values.get(title, "").strip() for title in sheet.extra):
            lines.append([values.get(column, "") for column in TRACKING_FIELDS]
                         + [values.get(title, "") for title in sheet.extra])
    from objection.output import write_private

    for name in (TRACKING, RECORD):
        if (out / name).is_symlink():
            raise InputError("tracking", str(out / name), "is a symbolic link; the batch's "
                             "own files must be regular files")
    write_private(out / TRACKING, csv_lines([*TRACKING_FIELDS, *sheet.extra], lines,
                                             bom=True))
    write_private(out / RECORD, json.dumps({"version": 1, "rows": new_record},
                                           sort_keys=True, ensure_ascii=False).encode())


def track_batch(folder: Path, table: Path, mapping: dict[str, str], encoding: str | None,
                delimiter: str | None, sheet_name: str | None = None,
                header_row: int | None = None) -> Path:
    """tracking.csv after a plain batch run: each letter's name, e-mail and date come from
    what was recorded for the same letter, else from the sheet the batch read."""
    folder = folder.resolve()
    with locked(folder):
        letters = batch_letters(folder)
        sheet = read_sheet(folder / TRACKING)
        record = read_record(folder)
        missing = {letter.row: letter for letter in letters if not letter.problem and (
            (record.get(letter.identity) or {}).get("reference") != letter.reference)}
        infos = _infos_from_table(folder, table, mapping, encoding, delimiter, missing,
                                  sheet_name, header_row) if missing else {}
        write_tracking(folder, letters, infos, sheet, record, dt.date.today())
    return folder / TRACKING


def _infos_from_table(folder: Path, table: Path, mapping: dict[str, str],
                      encoding: str | None, delimiter: str | None,
                      missing: dict[int, BatchLetter], sheet: str | None,
                      header_row: int | None) -> dict[str, LetterInfo]:
    from objection.batch_run import SETTINGS
    from objection.request import parse_date
    from objection.spreadsheet import read_rows

    try:
        batch_date = json.loads((folder / SETTINGS).read_text("utf-8"))["date"]
    except (OSError, ValueError, KeyError, TypeError):
        batch_date = ""
    infos = {}
    for row in read_rows(table, mapping, encoding, delimiter, sheet=sheet,
                         header_row=header_row):
        letter = missing.get(row.number)
        if letter is None:
            continue
        values = row.values
        try:
            date = parse_date(values.get("date") or batch_date).isoformat()
        except InputError:
            date = ""
        infos[letter.identity] = LetterInfo(
            letter.reference, " ".join(str(values.get("name", "")).split()),
            str(values.get("email", "")).strip(), date, _law(letter.country))
    return infos
