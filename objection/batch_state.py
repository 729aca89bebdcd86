"""What a batch has done, behind one small interface (`BatchState`), kept apart from the loop.

The batch loop only asks the state which rows need no new letter and tells it which groups of
rows are committed; how that is remembered, and made durable, is the state's business. It is
`SqliteState`: one SQLite database in the output folder, with the rows of the last completed
run and those of the current one, each group recorded in one transaction. Nothing grows in
memory with the number of rows: the manifest and the report are streamed out of it.
"""

import fcntl
import itertools
import json
import os
import re
import sqlite3
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Protocol

from objection.batch import (
    FAILED,
    OK,
    REJECTED,
    UNCHANGED,
    Staged,
    email_key,
    file_kind,
    sha256,
)
from objection.errors import InputError
from objection.manifest import (
    JOURNAL,
    MANIFEST,
    STATUS_DUPLICATE,
    STATUS_NOT_WRITTEN,
    STATUS_UNCHANGED,
    STATUS_WRITTEN,
    Person,
    file_kinds,
    read_entries,
    write_manifest,
    write_report,
)

STATE = ".objection-state.sqlite3"
LOCK = ".objection-lock"  # held (flock) by the run writing into the folder
# A letter's file as the state names it: in the folder, or in one of its subfolders ("001/").
# Anything else (an old manifest edited by hand) is never deleted.
_OWN_FILE = re.compile(r"(?:\d{3,}/)?[a-z0-9_-]+\.(?:pdf|txt|eml)")
PROBLEMS_SHOWN = 20  # rows with a problem that the summary names; report.csv has them all


@contextmanager
def locked(directory: Path) -> Iterator[None]:
    """The folder's lock, held while a batch (or its follow-ups, or the tracking sheet)
    writes into it: a second one is refused rather than kept waiting."""
    fd = os.open(directory / LOCK, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise InputError("output", str(directory), "another batch is writing into this "
                             "folder; wait until it has finished") from None
        yield
    finally:
        os.close(fd)  # releases the lock


@dataclass(frozen=True)
class Tally:
    """This run's rows so far, for the summary and the exit status."""

    written: int
    unchanged: int
    problem_count: int
    problems: list[tuple[int, str, str]]  # the first PROBLEMS_SHOWN: row, column, reason
    removed: int = 0  # files of rows that left the input, went bad or changed format


class BatchState(Protocol):
    """The record of a batch's rows in its output folder, opened for one run.

    Leaving the `with` block without an exception after `finish` completes the run; leaving
    it any other way keeps what the next run needs to resume.
    """

    def __enter__(self) -> "BatchState": ...

    def claim(self, source: str, replace: bool) -> None:
        """The folder holds the letters of one input (`source`, its resolved path): another
        one is an input error unless `replace`, which lets this run's letters replace them."""
        ...

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 traceback: TracebackType | None) -> None: ...

    def subfolders(self, proposed: Callable[[], bool]) -> bool:
        """Whether the letters go into subfolders of ROWS_PER_SUBFOLDER rows: as the folder's
        first run (or a --replace) decided, else `proposed()`, which is then kept."""
        ...

    def expected_reference(self, row: int, key: str = "") -> str:
        """The reference of the row's letter (the row with this id, if the sheet has ids) if
        every file recorded for it is still on disk, unchanged, in the formats asked for;
        else "". A row whose reference is the same again is not made again."""
        ...

    def first_row_with(self, key: str, row: int) -> int:
        """The row that first gave this id in this run (`row` itself, the first time)."""
        ...

    def person(self, row: int, name: str, email: str, kept: Mapping[str, str]) -> int:
        """Note who a row is for the manifest (its --keep values by their headers in the
        sheet, which the manifest's header then shows); return the row that first gave the
        same e-mail address in this run (`row` itself, the first time): addresses are
        compared without case and surrounding spaces."""
        ...

    def record(self, group: Sequence[Staged]) -> None:
        """Remember a group of rows, durably, as one step. Called only once the group's
        files are in place and durable, so the record never lists a file a crash could lose."""
        ...

    def tally(self) -> Tally:
        """What this run has recorded so far."""
        ...

    def suspend(self) -> None:
        """Interrupted: leave a readable manifest of what is done; keep what resume needs."""
        ...

    def finish(self) -> Iterable[str]:
        """Every row is recorded: remove the files of rows that changed or went bad, write
        manifest.csv and report.csv; return the letters' file names in row order (read while
        the state is open)."""
        ...


