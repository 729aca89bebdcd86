"""One spreadsheet row in, its letter files out: the per-letter work of `objection batch`.

`produce` is a pure function of a picklable `Job` and returns bytes, so it runs the same in
a local process pool or on a distributed engine. It never raises for bad input: the
outcome says why a row was rejected.
"""

import datetime as dt
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from objection.errors import InputError

SLUG_LIMIT = 40
# A row's letter takes a fifth of a second (a PDF with a signature image, a second); one that
# takes this long is stopped and reported, so that no input can hold up the batch.
ROW_SECONDS = 60
OK, REJECTED, FAILED, UNCHANGED = "ok", "rejected", "failed", "unchanged"


@dataclass(frozen=True)
class Job:
    row: int
    values: dict[str, str | list[str]]
    formats: tuple[str, ...]          # "pdf", "txt", in the order asked for
    eml: bool
    default_date: str                 # the batch's date, for rows without their own
    base_dir: str                     # the folder signature images must be in (relative
                                      # paths start there): the sheet's, or --images
    expected_reference: str = ""      # set when the files on disk match the manifest
    problem: tuple[str, str, str] | None = None  # (column, value, expected): unreadable row
    folder: str = ""                  # the subfolder of a large batch ("001"), or none
    key: str = ""                     # the row's id (an `id` column), lower case, or none


@dataclass(frozen=True)
class RowResult:
    """What became of a row: its status, what the letter was, or why there is none."""

    row: int
    status: str
    key: str = ""                     # the row's id, if the sheet has an `id` column
    reference: str = ""
    country: str = ""
    language: str = ""
    column: str = ""
    reason: str = ""


@dataclass(frozen=True)
class Outcome(RowResult):
    stem: str = ""
    files: dict[str, bytes] = field(default_factory=dict)  # suffix → content


def file_stem(row: int, name: str, key: str = "") -> str:
    """`000042-jane-doe`: ASCII, bounded, never empty, never a path, unique by row number;
    with an id, `e-1042-jane-doe`, unique by id, so that moving the row renames nothing."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:SLUG_LIMIT].strip("-")
    return f"{key or f'{row:06d}'}-{slug or 'letter'}"


def row_values(values: dict[str, str | list[str]], default_date: str,
               base_dir: str) -> dict[str, object]:
    """A row as `make_request` takes it: the batch's date unless the row has one, and a
    signature image path relative to `base_dir`, which it may not leave: a row cannot read a
    file elsewhere on the machine, nor learn whether one exists (issue 12, item 11)."""
    result: dict[str, object] = {"date": default_date, **values}
    image = result.get("signature_image")
    if isinstance(image, str) and image.strip():
        folder = Path(base_dir).resolve()
        path = (folder / image.strip()).resolve()  # links followed: they cannot lead out
        if not path.is_relative_to(folder) or path == folder:
            raise InputError("signature_image", image, f"must be a file in {folder} (the "
                             "sheet's folder, or --images)")
        result["signature_image"] = str(path)
    return result


def produce(job: Job) -> Outcome:
    """Validate the row with the rules of `objection letter` and render its files; any
    failure, and a row that runs longer than ROW_SECONDS, becomes the row's outcome."""
    from objection.time_limit import TimeLimitExceeded, time_limit

    if job.problem:
        return Outcome(job.row, REJECTED, job.key, column=job.problem[0],
                       reason=str(InputError(*job.problem)))
    try:
        with time_limit(ROW_SECONDS):
            return _produce(job)
    except TimeLimitExceeded:
        return Outcome(job.row, FAILED, job.key, reason=f"its letter took longer than "
                       f"{ROW_SECONDS} s to make and was stopped (a signature image too "
                       "complex to draw?)")


def _produce(job: Job) -> Outcome:
    from objection.compose import compose, reference_for
    from objection.render import render_files
    from objection.request import make_request

    try:
        request = make_request(row_values(job.values, job.default_date, job.base_dir))
    except InputError as error:
        return Outcome(job.row, REJECTED, job.key, column=error.field, reason=str(error))
    except Exception as error:  # one broken row must not stop the batch
        return Outcome(job.row, FAILED, job.key, reason=f"unexpected failure "
                       f"({type(error).__name__})")
    reference = reference_for(request)
    stem = file_stem(job.row, request.name, job.key)
    common = {"row": job.row, "key": job.key,
              "stem": f"{job.folder}/{stem}" if job.folder else stem, "reference": reference,
              "country": request.country, "language": request.lang}
    if reference == job.expected_reference:
        return Outcome(status=UNCHANGED, **common)  # type: ignore[arg-type]
    try:
        files = render_files(compose(request, reference=reference), job.formats, job.eml)
    except InputError as error:  # e.g. a character the font cannot print
        return Outcome(job.row, REJECTED, job.key, column=error.field, reason=str(error))
    except Exception as error:  # one broken row must not stop the batch
        return Outcome(status=FAILED, column="", reason=f"unexpected failure "
                       f"({type(error).__name__})", **common)  # type: ignore[arg-type]
    return Outcome(status=OK, files=files, **common)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Staged(RowResult):
    """An Outcome whose files wait in temporary files: names and digests instead of bytes."""

    files: tuple[tuple[str, str, str], ...] = ()  # (file name, sha256, temporary file)


def produce_and_stage(jobs: list[Job], directory: str) -> list[Staged]:
    """The local pool's task: produce a few rows and write their files to temporary files.

    The parent commits them in groups (one flush to disk for many letters): a text letter
    takes less time to make than an fsync takes to finish.
    """
    return stage([produce(job) for job in jobs], directory)


def produce_all(jobs: list[Job]) -> list[Outcome]:
    """A remote worker's task (a cluster's machines do not see the output folder): the
    rows' outcomes with their bytes, which the parent stages (`stage`) and commits."""
    return [produce(job) for job in jobs]


def stage(outcomes: list[Outcome], directory: str) -> list[Staged]:
    """Write the outcomes' files to private temporary files in the output folder."""
    from objection.output import stage_private

    staged = []
    for outcome in outcomes:
        if "/" in outcome.stem:  # a large batch's subfolder, made by whoever needs it first
            _subfolder(Path(directory) / outcome.stem.split("/")[0])
        files = tuple((f"{outcome.stem}.{suffix}", sha256(data),
                       stage_private(Path(directory) / f"{outcome.stem}.{suffix}", data))
                      for suffix, data in outcome.files.items())
        staged.append(Staged(outcome.row, outcome.status, outcome.key, outcome.reference,
                             outcome.country, outcome.language, outcome.column, outcome.reason,
                             files=files))
    return staged


def _subfolder(path: Path) -> None:
    """Make a subfolder of the output folder once, durably (its entry in the folder too)."""
    from objection.output import fsync_directory

    if not path.is_dir():
        path.mkdir(mode=0o700, exist_ok=True)
        fsync_directory(path.parent)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def today() -> str:
    return dt.date.today().isoformat()
