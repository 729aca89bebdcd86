"""The supervisory authorities as addressees of a complaint: every one has a postal address
that fits a letter, the country it is in, and where known its complaint page."""

import tomllib
from collections.abc import Iterator
from typing import Any

import pytest
from babel import Locale

from objection.jurisdictions import jurisdiction, regions, supported_countries
from objection.resources import DATA_DIR

JURISDICTIONS = tomllib.loads((DATA_DIR / "jurisdictions.toml").read_text("utf-8"))
# Two-letter codes that babel knows as territories but that are no countries.
NOT_COUNTRIES = {"EU", "EZ", "UN", "QO", "ZZ"}


def entries() -> Iterator[tuple[str, dict[str, Any]]]:
    """Every country entry and every region entry (German Länder), by a readable key."""
    for code, country in JURISDICTIONS["countries"].items():
        yield code, country
        for region, local in country.get("regions", {}).items():
            yield f"{code}-{region}", local


def test_every_authority_has_an_address_for_a_letter() -> None:
    for key, entry in entries():
        lines = entry["postal_address"]
        regions = entry.get("regions", {})
        # The authority is the region's (a German Land): the letter needs a region. A region
        # with a law of its own beside the country's (Quebec) leaves the country's authority.
        if regions and not all(region.get("law") for region in regions.values()):
            assert lines == [], key
            continue
        assert lines and len(lines) <= 4, key
        assert all(line.strip() == line and 0 < len(line) <= 60 for line in lines), key


def test_every_address_names_its_country_and_source() -> None:
    territories = Locale("en").territories
    for key, entry in entries():
        country = entry["postal_country"]
        assert len(country) == 2 and country.isupper(), key
        assert country in territories and country not in NOT_COUNTRIES, key
        assert entry["complaint_url"] == "" or entry["complaint_url"].startswith("https://"), key
        assert entry["contact_source"].startswith("https://"), key
        assert entry["contact_checked"] in ("", "2026-11-30"), key


def test_a_german_region_has_its_own_authority() -> None:
    bavaria = jurisdiction("DE", "BY")
    assert bavaria.authority("de").startswith("Bayerisches Landesamt für Datenschutzaufsicht")
    assert bavaria.authority_address == ("Promenade 27", "91522 Ansbach")
    assert bavaria.authority_country == "DE"
    assert bavaria.complaint_url.startswith("https://www.lda.bayern.de/")
    # Without a region there is no single authority to write to.
    assert jurisdiction("DE").authority_address == ()


def test_the_irish_dpc() -> None:
    ireland = jurisdiction("ie")
    assert ireland.authority("en") == "Data Protection Commission"
    assert ireland.authority_address == ("21 Fitzwilliam Square South", "Dublin 2", "D02 RD28")
    assert ireland.authority_country == "IE"


@pytest.mark.parametrize("country", supported_countries())
def test_every_jurisdiction_carries_its_authoritys_contact(country: str) -> None:
    for region in regions(country) or [""]:
        place = jurisdiction(country, region)
        assert place.authority_address and place.authority_country, (country, region)
