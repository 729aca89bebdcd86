"""Batch-wide values for the columns a staff list usually lacks (`objection batch --ground
old-content --lang de ...`): checked once by the letter's rules, before a row is read, and
used in every row whose own cell is empty (objection/spreadsheet.py)."""

from collections.abc import Mapping

from objection.errors import InputError

COLUMNS = ("ground", "situation", "lang", "toggle", "scope", "place")


def batch_defaults(given: Mapping[str, object]) -> dict[str, str | list[str]]:
    """The values given (a tuple for a repeatable option), each checked; an option given
    an empty value is bad input (`--ground ''` would quietly mean nothing). A scope that
    only some countries have is checked per row."""
    from objection.catalogue import SCOPES
    from objection.request import check_value

    defaults: dict[str, str | list[str]] = {}
    for column, value in given.items():
        values = value if isinstance(value, tuple | list) else () if value is None else (value,)
        if any(not str(item).strip() for item in values):
            raise InputError(f"--{column}", "", "given empty; leave the option out or give "
                             "its value")
        if isinstance(value, tuple | list):
            items = [str(item).strip() for item in value]
            if not items:
                continue
            if column == "scope":
                for key in items:
                    if key.lower() not in SCOPES:
                        raise InputError("scope", key, "unknown; expected one of "
                                         + ", ".join(SCOPES))
            else:
                check_value(column, items)
            defaults[column] = items
        elif value is not None and str(value).strip():
            check_value(column, str(value))
            defaults[column] = str(value)
    return defaults