def open_state(directory: Path, suffixes: frozenset[str],
               keep: Sequence[str] = ()) -> BatchState:
    """The state of the batch whose output folder is `directory`, for a run that writes a
    file of each of these suffixes per row ("pdf", "txt", "eml") and whose manifest passes
    these columns of the sheet through (`--keep`)."""
    return SqliteState(directory, suffixes, keep)


# A row is known by its identity: "id:<id>" when the sheet has an id column, else "#<row>".
# Each entry of a row repeats who the row is for (name, email, kept: its --keep values as
# JSON, by header in lower case) and its status in the manifest's words (outcome).
_COLUMNS = ("identity", "row", "seq", "status", "file", "sha256", "country", "language",
            "reference", "column_name", "error", "name", "email", "kept", "outcome")
_PERSON_COLUMNS = ("name", "email", "kept", "outcome")  # added in version 2
_SCHEMA_VERSION = 2
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS done (   -- the rows of the last completed run
    identity TEXT NOT NULL, row INTEGER NOT NULL, seq INTEGER NOT NULL, status TEXT NOT NULL,
    file TEXT NOT NULL, sha256 TEXT NOT NULL, country TEXT NOT NULL, language TEXT NOT NULL,
    reference TEXT NOT NULL, column_name TEXT NOT NULL, error TEXT NOT NULL,
    name TEXT NOT NULL DEFAULT '', email TEXT NOT NULL DEFAULT '',
    kept TEXT NOT NULL DEFAULT '', outcome TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (identity, seq));
CREATE TABLE IF NOT EXISTS current (  -- the rows of the current (or a stopped) run
    identity TEXT NOT NULL, row INTEGER NOT NULL, seq INTEGER NOT NULL, status TEXT NOT NULL,
    file TEXT NOT NULL, sha256 TEXT NOT NULL, country TEXT NOT NULL, language TEXT NOT NULL,
    reference TEXT NOT NULL, column_name TEXT NOT NULL, error TEXT NOT NULL,
    run TEXT NOT NULL, name TEXT NOT NULL DEFAULT '', email TEXT NOT NULL DEFAULT '',
    kept TEXT NOT NULL DEFAULT '', outcome TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (identity, seq));
CREATE TEMP TABLE IF NOT EXISTS ids (key TEXT PRIMARY KEY, row INTEGER NOT NULL);
CREATE TEMP TABLE IF NOT EXISTS people (  -- who this run's rows are for
    row INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL, kept TEXT NOT NULL);
