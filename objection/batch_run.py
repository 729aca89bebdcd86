"""`objection batch`: a spreadsheet in, a folder of letters out, in parallel, resumable.

The parent streams rows, hands them to an executor (by default its own process pool) that
runs `batch.produce`, puts the returned files in place atomically and records them in the
batch's state (`batch_state`); it never holds more than a bounded number of rows or letters
at once. A second run skips rows whose files still match what the state recorded.
"""

import datetime as dt
import errno
import functools
import hashlib
import json
import multiprocessing
import os
import signal
import sqlite3
import time
import zipfile
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from objection.batch import (
    COVER,
    COVER_END,
    FAILED,
    OK,
    Job,
    Staged,
    file_kind,
    produce,
    produce_all,
    produce_and_stage,
    row_values,
    stage,
    today,
)
from objection.batch_check import CheckReport, NoUsableRow, check_rows
from objection.batch_state import LOCK, STATE, BatchState, locked, open_state
from objection.errors import InputError
from objection.lifeline import die_with_parent
from objection.manifest import MANIFEST, REPORT, kept_columns
from objection.output import commit_staged, write_private
from objection.spreadsheet import Row, detect_encoding, is_spreadsheet, read_rows

SETTINGS = "objection-batch.json"
PRINT_CHUNK = 1000  # letters per print file
# Rows a worker takes at once: text letters are cheap, so fewer round trips pay; a PDF takes
# a fifth of a second, so small tasks keep the workers evenly busy and progress smooth.
ROWS_PER_TASK = {"txt": 64, "pdf": 2}
ROWS_PER_COMMIT = 128  # letters put in place with one flush to disk ...
# A batch of more rows than this puts its letters in subfolders of ROWS_PER_SUBFOLDER rows
# ("000/", "001/" ...), so that the folder stays usable in a file manager and on common file
# systems; the manifest names each file with its subfolder.
SUBFOLDER_ABOVE = 10_000
ROWS_PER_SUBFOLDER = 1000
SECONDS_PER_COMMIT = 0.5  # ... or fewer, when letters come slowly (PDF)
TASKS_IN_FLIGHT_PER_WORKER = 4  # bounds the rows (and letters) in memory at any time


@dataclass(frozen=True)
class BatchOptions:
    input: Path
    output: Path
    formats: tuple[str, ...] = ("pdf",)
    replace: bool = False  # the folder holds another input's letters: replace them
    images: Path | None = None  # where signature images must be (default: the sheet's folder)
    eml: bool = False
    zip: bool = False
    print_file: bool = False
    jobs: int = 0
    strict: bool = False
    mapping: dict[str, str] = field(default_factory=dict)
    encoding: str | None = None
    delimiter: str | None = None
    date: str | None = None
    keep: tuple[str, ...] = ()  # --keep: columns of the sheet the manifest passes through
    debug: bool = False  # --debug: the traceback of a row's unexpected failure is shown
    cover: bool = False  # --cover: a cover sheet per person, beside the letter and in print.pdf
    eml_from: str = ""  # --eml-from: the sender of the e-mail drafts (default: none)
    sheet: str | None = None  # --sheet: the XLSX workbook's sheet (default: the active one)
    header_row: int | None = None  # --header-row (default: detected)
    # --ground, --situation, --lang, --toggle, --scope, --place: for rows without their own
    defaults: dict[str, str | list[str]] = field(default_factory=dict)


@dataclass
class Summary:
    written: int = 0
    unchanged: int = 0
    problem_count: int = 0
    # the first problems (row, column, reason); report.csv has them all
    problems: list[tuple[int, str, str]] = field(default_factory=list)
    interrupted: bool = False
    seconds: float = 0.0
    removed: int = 0  # files of rows that left the input, went bad or changed format
    extras: list[str] = field(default_factory=list)

    @property
    def letters(self) -> int:
        return self.written + self.unchanged


Progress = Callable[[int], None]


