"""Follow-ups for a whole batch (issue 14).

`objection batch --follow-up reminder FOLDER` reads the manifest of an earlier batch and, for
each letter whose time limit has passed, makes the reminder from the letter's PDF (its
request data: nothing is typed again) into FOLDER/reminders/; `--follow-up complaint` makes
the complaint to the supervisory authority into FOLDER/complaints/, from the row's reminder
if it has one, else from the letter. A follow-up is named like its letter, with its own
reference: `reminders/000002-jane-doe-REM-ABCD-EFGH.pdf`. Each kind's folder has its own
manifest.csv, which is also what a later run compares with: a follow-up whose files are
still those it lists, and whose inputs (the letter, when and how it was sent) are the same,
is not made again; without `--date` it keeps its date. When and how each letter was sent
comes from the tracking sheet (objection/tracking.py), which every run writes at the end.

The rows run in the batch's own pool (`batch_run.default_executor`): a worker reads the
letter, makes the follow-up, renders it and writes it to a private temporary file in the
follow-up folder; the parent commits them in groups (one flush to disk) and writes the
manifest and the tracking sheet at the end.
"""

import dataclasses
import datetime as dt
import os
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from objection.batch import FAILED, OK, REJECTED, UNCHANGED
from objection.batch_state import locked
from objection.errors import InputError
from objection.manifest import MANIFEST
from objection.tracking import (
    FOLDERS,
    FOLLOW_UP_FIELDS,
    FOLLOW_UP_FILE,
    TRACKING,
    BatchLetter,
    LetterInfo,
    Sheet,
    batch_letters,
    csv_lines,
    current_follow_up,
    iso_or_none,
    read_follow_ups,
    read_record,
    read_sheet,
    resolve_sending,
    write_tracking,
)

NOT_DUE, ANSWERED = "not-due", "answered"
ROWS_PER_TASK = {"pdf": 2, "txt": 16}
TASKS_IN_FLIGHT_PER_WORKER = 4
ROWS_PER_COMMIT = 128
SECONDS_PER_COMMIT = 0.5
SHOWN = 20  # rows the summary names, per kind of news


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
# The follow-up manifests


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
                name = FOLLOW_UP_FILE.fullmatch(prefix + entry.name)
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
    sent = iso_or_none(job.sent) or request.date
    if sent < request.date:
        raise InputError("sent", sent.isoformat(), f"before the letter's date "
                         f"({request.date.isoformat()}); expected the day it was sent")
    received = iso_or_none(job.received)
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
    explicit = iso_or_none(job.date)
    dates = [explicit] if explicit else list(dict.fromkeys(
        [day for day in (iso_or_none(job.recorded_date), today) if day is not None]))
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
        stack.enter_context(locked(folder))
        if out != folder:
            stack.enter_context(locked(out))
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

        write_private(directory / MANIFEST, csv_lines(FOLLOW_UP_FIELDS, _follow_up_rows(
            letters, outcomes, previous, directory)))
        infos = {identity: outcome.info for identity, outcome in outcomes.items()
                 if outcome.info is not None}
        today = iso_or_none(options.date) or dt.date.today()
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
        listed = current_follow_up(reminders.get(letter.identity, []), letter.reference)
        if listed is not None and not pdfs:
            problem = problem or ("reminder", f"its reminder {listed['reference']} is text only "
                                  "in reminders/; make the reminders with --format pdf, so "
                                  "that the complaint can be made from them")
        recorded = current_follow_up(previous.get(letter.identity, []), letter.reference)
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
