"""Which German Land a postcode lies in, so that a letter can name its supervisory
authority without asking (data/de_postcodes.tsv, built by scripts/de_postcodes.py).

A postcode that the table does not know, or that lies in more than one Land, gives no
Land: the letter then refers to the authority of the sender's Land in general, and
--region says which one.
"""

import bisect
import re
from collections.abc import Iterable
from functools import cache

from objection.resources import DATA_DIR

# "10117 Berlin", "D-10117 Berlin", "DE-10117 Berlin": five digits at the start of a line,
# then the place; the last such line of an address is its postcode line.
_POSTCODE_LINE = re.compile(r"^(?:D-|DE-|DE\s)?(\d{5})\s+\S", re.IGNORECASE)


@cache
def _ranges() -> tuple[list[str], list[tuple[str, str]]]:
    starts: list[str] = []
    rest: list[tuple[str, str]] = []
    for line in (DATA_DIR / "de_postcodes.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            first, last, lands = line.split("\t")
            starts.append(first)
            rest.append((last, lands))
    return starts, rest


def land_of_postcode(postcode: str) -> str:
    """The Land (BY, NW ...) of a five-digit German postcode, or "" if unknown or ambiguous."""
    starts, rest = _ranges()
    index = bisect.bisect_right(starts, postcode) - 1
    if index < 0:
        return ""
    last, lands = rest[index]
    return lands if postcode <= last and "/" not in lands else ""


def land_of_address(lines: Iterable[str]) -> str:
    """The Land of the last line of a German address that starts with a postcode."""
    found = ""
    for line in lines:
        match = _POSTCODE_LINE.match(line.strip())
        if match:
            found = match.group(1)
    return land_of_postcode(found) if found else ""
