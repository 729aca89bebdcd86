"""Follow-ups for a whole batch, and the tracking sheet (issue 14).

`objection batch --follow-up reminder FOLDER` reads the manifest of an earlier batch and, for
each letter whose time limit has passed, makes the reminder from the letter's PDF (its
request data: nothing is typed again) into FOLDER/reminders/; `--follow-up complaint` makes
the complaint to the supervisory authority into FOLDER/complaints/, from the row's reminder
if it has one, else from the letter. A follow-up is named like its letter, with its own
reference: `reminders/000002-jane-doe-REM-ABCD-EFGH.pdf`. Each kind's folder has its own
manifest.csv, which is also what a later run compares with: a follow-up whose files are
still those it lists, and whose inputs (the letter, when and how it was sent) are the same,
is not made again; without `--date` it keeps its date.

Every batch run, plain or follow-up, writes tracking.csv: one row per person, with when the
letter was sent, by when LinkedIn must answer and what is due next. An organisation keeps it
up to date by hand: the columns sent, via, received and answered (and name and email) are
read back, and a value typed there wins over the options; a value objection filled in itself
(the letter's date, the --via given) follows the options of the next run. What objection
wrote last is kept in `.objection-tracking.json` beside it, so that the two can be told apart.
Columns the organisation adds are kept.

The rows run in the batch's own pool (`batch_run.default_executor`): a worker reads the
letter, makes the follow-up, renders it and writes it to a private temporary file in the
follow-up folder; the parent commits them in groups (one flush to disk) and writes the
manifest and the tracking sheet at the end.
"""

import csv
import dataclasses
import datetime as dt
import fcntl
import functools
import io
import json
import os
import re
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from objection.errors import InputError
from objection.manifest import MANIFEST, safe_cell

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
OK, UNCHANGED, NOT_DUE, ANSWERED, REJECTED, FAILED = (
    "ok", "unchanged", "not-due", "answered", "rejected", "failed")
# A letter of the batch, as the manifest names it (in a large batch with its subfolder);
# anything else in an edited manifest is not read.
_LETTER = re.compile(r"(?P<stem>(?:\d{3,}/)?[a-z0-9_-]+)\.(?P<suffix>pdf|txt)")
_FOLLOW_UP = re.compile(r"(?P<stem>(?:\d{3,}/)?[a-z0-9_-]+)-(?P<reference>(?:REM|CPL)-"
                        r"[A-Z2-7]{4}-[A-Z2-7]{4})\.(?P<suffix>pdf|txt)")
ROWS_PER_TASK = {"pdf": 2, "txt": 16}
TASKS_IN_FLIGHT_PER_WORKER = 4
ROWS_PER_COMMIT = 128
SECONDS_PER_COMMIT = 0.5
SHOWN = 20  # rows the summary names, per kind of news
MAX_SHEET_BYTES = 256 * 1024 * 1024


@dataclass(frozen=True)
class FollowUpOptions:
    folder: Path                 # the earlier batch's folder: manifest.csv and the letters
    output: Path                 # where the follow-ups and tracking.csv go (default: folder)
    kind: str                    # "reminder" or "complaint"
    formats: tuple[str, ...] = ("pdf",)
    via: str | None = None       # how the letters were sent (None: the sheet's, else form)
    sent: str | None = None      # when (None: the sheet's, else each letter's date)
    date: str | None = None      # the follow-ups' date (None: as before, else today)
    jobs: int = 0


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


@dataclass(frozen=True)
class FollowJob:
    row: int
    identity: str
    letter: str                  # the letter's PDF (absolute)
    letter_sha256: str           # its digest as the batch wrote it
    letter_file: str             # its name in the folder, for messages
    reference: str               # the letter's reference, as the manifest lists it
    kind: str
    formats: tuple[str, ...]
    directory: str               # the kind's folder (absolute)
    sent: str | None
    via: str
    received: str | None
    date: str | None             # --date
    recorded: tuple[tuple[str, str], ...] = ()  # the follow-up's files and digests, last run
    recorded_reference: str = ""
    recorded_date: str = ""
    # complaints: the row's reminder PDFs (absolute), with their digests as written ("" if
    # not known)
    reminders: tuple[tuple[str, str], ...] = ()
    problem: tuple[str, str] | None = None