@dataclass(frozen=True)
class Engine:
    """Where the rows run, when not on the batch's own pool: any `concurrent.futures`
    executor (the caller's, who starts and shuts it down), how many rows it works on at
    once, and whether its workers are remote (they cannot write to the output folder: they
    return the letters' bytes and this process writes them)."""

    executor: Executor
    slots: int = 1
    remote: bool = False


def run_batch(options: BatchOptions, warn: Callable[[str], None],
              progress_factory: Callable[[int], Progress] | None = None,
              executor: Executor | Engine | None = None) -> Summary:
    """Write the letters of `options.input` into `options.output`.

    The rows run on `executor` if one is given (any `concurrent.futures.Executor`, or an
    `Engine` around one: a local pool, or a cluster's); it stays the caller's, who starts and
    shuts it down. Without one, the batch starts, warms up and shuts down its own process
    pool (`default_executor`). A folder that cannot be written (full, read-only, not
    permitted) is said as such, as bad input: the letters finished so far are kept. A run
    whose every row has a problem raises NoUsableRow, with every problem, before anything is
    made, written or removed (a folder's earlier letters stay as they are).
    """
    try:
        return _write_letters(options, warn, progress_factory, executor)
    except (OSError, sqlite3.Error) as error:
        reason = _cannot_write(error)
        if reason is None:
            raise
        raise InputError("output", str(options.output), f"cannot be written ({reason}); the "
                         "letters finished so far are kept: make room or allow writing, "
                         "then run the batch again") from None


def check_batch(options: BatchOptions, warn: Callable[[str], None],
                folder: bool = True) -> CheckReport:
    """`objection batch --check`: every problem of every row, by the rules of a run, with
    nothing written. The output folder, if `folder`, is only looked at: whether a run could
    use it, and the batch date an earlier run kept in it."""
    date = options.date
    if folder:
        _check_folder(options.output)
        date = date or _stored_date(options.output, date)
    rows = read_rows(options.input, options.mapping, options.encoding, options.delimiter, warn,
                     kept_columns(options.keep), sheet=options.sheet,
                     header_row=options.header_row, defaults=options.defaults)
    return check_rows(rows, date or today(), _images_folder(options))


# What says that a folder cannot be written, rather than that something is broken.
_WRITE_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM,
                 errno.EFBIG}
_WRITE_SQLITE_CODES = {"SQLITE_FULL", "SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_PERM"}


def _cannot_write(error: BaseException) -> str | None:
    """The reason a write failed, if it failed for want of room or permission."""
    if isinstance(error, OSError) and error.errno in _WRITE_ERRNOS:
        return error.strerror or os.strerror(error.errno or 0)
    name = getattr(error, "sqlite_errorname", "") or ""  # SQLITE_READONLY_DBMOVED ...
    if any(name == code or name.startswith(code + "_") for code in _WRITE_SQLITE_CODES):
        return str(error)
    return None


