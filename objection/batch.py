"""One spreadsheet row in, its letter files out: the per-letter work of `objection batch`.

`produce` is a pure function of a picklable `Job` and returns bytes, so it runs the same in
a local process pool or on a distributed engine. It never raises for bad input: the
outcome says why a row was rejected.
"""

import contextlib
import datetime as dt
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from objection.errors import InputError

if TYPE_CHECKING:
    from objection.model import Letter

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
    debug: bool = False               # --debug: an unexpected failure's traceback comes back
    cover: bool = False               # --cover: a cover sheet before the letter
    eml_from: str = ""                # --eml-from: the e-mail drafts' sender, or none
    duplicate_of: int = 0             # the earlier row with the same e-mail address, if any


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
    detail: str = ""                  # with --debug, the traceback of an unexpected failure
    duplicate_of: int = 0             # no letter: the row with the same e-mail address has it


@dataclass(frozen=True)
class Outcome(RowResult):
    stem: str = ""
    files: dict[str, bytes] = field(default_factory=dict)  # kind (file_name) → content


def file_stem(row: int, name: str, key: str = "") -> str:
    """`000042-jane-doe`: ASCII, bounded, never empty, never a path, unique by row number;
    with an id, `e-1042-jane-doe`, unique by id, so that moving the row renames nothing.
    The name is transliterated, not stripped of what is not ASCII: Strauß → strauss,
    Łukasz → lukasz, Дмитрий → dmitriy (anyascii)."""
    from anyascii import anyascii

    ascii_name = anyascii(unicodedata.normalize("NFC", name))
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:SLUG_LIMIT].strip("-")
    return f"{key or f'{row:06d}'}-{slug or 'letter'}"


# A row's cover sheet (--cover), beside its letter: `000042-jane-doe_cover.pdf`. A stem ends
# in its name's slug, which has no "_", so no letter's file name ends like this.
COVER, COVER_END = "cover", "_cover.pdf"


def file_name(stem: str, kind: str) -> str:
    """The file of a row's `kind`: "pdf", "txt", "eml" (`stem.kind`) or COVER."""
    return f"{stem}{COVER_END}" if kind == COVER else f"{stem}.{kind}"


def file_kind(name: str) -> str:
    """What a file of a batch is, from its name: "pdf", "txt", "eml" or COVER."""
    return COVER if name.endswith(COVER_END) else name.rsplit(".", 1)[-1]


def row_values(values: dict[str, str | list[str]], default_date: str,
               base_dir: str) -> dict[str, object]:
    """A row as `make_request` takes it, checked by its rules: the batch's date unless the
    row has one, the country's code for its name in any letter language or English
    ('Deutschland' → DE), a language's or a German Land's name as its code ('Deutsch' → de,
    'Bayern' → BY), and a signature image path relative to `base_dir`, which it may not
    leave: a row cannot read a file elsewhere on the machine, nor learn whether one exists
    (issue 12, item 11). Its problem is an InputError whose reason names columns, not the
    options of `objection letter` (objection/column_words.py)."""
    from objection.cell_names import land_code, language_code
    from objection.column_words import in_columns
    from objection.country_names import country_code
    from objection.request import make_request

    result: dict[str, object] = {"date": default_date, **values}
    country = result.get("country")
    if isinstance(country, str):
        result["country"] = country_code(country)
    for column, code_of in (("lang", language_code), ("region", land_code)):
        if isinstance(cell := result.get(column), str):
            result[column] = code_of(cell)
    image = result.get("signature_image")
    if isinstance(image, str) and image.strip():
        folder = Path(base_dir).resolve()
        path = (folder / image.strip()).resolve()  # links followed: they cannot lead out
        if not path.is_relative_to(folder) or path == folder:
            raise InputError("signature_image", image, f"must be a file in {folder} (the "
                             "sheet's folder, or --images)")
        result["signature_image"] = str(path)
    try:
        make_request(result)
    except InputError as error:
        raise in_columns(error) from None
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
                       "complex to draw?)", detail=_traceback(job))


