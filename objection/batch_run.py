"""`objection batch`: a spreadsheet in, a folder of letters out, in parallel, resumable.

The parent streams rows, hands each to a worker process (`batch.produce`), writes the
returned files atomically and journals them; it never holds more than a bounded number of
rows or letters at once. A second run skips rows whose files still match the manifest.
"""

import json
import multiprocessing
import os
import signal
import time
import zipfile
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from objection.batch import (
    FAILED,
    OK,
    REJECTED,
    UNCHANGED,
    Job,
    Staged,
    produce,
    produce_and_stage,
    row_values,
    sha256,
    today,
)
from objection.errors import InputError
from objection.manifest import (
    MANIFEST,
    REPORT,
    Entry,
    Journal,
    read_entries,
    write_manifest,
    write_report,
)
from objection.output import commit_staged, write_private
from objection.spreadsheet import Row, detect_encoding, is_spreadsheet, read_rows

SETTINGS = "objection-batch.json"
PRINT_CHUNK = 1000  # letters per print file
# Rows a worker takes at once: text letters are cheap, so fewer round trips pay; a PDF takes
# a fifth of a second, so small tasks keep the workers evenly busy and progress smooth.
ROWS_PER_TASK = {"txt": 64, "pdf": 2}
ROWS_PER_COMMIT = 128  # letters put in place with one flush to disk ...
SECONDS_PER_COMMIT = 0.5  # ... or fewer, when letters come slowly (PDF)
TASKS_IN_FLIGHT_PER_WORKER = 4  # bounds the rows (and letters) in memory at any time


@dataclass(frozen=True)
class BatchOptions:
    input: Path
    output: Path
    formats: tuple[str, ...] = ("pdf",)
    eml: bool = False
    zip: bool = False
    print_file: bool = False
    jobs: int = 0
    strict: bool = False
    mapping: dict[str, str] = field(default_factory=dict)
    encoding: str | None = None
    delimiter: str | None = None
    date: str | None = None


@dataclass
class Summary:
    written: int = 0
    unchanged: int = 0
    problems: list[tuple[int, str, str]] = field(default_factory=list)  # row, column, reason
    interrupted: bool = False
    seconds: float = 0.0
    extras: list[str] = field(default_factory=list)

    @property
    def letters(self) -> int:
        return self.written + self.unchanged


Progress = Callable[[int], None]


def run_batch(options: BatchOptions, warn: Callable[[str], None],
              progress_factory: Callable[[int], Progress] | None = None) -> Summary:
    started = time.perf_counter()
    warned: set[str] = set()

    def warn_once(message: str) -> None:  # the file is read more than once
        if message not in warned:
            warned.add(message)
            warn(message)

    def rows() -> Iterator[Row]:
        return read_rows(options.input, options.mapping, encoding, options.delimiter,
                         warn_once)

    # The file is read more than once (header check, count, rows): detect its encoding once.
    encoding = options.encoding or (None if is_spreadsheet(options.input)
                                    else detect_encoding(options.input, warn_once))
    next(rows(), None)  # the header is checked before anything is written
    if options.strict:
        _validate_all(rows(), str(options.input.resolve().parent))
    directory = _prepare(options.output)
    date = _batch_date(directory, options.date)
    previous = read_entries(directory)
    summary = Summary()
    entries: dict[int, list[Entry]] = {}
    progress = progress_factory(sum(1 for _ in rows())) if progress_factory else None
    journal = Journal(directory)
    waiting: list[Staged] = []  # letters in temporary files, not yet committed
    last_commit = time.monotonic()
    with StopRequest(warn) as stop:
        try:
            for staged in _run_pool(options, rows(), date, directory, previous, stop):
                waiting.append(staged)
                if (len(waiting) >= ROWS_PER_COMMIT
                        or time.monotonic() - last_commit >= SECONDS_PER_COMMIT):
                    _commit(waiting, directory, previous, entries, summary, journal)
                    if progress:
                        progress(len(waiting))
                    waiting, last_commit = [], time.monotonic()
        except KeyboardInterrupt:  # a second Ctrl-C: stop at once
            pass
        summary.interrupted = stop.requested
        _commit(waiting, directory, previous, entries, summary, journal)  # finished letters
        if progress:
            progress(len(waiting))
        if summary.interrupted:
            # Keep the journal: the next run resumes from it. Still leave a readable manifest.
            merged = {**previous, **entries}
            write_manifest(directory, [e for row in merged.values() for e in row])
            journal.close(remove=False)
        else:
            _finish(options, directory, previous, entries, summary)
            journal.close(remove=True)
    summary.seconds = time.perf_counter() - started
    return summary