def _write_letters(options: BatchOptions, warn: Callable[[str], None],
                   progress_factory: Callable[[int], Progress] | None,
                   executor: Executor | Engine | None) -> Summary:
    started = time.perf_counter()
    warned: set[str] = set()

    def warn_once(message: str) -> None:  # the file is read more than once
        if message not in warned:
            warned.add(message)
            warn(message)

    keep = kept_columns(options.keep)

    def rows() -> Iterator[Row]:
        return read_rows(options.input, options.mapping, encoding, options.delimiter,
                         warn_once, keep, sheet=options.sheet, header_row=options.header_row,
                         defaults=options.defaults)

    # The file is read more than once (header check, count, rows): detect its encoding once.
    encoding = options.encoding or (None if is_spreadsheet(options.input)
                                    else detect_encoding(options.input, warn_once))
    next(rows(), None)  # the header is checked before anything is written
    if options.strict:
        _validate_all(rows(), _images_folder(options))
    # Nothing is made, no date fixed and no earlier letter removed for a sheet whose every row
    # would fail (a wrong --map, another sheet): rows are checked up to the first usable one.
    _check_folder(options.output)
    first = check_rows(rows(), _stored_date(options.output, options.date) or today(),
                       _images_folder(options), until_usable=True)
    if first.rows and not first.usable:
        raise NoUsableRow(first)
    suffixes = frozenset(options.formats) | ({"eml"} if options.eml else set()) | \
        ({COVER} if options.cover else set())
    extras: list[str] = []
    with _folder(options.output) as directory, StopRequest(warn) as stop, \
            open_state(directory, suffixes, keep) as state:
        state.claim(str(options.input.resolve()), options.replace)
        date = _batch_date(directory, options.date)
        # The file is counted (one more pass over it) only for a progress bar or for the
        # folder's first run, which decides the layout.
        total = functools.cache(lambda: sum(1 for _ in rows()))
        progress = progress_factory(total()) if progress_factory else None
        subfolders = state.subfolders(lambda: total() > SUBFOLDER_ABOVE)
        waiting: list[Staged] = []  # letters in temporary files, not yet committed
        last_commit = time.monotonic()
        tasks = _tasks(options, rows(), date, state, subfolders)
        try:
            for staged in _staged(options, tasks, directory, executor, stop):
                if staged.detail:  # --debug: the traceback of the row's failure
                    warn(f"row {staged.row}: {staged.reason}:\n{staged.detail.rstrip()}")
                elif staged.status == OK and staged.reason:  # no e-mail draft or cover sheet
                    warn(f"row {staged.row}: {staged.reason}")
                waiting.append(staged)
                if (len(waiting) >= ROWS_PER_COMMIT
                        or time.monotonic() - last_commit >= SECONDS_PER_COMMIT):
                    # Taken out of `waiting` first: a second Ctrl-C during the commit
                    # must not commit the same letters again below.
                    group, waiting = waiting, []
                    _commit(group, directory, state)
                    if progress:
                        progress(len(group))
                    last_commit = time.monotonic()
            group, waiting = waiting, []
            _commit(group, directory, state)  # the letters already finished
            if progress:
                progress(len(group))
        except KeyboardInterrupt:  # a second Ctrl-C: stop at once
            stop.requested = True
            # The letters finished before it, unless it came while they were committed
            # (then `waiting` is empty, and the interrupted group was rolled back whole).
            _commit(waiting, directory, state)
        interrupted = stop.requested
        if interrupted:
            state.suspend()  # the next run resumes; the manifest lists what is done
        else:
            extras = _extras(options, directory, state.finish(), warn)
        tally = state.tally()
    return Summary(tally.written, tally.unchanged, tally.problem_count, tally.problems,
                   interrupted, time.perf_counter() - started, removed=tally.removed,
                   extras=extras)


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


# What a batch keeps in its folder besides the letters: a folder that holds other files is not
# a batch's and is refused; none of these may be a symbolic link (it would lead our writes
# elsewhere).
OWN_FILES = (STATE, f"{STATE}-wal", f"{STATE}-shm", LOCK, SETTINGS, MANIFEST, REPORT,
             "letters.zip")


@contextmanager
def _folder(directory: Path) -> Iterator[Path]:
    """The output folder, ours and locked for this run: made (mode 0700) if missing; an
    existing one must be empty or a batch's (its state, or an earlier version's manifest),
    and is never chmodded; a second batch into it is refused while this one runs. Temporary
    files of a run that was killed are removed once the lock is held."""
    _check_folder(directory)
    try:
        directory.mkdir(mode=0o700)
    except FileExistsError:
        _check_ours(directory)
    directory = directory.resolve()
    for name in OWN_FILES:
        if (directory / name).is_symlink():
            raise InputError("output", str(directory / name), "is a symbolic link; the "
                             "batch's own files must be regular files")
    with locked(directory):
        for leftover in [*directory.glob(".objection-*.part"),
                         *directory.glob("*/.objection-*.part"),
                         *directory.glob(".letters.zip.part")]:
            leftover.unlink()  # a temporary file of a run that was killed while writing
        yield directory