def _traceback(job: Job) -> str:
    """The traceback of the failure being handled, with --debug only: it may quote the row."""
    import traceback

    return traceback.format_exc() if job.debug else ""


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
                       f"({type(error).__name__})", detail=_traceback(job))
    if job.duplicate_of:  # checked after the row's own problems, which come first
        return Outcome(job.row, REJECTED, job.key, column="email",
                       reason=str(duplicate_email(job.duplicate_of)),
                       duplicate_of=job.duplicate_of)
    reference = reference_for(request)
    stem = file_stem(job.row, request.name, job.key)
    common = {"row": job.row, "key": job.key,
              "stem": f"{job.folder}/{stem}" if job.folder else stem, "reference": reference,
              "country": request.country, "language": request.lang}
    if reference == job.expected_reference:
        return Outcome(status=UNCHANGED, **common)  # type: ignore[arg-type]
    # The e-mail draft attaches the PDF and the text, whatever the formats asked for.
    made = job.formats + tuple(fmt for fmt in ("pdf", "txt")
                               if job.eml and fmt not in job.formats)
    try:
        letter = compose(request, reference=reference)
        rendered = render_files(letter, made)
    except InputError as error:  # e.g. a character the font cannot print
        return Outcome(job.row, REJECTED, job.key, column=error.field, reason=str(error))
    except Exception as error:  # one broken row must not stop the batch
        return Outcome(status=FAILED, column="", reason=f"unexpected failure "
                       f"({type(error).__name__})", detail=_traceback(job),
                       **common)  # type: ignore[arg-type]
    files = {fmt: rendered[fmt] for fmt in job.formats}
    column, reason, detail = _deliveries(job, letter, stem, rendered, files)
    return Outcome(status=OK, files=files, column=column, reason=reason, detail=detail,
                   **common)  # type: ignore[arg-type]


def _deliveries(job: Job, letter: "Letter", stem: str, rendered: dict[str, bytes],
                files: dict[str, bytes]) -> tuple[str, str, str]:
    """Add the row's cover sheet and e-mail draft, if asked for, to `files`. Either may fail
    without costing the letter, which is made: the row keeps its files, and (column, reason,
    traceback with --debug) say what is missing and why."""
    from objection.cover import cover_note, cover_pdf
    from objection.email_draft import DraftError, email_draft

    missing: list[str] = []
    column = detail = ""
    if job.cover:
        try:
            note = cover_note(letter, f"{stem}.pdf" if "pdf" in job.formats else None,
                              f"{stem}.txt" if "txt" in job.formats else None)
            files[COVER] = cover_pdf(letter, note)
        except InputError as error:
            missing.append(f"no cover sheet: {error}")
        except Exception as error:  # the letter is made: it is kept
            missing.append(f"no cover sheet (unexpected failure, {type(error).__name__})")
            detail = _traceback(job)
    if job.eml:
        try:
            files["eml"] = email_draft(letter, rendered["txt"].decode("utf-8"),
                                       rendered["pdf"], job.eml_from, stem)
        except DraftError as error:
            missing.append(f"no e-mail draft: {error}")
            column = "email"
        except Exception as error:  # the letter is made: it is kept
            missing.append(f"no e-mail draft (unexpected failure, {type(error).__name__})")
            detail = detail or _traceback(job)
    if not missing:
        return "", "", ""
    return column, "; ".join(missing) + "; the letter was made", detail


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
        files = tuple((file_name(outcome.stem, kind), sha256(data),
                       stage_private(Path(directory) / file_name(outcome.stem, kind), data))
                      for kind, data in outcome.files.items())
        staged.append(Staged(outcome.row, outcome.status, outcome.key, outcome.reference,
                             outcome.country, outcome.language, outcome.column, outcome.reason,
                             outcome.detail, outcome.duplicate_of, files=files))
    return staged


def _subfolder(path: Path) -> None:
    """Make a subfolder of the output folder once, durably (its entry in the folder too)."""
    from objection.output import fsync_directory

    if not path.is_dir():
        path.mkdir(mode=0o700, exist_ok=True)
        fsync_directory(path.parent)


def email_key(email: str) -> str:
    """An e-mail address as rows are compared for duplicates (one LinkedIn account, one
    letter): normalised as `objection letter` does (the domain in lower case, Unicode in
    NFC), then without case and surrounding spaces; "" for none."""
    text = email.strip()
    if not text:
        return ""
    from email_validator import EmailNotValidError, validate_email

    with contextlib.suppress(EmailNotValidError):  # else compared as typed
        text = str(validate_email(text, check_deliverability=False).normalized)
    return text.casefold()


def duplicate_email(first: int) -> InputError:
    """A row's problem when row `first` has the same e-mail address (`email_key`)."""
    return InputError("email", "", f"the same address as row {first}: a LinkedIn account "
                      "gets one letter, so this row gets none (correct or delete one of the "
                      "two rows)")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def today() -> str:
    return dt.date.today().isoformat()
