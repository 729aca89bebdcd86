"""A batch row's reason speaks of the sheet's columns, not of `objection letter`'s options.

The letter's rules (objection/request.py, objection/kinds.py) word their reasons for the
command line ("give at least one --ground"); the person fixing a sheet has no such option to
give, only a column to fill. `objection letter` keeps its wording; a batch rewords the reason.
"""

import re

from objection.errors import InputError
from objection.fields import COLUMNS

# Whole phrases first, where naming the column alone would read badly.
_PHRASES = (
    ("give at least one --ground (see 'objection grounds') or describe your situation with "
     "--situation", "fill in column ground (keys as 'objection grounds' lists them) or "
     "column situation"),
    ("(say more with --situation)", "(say more in column situation)"),
    ("; --bilingual adds", "; column bilingual adds"),
)
_OPTION = re.compile(r"--([a-z][a-z-]*)")


def in_columns(error: InputError) -> InputError:
    """The same error, its reason naming columns where it named options of the letter."""
    expected = error.expected
    for option_words, column_words in _PHRASES:
        expected = expected.replace(option_words, column_words)
    expected = _OPTION.sub(lambda match: f"column {name}" if (
        name := match[1].replace("-", "_")) in COLUMNS else match[0], expected)
    if expected == error.expected:
        return error
    return InputError(error.field, error.value, expected)
