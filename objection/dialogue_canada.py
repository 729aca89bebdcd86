"""What the dialogue says to a resident of Canada: do they live in Quebec, whose own Act the
letter then adds (docs/law.md, "Quebec")? The questions themselves are in objection/dialogue.py;
these messages are translated with the Canadian wording (languages.toml, [wording_laws]).
"""

from objection.catalogue import N_
from objection.model import Translate

LABEL = N_("Quebec")  # the summary's line


def quebec_question(_: Translate) -> str:
    return _("Do you live in Quebec? Your letter then also relies on Quebec's Act respecting "
             "the protection of personal information in the private sector")


def quebec_shown(_: Translate, quebec: bool, from_postal_code: bool) -> str:
    """Yes or no in the summary, and whether the postal code said so."""
    answer = _("yes") if quebec else _("no")
    if from_postal_code:
        return _("%(answer)s (from the postal code of your address)") % {"answer": answer}
    return answer
