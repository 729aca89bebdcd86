"""Every problem of every row of a batch's sheet at once, grouped: `objection batch --check`.

A run stops at a row's first problem, so a sheet fixed one reason at a time fails again and
again. Here each row goes through the run's own rules (`batch.row_values`, which applies
`request.make_request`'s, then what rendering adds: the letterhead must fit), and when a field
is refused the row is checked again without it (or, for a field a letter cannot do without,
with a stand-in value), until the row passes: so every field's problem is found, by the
very code that would refuse it in a run. Nothing is rendered and nothing is written.

Problems are counted by kind, not kept one per row: the same problem in 30 000 rows is one
line, with its rows as ranges. What grows with the rows is what a run keeps too: each id and
e-mail address seen, to find the rows that repeat one.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import cast

from objection.batch import duplicate_email, row_values
from objection.errors import InputError
from objection.spreadsheet import Row

# Stand-ins for a field a letter cannot do without, so that the rest of a row is checked
# when this one is refused; never written anywhere.
_STAND_INS: dict[str, str | list[str]] = {
    "name": "Check Stand-In", "email": "check@example.org", "country": "IE",
    "ground": ["old-content"]}
# Whose rules depend on the country (or on the language it implies): with a stand-in country
# their problems would be the stand-in's, so they are checked once the country is valid (the
# languages a country's letters are written in; grounds, which only an objection needs).
_COUNTRY_BOUND = frozenset({"region", "scope", "bilingual", "lang", "ground"})
VALUES_KEPT = 200  # distinct values remembered per reason; further ones are only counted
RANGES_SHOWN = 10  # row ranges a line names; the others are counted
GROUPS_SHOWN = 50  # lines of a listing; the others are counted


@dataclass
class Rows:
    """Row numbers, in the order they come (ascending), kept as ranges."""

    count: int = 0
    ranges: list[list[int]] = field(default_factory=list)

    def add(self, row: int) -> None:
        self.count += 1
        if self.ranges and self.ranges[-1][1] == row - 1:
            self.ranges[-1][1] = row
        elif not (self.ranges and self.ranges[-1][1] == row):
            self.ranges.append([row, row])

    def merge(self, other: "Rows") -> None:
        """Another set of rows (ranges re-sorted: they interleave)."""
        self.count += other.count
        ranges = sorted([*self.ranges, *other.ranges])
        self.ranges = []
        for start, end in ranges:
            if self.ranges and start <= self.ranges[-1][1] + 1:
                self.ranges[-1][1] = max(end, self.ranges[-1][1])
            else:
                self.ranges.append([start, end])

    @property
    def first(self) -> int:
        return self.ranges[0][0]

    def describe(self) -> str:
        """'30 rows (2-31)', '3 rows (4, 9, 12)', 'row 7'."""
        if self.count == 1:
            return f"row {self.first}"
        shown = [f"{start}-{end}" if end > start else str(start)
                 for start, end in self.ranges[:RANGES_SHOWN]]
        if len(self.ranges) > RANGES_SHOWN:
            shown.append("…")
        return f"{self.count} rows ({', '.join(shown)})"


@dataclass
class Reason:
    """One kind of problem (a field and what is expected of it), by value."""

    column: str
    expected: str
    by_value: dict[str, Rows] = field(default_factory=dict)
    others: Rows = field(default_factory=Rows)  # values beyond VALUES_KEPT

    def add(self, value: str, row: int) -> None:
        rows = self.by_value.get(value)
        if rows is None and len(self.by_value) >= VALUES_KEPT:
            rows = self.others
        elif rows is None:
            rows = self.by_value[value] = Rows()
        rows.add(row)

    def lines(self) -> list[tuple[int, str]]:
        """(first row, line): a value given in several rows has a line of its own; values
        given once share one line without the value (each row says which it is)."""
        lines, single = [], Rows()
        singles = [(value, rows) for value, rows in self.by_value.items() if rows.count == 1]
        for value, rows in self.by_value.items():
            if rows.count > 1:
                lines.append((rows.first, f"{rows.describe()}: "
                              f"{InputError(self.column, value, self.expected)}"))
        if len(singles) == 1 and not self.others.count:
            value, rows = singles[0]
            lines.append((rows.first, f"{rows.describe()}: "
                          f"{InputError(self.column, value, self.expected)}"))
        elif singles or self.others.count:
            for _value, rows in singles:
                single.merge(rows)
            single.merge(self.others)
            lines.append((single.first, f"{single.describe()}: "
                          f"{InputError(self.column, '', self.expected)}"))
        return lines


@dataclass
class CheckReport:
    """What checking a sheet found: how many rows, how many with problems, by kind."""

    rows: int = 0
    rows_with_problems: int = 0
    problems: int = 0
    reasons: dict[tuple[str, str], Reason] = field(default_factory=dict)

    @property
    def usable(self) -> int:
        return self.rows - self.rows_with_problems

    def add(self, row: int, problem: InputError) -> None:
        self.problems += 1
        key = (problem.field, problem.expected)
        reason = self.reasons.get(key)
        if reason is None:
            reason = self.reasons[key] = Reason(problem.field, problem.expected)
        reason.add(str(problem.value), row)

    def lines(self, limit: int = GROUPS_SHOWN) -> list[str]:
        """One line per kind of problem, in the order of their first rows."""
        found = sorted(line for reason in self.reasons.values() for line in reason.lines())
        shown = [line for _first, line in found[:limit]]
        if len(found) > limit:
            shown.append(f"… and {len(found) - limit} more kinds of problem")
        return shown


class NoUsableRow(Exception):
    """Every row of the sheet has a problem: no letter can be written, and nothing was."""

    def __init__(self, report: CheckReport) -> None:
        super().__init__(f"every row of {report.rows} has a problem")
        self.report = report


def check_rows(rows: Iterable[Row], date: str, base_dir: str,
               until_usable: bool = False) -> CheckReport:
    """Every problem of every row (`date` the batch's, `base_dir` the folder images must be
    in); with `until_usable`, stop at the first row without one (a run's first check)."""
    from objection.batch import email_key

    report = CheckReport()
    first_with_id: dict[str, int] = {}
    first_with_email: dict[str, int] = {}  # as the run's state compares addresses
    for row in rows:
        report.rows += 1
        problems = row_problems(row, date, base_dir)
        if row.key:
            first = first_with_id.setdefault(row.key, row.number)
            if first != row.number:
                problems.insert(0, InputError("id", row.key, f"is the id of row {first} as "
                                              "well; each row needs its own"))
        email = row.values.get("email")
        if address := email_key(" ".join(email.split()) if isinstance(email, str) else ""):
            first = first_with_email.setdefault(address, row.number)
            if first != row.number:
                problems.append(duplicate_email(first))
        if not problems:
            if until_usable:
                break
            continue
        report.rows_with_problems += 1
        for problem in problems:
            report.add(row.number, problem)
    return report


def row_problems(row: Row, date: str, base_dir: str) -> list[InputError]:
    """Every problem of one row, found by the rules a run applies, one field at a time."""
    from objection.fit import letterhead_size
    from objection.request import check_value

    if row.problem:  # the row could not be read as the file says: nothing else to check
        return [InputError(*row.problem)]
    values = dict(row.values)
    problems: list[InputError] = []
    stood_in: set[str] = set()
    for _attempt in range(len(values) + len(_STAND_INS) + 1):
        try:
            checked = row_values(values, date, base_dir)  # make_request's rules, as a run's
        except InputError as error:
            if not ("country" in stood_in and error.field in _COUNTRY_BOUND):
                problems.append(error)
            if error.field in _STAND_INS and error.field not in stood_in:
                values[error.field] = _STAND_INS[error.field]
                stood_in.add(error.field)
            elif error.field in values and error.field not in stood_in:
                del values[error.field]
            else:
                break  # nothing left to take away: the row's other fields are not reached
            continue
        except Exception as error:  # as a run reports it (objection/batch.py)
            problems.append(InputError("row", "", f"unexpected failure "
                                       f"({type(error).__name__})"))
            break
        if "name" not in stood_in and "address" in values:
            try:  # what rendering refuses: a letterhead too long for the envelope's window
                letterhead_size(cast(str, check_value("name", checked["name"])),
                                cast(tuple[str, ...], check_value("address", checked["address"])))
            except InputError as error:
                problems.append(error)
        break
    return problems