class StopRequest:
    """Ctrl-C asks the batch to stop: no new rows are started, and the letters being made
    are finished and committed, so that nothing half-made is left behind. A second Ctrl-C
    stops at once (KeyboardInterrupt); the next run cleans up after it."""

    def __init__(self, warn: Callable[[str], None]) -> None:
        self.requested = False
        self._warn = warn
        self._previous: Any = None

    def __enter__(self) -> "StopRequest":
        try:
            self._previous = signal.signal(signal.SIGINT, self._handle)
        except ValueError:  # not the main thread: Ctrl-C raises KeyboardInterrupt as usual
            self._previous = None
        return self

    def _handle(self, _signum: int, _frame: object) -> None:
        if self.requested:
            raise KeyboardInterrupt
        self.requested = True
        self._warn("stopping after the letters being made (Ctrl-C again to stop at once)")

    def __exit__(self, *_exc: object) -> None:
        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)


def _validate_all(rows: Iterator[Row], base_dir: str) -> None:
    """--strict: the first bad row stops the batch before any file is written."""
    from objection.request import make_request

    for row in rows:
        if row.problem:
            column, value, expected = row.problem
            raise InputError(f"row {row.number}: {column}", value, expected)
        try:
            make_request(row_values(row.values, today(), base_dir))
        except InputError as error:
            raise InputError(f"row {row.number}: {error.field}", error.value,
                             error.expected) from None


def _prepare(directory: Path) -> Path:
    if directory.exists() and not directory.is_dir():
        raise InputError("output", str(directory), "exists and is not a directory")
    if not directory.parent.is_dir():
        raise InputError("output", str(directory), "its parent directory does not exist")
    directory.mkdir(mode=0o700, exist_ok=True)
    os.chmod(directory, 0o700)
    for leftover in [*directory.glob(".objection-*.part"), *directory.glob(".letters.zip.part")]:
        leftover.unlink()  # a temporary file of a run that was killed while writing
    return directory.resolve()


def _batch_date(directory: Path, explicit: str | None) -> str:
    """One date for the whole batch, kept in the folder so that a resumed run uses it too."""
    settings = directory / SETTINGS
    stored = json.loads(settings.read_text("utf-8")).get("date") if settings.is_file() else None
    date = explicit or stored or today()
    if date != stored:
        write_private(settings, json.dumps({"date": date}).encode("utf-8"))
    return str(date)


def _expected_reference(old: list[Entry] | None, directory: Path) -> str:
    """The old reference if every file the manifest lists is there, unchanged."""
    if not old or any(entry.status != OK for entry in old):
        return ""
    for entry in old:
        path = directory / entry.file
        if not path.is_file() or sha256(path.read_bytes()) != entry.sha256:
            return ""
    return old[0].reference