CREATE TEMP TABLE IF NOT EXISTS emails (address TEXT PRIMARY KEY, row INTEGER NOT NULL);
"""


def _identity(row: int, key: str) -> str:
    return f"id:{key}" if key else f"#{row}"
# The manifest's order: as the CSV manifest always was (a row's files by status and name).
_ORDER = "ORDER BY row, status, file, sha256, country, language, reference, error"
_PROBLEM = f"status IN ('{REJECTED}', '{FAILED}')"


class SqliteState:
    """The batch's rows in `.objection-state.sqlite3`: `done` holds the last completed run,
    `current` this run's rows (and a stopped run's, until this run records them again).
    Each group of rows is one transaction, durable before the next group is committed
    (synchronous=FULL), so that a SIGKILL at any point leaves a state the next run resumes
    from. The folder's earlier manifest and journal (before the state was kept in SQLite)
    are carried over once."""

    def __init__(self, directory: Path, suffixes: frozenset[str],
                 keep: Sequence[str] = ()) -> None:
        self._directory = directory
        self._suffixes = suffixes
        self._keep = tuple(keep)
        self._titles: dict[str, str] = {}  # the --keep headers as the sheet spells them
        self._run = uuid.uuid4().hex  # marks the rows this run records
        self._written = self._unchanged = self._removed = 0
        self._finished = False
        path = directory / STATE
        if not path.exists():
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
            new = True
        else:
            new = False
        # Autocommit mode: every transaction below is explicit (BEGIN ... COMMIT).
        self._db = sqlite3.connect(path, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        if not new and version == 1:  # before the manifest named people: the same rows
            with self._transaction():
                for table, column in itertools.product(("done", "current"), _PERSON_COLUMNS):
                    self._db.execute(f"ALTER TABLE {table} ADD COLUMN {column} TEXT NOT NULL "
                                     "DEFAULT ''")
            version = _SCHEMA_VERSION
        if not new and version != _SCHEMA_VERSION:
            # A state of an earlier layout: start again from its manifest (carried over).
            self._db.executescript("DROP TABLE IF EXISTS done; DROP TABLE IF EXISTS current;")
            new = True
        self._db.executescript(_SCHEMA)
        self._db.execute(f"PRAGMA user_version = {_SCHEMA_VERSION}")
        if new:
            self._carry_over()

    def _carry_over(self) -> None:
        """The manifest (and the journal of a stopped run) of a folder written before."""
        if not ((self._directory / MANIFEST).is_file() or (self._directory / JOURNAL).is_file()):
            return
        with self._transaction():
            for row, entries in read_entries(self._directory).items():
                self._insert("done", _identity(row, ""), row,
                             [(e.status, e.file, e.sha256, e.country, e.language, e.reference,
                               "", e.error) for e in entries], ("", "", "", ""))
        (self._directory / JOURNAL).unlink(missing_ok=True)

    def __enter__(self) -> "SqliteState":
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self._db.close()

    def claim(self, source: str, replace: bool) -> None:
        found = self._db.execute("SELECT value FROM meta WHERE key = 'input'").fetchone()
        if found and found[0] != source and not replace:
            raise InputError("input", source, f"the folder {self._directory} holds the "
                             f"letters of {found[0]}; give that file, another folder, or "
                             "--replace to replace those letters with this file's")
        with self._transaction():
            self._db.execute("INSERT OR REPLACE INTO meta VALUES ('input', ?)", (source,))
            if found and found[0] != source:  # replaced: the new input decides the layout
                self._db.execute("DELETE FROM meta WHERE key = 'subfolders'")

    def subfolders(self, proposed: Callable[[], bool]) -> bool:
        found = self._db.execute("SELECT value FROM meta WHERE key = 'subfolders'").fetchone()
        if found:
            return bool(found[0] == "yes")
        decided = proposed()
        with self._transaction():
            self._db.execute("INSERT INTO meta VALUES ('subfolders', ?)",
                             ("yes" if decided else "no",))
        return decided

    def _transaction(self) -> "_Transaction":
        return _Transaction(self._db)

    def _entries(self, identity: str) -> list[tuple[str, ...]]:
        """A row's record: this (or a stopped) run's, else the last completed run's."""
        for table in ("current", "done"):
            found = self._db.execute(
                f"SELECT status, file, sha256, country, language, reference, column_name, error "
                f"FROM {table} WHERE identity = ? ORDER BY seq", (identity,)).fetchall()
            if found:
                return found
        return []

    def first_row_with(self, key: str, row: int) -> int:
        self._db.execute("INSERT OR IGNORE INTO ids VALUES (?, ?)", (key, row))
        return int(self._db.execute("SELECT row FROM ids WHERE key = ?", (key,)).fetchone()[0])

    def person(self, row: int, name: str, email: str, kept: Mapping[str, str]) -> int:
        for title in kept:  # the first row tells how the sheet spells them
            self._titles.setdefault(title.lower(), title)
        address = email_key(email)
        first = row
        if address:
            self._db.execute("INSERT OR IGNORE INTO emails VALUES (?, ?)", (address, row))
            first = int(self._db.execute("SELECT row FROM emails WHERE address = ?",
                                         (address,)).fetchone()[0])
        kept_json = json.dumps({title.lower(): _writable(value) for title, value in kept.items()},
                               ensure_ascii=False)
        self._db.execute("INSERT OR REPLACE INTO people VALUES (?, ?, ?, ?)",
                         (row, _writable(name), _writable(email), kept_json))
        return first

    def expected_reference(self, row: int, key: str = "") -> str:
        entries = self._entries(_identity(row, key))
        if not entries or any(status != OK for status, *_ in entries):
            return ""
        if not all(_OWN_FILE.fullmatch(name) for _status, name, *_rest in entries):
            return ""  # the state is not trusted for paths: such a row is made again
        if {file_kind(name) for _status, name, *_rest in entries} != self._suffixes:
            return ""  # other formats asked for this time: the row is made again
        for _status, name, digest, *_rest in entries:
            path = self._directory / name
            if not path.is_file() or sha256(path.read_bytes()) != digest:
                return ""
        return str(entries[0][5])

    def record(self, group: Sequence[Staged]) -> None:
        with self._transaction():
            for staged in group:
                identity = _identity(staged.row, staged.key)
                entries = self._record_of(staged, identity)
                self._db.execute("DELETE FROM current WHERE identity = ?", (identity,))
                self._insert("current", identity, staged.row, entries,
                             self._person_of(staged), self._run)

    def _person_of(self, staged: Staged) -> tuple[str, str, str, str]:
        """Who the row is for, as `person` noted it, and its status in the manifest's words."""
        found = self._db.execute("SELECT name, email, kept FROM people WHERE row = ?",
                                 (staged.row,)).fetchone()
        name, email, kept = found or ("", "", "")
        if staged.status == UNCHANGED:
            outcome = STATUS_UNCHANGED
        elif staged.status == OK:
            outcome = STATUS_WRITTEN
        elif staged.duplicate_of:
            outcome = STATUS_DUPLICATE.format(row=staged.duplicate_of)
        else:
            outcome = STATUS_NOT_WRITTEN
        return str(name), str(email), str(kept), outcome

    def _record_of(self, staged: Staged, identity: str) -> list[tuple[str, ...]]:
        if staged.status == UNCHANGED:
            self._unchanged += 1
            return [tuple(entry) for entry in self._entries(identity)]
        if staged.status in (REJECTED, FAILED):
            return [(staged.status, "", "", staged.country, staged.language, staged.reference,
                     staged.column, staged.reason)]
        self._written += 1
        # A letter made without its e-mail draft or cover sheet: `reason` says why.
        return [(OK, name, digest, staged.country, staged.language, staged.reference,
                 staged.column, staged.reason) for name, digest, _tmp in staged.files]

    def _insert(self, table: str, identity: str, row: int, entries: list[tuple[str, ...]],
                person: tuple[str, str, str, str], run: str | None = None) -> None:
        columns = [*_COLUMNS, *(["run"] if run is not None else [])]
        extra = (run,) if run is not None else ()
        marks = ", ".join("?" * len(columns))
        self._db.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",
                             [(identity, row, seq, *entry[:8], *person, *extra)
                              for seq, entry in enumerate(entries)])

    def tally(self) -> Tally:
        # This run's rows: still in `current`, or, once finished, all of `done`.
        table, where, args = (("done", _PROBLEM, ()) if self._finished
                              else ("current", f"run = ? AND {_PROBLEM}", (self._run,)))
        count = self._db.execute(f"SELECT COUNT(*) FROM {table} WHERE {where}",
                                 args).fetchone()[0]
        shown = self._db.execute(f"SELECT row, column_name, error FROM {table} WHERE {where} "
                                 f"ORDER BY row LIMIT {PROBLEMS_SHOWN}", args).fetchall()
        return Tally(self._written, self._unchanged, count, [tuple(p) for p in shown],
                     self._removed)

    def suspend(self) -> None:
        """The manifest of what is done: this run's rows, and the last run's others."""
        self._write_manifest(
            f"SELECT {', '.join(_COLUMNS)} FROM current UNION ALL "
            f"SELECT {', '.join(_COLUMNS)} FROM done "
            "WHERE identity NOT IN (SELECT identity FROM current)")

    def finish(self) -> Iterable[str]:
        with self._transaction():
            # Files this run does not list: of rows that changed, went bad or left the sheet,
            # in the last completed run or in a stopped one since (its rows this run did not
            # see stay only in `current`, under the stopped run's mark).
            for (name,) in self._db.execute(
                    "SELECT file FROM done WHERE file != '' UNION "
                    "SELECT file FROM current WHERE run != ? AND file != '' EXCEPT "
                    "SELECT file FROM current WHERE run = ?", (self._run, self._run)).fetchall():
                if _OWN_FILE.fullmatch(name) and (self._directory / name).is_file():
                    (self._directory / name).unlink()
                    self._removed += 1
            self._db.execute("DELETE FROM current WHERE run != ?", (self._run,))
            self._db.execute("DELETE FROM done")
            self._db.execute(f"INSERT INTO done ({', '.join(_COLUMNS)}) "
                             f"SELECT {', '.join(_COLUMNS)} FROM current")
            self._db.execute("DELETE FROM current")
        self._write_manifest(f"SELECT {', '.join(_COLUMNS)} FROM done")
        write_report(self._directory, (tuple(problem) for problem in self._db.execute(
            f"SELECT row, column_name, error FROM done WHERE {_PROBLEM} "
            "ORDER BY row, column_name, error")))
        self._finished = True
        return _Letters(self._db)

    def _write_manifest(self, select: str) -> None:
        """manifest.csv: a line per row, with a column for each kind of file it lists."""
        suffixes = {file_kind(name) for (name,) in self._db.execute(
            f"SELECT DISTINCT file FROM ({select}) WHERE file != ''")}
        write_manifest(self._directory, self._people(select),
                       [self._titles.get(header.lower(), header) for header in self._keep],
                       file_kinds(self._suffixes | suffixes))

    def _people(self, select: str) -> Iterator[Person]:
        query = (f"SELECT identity, row, status, file, sha256, country, language, reference, "
                 f"error, name, email, kept, outcome FROM ({select}) "
                 "ORDER BY row, identity, seq")
        for _key, records in itertools.groupby(self._db.execute(query),
                                               key=lambda record: record[0]):
            yield _person([tuple(record[1:]) for record in records])


