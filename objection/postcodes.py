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


# A Canadian postal code: letter digit letter, optional space, digit letter digit (A1A 1A1);
# the last one in an address is its own.
_CANADIAN_POSTAL_CODE = re.compile(r"\b([ABCEGHJ-NPRSTVXY])\d[A-Z][ -]*\d[A-Z]\d\b",
                                   re.IGNORECASE)
# Canada Post's forward sortation areas beginning with these letters are in Quebec (G eastern,
# H Montréal, J western Quebec); no other letter serves Quebec addresses.
_QUEBEC_LETTERS = frozenset("GHJ")
_QUEBEC_ABBREVIATION = re.compile(r"[\s,]QC\s*$")  # a town's line ending "... QC"


def canadian_postal_code(lines: Iterable[str]) -> str:
    """The last Canadian postal code in an address (A1A 1A1), or ""."""
    codes = [match.group(0) for line in lines for match in _CANADIAN_POSTAL_CODE.finditer(line)]
    return codes[-1].upper() if codes else ""


def province_of_address(lines: Iterable[str]) -> str:
    """QC for a Canadian address whose postal code is in Quebec, else "": Quebec is the only
    province whose own law a letter adds (objection/data/jurisdictions.toml)."""
    lines = list(lines)
    code = canadian_postal_code(lines)
    if code:
        return "QC" if code[0] in _QUEBEC_LETTERS else ""
    # No postal code: the province's abbreviation as Canada Post writes it ("Montréal QC").
    return "QC" if any(_QUEBEC_ABBREVIATION.search(line) for line in lines) else ""
