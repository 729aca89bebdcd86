"""Which cells of a sheet's row make which column of a letter: the sheet's own header names.

A column comes from, in this order of precedence: a `--map` (one header, or several joined
with '+': their cells joined with a space), a header named like the column (`name`,
`E-Mail` for `email`), or a header name recognised in one of the languages objection writes
letters in (data/headers.toml: `Vorname`, `Land`, `Pays` ...). A first and a last name are
joined into `name` (first name first), street, postcode and town into `address` lines
(postcode and town on one line, in the sheet's order), so that a sheet as an office keeps
it needs no option at all.
"""

import functools
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass

from objection.country_names import normal
from objection.errors import InputError
from objection.resources import DATA_DIR

HEADER_SEARCH = 20  # rows in which the header is looked for, below a title


@dataclass(frozen=True)
class Source:
    """One column's cells: a single one, or several joined with a space (one line of a list
    column such as `address`)."""

    column: str
    positions: tuple[int, ...]  # 0-based places in the row


@functools.cache
def recognised_names() -> dict[str, str]:
    """Every header name of data/headers.toml by its `normal` form → its field (name,
    first_name, last_name, email, country, street, postcode, town, lang ...)."""
    with (DATA_DIR / "headers.toml").open("rb") as fh:
        table = tomllib.load(fh)
    names: dict[str, str] = {}
    for field, by_language in table.items():
        for words in by_language.values():
            for word in words:
                if names.setdefault(normal(word), field) != field:
                    raise ValueError(f"headers.toml: {word!r} names two fields")
    return names


def _parts(key: str) -> list[str]:
    return [part.strip() for part in key.split("+")]


def known_names(cells: list[str], mapping: Mapping[str, str], own: Mapping[str, str]) -> int:
    """How many cells name a column (own names, recognised names, --map headers): a header
    row names at least two, a title or a person's row hardly ever."""
    mapped = {normal(text) for key in mapping for text in (key, *_parts(key))}
    names = recognised_names()
    return sum(1 for cell in cells if (title := normal(cell))
               and (title in own or title in names or title in mapped))


def layout(header: list[str], mapping: Mapping[str, str], own: Mapping[str, str],
           repeatable: tuple[str, ...]) -> list[Source]:
    """The sources of the row's columns, for a header row; `own` maps the `normal` form of a
    column's own name to it. InputError for a --map naming a header the row lacks, and for a
    column given twice where it takes one value."""
    lowered = [title.strip().lower() for title in header]
    titles = [normal(title) for title in header]

    def find(text: str, pair: str) -> int:
        for candidates, wanted in ((lowered, text.strip().lower()), (titles, normal(text))):
            if wanted and wanted in candidates:
                return candidates.index(wanted)
        raise InputError("map", pair, f"the header has no column {text.strip()!r} "
                         "(compared without case)")

    sources: list[Source] = []
    given: set[str] = set()
    for key, column in mapping.items():
        pair = f"{key}={column}"
        whole = key.strip().lower()
        positions = (lowered.index(whole),) if whole in lowered else \
            tuple(find(part, pair) for part in _parts(key))
        if column in given and column not in repeatable:
            raise InputError("map", pair, f"{column} is mapped twice; join its headers with "
                             f"'+' in one --map, e.g. 'First+Last={column}'")
        sources.append(Source(column, positions))
        given.add(column)
    mapped = set(given)
    taken = {position for source in sources for position in source.positions}
    fields = {recognised_names().get(title) for title in titles}
    # German "Vorname; Name", French "Prénom; Nom": beside a first name, Name is the last one.
    surname = "first_name" in fields and "last_name" not in fields
    for position, title in enumerate(titles):
        owned = own.get(title) if position not in taken else None
        if owned is None or owned in mapped or (owned == "name" and surname):
            continue
        if owned in given and owned not in repeatable:
            raise InputError("input", header[position], "appears twice as a column")
        sources.append(Source(owned, (position,)))
        given.add(owned)
        taken.add(position)
    found: dict[str, list[int]] = {}
    for position, title in enumerate(titles):
        if position not in taken and (field := recognised_names().get(title)):
            found.setdefault(field, []).append(position)
    return sources + _recognised(found, given)


def _recognised(found: dict[str, list[int]], given: set[str]) -> list[Source]:
    """The columns the recognised headers give, where no --map and no own name gives them."""
    def first(field: str) -> list[int]:
        return found.get(field, [])[:1]

    sources = []
    if "name" not in given:
        full, first_name, last_name = first("name"), first("first_name"), first("last_name")
        if first_name or last_name:
            # A name beside a first name (or a last name) is the other half.
            if full and not (first_name and last_name):
                first_name, last_name = first_name or full, last_name or full
            sources.append(Source("name", tuple(first_name + last_name)))
        elif full:
            sources.append(Source("name", tuple(full)))
    if "address" not in given:
        sources.extend(Source("address", (position,)) for position in found.get("street", []))
        line = sorted(first("postcode") + first("town"))
        if line:
            sources.append(Source("address", tuple(line)))
    for field in ("email", "country", "lang", "profile_url", "region"):
        if field not in given and first(field):
            sources.append(Source(field, tuple(first(field))))
    return sources