def _check_folder(directory: Path) -> None:
    """What can be said of the output folder without writing to it: it is a directory (or
    can be made: its parent exists) and, if it exists, empty or a batch's."""
    if directory.exists() and not directory.is_dir():
        raise InputError("output", str(directory), "exists and is not a directory")
    if not directory.parent.is_dir():
        raise InputError("output", str(directory), "its parent directory does not exist")
    if directory.is_dir():
        _check_ours(directory)


def _check_ours(directory: Path) -> None:
    """A batch's folder has one of its marks; else it must be empty (a folder of 100 000
    letters is not listed for this)."""
    marked = any(os.path.lexists(directory / name) for name in (STATE, MANIFEST, LOCK))
    if not marked and next(directory.iterdir(), None) is not None:
        raise InputError("output", str(directory), "exists and holds other files; give a new "
                         "or empty folder, or the folder of an earlier run of this batch")


def _batch_date(directory: Path, explicit: str | None) -> str:
    """One date for the whole batch, kept in the folder so that a resumed run uses it too."""
    stored = _stored_date(directory, explicit)
    date = explicit or stored or today()
    if date != stored:
        write_private(directory / SETTINGS, json.dumps({"date": date}).encode("utf-8"))
    return str(date)


def _stored_date(directory: Path, explicit: str | None) -> str | None:
    """The date an earlier run kept in the folder, if any (read only: --check reads it too);
    a damaged record is bad input unless `explicit` replaces it."""
    settings = directory / SETTINGS
    if not settings.is_file():
        return None
    try:
        stored = json.loads(settings.read_text("utf-8"))["date"]
        dt.date.fromisoformat(stored)
    except (ValueError, KeyError, TypeError):  # JSONDecodeError is a ValueError
        if not explicit:
            raise InputError("output", str(settings), "is damaged; give the batch's date "
                             "with --date (it is then written anew)") from None
        return None
    return str(stored)


def _warm_up(formats: tuple[str, ...], eml: bool) -> None:
    """Worker start: ignore Ctrl-C (the parent handles it), end when the fork server ends
    (it ends with the batch, even a batch killed with SIGKILL), and load once what the
    letters need (WeasyPrint and the fonts only for PDFs)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent()
    produce(Job(0, {"name": "Warm Up", "email": "warm@example.org", "country": "IE",
                    "lang": "en", "ground": ["old-content"]}, formats, eml, today(), "."))


def default_executor(options: BatchOptions) -> ProcessPoolExecutor:
    """The batch's own pool: workers started by a fork server, warmed up once with the
    batch's formats, and replaced after 2000 tasks so that no worker grows for ever."""
    context = multiprocessing.get_context("forkserver")
    # The fork server dies with the batch, and each worker with the fork server (lifeline).
    context.set_forkserver_preload(["objection.lifeline_preload"])
    return ProcessPoolExecutor(_workers(options), mp_context=context,
                               initializer=_warm_up, initargs=(options.formats, options.eml),
                               max_tasks_per_child=2000)


def _workers(options: BatchOptions) -> int:
    """--jobs, else the CPUs this process may run on (affinity, a container's cpuset)."""
    if options.jobs:
        return options.jobs
    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity else os.cpu_count() or 1


def _tasks(options: BatchOptions, rows: Iterator[Row], date: str, state: BatchState,
           subfolders: bool) -> Iterator[list[Job]]:
    """The rows as jobs, a few to a task (`ROWS_PER_TASK`), each with the reference its
    files on disk still match (and its subfolder, in a large batch)."""
    base_dir = _images_folder(options)
    size = ROWS_PER_TASK["pdf" if ("pdf" in options.formats or options.eml or options.cover)
                         else "txt"]
    for chunk in _chunks(rows, size):
        jobs = []
        for row in chunk:
            problem = _id_problem(row, state)
            # The first row with an address has its letter; a later one gets none.
            first = state.person(row.number, _text(row.values.get("name")),
                                 _text(row.values.get("email")), row.kept)
            # A row repeating an earlier row's id is known by its number: recorded under
            # the id, its problem would replace the earlier row's letter in the state.
            repeated_id = problem is not None and problem is not row.problem
            key = "" if repeated_id else row.key
            jobs.append(Job(row.number, row.values, options.formats, options.eml, date,
                            base_dir, state.expected_reference(row.number, key), problem,
                            _subfolder(row) if subfolders else "", key, options.debug,
                            options.cover, options.eml_from,
                            duplicate_of=first if first != row.number else 0))
        yield jobs


