"""The law as data: every dated version names its source, and a letter of any date under
any law can be written (each step it cites exists in that law on that date)."""

import datetime as dt
import tomllib

import pytest

from objection.compose import compose
from objection.jurisdictions import jurisdiction
from objection.laws import edition, law_as_of
from objection.render import render_text
from objection.request import make_request
from objection.resources import DATA_DIR

LAWS = tomllib.loads((DATA_DIR / "laws.toml").read_text("utf-8"))
JURISDICTIONS = tomllib.loads((DATA_DIR / "jurisdictions.toml").read_text("utf-8"))


def test_every_dated_version_says_where_it_was_checked() -> None:
    for law, entry in LAWS.items():
        for provision, value in entry["provisions"].items():
            if value and isinstance(value[0], dict):
                assert "from" not in value[0], f"{law}.{provision}: the first version has no date"
                for version in value[1:]:
                    assert isinstance(version["from"], dt.date), f"{law}.{provision}"
                    assert version["source"].strip() and version["checked"], f"{law}.{provision}"
    for code, country in JURISDICTIONS["countries"].items():
        for renamed in country.get("renamed", []):
            assert isinstance(renamed["from"], dt.date) and renamed["source"] and \
                renamed["checked"] and renamed["en"], code


def test_editions_are_the_dates_of_the_changes() -> None:
    assert edition("uk_gdpr", dt.date(2026, 2, 4)) == dt.date.min
    assert edition("uk_gdpr", dt.date(2026, 2, 5)) == dt.date(2026, 2, 5)
    assert edition("uk_gdpr", dt.date(2026, 11, 30)) == dt.date(2026, 6, 19)
    assert edition("gdpr", dt.date(2026, 11, 30)) == dt.date.min
    # Letters within one edition share their law (and so, in a batch, their body).
    assert law_as_of("uk_gdpr", "en", "en", dt.date(2026, 7, 1)) == \
        law_as_of("uk_gdpr", "en", "en", dt.date(2026, 11, 30))


def test_the_regulator_has_the_name_of_the_letters_date() -> None:
    uk = jurisdiction("GB")
    assert uk.authority("en", dt.date(2026, 9, 29)) == "Information Commissioner (ICO)"
    assert uk.authority("pl", dt.date(2026, 9, 30)) == "Information Commission (ICO)"


# "" is today, after every change (a letter may not be dated more than 31 days ahead).
@pytest.mark.parametrize("date", ["2025-11-03", "2026-02-05", "2026-06-19", "2026-09-30", ""])
@pytest.mark.parametrize("country", ["IE", "GB", "CH"])
def test_a_letter_of_any_date_can_be_written(date: str, country: str) -> None:
    request = make_request({"name": "Jane Doe", "email": "jane@example.org", "country": country,
                            "lang": "en", "ground": ["old-content", "sensitive-data"],
                            "toggle": "off", "date": date})
    assert "Art. 21" in render_text(compose(request))
