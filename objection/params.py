"""Click parameter types for the library's rules: a bad option value is refused while the
command line is read, with the same one-line reason as the library gives. The same types
can serve click.prompt, which asks again when its type fails.
"""

from typing import Any

import click

from objection.errors import InputError
from objection.fields import FORMATS


class BadValue(click.BadParameter):
    """A bad option value; the CLI prints its message as one line (exit status 2)."""


class RuleType(click.ParamType):  # type: ignore[type-arg]  # generic only in newer click
    """A type whose check is one of the library's rules: an InputError becomes BadValue."""

    def check(self, value: Any) -> Any:
        raise NotImplementedError

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> Any:
        try:
            return self.check(value)
        except InputError as error:
            raise BadValue(str(error), ctx, param) from None


class OneOf(RuleType):
    """One of a few words, in any case: `--toggle`, `--format`."""

    def __init__(self, field: str, choices: tuple[str, ...]) -> None:
        self.field, self.choices = field, choices
        self.name = field

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        return "[" + "|".join(self.choices) + "]"

    def check(self, value: Any) -> str | None:
        from objection.request import parse_choice

        if not str(value).strip():
            return None  # blank: the default, as in a spreadsheet cell
        return parse_choice(value, self.field, self.choices)


class FormatList(RuleType):
    """`pdf`, `txt` or both: `pdf,txt` (in the order given, once each)."""

    name = "formats"

    def check(self, value: Any) -> tuple[str, ...]:
        if isinstance(value, tuple):
            return value
        chosen = tuple(dict.fromkeys(part.strip().lower() for part in str(value).split(",")
                                     if part.strip()))
        if not chosen or any(fmt not in FORMATS for fmt in chosen):
            raise InputError("format", value, "expected pdf, txt or pdf,txt")
        return chosen


class Delimiter(RuleType):
    """A CSV delimiter: `,`, `;` or `tab`."""

    name = "delimiter"

    def check(self, value: Any) -> str:
        delimiter = {"tab": "\t", "\\t": "\t"}.get(str(value), str(value))
        if delimiter not in (",", ";", "\t"):
            raise InputError("delimiter", value, "expected ',', ';' or 'tab'")
        return delimiter


class Encoding(RuleType):
    """A text encoding Python knows, e.g. utf-8 or cp1252."""

    name = "encoding"

    def check(self, value: Any) -> str:
        from objection.spreadsheet import check_encoding

        return check_encoding(str(value))


class LetterDate(RuleType):
    """A letter date, YYYY-MM-DD, checked with the letter's own rule; kept as that text."""

    name = "date"

    def check(self, value: Any) -> str:
        from objection.request import parse_date

        return parse_date(value).isoformat()


class ColumnMapping(RuleType):
    """`'Header in the file=column'` → (header, column)."""

    name = "mapping"

    def check(self, value: Any) -> tuple[str, str]:
        if isinstance(value, tuple):
            return value
        from objection.spreadsheet import parse_mapping_pair

        return parse_mapping_pair(str(value))


class EmailAddress(RuleType):
    """An e-mail address, checked as a letter's sender's is: `--eml-from`."""

    name = "address"

    def __init__(self, field: str) -> None:
        self.field = field

    def check(self, value: Any) -> str:
        from email_validator import EmailNotValidError, validate_email

        try:
            return str(validate_email(str(value), check_deliverability=False).normalized)
        except EmailNotValidError:
            raise InputError(self.field, value, "not a valid e-mail address; expected e.g. "
                             "works.council@example.org") from None