@dataclass(frozen=True)
class FollowOutcome:
    row: int
    identity: str
    status: str
    column: str = ""
    reason: str = ""
    info: LetterInfo | None = None
    reference: str = ""          # the follow-up's
    date: str = ""
    follows: str = ""            # the letter it was made from (the reminder's, if one)
    objection: str = ""          # the objection's reference
    answer_by: str = ""          # a reminder's time limit; not due: the limit still running
    files: tuple[tuple[str, str, str], ...] = ()  # (name in the kind's folder, sha256, tmp)
    data: tuple[tuple[str, bytes], ...] = ()      # before staging


@dataclass
class FollowUpSummary:
    kind: str
    folder: Path                 # where the follow-ups went
    tracking: Path
    written: int = 0
    unchanged: int = 0
    not_due_count: int = 0
    not_due: list[tuple[int, str]] = field(default_factory=list)   # (row, limit), the first
    answered: int = 0
    problem_count: int = 0
    problems: list[tuple[int, str, str]] = field(default_factory=list)
    removed: int = 0
    interrupted: bool = False
    seconds: float = 0.0

    @property
    def letters(self) -> int:
        return self.written + self.unchanged


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


def _iso(text: str | None) -> dt.date | None:
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


def _csv_lines(header: Iterable[str], rows: Iterable[Iterable[object]],
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


def _unsafe_cell(text: str) -> str:
    """A cell as written before safe_cell prefixed it."""
    from objection.manifest import FORMULA_STARTS

    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) else text


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


