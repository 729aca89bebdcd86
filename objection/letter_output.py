"""Where a letter of any kind goes: its files checked before anything is asked, rendered
(and signed), written together, and named on standard error. `objection letter`,
`reminder` and `complaint` share it.
"""

import os
import sys
from dataclasses import dataclass
from pathlib import Path

import click

from objection.errors import InputError
from objection.letter_files import letter_files
from objection.model import Letter
from objection.output import check_writable


@dataclass(frozen=True)
class Signing:
    """The signing options: a PKCS#12 file, where its password is, a timestamp server."""

    p12: str | None = None
    password_file: Path | None = None
    tsa: str | None = None
    interactive: bool = False  # a hidden prompt may ask for the password


def check_signing_options(sign_p12: str | None, tsa: str | None) -> None:
    """--tsa is a web address, and only with --sign-p12 (checked first of all)."""
    if tsa is not None:
        from objection.signing import check_tsa

        check_tsa(tsa, signing=bool(sign_p12))


def check_output(output: str, fmt: str, force: bool) -> None:
    """An -o that names a file: writable, and not an existing one unless --force."""
    if output not in ("", "-"):
        for _fmt, path in letter_files(output, fmt, "").files:
            check_writable(path, replace=force)


def write_letter(letter: Letter, output: str, fmt: str, force: bool, quiet: bool,
                 signing: Signing) -> dict[str, Path]:
    """Render, perhaps sign, and write the letter (or print it on standard output); the
    files written, by format."""
    from objection.i18n import translations
    from objection.render import render_files
    from objection.signing import TimestampFailed

    targets = letter_files(output, fmt, f"{letter.kind.key}-{letter.reference}")
    for _fmt, path in targets.files:
        check_writable(path, replace=force)
    if targets.stdout_format == "pdf" and sys.stdout.isatty():
        raise InputError("output", "-", "a PDF cannot be shown on a terminal; "
                         "redirect it to a file or use --format txt")
    credentials = None
    if signing.p12:
        if "pdf" not in targets.formats:
            raise InputError("sign_p12", signing.p12, "only a PDF letter can be signed; "
                             "use --format pdf")
        from objection.signing import load_credentials

        credentials = load_credentials(signing.p12, p12_password(signing.password_file,
                                                                 signing.interactive))
    try:
        files = render_files(letter, targets.formats, credentials=credentials,
                             tsa_url=signing.tsa)
    except TimestampFailed as error:  # unreachable or unavailable: exit 1, worth a retry
        raise click.ClickException(str(error)) from None
    if targets.stdout_format:
        sys.stdout.buffer.write(files[targets.stdout_format])
        sys.stdout.flush()
        return {}
    write_together([(path, files[fmt]) for fmt, path in targets.files])
    if not quiet:
        _ = translations(letter.catalog).gettext
        for _fmt, path in targets.files:
            click.echo(_("Wrote %(file)s (%(reference)s).")
                       % {"file": path, "reference": letter.reference}, err=True)
    return dict(targets.files)


def p12_password(password_file: Path | None, interactive: bool) -> bytes:
    """From a file, the environment or a hidden prompt; never from a plain option."""
    if password_file is not None:
        from objection.reading import read_user_file
        from objection.signing import PASSWORD_FILE_LIMIT

        return read_user_file(password_file, "p12_password_file",
                              PASSWORD_FILE_LIMIT).rstrip(b"\r\n")
    if (from_env := os.environ.get("OBJECTION_P12_PASSWORD")) is not None:
        return from_env.encode()
    if interactive:
        return str(click.prompt("PKCS#12 password", hide_input=True)).encode()
    raise InputError("p12_password", "", "none given; use --p12-password-file or "
                     "OBJECTION_P12_PASSWORD")


def write_together(files: list[tuple[Path, bytes]]) -> None:
    """The letter's files, all or none: each staged beside its place, then all committed."""
    from objection.output import commit_staged, stage_private

    try:
        commit_staged([(stage_private(path, data), path) for path, data in files])
    except OSError as error:
        raise InputError("output", str(files[0][0]), f"cannot be written ({error.strerror})"
                         ) from None


