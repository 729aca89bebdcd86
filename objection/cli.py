"""The command line: a thin layer over objection.request, objection.compose and
objection.render.

Heavy libraries (WeasyPrint) are imported inside the command that needs them, so
`objection --help` starts fast. The options of `objection letter` come from the field
table (objection/fields.py), as do the keys of a --profile file.
"""

import datetime as dt
import os
import re
import sys
import time
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from objection import __version__
from objection.catalogue import GROUNDS
from objection.cli_follow_up import complaint, deadline, reminder
from objection.dialogue import FEATURES_COST, converse
from objection.errors import InputError
from objection.fields import (
    BY_NAME,
    OUTPUT_FIELDS,
    PROFILE_KEYS,
    REQUEST_FIELDS,
    Field,
)
from objection.jurisdictions import jurisdiction, supported_countries
from objection.params import (
    BadValue,
    ColumnMapping,
    Delimiter,
    EmailAddress,
    Encoding,
    FormatList,
    LetterDate,
    OneOf,
)
from objection.usage import ObjectionCommand, parse_args_with_context


class BadInput(click.ClickException):
    """Bad input: one line on standard error, exit status 2."""

    exit_code = 2


def _is_help(error: click.UsageError) -> bool:
    """`objection` alone shows the help (click's NoArgsIsHelpError): left as it is."""
    return isinstance(error, getattr(click.exceptions, "NoArgsIsHelpError", ()))


