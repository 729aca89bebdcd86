"""Country of residence → law, supervisory authority and LinkedIn's controller.

The facts, each with its source and the date it was checked, are in data/jurisdictions.toml.
"""

import datetime as dt
import tomllib
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from objection.errors import InputError
from objection.resources import DATA_DIR


@dataclass(frozen=True)
class Controller:
    name: str
    address: tuple[str, ...]
    country: str


@dataclass(frozen=True)
class Jurisdiction:
    country: str
    law: str
    controller: Controller
    authority_names: dict[str, str]
    authority_url: str
    # Later names of the authority: (from date, names by language), oldest first.
    renamed: tuple[tuple[dt.date, dict[str, str]], ...] = field(default=())
    # The authority's postal address without the country line (empty for a country whose
    # authority depends on the region when no region was given), the ISO code of the
    # country it is in, and its complaint page ("" if none is known).
    authority_address: tuple[str, ...] = ()
    authority_country: str = ""
    complaint_url: str = ""
    # A region with its own law and authority where the country's authority stays competent
    # too (Quebec: the Commission d'accès à l'information and the Privacy Commissioner of
    # Canada): the country's authority, names by language and web address.
    national_authority_names: dict[str, str] = field(default_factory=dict)
    national_authority_url: str = ""

    def national_authority(self, language: str) -> str:
        """The country's own authority where a region's also applies, else ""."""
        names = self.national_authority_names
        return names.get(language, names["en"]) if names else ""

    def authority(self, language: str, date: dt.date | None = None) -> str:
        """The authority's name on the letter's date (else today), in the letter's language,
        else in English."""
        names = self.authority_names
        for since, later in self.renamed:
            if since <= (date or dt.date.today()):
                names = later
        return names.get(language, names["en"])


# The authority's contact fields, taken from the region entry when a region is given.
_CONTACT = ("postal_address", "postal_country", "complaint_url")


@cache
def _data() -> dict[str, Any]:
    with (DATA_DIR / "jurisdictions.toml").open("rb") as fh:
        return tomllib.load(fh)


def supported_countries() -> list[str]:
    return sorted(_data()["countries"])


def regions(country: str) -> list[str]:
    """The regions of a country that have their own supervisory authority (German Länder)."""
    return sorted(_data()["countries"].get(country, {}).get("regions", {}))


def other_regions(country: str) -> list[str]:
    """The country's other regions, which --region accepts and whose residents get the
    country's own letter (the Canadian provinces but Quebec)."""
    return list(_data()["countries"].get(country, {}).get("other_regions", []))


def jurisdiction(country: str, region: str = "") -> Jurisdiction:
    """Look up a country code (and, where the country has them, a region whose authority the
    letter names); an unsupported one is an input error listing the supported ones."""
    code = country.strip().upper()
    entry = _data()["countries"].get(code)
    if entry is None:
        raise InputError(
            "country", country,
            "not a supported country of residence; expected an ISO 3166-1 code, one of "
            + " ".join(supported_countries()) + " (see 'objection countries')",
        )
    controller = _data()["controllers"][entry["controller"]]
    local = entry.get("regions", {}).get(region) if region else None
    national: dict[str, Any] = {}
    if local is not None:  # a proper name, the same in every letter language
        if local.get("law"):  # the region's own law, applying beside the country's
            national = {"national_authority_names": dict(entry["authority"]),
                        "national_authority_url": entry["authority_url"]}
        entry = {**entry, "authority": {"en": local["name"]}, "authority_url": local["url"],
                 "renamed": [], "law": local.get("law", entry["law"]),
                 **{key: local[key] for key in _CONTACT}}
    return Jurisdiction(
        country=code,
        law=entry["law"],
        controller=Controller(controller["name"], tuple(controller["address"]),
                              controller["country"]),
        authority_names=dict(entry["authority"]),
        authority_url=entry["authority_url"],
        renamed=tuple(sorted((change["from"], {k: v for k, v in change.items()
                                               if k not in ("from", "source", "checked")})
                             for change in entry.get("renamed", []))),
        authority_address=tuple(entry["postal_address"]),
        authority_country=entry["postal_country"],
        complaint_url=entry["complaint_url"],
        **national,
    )
