"""Which files `objection letter` writes, and where: both formats by default, else what the
output's suffix or --format says (issue 13)."""

from dataclasses import dataclass
from pathlib import Path

from objection.errors import InputError
from objection.fields import FORMATS

STDOUT = "-"


@dataclass(frozen=True)
class LetterFiles:
    """The letter's files: (format, path) pairs, or one format on standard output."""

    files: tuple[tuple[str, Path], ...] = ()
    stdout_format: str = ""

    @property
    def formats(self) -> tuple[str, ...]:
        return (self.stdout_format,) if self.stdout_format else \
            tuple(fmt for fmt, _path in self.files)


def letter_files(output: str, fmt: str, stem: str) -> LetterFiles:
    """Without -o: the PDF (to post or upload) and the text (to paste into LinkedIn's form),
    named `stem`, or only --format's. With -o: one file, its format from its suffix, or from
    --format for any other name; `-` is standard output (text unless --format pdf)."""
    if output == STDOUT:
        return LetterFiles(stdout_format=fmt or "txt")
    if not output:
        return LetterFiles(tuple((each, Path(f"{stem}.{each}")) for each in (fmt,) if fmt)
                           or tuple((each, Path(f"{stem}.{each}")) for each in FORMATS))
    suffix = Path(output).suffix.lower().lstrip(".")
    if suffix in FORMATS:
        if fmt and fmt != suffix:
            raise InputError("output", output, f"ends in .{suffix} but --format is {fmt}; "
                             "give one of them, or a name that matches")
        return LetterFiles(((suffix, Path(output)),))
    if fmt:  # a name of the user's own choosing, with the format said outright
        return LetterFiles(((fmt, Path(output)),))
    raise InputError("output", output, "expected a file name ending in .pdf or .txt (or give "
                     "--format pdf or --format txt)")
