"""What a batch has done, behind one small interface (`BatchState`), kept apart from the loop.

The batch loop only asks the state which rows need no new letter and tells it which groups of
rows are committed; how that is remembered, and made durable, is the state's business. Today
it is `ManifestState`: the manifest of the last run, this run's rows in memory, and a journal
that a killed run resumes from. Another store (one database in the output folder) can stand
behind the same interface: `open_state` is the one place that chooses.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Protocol

from objection.batch import FAILED, OK, REJECTED, UNCHANGED, Staged, sha256
from objection.manifest import Entry, Journal, read_entries, write_manifest, write_report


@dataclass(frozen=True)
class Tally:
    """This run's rows so far, for the summary and the exit status."""

    written: int
    unchanged: int
    problems: list[tuple[int, str, str]]  # row, column, reason


class BatchState(Protocol):
    """The record of a batch's rows in its output folder, opened for one run.

    Leaving the `with` block without an exception after `finish` completes the run; leaving
    it any other way keeps what the next run needs to resume.
    """

    def __enter__(self) -> "BatchState": ...

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 traceback: TracebackType | None) -> None: ...

    def expected_reference(self, row: int) -> str:
        """The reference of the row's letter if every file recorded for it is still on disk,
        unchanged; else "". A row whose reference is the same again is not made again."""
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

    def finish(self) -> list[str]:
        """Every row is recorded: remove the files of rows that changed or went bad, write
        manifest.csv (sorted) and report.csv; return the letters' file names in row order."""
        ...


def open_state(directory: Path) -> BatchState:
    """The state of the batch whose output folder is `directory`."""
    return ManifestState(directory)


class ManifestState:
    """manifest.csv of the last run, plus its journal if it was stopped; this run's rows in
    memory and appended to the journal, which is removed once manifest.csv is rewritten."""

    def __init__(self, directory: Path) -> None:
        self._directory = directory
        self._previous = read_entries(directory)
        self._entries: dict[int, list[Entry]] = {}
        self._written = self._unchanged = 0
        self._problems: list[tuple[int, str, str]] = []
        self._finished = False
        self._journal = Journal(directory)

    def __enter__(self) -> "ManifestState":
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self._journal.close(remove=self._finished and exc_type is None)

    def expected_reference(self, row: int) -> str:
        old = self._previous.get(row)
        if not old or any(entry.status != OK for entry in old):
            return ""
        for entry in old:
            path = self._directory / entry.file
            if not path.is_file() or sha256(path.read_bytes()) != entry.sha256:
                return ""
        return old[0].reference

    def record(self, group: Sequence[Staged]) -> None:
        for staged in group:
            self._entries[staged.row] = self._entries_of(staged)
            self._journal.add(self._entries[staged.row])
        self._journal.sync()

    def _entries_of(self, staged: Staged) -> list[Entry]:
        if staged.status == UNCHANGED:
            self._unchanged += 1
            return self._previous[staged.row]
        if staged.status in (REJECTED, FAILED):
            self._problems.append((staged.row, staged.column, staged.reason))
            return [Entry(staged.row, staged.status, "", "", staged.country, staged.language,
                          staged.reference, staged.reason)]
        self._written += 1
        return [Entry(staged.row, OK, name, digest, staged.country, staged.language,
                      staged.reference, "") for name, digest, _tmp in staged.files]

    def tally(self) -> Tally:
        return Tally(self._written, self._unchanged, list(self._problems))

    def suspend(self) -> None:
        merged = {**self._previous, **self._entries}
        write_manifest(self._directory, [entry for row in merged.values() for entry in row])

    def finish(self) -> list[str]:
        current = [entry for row in self._entries.values() for entry in row]
        kept = {entry.file for entry in current if entry.file}
        for old in (entry for row in self._previous.values() for entry in row):
            if old.file and old.file not in kept and "/" not in old.file:
                (self._directory / old.file).unlink(missing_ok=True)  # changed or went bad
        write_manifest(self._directory, current)
        write_report(self._directory, self._problems)
        self._finished = True
        return [entry.file for entry in sorted(current) if entry.status == OK]