class ObjectionGroup(click.Group):
    """Turns library errors into exit codes: bad input 2, anything unexpected 1 (no traceback).
    Bad input is one line, click's own usage errors too (objection/usage.py)."""

    command_class = ObjectionCommand

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        return parse_args_with_context(super().parse_args, ctx, args)

    def make_context(self, info_name: str | None, args: list[str],
                     parent: click.Context | None = None, **extra: Any) -> click.Context:
        try:  # the group's own options: `objection --nope letter`
            return super().make_context(info_name, args, parent, **extra)
        except click.UsageError as error:
            if _is_help(error):
                raise
            from objection.usage import one_line

            raise BadInput(one_line(error)) from None

    def resolve_command(self, ctx: click.Context,
                        args: list[str]) -> tuple[str | None, click.Command | None, list[str]]:
        name = args[0] if args else ""
        if (not ctx.resilient_parsing and not name.startswith("-")
                and self.get_command(ctx, name) is None):
            from objection.usage import unknown_command

            raise BadInput(unknown_command(ctx, name, self.list_commands(ctx)))
        return super().resolve_command(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except InputError as error:
            raise BadInput(str(error)) from None
        except BadValue as error:  # already worded like an InputError
            raise BadInput(error.message) from None
        except click.UsageError as error:  # click's own checks: one line too
            if _is_help(error):
                raise
            from objection.usage import one_line

            raise BadInput(one_line(error)) from None
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except BrokenPipeError:
            # The reader went away (`objection grounds | head`): stop quietly.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise SystemExit(1) from None
        except Exception as error:
            if ctx.params.get("debug"):
                raise
            # The message itself could quote personal data; name only the kind of failure.
            raise click.ClickException(
                f"unexpected failure ({type(error).__name__}); run again with --debug "
                "for the details") from None


@click.group("objection", cls=ObjectionGroup,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="objection")
@click.option("--debug", is_flag=True, help="Show the full traceback of an unexpected failure.")
def cli(debug: bool) -> None:
    """Write a GDPR Article 21 objection to LinkedIn's use of your data for AI.

    \b
    Example:
      objection letter --name "Jane Doe" --email jane@example.org \\
        --country DE --ground old-content --ground third-parties -o letter.pdf
    """


def _field_option(field: Field) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The option of `objection letter` for one field of the table."""
    names = [field.option] + (["-o"] if field.name == "output" else [])
    if field.flag:
        return click.option(*names, field.name, is_flag=True, default=None, help=field.help)
    return click.option(*names, field.name, multiple=field.repeatable, help=field.help,
                        type=OneOf(field.name, field.choices) if field.choices else None)


def _field_options(function: Callable[..., Any]) -> Callable[..., Any]:
    for field in reversed(REQUEST_FIELDS + OUTPUT_FIELDS):
        function = _field_option(field)(function)
    return function


# https://..., www.example.org/..., linkedin.com/in/... (not a file name such as me.toml)
_WEB_ADDRESS = re.compile(r"[a-z][a-z0-9+.-]*://|www\.[^/]+/|([\w-]+\.)*linkedin\.[a-z]+(/|$)",
                          re.IGNORECASE)


def _load_profile(ctx: click.Context, _param: click.Parameter, given: str | None) -> None:
    """--profile: the file's values become the options' defaults (the command line wins).
    A web address that is no file was meant for --profile-url."""
    if given is None:
        return
    path = Path(given)
    if not path.exists() and _WEB_ADDRESS.match(given.strip()):
        raise InputError("profile", given, "a web address, not a profile file; for your "
                         "LinkedIn profile's address use --profile-url")
    ctx.default_map = {**(ctx.default_map or {}), **_read_profile(path)}


@cli.command()
@click.option("--profile", "profile_file", type=click.Path(dir_okay=False),
              is_eager=True, expose_value=False, callback=_load_profile,
              help="TOML file with the same values as these options (command line wins).")
@_field_options
@click.option("--sign-p12", help="Sign the PDF (PAdES) with the certificate and key in this "
              "PKCS#12 file, e.g. an eID or company certificate.")
@click.option("--p12-password-file", type=click.Path(dir_okay=False, path_type=Path),
              help="File holding the PKCS#12 password (else $OBJECTION_P12_PASSWORD, else a "
              "hidden prompt).")
@click.option("--tsa", help="RFC 3161 timestamp server URL, for a PAdES B-T signature.")
@click.option("--force", is_flag=True, help="Replace the output file if it exists (without "
              "it, an existing file is kept and nothing is written).")
@click.option("--quiet", is_flag=True, help="Say nothing on success (no file names, no next "
              "steps).")
@click.option("--no-input", is_flag=True, help="Never prompt; a missing value is an error.")
def letter(no_input: bool, sign_p12: str | None, p12_password_file: Path | None,
           tsa: str | None, force: bool, quiet: bool, **options: Any) -> None:
    """Write your objection letter as PDF or text.

    Missing values are asked for; with --no-input (or without a terminal) they are
    an error. A letter needs at least one --ground or a --situation: an objection is
    argued from your particular situation.

    \b
    Examples:
      objection letter --name "Jane Doe" --email jane@example.org --country IE \\
        --ground old-content --ground sensitive-data -o objection.pdf
      objection letter --profile me.toml --format txt -o -
      objection letter --profile me.toml --signature-image sig.png \\
        --sign-p12 me.p12 --p12-password-file pw.txt -o signed.pdf
    """
    from objection.compose import compose
    from objection.letter_output import (
        Signing,
        check_output,
        check_signing_options,
        write_letter,
    )
    from objection.request import make_request

    check_signing_options(sign_p12, tsa)
    values: dict[str, Any] = {key: list(value) if isinstance(value, tuple) else value
                              for key, value in options.items() if value not in (None, ())}
    # before any question: answers are not lost to a bad -o
    check_output(str(values.get("output") or ""), values.get("format") or "", force)
    interactive = not no_input and sys.stdin.isatty()
    told = interactive and converse(values)  # the dialogue (objection/dialogue.py)
    request = make_request(values)
    composed = compose(request)

    written = write_letter(composed, output=str(values.get("output") or ""),
                           fmt=values.get("format") or "", force=force, quiet=quiet,
                           signing=Signing(sign_p12, p12_password_file, tsa, interactive))
    from objection.i18n import translations

    _ = translations(composed.catalog).gettext  # in the letter's language, as the steps
    if "features" in request.scope and not values.get("scope") and not told:
        narrower = " ".join(f"--scope {key}" for key in request.scope if key != "features")
        from objection.laws import withdraws_consent
        from objection.withdrawal import FEATURES_NOTE

        cost = FEATURES_NOTE if withdraws_consent(composed.law.key) else FEATURES_COST
        click.echo(_("Note: %(cost)s To leave them out, write the letter again with "
                     "%(options)s.") % {"cost": _(cost), "options": narrower}, err=True)
    if not quiet:
        from objection.next_steps import next_steps

        click.echo("\n" + next_steps(composed, written.get("pdf"), written.get("txt")),
                   err=True)


def _read_profile(path: Path) -> dict[str, Any]:
    """A profile's values keyed by option name, in the shapes the options take. Only a
    regular file of at most 64 KiB is read (not /dev/zero, a pipe or a huge file)."""
    from objection.reading import KIB, read_user_file

    content = read_user_file(path, "profile", 64 * KIB)
    try:
        data = tomllib.loads(content.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise InputError("profile", str(path), "not a UTF-8 text file") from None
    except tomllib.TOMLDecodeError as error:
        raise InputError("profile", str(path), f"not a readable TOML file ({error})") from None
    values: dict[str, Any] = {}
    for key, value in data.items():
        name = key.replace("-", "_")
        if name not in PROFILE_KEYS:
            raise InputError("profile", key,
                             "unknown key; expected some of " + ", ".join(PROFILE_KEYS))
        values[name] = _profile_value(BY_NAME[name], value)
    return values


def _profile_value(field: Field, value: Any) -> Any:
    """Each key takes one TOML type, and nothing is turned into text the way Python prints
    it (['Jane Doe']): a string; for a list key a list of strings or one string (address
    lines, or comma-separated grounds and scopes); for a flag true/false or what a
    spreadsheet cell takes (yes, x ...); for date a date (not a date-time) or YYYY-MM-DD.
    A blank string means the default."""
    if field.flag and isinstance(value, bool | str):
        from objection.request import parse_flag

        return parse_flag(value, field.name)
    if isinstance(value, str):
        if field.repeatable:  # split at line breaks only: others are refused as controls
            return value.replace("\r\n", "\n").split("\n") if field.lines else [value]
        return value if value.strip() else None
    if field.repeatable and isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    if field.name == "date" and type(value) is dt.date:
        return value.isoformat()
    names = {bool: "a boolean", int: "a number", float: "a number", str: "a string",
             list: "a list", dict: "a table", dt.datetime: "a date-time", dt.date: "a date",
             dt.time: "a time"}
    given = names.get(type(value), "another type")
    if field.repeatable and isinstance(value, list):
        given = "a list holding " + next(names.get(type(v), "another type") for v in value
                                         if not isinstance(v, str))
    expected = "a string or a list of strings" if field.repeatable else "a string"
    if field.flag:
        expected = "true or false"
    elif field.name == "date":
        expected = "a date such as 2026-11-23"
    raise InputError("profile", field.name, f"expected {expected}, not {given}")


@cli.command()
def countries() -> None:
    """List the supported countries of residence, their law, controller and authority.

    \b
    Example:
      objection countries
    """
    for code in supported_countries():
        place = jurisdiction(code)
        click.echo(f"{code}  {place.law:<8} {place.controller.name:<36} {place.authority('en')}")


@cli.command()
@click.option("--lang", default="en", show_default=True, help="Language of the descriptions.")
def grounds(lang: str) -> None:
    """List the grounds you can give with --ground, with what each one says.

    \b
    Examples:
      objection grounds
      objection grounds --lang de
    """
    from objection.i18n import available_languages, translations

    if lang not in available_languages():
        raise InputError("lang", lang, "unsupported language; expected one of "
                         + ", ".join(available_languages()))
    _ = translations(lang).gettext
    for entry in GROUNDS.values():
        click.echo(f"{entry.key:<24} {_(entry.summary)}")
        if entry.question:
            click.echo(f"{'':<24} --fact '{entry.key}: …' {_(entry.question)}")


@cli.command()
def languages() -> None:
    """List the letter languages and how complete each translation is.

    \b
    Example:
      objection languages
    """
    from objection.i18n import available_languages, completeness, language_name

    for lang in available_languages():
        click.echo(f"{lang:<4} {language_name(lang, 'en'):<22} {language_name(lang, lang):<22} "
                   f"{completeness(lang):6.1%}")


@cli.command()
@click.argument("table", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the letters, manifest.csv and report.csv (made if missing, "
              "mode 0700; required, except with --follow-up, whose follow-ups and "
              "tracking.csv go into the batch's folder unless -o names another).")
@click.option("--format", "formats", type=FormatList(), default="pdf", show_default=True,
              help="pdf, txt or both: 'pdf,txt'.")
@click.option("--eml", is_flag=True, help="Also an e-mail draft per person (.eml), addressed "
              "to them: a note in the letter's language on how to send it, the PDF and the "
              "text attached.")
@click.option("--eml-from", metavar="ADDRESS", type=EmailAddress("--eml-from"),
              help="With --eml: the drafts' sender, e.g. works.council@example.org (default: "
              "none; the mail program fills it in).")
@click.option("--cover", is_flag=True, help="Also a cover sheet per person "
              "(<file>_cover.pdf): their name and how to send the letter, in its language; "
              "with --print-file, in print.pdf before their letter.")
@click.option("--zip", "make_zip", is_flag=True, help="Also letters.zip with every letter, "
              "the manifest and the report.")
@click.option("--print-file", is_flag=True, help="Also print.pdf: all PDF letters in row order "
              "for one print job, each starting on a right-hand page for printing on both "
              "sides (print-0001.pdf ... for more than 1000 letters).")
@click.option("--jobs", type=click.IntRange(1, 256), help="Worker processes (default: one "
              "per CPU this process may use).")
@click.option("--scheduler", metavar="ADDRESS", help="Make the letters on an existing Dask "
              "cluster, e.g. tcp://10.0.0.5:8786 (needs pip install 'objection[dask]' here "
              "and on the workers); this machine writes them.")
@click.option("--strict", is_flag=True, help="Stop before writing anything if any row is bad.")
@click.option("--replace", is_flag=True, help="The folder holds the letters of another input "
              "file: replace them with this file's (without it, that is refused).")
@click.option("--images", type=click.Path(file_okay=False, exists=True, path_type=Path),
              help="The folder the rows' signature images are in (default: the sheet's "
              "folder); a row cannot name an image outside it.")
@click.option("--quiet", is_flag=True, help="No progress bar and no summary on success.")
@click.option("--map", "mappings", type=ColumnMapping(), multiple=True,
              metavar="'HEADER=column'",
              help="Use a column with another header, e.g. --map 'Full Name=name'; join "
              "several with '+' (their cells with a space): --map 'Vorname+Nachname=name'; "
              "several --map to address give its lines in order: --map 'Straße=address' "
              "--map 'PLZ+Ort=address' (repeatable). Common headers in the letters' "
              "languages (Vorname, Nachname, E-Mail, Land, Pays, PLZ, Ort ...) need none.")
@click.option("--sheet", metavar="NAME", help="The XLSX workbook's sheet to read (default: "
              "the one shown when it was saved).")
@click.option("--header-row", type=click.IntRange(1, 1_048_576), metavar="N",
              help="The row of the headers (default: the first of the first 20 rows that "
              "names two columns; rows above it are a title and are not read).")
@click.option("--ground", "default_grounds", multiple=True, metavar="GROUND",
              help="For rows without a ground: a ground from 'objection grounds' (repeatable).")
@click.option("--situation", "default_situation", metavar="TEXT",
              help="For rows without a situation: the situation, in the letters' words.")
@click.option("--lang", "default_lang", metavar="CODE", help="For rows without a lang: the "
              "letters' language (default: each row's country's).")
@click.option("--toggle", "default_toggle", type=OneOf("toggle", ("off", "pending")),
              help="For rows without a toggle: whether the AI-training setting is off or "
              "being switched off.")
@click.option("--scope", "default_scopes", multiple=True, metavar="SCOPE",
              help="For rows without a scope: limit the objections to a scope (repeatable).")
@click.option("--place", "default_place", metavar="PLACE",
              help="For rows without a place: the place written before the date.")
@click.option("--keep", "keep", multiple=True, metavar="HEADER",
              help="Also list this column of the sheet in manifest.csv, beside each "
              "person's name and e-mail, e.g. --keep 'Personalnr.' (repeatable).")
@click.option("--encoding", type=Encoding(), help="CSV encoding (default: UTF-8 with or "
              "without BOM, else Windows-1252 with a warning).")
@click.option("--delimiter", type=Delimiter(), help="CSV delimiter: ',', ';' or 'tab' "
              "(default: detected).")
@click.option("--date", "batch_date", type=LetterDate(), help="Letter date for rows without "
              "one, YYYY-MM-DD (default: the date of the batch's first run, kept in the folder); "
              "with --follow-up, the follow-ups' date (default: today, or the date a follow-up "
              "already made has).")
@click.option("--follow-up", "follow_up_kind", type=click.Choice(("reminder", "complaint")),
              help="TABLE is the folder of an earlier batch: write a reminder (or the "
              "complaint to the authority) for each of its letters whose time limit has passed, "
              "into reminders/ (complaints/).")
@click.option("--via", type=click.Choice(("form", "post")), help="With --follow-up: how the "
              "letters were sent (default: form, or what tracking.csv says).")
@click.option("--sent", metavar="YYYY-MM-DD", help="With --follow-up: the day the letters "
              "were sent (default: each letter's date, or what tracking.csv says).")
@click.option("--check", is_flag=True, help="Only check: read every row as a run would and "
              "list every problem of every row at once, grouped; write nothing (-o is then "
              "optional). Exit status 0 no problem, 3 some rows have problems.")
def batch(table: Path, output: Path | None, formats: tuple[str, ...], eml: bool,
          eml_from: str | None, cover: bool, make_zip: bool, print_file: bool,
          jobs: int | None, scheduler: str | None,
          strict: bool, replace: bool, images: Path | None, quiet: bool,
          mappings: tuple[tuple[str, str], ...], encoding: str | None, delimiter: str | None,
          batch_date: str | None, follow_up_kind: str | None, via: str | None,
          sent: str | None, check: bool, keep: tuple[str, ...], sheet: str | None,
          header_row: int | None, default_grounds: tuple[str, ...],
          default_situation: str | None, default_lang: str | None,
          default_toggle: str | None, default_scopes: tuple[str, ...],
          default_place: str | None) -> None:
    """Write one letter per row of a CSV or XLSX file.

    Columns are named like the options of 'objection letter': name, email, country
    (required), profile_url, address, region, lang, ground, fact, situation, scope, date,
    place, toggle, bilingual, signature_image; or as an office names them in a language of
    the letters (Vorname and Nachname are joined into name; Straße, PLZ and Ort make the
    address; Land holds a country's name or code). Several grounds go in one cell separated by
    commas; address lines and facts by '|' or line breaks. Each row is checked with the rules of
    'objection letter'; a bad row is reported (report.csv, and the summary) and does
    not stop the batch. Running the same command again only redoes rows whose files
    are missing or changed. --check lists every problem of every row at once and writes
    nothing; so does a first run in which every row has a problem.

    With --follow-up reminder (or complaint), TABLE is the folder of an earlier batch: each
    letter whose time limit has passed gets its reminder in reminders/ (its complaint to
    the supervisory authority in complaints/, made from the reminder if it has one), made
    from the letter's PDF. A row not yet due is skipped with its date; a row marked as
    answered in tracking.csv too. Every run writes tracking.csv: one row per person, when
    sent, when due, what is due next; the columns sent, via, received and answered, kept
    up to date by hand, win over --sent and --via.

    Exit status: 0 every row has its letter (or its follow-up, or is not yet due);
    3 some rows were rejected; 2 the file or an option is unusable; 130 interrupted (run
    again to resume).

    \b
    Examples:
      objection batch staff.csv -o letters/
      objection batch staff.xlsx -o letters/ --format pdf,txt --zip --map 'Full Name=name'
      objection batch mitarbeiter.csv -o briefe/ --map 'Vorname+Nachname=name' --ground old-content
      objection batch staff.csv --check
      objection batch staff.csv -o letters/ --scheduler tcp://10.0.0.5:8786
      objection batch --follow-up reminder letters/ --via post
      objection batch --follow-up complaint letters/
    """
    from objection.batch_defaults import batch_defaults
    from objection.batch_run import BatchOptions, run_batch

    if follow_up_kind:
        _follow_up_batch(table, output, follow_up_kind, formats, jobs, quiet, batch_date, via,
                         sent, {"--eml": eml, "--zip": make_zip, "--print-file": print_file,
                                "--scheduler": scheduler, "--strict": strict,
                                "--replace": replace, "--images": images, "--map": mappings,
                                "--encoding": encoding, "--delimiter": delimiter,
                                "--check": check, "--keep": keep, "--eml-from": eml_from,
                                "--cover": cover, "--sheet": sheet, "--header-row": header_row,
                                "--ground": default_grounds, "--situation": default_situation,
                                "--lang": default_lang, "--toggle": default_toggle,
                                "--scope": default_scopes, "--place": default_place})
        return
    for name, given in (("--via", via), ("--sent", sent)):
        if given is not None:
            raise click.UsageError(f"option {name} is used only with --follow-up")
    if eml_from and not eml:
        raise click.UsageError("option --eml-from is used only with --eml")
    if output is None and not check:
        ctx = click.get_current_context()
        raise click.MissingParameter(ctx=ctx, param=next(
            param for param in ctx.command.params if param.name == "output"))
    folder_given, output = output is not None, output or Path()  # --check needs no folder
    options = BatchOptions(table, output, formats, replace, images, eml, make_zip, print_file,
                           jobs or 0, strict, dict(mappings), encoding, delimiter, batch_date,
                           keep=keep, debug=bool(click.get_current_context().find_root()
                                                 .params.get("debug")),
                           cover=cover, eml_from=eml_from or "", sheet=sheet,
                           header_row=header_row, defaults=batch_defaults(
                               {"ground": default_grounds, "situation": default_situation,
                                "lang": default_lang, "toggle": default_toggle,
                                "scope": default_scopes, "place": default_place}))
    if check:
        _check_only(options, folder_given, quiet)
    show_progress = not quiet and sys.stderr.isatty()

    def batch_on(engine: Any = None) -> Any:
        from objection.batch_check import NoUsableRow

        try:
            return run_batch(options, warn=lambda message: click.echo(f"warning: {message}",
                                                                      err=True),
                             progress_factory=_progress_bar if show_progress else None,
                             executor=engine)
        except NoUsableRow as nothing:
            _print_check(nothing.report, "No letter was written, and nothing was made: "
                         f"every one of the {nothing.report.rows} rows has a problem",
                         err=True)
            raise SystemExit(3) from None

    if scheduler:
        from objection.batch_dask import dask_executor
        from objection.batch_run import Engine

        with dask_executor(scheduler) as (executor, slots):
            summary = batch_on(Engine(executor, slots, remote=True))
    else:
        summary = batch_on()
    _print_summary(summary, output, quiet)
    if not summary.interrupted:
        from objection.tracking import track_batch

        try:
            tracking = track_batch(output, table, dict(mappings), encoding, delimiter, sheet,
                                   header_row)
        except (InputError, OSError) as error:
            click.echo(f"warning: tracking.csv was not written ({error})", err=True)
        else:
            if not quiet:
                click.echo(f"Tracking sheet: {tracking}", err=True)
    if summary.interrupted:
        raise SystemExit(130)
    if summary.problem_count:
        raise SystemExit(3)


def _follow_up_batch(folder: Path, output: Path | None, kind: str, formats: tuple[str, ...],
                     jobs: int | None, quiet: bool, date: str | None, via: str | None,
                     sent: str | None, unused: dict[str, Any]) -> None:
    """`objection batch --follow-up KIND FOLDER`: the follow-ups of an earlier batch."""
    from objection.batch_follow_up import (
        FollowUpOptions,
        check_folder,
        run_follow_up,
        summary_lines,
    )
    from objection.follow_up_fields import iso_date

    for name, value in unused.items():
        if value:
            raise click.UsageError(f"option {name} is not used with --follow-up")
    check_folder(folder)
    options = FollowUpOptions(folder, output or folder, kind, formats, via,
                              iso_date(sent, "sent").isoformat() if sent else None, date,
                              jobs or 0)
    show_progress = not quiet and sys.stderr.isatty()
    summary = run_follow_up(options, warn=lambda message: click.echo(f"warning: {message}",
                                                                     err=True),
                            progress_factory=_progress_bar if show_progress else None)
    for line in summary_lines(summary, quiet):
        click.echo(line, err=True)
    if summary.interrupted:
        raise SystemExit(130)
    if summary.problem_count:
        raise SystemExit(3)


def _check_only(options: Any, folder_given: bool, quiet: bool) -> None:
    """`objection batch --check`: every problem of every row, grouped; nothing written.
    Ends the command: exit status 0 without a problem, 3 with some."""
    from objection.batch_run import check_batch

    report = check_batch(options, warn=lambda message: click.echo(f"warning: {message}",
                                                                  err=True),
                         folder=folder_given)
    name = options.input.name
    if not report.rows_with_problems:
        if not quiet:
            click.echo(f"{name}: {report.rows} rows checked, no problem found; nothing was "
                       "written.")
        raise SystemExit(0)
    _print_check(report, f"{name}: {report.rows_with_problems} of {report.rows} rows have "
                 f"problems ({report.problems} in all); nothing was written")
    raise SystemExit(3)


def _print_check(report: Any, heading: str, err: bool = False) -> None:
    """The heading, then one line per kind of problem with the rows that have it."""
    click.echo(f"{heading}:", err=err)
    for line in report.lines():
        click.echo(f"  {line}", err=err)


def _progress_bar(total: int) -> Callable[[int], None]:
    """A progress bar on standard error with rate and time left."""
    started = time.perf_counter()
    bar: Any = click.progressbar(length=total, label="Letters", file=sys.stderr, show_eta=True,
                            show_pos=True, item_show_func=lambda _: None)
    bar.__enter__()
    done = [0]

    def advance(count: int) -> None:
        done[0] += count
        elapsed = max(time.perf_counter() - started, 1e-6)
        bar.label = f"Letters ({done[0] / elapsed:.1f}/s)"
        bar.update(count)
        if done[0] >= total:
            bar.__exit__(None, None, None)

    return advance


def _print_summary(summary: Any, output: Path, quiet: bool) -> None:
    rate = summary.written / summary.seconds if summary.seconds else 0.0
    if summary.interrupted:
        click.echo(f"Interrupted: {summary.letters} letters done so far; run the same command "
                   "again to resume.", err=True)
    elif not quiet or summary.problem_count:
        click.echo(f"{summary.letters} letters in {output} ({summary.written} written, "
                   f"{summary.unchanged} unchanged) in {summary.seconds:.1f} s "
                   f"({rate:.1f} letters/s).", err=True)
    if summary.problem_count:
        click.echo(f"{summary.problem_count} rows could not be used (all in "
                   f"{output / 'report.csv'}):", err=True)
        for row, _column, reason in summary.problems:
            click.echo(f"  row {row}: {reason}", err=True)
        if summary.problem_count > len(summary.problems):
            click.echo(f"  ... and {summary.problem_count - len(summary.problems)} more",
                       err=True)
    if summary.removed and not quiet:
        click.echo(f"Removed {summary.removed} files of rows that are no longer in the input, "
                   "now have a problem, or are no longer asked for in that format.", err=True)
    for extra in summary.extras:
        if not quiet:
            click.echo(f"Also wrote {output / extra}.", err=True)


@cli.command()
@click.argument("pdf", type=click.Path(path_type=Path))
@click.option("--trust-root", multiple=True, type=click.Path(exists=True, dir_okay=False,
              path_type=Path), help="A CA certificate (PEM or DER) the signer must chain to "
              "(repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def verify(pdf: Path, trust_root: tuple[Path, ...], as_json: bool) -> None:
    """Check a letter: that it is the letter objection makes from its request
    data, its revisions, its signature and its signer.

    Exit status 0 when valid (the letter made again from its request data, byte
    for byte, unsigned or signed by its sender with a certificate that chains to
    a --trust-root), 3 when intact but not verified (no --trust-root, a signer
    who does not chain to one or is not the sender, or a letter from another
    version compared by its text only), 1 when invalid or tampered (or not an
    objection letter), 2 when the file cannot be checked (not a PDF, not a
    regular file, over 20 MiB or 50 pages, more revisions than objection writes,
    over 30 s) or a --trust-root is not a certificate.

    \b
    Examples:
      objection verify signed.pdf --trust-root my-ca.pem
      objection verify letter.pdf --json
    """
    import json

    from objection.verify import EXIT_STATUS, render_report
    from objection.verify import verify as check

    debug = bool(click.get_current_context().find_root().params.get("debug"))
    report = check(pdf, list(trust_root), quiet=not debug)
    click.echo(json.dumps(report.as_dict(), indent=2, ensure_ascii=False) if as_json
               else render_report(report))
    raise SystemExit(EXIT_STATUS[report.outcome])


for _command in (deadline, reminder, complaint):
    cli.add_command(_command)


def main() -> None:
    cli(prog_name="objection")


__all__ = ["cli", "main"]
