"""The dialogue's question for residents of Canada: do they live in Quebec, whose own Act the
letter then adds (docs/law.md, "Quebec")? Asked when the address gives no Canadian postal
code; its messages are translated with the Canadian wording (languages.toml, [wording_laws]).
"""

from typing import TYPE_CHECKING

from objection.catalogue import N_

if TYPE_CHECKING:
    from objection.dialogue import Dialogue

LABEL = N_("Quebec")


def in_canada(d: "Dialogue") -> bool:
    """Whether the country of residence given is Canada."""
    return str(d.values.get("country") or "").strip().upper() == "CA"


def _postal_code_given(d: "Dialogue") -> bool:
    from objection.dialogue import _lines
    from objection.postcodes import canadian_postal_code

    return bool(canadian_postal_code(_lines(d.values.get("address"))))


def quebec_needed(d: "Dialogue") -> bool:
    """A resident of Canada whose address has no postal code to tell the province by."""
    return in_canada(d) and not _postal_code_given(d)


def ask_quebec(d: "Dialogue") -> None:
    """Quebec or not; only for a resident of Canada (else no region is kept)."""
    from objection.dialogue import yes_no

    if not in_canada(d):
        d.values.pop("region", None)
        return
    quebec = yes_no(d, d._("Do you live in Quebec? Your letter then also relies on Quebec's "
                           "Act respecting the protection of personal information in the "
                           "private sector"), default=_is_quebec(d))
    d.values["region"] = "QC" if quebec else ""


def _is_quebec(d: "Dialogue") -> bool:
    from objection.dialogue import _lines
    from objection.postcodes import province_of_address

    region = str(d.values.get("region") or "").strip().upper().removeprefix("CA-")
    return region == "QC" or (not region and province_of_address(
        _lines(d.values.get("address"))) == "QC")


def show_quebec(d: "Dialogue") -> str:
    """Yes or no, and whether the postal code said so."""
    answer = d._("yes") if _is_quebec(d) else d._("no")
    if not str(d.values.get("region") or "").strip() and _postal_code_given(d):
        return d._("%(answer)s (from the postal code of your address)") % {"answer": answer}
    return answer