def _images_folder(options: BatchOptions) -> str:
    """The folder a row's signature image must be in: --images, else the sheet's."""
    return str((options.images or options.input.resolve().parent).resolve())


def _text(value: str | list[str] | None) -> str:
    """A cell as the manifest shows it: a list's values joined with spaces."""
    return " ".join(value) if isinstance(value, list) else " ".join((value or "").split())


def _id_problem(row: Row, state: BatchState) -> tuple[str, str, str] | None:
    """The row's own problem, or its id given by an earlier row too."""
    if row.problem or not row.key:
        return row.problem
    first = state.first_row_with(row.key, row.number)
    if first != row.number:
        return ("id", row.key, f"is the id of row {first} as well; each row needs its own")
    return None


def _subfolder(row: Row) -> str:
    """A large batch's subfolder: by row number, or, for a row with an id, by a digest of
    the id (moving the row must not move its files)."""
    if row.key:
        return f"{int(hashlib.sha256(row.key.encode()).hexdigest()[:8], 16) % 1000:03d}"
    return f"{row.number // ROWS_PER_SUBFOLDER:03d}"


def _staged(options: BatchOptions, tasks: Iterator[list[Job]], directory: Path,
            executor: Executor | Engine | None, stop: StopRequest) -> Iterator[Staged]:
    """The staged letters of every task, run on `executor` or, without one, on the batch's
    own pool for as long as the batch runs.

    A row that ends its worker process (killed for memory, a crash in a library) breaks the
    whole pool; the batch starts a new one and makes the rows it lost again, one at a time,
    so that the row which ends its worker again is found and reported, and only that row
    has no letter (issue 12, item 1)."""
    if executor is not None:
        engine = executor if isinstance(executor, Engine) else \
            Engine(executor, _workers(options))
        yield from _run_tasks(engine, tasks, str(directory),
                              engine.slots * TASKS_IN_FLIGHT_PER_WORKER, stop)
        return
    suspects: list[Job] = []  # the rows in flight when a worker process ended
    while True:
        with default_executor(options) as pool:
            try:
                while suspects and not stop.requested:
                    yield from _run_tasks(Engine(pool), iter([suspects[:1]]), str(directory),
                                          1, stop)
                    del suspects[:1]
                yield from _run_tasks(Engine(pool), tasks, str(directory),
                                      _workers(options) * TASKS_IN_FLIGHT_PER_WORKER, stop)
                return
            except WorkersEnded as ended:
                if suspects:  # the row made alone: it is the one
                    job = suspects.pop(0)
                    yield Staged(job.row, FAILED, job.key, reason="its worker process ended "
                                 "while making its letter (out of memory, or a crash)")
                else:
                    suspects = ended.jobs


class WorkersEnded(Exception):
    """A worker process of the batch's pool ended while working; `jobs` were lost."""

    def __init__(self, jobs: list[Job]) -> None:
        super().__init__(f"{len(jobs)} rows lost")
        self.jobs = jobs