@contextmanager
def _locked(directory: Path) -> Iterator[None]:
    """The folder's lock, the one `objection batch` holds while it writes into it."""
    from objection.batch_state import LOCK

    fd = os.open(directory / LOCK, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise InputError("output", str(directory), "another batch is writing into this "
                             "folder; wait until it has finished") from None
        yield
    finally:
        os.close(fd)


# ---------------------------------------------------------------------------------------
# The batch's letters, the follow-up manifests


def batch_letters(folder: Path) -> list[BatchLetter]:
    """The rows of the batch's manifest that have a letter, in row order."""
    from objection.manifest import read_entries

    letters = []
    for row, entries in sorted(read_entries(folder).items()):
        files = [entry for entry in entries if entry.status == OK and entry.file]
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
            name = _FOLLOW_UP.fullmatch(entry["file"])
            if name is None or name["stem"] != entry["letter"] or \
                    name["reference"] != entry["reference"]:
                continue  # not a name objection writes: never read, never removed
        found.setdefault(entry["letter"], []).append(entry)
    return found


def _scan(directory: Path) -> dict[str, list[str]]:
    """The follow-up files in a kind's folder (and its subfolders), by letter."""
    found: dict[str, list[str]] = {}
    if not directory.is_dir():
        return found
    folders = [("", directory)]
    with os.scandir(directory) as entries:
        folders += [(entry.name + "/", Path(entry.path)) for entry in entries
                    if entry.is_dir(follow_symlinks=False) and entry.name.isdigit()]
    for prefix, path in folders:
        with os.scandir(path) as entries:
            for entry in entries:
                name = _FOLLOW_UP.fullmatch(prefix + entry.name)
                if name and entry.is_file(follow_symlinks=False):
                    found.setdefault(name["stem"], []).append(prefix + entry.name)
    return found


def _follow_up_rows(letters: list[BatchLetter], outcomes: dict[str, FollowOutcome],
                    previous: dict[str, list[dict[str, str]]],
                    directory: Path) -> Iterator[list[object]]:
    """The kind's manifest: each letter's follow-up, or why it has none. A row skipped this
    time keeps the follow-up it has (listed as before)."""
    for letter in letters:
        outcome = outcomes.get(letter.identity)
        if outcome is not None and outcome.status in (OK, UNCHANGED):
            for name, digest, _tmp in outcome.files:
                yield [letter.row, letter.identity, OK, name, digest, outcome.reference,
                       outcome.date, outcome.follows, outcome.objection, outcome.answer_by, ""]
            continue
        kept = [entry for entry in previous.get(letter.identity, [])
                if entry["status"] == OK and entry["objection"] == letter.reference
                and (directory / entry["file"]).is_file()]
        for entry in kept:
            yield [letter.row, *(entry[key] for key in FOLLOW_UP_FIELDS[1:])]
        if outcome is not None and (outcome.status in (REJECTED, FAILED) or not kept):
            yield [letter.row, letter.identity, outcome.status, "", "", "", "", "",
                   letter.reference, outcome.answer_by, outcome.reason]


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
        limit = _iso(reminder.get("answer_by") or None)
        return "complaint due" if limit is not None and today > limit else "reminded"
    return "reminder due" if due is not None and today > due else "sent"


def _current(entries: list[dict[str, str]], reference: str) -> dict[str, str] | None:
    """A letter's follow-up (its first file's entry) if it follows this letter."""
    return next((entry for entry in entries
                 if entry["status"] == OK and entry["objection"] == reference), None)


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
        reminder = _current(reminders.get(letter.identity, []), letter.reference)
        complaint = _current(complaints.get(letter.identity, []), letter.reference)
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
    write_private(out / TRACKING, _csv_lines([*TRACKING_FIELDS, *sheet.extra], lines,
                                             bom=True))
    write_private(out / RECORD, json.dumps({"version": 1, "rows": new_record},
                                           sort_keys=True, ensure_ascii=False).encode())


def track_batch(folder: Path, table: Path, mapping: dict[str, str], encoding: str | None,
                delimiter: str | None) -> Path:
    """tracking.csv after a plain batch run: each letter's name, e-mail and date come from
    what was recorded for the same letter, else from the sheet the batch read."""
    folder = folder.resolve()
    with _locked(folder):
        letters = batch_letters(folder)
        sheet = read_sheet(folder / TRACKING)
        record = read_record(folder)
        missing = {letter.row: letter for letter in letters if not letter.problem and (
            (record.get(letter.identity) or {}).get("reference") != letter.reference)}
        infos = _infos_from_table(folder, table, mapping, encoding, delimiter, missing) \
            if missing else {}
        write_tracking(folder, letters, infos, sheet, record, dt.date.today())
    return folder / TRACKING


def _infos_from_table(folder: Path, table: Path, mapping: dict[str, str],
                      encoding: str | None, delimiter: str | None,
                      missing: dict[int, BatchLetter]) -> dict[str, LetterInfo]:
    from objection.batch_run import SETTINGS
    from objection.request import parse_date
    from objection.spreadsheet import read_rows

    try:
        batch_date = json.loads((folder / SETTINGS).read_text("utf-8"))["date"]
    except (OSError, ValueError, KeyError, TypeError):
        batch_date = ""
    infos = {}
    for row in read_rows(table, mapping, encoding, delimiter):
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


# ---------------------------------------------------------------------------------------
# One row's follow-up (in a worker)


def make_follow_ups(jobs: list[FollowJob]) -> list[FollowOutcome]:
    """The pool's task: a few rows' follow-ups, their files written to private temporary
    files in the kind's folder."""
    return [_stage(follow(job), job.directory) for job in jobs]


def follow(job: FollowJob) -> FollowOutcome:
    """One row's follow-up, or why it has none; never raises for a bad row."""
    from objection.batch import ROW_SECONDS
    from objection.time_limit import TimeLimitExceeded, time_limit

    if job.problem:
        return FollowOutcome(job.row, job.identity, REJECTED, *job.problem)
    try:
        with time_limit(ROW_SECONDS):
            return _follow(job)
    except TimeLimitExceeded:
        return FollowOutcome(job.row, job.identity, FAILED, reason=f"its {job.kind} took "
                             f"longer than {ROW_SECONDS} s to make and was stopped")
    except InputError as error:
        if error.field == "region":  # a batch has no --region to give
            return FollowOutcome(job.row, job.identity, REJECTED, "region", (
                "its letter names no German Land (no region, no postcode that tells it), so "
                f"the authority is not known: make its complaint with 'objection complaint "
                f"{job.letter_file} --region ...'"))
        return FollowOutcome(job.row, job.identity, REJECTED, error.field, str(error))
    except Exception as error:  # one broken row must not stop the batch
        return FollowOutcome(job.row, job.identity, FAILED,
                             reason=f"unexpected failure ({type(error).__name__})")


def _letter_error(error: InputError, name: str) -> InputError:
    """read_letter's error, naming the file as the folder does (not the absolute path)."""
    return InputError(error.field, name, error.expected) if error.field in (
        "letter", "answer") else error


def _follow(job: FollowJob) -> FollowOutcome:
    from objection.follow_up import Sending as SentAs
    from objection.follow_up import due_of, follow_up
    from objection.kinds import KINDS

    try:
        original = _read(job.letter, ("objection",), job.letter_sha256)
    except InputError as error:
        raise _letter_error(error, job.letter_file) from None
    request, law = original.request, original.law.key
    info = LetterInfo(original.reference, request.name, request.email,
                      request.date.isoformat(), law)
    common: dict[str, Any] = {"row": job.row, "identity": job.identity, "info": info,
                              "objection": original.reference}
    if original.reference != job.reference:
        return FollowOutcome(status=REJECTED, column="letter", reason=(
            f"letter {job.letter_file!r}: is the letter {original.reference}, not "
            f"{job.reference} as manifest.csv lists; run the batch again"), **common)
    if job.via not in ("form", "post"):  # the follow-up would say how the letter went
        raise InputError("via", job.via, "say how this row's letter was sent: form or post in "
                         "the via column of tracking.csv, or --via for every row")
    sent = _iso(job.sent) or request.date
    if sent < request.date:
        raise InputError("sent", sent.isoformat(), f"before the letter's date "
                         f"({request.date.isoformat()}); expected the day it was sent")
    received = _iso(job.received)
    if received is not None and received < sent:
        raise InputError("received", received.isoformat(), f"before the day the letter was "
                         f"sent ({sent.isoformat()})")
    source, sending = original, SentAs(sent, job.via, received)
    if job.kind == "complaint":
        reminder = _reminder_of(job, original.reference)
        if reminder is not None:  # the complaint follows the reminder, and mentions it
            source, sending = reminder, SentAs(reminder.request.date, job.via, None)
    limit = due_of(source, sending)  # by when LinkedIn must answer it, as check_timing counts
    today = dt.date.today()
    explicit = _iso(job.date)
    dates = [explicit] if explicit else list(dict.fromkeys(
        [day for day in (_iso(job.recorded_date), today) if day is not None]))
    for day in dates:
        if day <= limit:
            continue
        letter = follow_up(source, KINDS[job.kind], sending, date=day)
        made: dict[str, Any] = {
            "reference": letter.reference, "date": day.isoformat(), "follows": source.reference,
            "answer_by": due_of(letter, SentAs(day, job.via)).isoformat()
            if job.kind == "reminder" else ""}
        if letter.reference == job.recorded_reference and _intact(job, letter.reference):
            return FollowOutcome(status=UNCHANGED, files=tuple(
                (name, digest, "") for name, digest in job.recorded), **made, **common)
        if day != dates[-1]:
            continue  # its inputs changed since: made anew, dated today
        from objection.render import render_files

        files = render_files(letter, job.formats)
        return FollowOutcome(status=OK, data=tuple(
            (f"{job.identity}-{letter.reference}.{fmt}", files[fmt]) for fmt in job.formats),
            **made, **common)
    return FollowOutcome(status=NOT_DUE, answer_by=limit.isoformat(), reason=(
        f"not yet due: LinkedIn has until {limit.isoformat()} to answer; a {job.kind} can be "
        f"dated from {(limit + dt.timedelta(days=1)).isoformat()}"), **common)


def _intact(job: FollowJob, reference: str) -> bool:
    """The files recorded for the follow-up are there, unchanged, in the formats asked for."""
    from objection.batch import sha256

    names = {f"{job.identity}-{reference}.{fmt}" for fmt in job.formats}
    if {name for name, _digest in job.recorded} != names:
        return False
    for name, digest in job.recorded:
        path = Path(job.directory) / name
        if not path.is_file() or path.is_symlink() or sha256(path.read_bytes()) != digest:
            return False
    return True


def _read(path: str, accepted: tuple[str, ...], digest: str) -> Any:
    """A letter of the folder, read back. Its page is compared with the letter made again
    from its request data (as `objection verify` does: a follow-up repeats what the letter
    said) unless the file is, byte for byte, the one objection wrote and listed in a
    manifest: that check takes twice as long as making the follow-up."""
    from objection.batch import sha256
    from objection.follow_up import read_letter

    written = bool(digest) and Path(path).is_file() and \
        sha256(Path(path).read_bytes()) == digest
    return read_letter(Path(path), accepted, check_page=not written)


def _reminder_of(job: FollowJob, objection: str) -> Any:
    """The row's reminder that follows this objection (the latest, if there are several), or
    None; a reminder that cannot be read is the row's problem."""

    found = []
    for path, digest in job.reminders:
        try:
            reminder = _read(path, ("reminder",), digest)
        except InputError as error:
            name = f"{FOLDERS['reminder']}/{Path(path).name}"
            raise _letter_error(error, name) from None
        if reminder.request.earlier and reminder.request.earlier[0].reference == objection:
            found.append(reminder)
    return max(found, key=lambda letter: letter.request.date, default=None)


def _stage(outcome: FollowOutcome, directory: str) -> FollowOutcome:
    from objection.batch import sha256
    from objection.output import fsync_directory, stage_private

    if not outcome.data:
        return outcome
    files = []
    for name, data in outcome.data:
        path = Path(directory) / name
        if not path.parent.is_dir():  # a large batch's subfolder
            path.parent.mkdir(mode=0o700, exist_ok=True)
            fsync_directory(path.parent.parent)
        files.append((name, sha256(data), stage_private(path, data)))
    return dataclasses.replace(outcome, files=tuple(files), data=())


# ---------------------------------------------------------------------------------------
# The run


def check_folder(folder: Path) -> Path:
    """The folder of an earlier batch (exit 2 in one line if it is not one)."""
    if not folder.is_dir():
        raise InputError("folder", str(folder), "is not a folder; with --follow-up give the "
                         "folder of an earlier batch (its -o)")
    if not (folder / MANIFEST).is_file() or (folder / MANIFEST).is_symlink():
        raise InputError("folder", str(folder), "holds no manifest.csv; expected the folder "
                         "of an earlier batch (its -o)")
    return folder.resolve()


def _output(folder: Path, output: Path) -> Path:
    """Where the follow-ups go: the batch's folder, or another one (made if missing)."""
    if not output.exists():
        if not output.parent.is_dir():
            raise InputError("output", str(output), "its parent directory does not exist")
        output.mkdir(mode=0o700)
    elif not output.is_dir():
        raise InputError("output", str(output), "exists and is not a directory")
    elif output.resolve() != folder and next(output.iterdir(), None) is not None and not any(
            os.path.lexists(output / name) for name in (TRACKING, MANIFEST, *FOLDERS.values())):
        raise InputError("output", str(output), "exists and holds other files; give a new or "
                         "empty folder, or one an earlier run wrote follow-ups into")
    return output.resolve()


def run_follow_up(options: FollowUpOptions, warn: Callable[[str], None],
                  progress_factory: Callable[[int], Callable[[int], None]] | None = None,
                  ) -> FollowUpSummary:
    from objection.batch_run import StopRequest

    started = time.perf_counter()
    folder = check_folder(options.folder)
    out = _output(folder, options.output)
    directory = out / FOLDERS[options.kind]
    summary = FollowUpSummary(options.kind, directory, out / TRACKING)
    with ExitStack() as stack:
        stack.enter_context(_locked(folder))
        if out != folder:
            stack.enter_context(_locked(out))
        letters = batch_letters(folder)
        if letters and not any(letter.pdf for letter in letters if not letter.problem):
            raise InputError("folder", str(folder), "its letters are text only; a follow-up "
                             "is made from a letter's PDF, which carries its request data: "
                             "run the batch again with --format pdf,txt")
        if directory.is_symlink() or (directory.exists() and not directory.is_dir()):
            raise InputError("output", str(directory), "is not a folder of objection's")
        directory.mkdir(mode=0o700, exist_ok=True)
        for leftover in [*directory.glob(".objection-*.part"),
                         *directory.glob("*/.objection-*.part")]:
            leftover.unlink()  # of a run that was killed while writing
        sheet = read_sheet(out / TRACKING if (out / TRACKING).exists() else folder / TRACKING)
        record = read_record(out)
        previous = read_follow_ups(directory)
        existing = _scan(directory)
        jobs, outcomes = _jobs(options, folder, out, letters, sheet, record, previous)
        stop = stack.enter_context(StopRequest(warn))
        progress = progress_factory(len(jobs)) if progress_factory else None
        _run(options, jobs, directory, existing, outcomes, summary, stop, progress)
        summary.interrupted = stop.requested
        from objection.output import write_private

        write_private(directory / MANIFEST, _csv_lines(FOLLOW_UP_FIELDS, _follow_up_rows(
            letters, outcomes, previous, directory)))
        infos = {identity: outcome.info for identity, outcome in outcomes.items()
                 if outcome.info is not None}
        today = _iso(options.date) or dt.date.today()
        write_tracking(out, letters, infos, sheet, record, today, options.sent, options.via)
    for outcome in sorted(outcomes.values(), key=lambda outcome: outcome.row):
        _count(summary, outcome)
    summary.seconds = time.perf_counter() - started
    return summary


def _jobs(options: FollowUpOptions, folder: Path, out: Path, letters: list[BatchLetter],
          sheet: Sheet, record: dict[str, dict[str, Any]],
          previous: dict[str, list[dict[str, str]]],
          ) -> tuple[list[FollowJob], dict[str, FollowOutcome]]:
    """The rows to run, and the outcomes of those decided here (answered, unusable)."""
    directory = out / FOLDERS[options.kind]
    reminder_files = _scan(out / FOLDERS["reminder"]) if options.kind == "complaint" else {}
    reminders = read_follow_ups(out / FOLDERS["reminder"]) if options.kind == "complaint" \
        else {}
    jobs, decided = [], {}
    for letter in letters:
        if letter.problem:
            decided[letter.identity] = FollowOutcome(letter.row, letter.identity, REJECTED,
                                                     "file", letter.problem)
            continue
        sending = resolve_sending(sheet.rows.get(letter.identity, {}),
                                  record.get(letter.identity), letter.reference,
                                  options.sent, options.via)
        if sending.answered:
            decided[letter.identity] = FollowOutcome(letter.row, letter.identity, ANSWERED,
                                                     reason="answered: " + sending.answered)
            continue
        problem = sending.problem
        if not letter.pdf:
            problem = problem or ("letter", f"its letter is text only ({letter.file}); a "
                                  f"{options.kind} is made from the PDF")
        elif not (folder / letter.file).is_file():
            problem = problem or ("letter", f"letter {letter.file!r}: no such file; run the "
                                  "batch again to make it")
        digests = {entry["file"]: entry["sha256"]
                   for entry in reminders.get(letter.identity, []) if entry["status"] == OK}
        pdfs = tuple((str(out / FOLDERS["reminder"] / name), digests.get(name, ""))
                     for name in reminder_files.get(letter.identity, []) if name.endswith(".pdf"))
        listed = _current(reminders.get(letter.identity, []), letter.reference)
        if listed is not None and not pdfs:
            problem = problem or ("reminder", f"its reminder {listed['reference']} is text only "
                                  "in reminders/; make the reminders with --format pdf, so "
                                  "that the complaint can be made from them")
        recorded = _current(previous.get(letter.identity, []), letter.reference)
        record_files = tuple((entry["file"], entry["sha256"])
                             for entry in previous.get(letter.identity, [])
                             if recorded and entry["status"] == OK
                             and entry["reference"] == recorded["reference"])
        jobs.append(FollowJob(
            letter.row, letter.identity, str(folder / letter.file), letter.sha256, letter.file,
            letter.reference, options.kind, options.formats, str(directory), sending.sent,
            sending.via, sending.received, options.date, record_files,
            recorded["reference"] if recorded else "", recorded["date"] if recorded else "",
            pdfs, problem))
    return jobs, decided


def _run(options: FollowUpOptions, jobs: list[FollowJob], directory: Path,
         existing: dict[str, list[str]], outcomes: dict[str, FollowOutcome],
         summary: FollowUpSummary, stop: Any, progress: Callable[[int], None] | None) -> None:
    """Run the jobs, committing their files in groups; stale follow-ups of a row that got a
    new one are removed once the new one is in place."""
    from objection.output import commit_staged

    waiting: list[FollowOutcome] = []
    last = time.monotonic()

    def commit() -> None:
        nonlocal waiting, last
        group, waiting = waiting, []
        commit_staged([(tmp, directory / name) for outcome in group
                       for name, _digest, tmp in outcome.files if tmp])
        for outcome in group:
            outcomes[outcome.identity] = outcome
            if outcome.status in (OK, UNCHANGED):
                keep = {name for name, _digest, _tmp in outcome.files}
                for name in existing.get(outcome.identity, []):
                    if name not in keep and (directory / name).is_file():
                        (directory / name).unlink()
                        summary.removed += 1
        if progress and group:
            progress(len(group))
        last = time.monotonic()

    size = ROWS_PER_TASK["pdf" if "pdf" in options.formats else "txt"]
    tasks = iter([jobs[i:i + size] for i in range(0, len(jobs), size)])
    try:
        for outcome in _outcomes(options, tasks, stop):
            waiting.append(outcome)
            if len(waiting) >= ROWS_PER_COMMIT or time.monotonic() - last >= SECONDS_PER_COMMIT:
                commit()
        commit()
    except KeyboardInterrupt:  # a second Ctrl-C: what is finished is kept
        stop.requested = True
        commit()


def _outcomes(options: FollowUpOptions, tasks: Iterator[list[FollowJob]],
              stop: Any) -> Iterator[FollowOutcome]:
    """The outcomes of every task, on the batch's own pool. A row that ends its worker
    process breaks the pool: a new one makes the rows lost one at a time, so that only the
    row that ends its worker again goes without (as `objection batch` does)."""
    from objection.batch_run import BatchOptions, default_executor

    pool_options = BatchOptions(options.folder, options.output, options.formats,
                                jobs=options.jobs)
    affinity = getattr(os, "sched_getaffinity", None)
    workers = options.jobs or (len(affinity(0)) if affinity else os.cpu_count() or 1)
    suspects: list[FollowJob] = []
    while True:
        with default_executor(pool_options) as pool:
            try:
                while suspects and not stop.requested:
                    yield from _run_tasks(pool, iter([suspects[:1]]), 1, stop)
                    del suspects[:1]
                yield from _run_tasks(pool, tasks, workers * TASKS_IN_FLIGHT_PER_WORKER, stop)
                return
            except _WorkersEnded as ended:
                if suspects:
                    job = suspects.pop(0)
                    yield FollowOutcome(job.row, job.identity, FAILED, reason=(
                        f"its worker process ended while making its {job.kind} (out of "
                        "memory, or a crash)"))
                else:
                    suspects = ended.jobs


class _WorkersEnded(Exception):
    def __init__(self, jobs: list[FollowJob]) -> None:
        super().__init__(f"{len(jobs)} rows lost")
        self.jobs = jobs


def _run_tasks(pool: Executor, tasks: Iterator[list[FollowJob]], in_flight: int,
               stop: Any) -> Iterator[FollowOutcome]:
    pending: dict[Future[list[FollowOutcome]], list[FollowJob]] = {}

    def finish_some() -> Iterator[FollowOutcome]:
        done, _ = wait(set(pending), return_when=FIRST_COMPLETED)
        lost: list[FollowJob] = []
        for future in done:
            task = pending.pop(future)
            try:
                yield from future.result()
            except BrokenProcessPool:
                lost.extend(task)
        if lost:
            raise _WorkersEnded(lost + [job for task in pending.values() for job in task])

    try:
        while not stop.requested and (task := next(tasks, None)) is not None:
            pending[pool.submit(make_follow_ups, task)] = task
            if len(pending) >= in_flight:
                yield from finish_some()
        if stop.requested:  # the rows not started are left for the next run
            for future in [future for future in pending if future.cancel()]:
                del pending[future]
        while pending:
            yield from finish_some()
    except BaseException:
        wait({future for future in pending if not future.cancel()})
        raise


def _count(summary: FollowUpSummary, outcome: FollowOutcome) -> None:
    if outcome.status == OK:
        summary.written += 1
    elif outcome.status == UNCHANGED:
        summary.unchanged += 1
    elif outcome.status == NOT_DUE:
        summary.not_due_count += 1
        if len(summary.not_due) < SHOWN:
            summary.not_due.append((outcome.row, outcome.answer_by))
    elif outcome.status == ANSWERED:
        summary.answered += 1
    else:
        summary.problem_count += 1
        if len(summary.problems) < SHOWN:
            summary.problems.append((outcome.row, outcome.column, outcome.reason))


def summary_lines(summary: FollowUpSummary, quiet: bool) -> list[str]:
    """What the command says when it is done (on standard error)."""
    plural = FOLDERS[summary.kind]
    rate = summary.written / summary.seconds if summary.seconds else 0.0
    lines = []
    if summary.interrupted:
        lines.append(f"Interrupted: {summary.letters} {plural} done so far; run the same "
                     "command again to go on.")
    elif not quiet or summary.problem_count:
        lines.append(f"{summary.letters} {plural} in {summary.folder} ({summary.written} "
                     f"written, {summary.unchanged} unchanged) in {summary.seconds:.1f} s "
                     f"({rate:.1f} letters/s).")
    if summary.not_due_count and not quiet:
        lines.append(f"{_rows(summary.not_due_count)} not yet due (skipped):")
        lines += [f"  row {row}: LinkedIn has until {limit}; a {summary.kind} can be dated "
                  f"from {(dt.date.fromisoformat(limit) + dt.timedelta(days=1)).isoformat()}"
                  for row, limit in summary.not_due]
        if summary.not_due_count > len(summary.not_due):
            lines.append(f"  ... and {summary.not_due_count - len(summary.not_due)} more")
    if summary.answered and not quiet:
        lines.append(f"{_rows(summary.answered)} marked as answered in {TRACKING} "
                     "(skipped).")
    if summary.problem_count:
        lines.append(f"{summary.problem_count} rows could not be used (all in "
                     f"{summary.folder / MANIFEST}):")
        lines += [f"  row {row}: {reason}" for row, _column, reason in summary.problems]
        if summary.problem_count > len(summary.problems):
            lines.append(f"  ... and {summary.problem_count - len(summary.problems)} more")
    if summary.removed and not quiet:
        lines.append(f"Removed {summary.removed} {plural} replaced by new ones (their letter "
                     "or how it was sent changed).")
    if not quiet:
        lines.append(f"Tracking sheet: {summary.tracking}")
    return lines


def _rows(count: int) -> str:
    return f"{count} row is" if count == 1 else f"{count} rows are"