def _person(entries: list[tuple[object, ...]]) -> Person:
    """A manifest line from a row's entries (row, status, file, sha256, country, language,
    reference, error, name, email, kept, outcome), the same person in each."""
    row, status, _file, _digest, country, language, reference, _error, name, email, \
        kept, outcome = entries[0]
    files = {file_kind(str(entry[2])): (str(entry[2]), str(entry[3]))
             for entry in entries if entry[1] == OK and entry[2]}
    try:
        values = json.loads(str(kept)) if kept else {}
    except ValueError:
        values = {}
    plain = str(outcome) or (STATUS_WRITTEN if status == OK else STATUS_NOT_WRITTEN)
    return Person(int(str(row)), str(name), str(email),
                  {str(key): str(value) for key, value in values.items()}
                  if isinstance(values, dict) else {},
                  plain, next((str(entry[7]) for entry in entries if entry[7]), ""), files,
                  str(country), str(language), str(reference))


def _writable(text: str) -> str:
    """A cell as the manifest can hold it: bytes a row had undecoded (see spreadsheet.py)
    become U+FFFD."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


class _Letters:
    """The finished letters' file names in row order, read from the state each time they
    are iterated (the print file and the zip both go through them)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __iter__(self) -> Iterator[str]:
        return (name for (name,) in self._db.execute(
            f"SELECT file FROM done WHERE status = '{OK}' {_ORDER}")
            if _OWN_FILE.fullmatch(name))


class _Transaction:
    """BEGIN ... COMMIT, or ROLLBACK when the block raises (a second Ctrl-C included)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type: type[BaseException] | None, *_rest: object) -> None:
        self._db.execute("COMMIT" if exc_type is None else "ROLLBACK")