def _run_tasks(engine: Engine, tasks: Iterator[list[Job]], directory: str,
               in_flight: int, stop: StopRequest) -> Iterator[Staged]:
    """The staged letters of every task, in the order they are finished, with at most
    `in_flight` tasks submitted and not yet done (memory stays bounded); after a stop
    request, those of the tasks already started. Only `submit`, `wait` and `cancel`, so
    any `concurrent.futures` executor will do. Remote workers return the letters' bytes,
    which are staged here; local ones stage them themselves. A local pool whose worker
    process ended raises WorkersEnded with the rows it lost."""
    pending: dict[Future[Any], list[Job]] = {}

    def submit(task: list[Job]) -> None:
        future = engine.executor.submit(produce_all, task) if engine.remote else \
            engine.executor.submit(produce_and_stage, task, directory)
        pending[future] = task

    def results(done: set[Future[Any]]) -> Iterator[Staged]:
        lost: list[Job] = []
        for future in done:
            task = pending.pop(future)
            try:
                outcomes = future.result()
            except BrokenProcessPool:
                lost.extend(task)
                continue
            yield from (stage(outcomes, directory) if engine.remote else outcomes)
        if lost:
            raise WorkersEnded(lost + [job for task in pending.values() for job in task])

    def finish_some() -> Iterator[Staged]:
        done, _ = wait(set(pending), return_when=FIRST_COMPLETED)
        yield from results(done)

    try:
        while not stop.requested and (task := next(tasks, None)) is not None:
            submit(task)
            if len(pending) >= in_flight:
                yield from finish_some()
        if stop.requested:
            for future in [future for future in pending if future.cancel()]:  # not started
                del pending[future]
        while pending:
            yield from finish_some()
    except BaseException:
        # Drop the tasks not started and let the running ones end (their temporary files
        # go at the next start), so that nothing writes to the folder after the batch.
        wait({future for future in pending if not future.cancel()})
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


def _commit(group: list[Staged], directory: Path, state: BatchState) -> None:
    """Put a group of letters in place with one flush to disk, then record their rows."""
    commit_staged([(tmp, directory / name) for staged in group
                   for name, _digest, tmp in staged.files])
    state.record(group)


def _extras(options: BatchOptions, directory: Path, letters: Iterable[str],
            warn: Callable[[str], None]) -> list[str]:
    """The print files and the zip asked for, of the finished letters (in row order); those
    of an earlier run not asked for now are removed: they could hold letters of people no
    longer in the sheet, or letters made anew since."""
    extras = []
    if options.print_file:
        extras.extend(_print_files(directory, [name for name in letters
                                               if name.endswith(".pdf")]))
    if options.zip:
        extras.append(_zip(directory, letters))
    stale = [path for path in (*directory.glob("print.pdf"), *directory.glob("print-*.pdf"),
                               *directory.glob("letters.zip"))
             if path.name not in extras and path.is_file() and not path.is_symlink()]
    for path in stale:
        path.unlink()
        warn(f"removed {path.name}, made by an earlier run: it may no longer match the letters "
             "(ask for it again with --print-file or --zip)")
    return extras


def _print_files(directory: Path, pdfs: list[str]) -> list[str]:
    """All PDF letters in row order, each after its cover sheet (--cover), in print files of
    at most PRINT_CHUNK letters. For printing on both sides every cover and every letter
    starts on a right-hand page: a blank page follows one with an odd number of pages."""
    import io

    from pypdf import PdfWriter

    people: dict[str, list[str]] = {}  # a letter's stem → its cover and letter, in order
    for name in pdfs:
        cover = file_kind(name) == COVER
        documents = people.setdefault(name.removesuffix(COVER_END if cover else ".pdf"), [])
        documents.insert(0 if cover else len(documents), name)
    everyone = list(people.values())  # in row order (dicts keep it)
    names = []
    chunks = [everyone[i:i + PRINT_CHUNK] for i in range(0, len(everyone), PRINT_CHUNK)]
    for index, chunk in enumerate(chunks, start=1):
        writer = PdfWriter()
        for name in (name for documents in chunk for name in documents):
            writer.append(str(directory / name))
            if len(writer.pages) % 2:
                writer.add_blank_page()  # the size of the page before it
        buffer = io.BytesIO()
        writer.write(buffer)
        name = "print.pdf" if len(chunks) == 1 else f"print-{index:04d}.pdf"
        write_private(directory / name, buffer.getvalue())
        names.append(name)
    return names


def _zip(directory: Path, files: Iterable[str]) -> str:
    """letters.zip: the letters, the manifest and the report, written atomically."""
    target = directory / "letters.zip"
    partial = directory / ".letters.zip.part"
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
    with os.fdopen(fd, "wb") as fh, zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in [*files, MANIFEST, REPORT]:
            archive.write(directory / name, name)
    os.replace(partial, target)
    return target.name