def _warm_up(formats: tuple[str, ...], eml: bool) -> None:
    """Worker start: ignore Ctrl-C (the parent handles it) and load once what the letters
    need (WeasyPrint and the fonts only for PDFs)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    produce(Job(0, {"name": "Warm Up", "email": "warm@example.org", "country": "IE",
                    "lang": "en", "ground": ["old-content"]}, formats, eml, today(), "."))


def _run_pool(options: BatchOptions, rows: Iterator[Row], date: str, directory: Path,
              previous: dict[int, list[Entry]], stop: StopRequest) -> Iterator[Staged]:
    """The staged letters of every row, in the order they are finished; after a stop
    request, those of the tasks already started."""
    jobs = options.jobs or os.cpu_count() or 1
    context = multiprocessing.get_context("forkserver")
    base_dir = str(options.input.resolve().parent)
    with ProcessPoolExecutor(jobs, mp_context=context, initializer=_warm_up,
                             initargs=(options.formats, options.eml),
                             max_tasks_per_child=2000) as pool:
        pending: set[Future[list[Staged]]] = set()
        try:
            size = ROWS_PER_TASK["pdf" if ("pdf" in options.formats or options.eml) else "txt"]
            for chunk in _chunks(rows, size):
                if stop.requested:
                    break
                tasks = [Job(row.number, row.values, options.formats, options.eml, date,
                             base_dir, _expected_reference(previous.get(row.number), directory),
                             row.problem)
                         for row in chunk]
                pending.add(pool.submit(produce_and_stage, tasks, str(directory)))
                if len(pending) >= jobs * TASKS_IN_FLIGHT_PER_WORKER:
                    done, pending = wait(pending, return_when=FIRST_COMPLETED)
                    yield from (stored for future in done for stored in future.result())
            if stop.requested:
                pending = {future for future in pending if not future.cancel()}  # not started
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                yield from (stored for future in done for stored in future.result())
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise


def _chunks(rows: Iterator[Row], size: int) -> Iterator[list[Row]]:
    chunk: list[Row] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _commit(waiting: list[Staged], directory: Path, previous: dict[int, list[Entry]],
            entries: dict[int, list[Entry]], summary: Summary, journal: Journal) -> None:
    """Put a group of letters in place with one flush to disk, then journal their rows."""
    commit_staged([(tmp, directory / name) for staged in waiting
                   for name, _digest, tmp in staged.files])
    for staged in waiting:
        entries[staged.row] = _record(staged, previous, summary)
        journal.add(entries[staged.row])
    journal.sync()


def _record(stored: Staged, previous: dict[int, list[Entry]], summary: Summary) -> list[Entry]:
    if stored.status == UNCHANGED:
        summary.unchanged += 1
        return previous[stored.row]
    if stored.status in (REJECTED, FAILED):
        summary.problems.append((stored.row, stored.column, stored.reason))
        return [Entry(stored.row, stored.status, "", "", stored.country, stored.language,
                      stored.reference, stored.reason)]
    summary.written += 1
    return [Entry(stored.row, OK, name, digest, stored.country, stored.language,
                  stored.reference, "") for name, digest, _tmp in stored.files]


def _finish(options: BatchOptions, directory: Path, previous: dict[int, list[Entry]],
            entries: dict[int, list[Entry]], summary: Summary) -> None:
    current = [entry for row in entries.values() for entry in row]
    kept = {entry.file for entry in current if entry.file}
    for old in (entry for row in previous.values() for entry in row):
        if old.file and old.file not in kept and "/" not in old.file:
            (directory / old.file).unlink(missing_ok=True)  # a row that changed or went bad
    write_manifest(directory, current)
    write_report(directory, summary.problems)
    letters = sorted(entry for entry in current if entry.status == OK)
    if options.print_file:
        summary.extras.extend(_print_files(directory, [e.file for e in letters
                                                       if e.file.endswith(".pdf")]))
    if options.zip:
        summary.extras.append(_zip(directory, [e.file for e in letters]))


def _print_files(directory: Path, pdfs: list[str]) -> list[str]:
    """All PDF letters in row order, in print files of at most PRINT_CHUNK letters."""
    import io

    from pypdf import PdfWriter

    names = []
    chunks = [pdfs[i:i + PRINT_CHUNK] for i in range(0, len(pdfs), PRINT_CHUNK)]
    for index, chunk in enumerate(chunks, start=1):
        writer = PdfWriter()
        for name in chunk:
            writer.append(str(directory / name))
        buffer = io.BytesIO()
        writer.write(buffer)
        name = "print.pdf" if len(chunks) == 1 else f"print-{index:04d}.pdf"
        write_private(directory / name, buffer.getvalue())
        names.append(name)
    return names


def _zip(directory: Path, files: list[str]) -> str:
    """letters.zip: the letters, the manifest and the report, written atomically."""
    target = directory / "letters.zip"
    partial = directory / ".letters.zip.part"
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh, zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in [*files, MANIFEST, REPORT]:
            archive.write(directory / name, name)
    os.replace(partial, target)
    return target.name
