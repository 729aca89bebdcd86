"""What the letters withdrawing consent say outside their wording: the subject line and the
steps after the letter (PIPEDA, with Quebec's Act; Hong Kong's PDPO). Their messages are
translated only into those letters' languages (objection/data/languages.toml,
[law_languages]); the wording is in templates/kinds/withdrawal*.html.j2.
"""

import datetime as dt
from collections.abc import Hashable

from objection.catalogue import N_
from objection.i18n import formatting_locale, long_date
from objection.laws import Law
from objection.model import Letter, Translate

# The dates the wording names: LinkedIn's change, and what the regulators announced (the
# Privacy Commissioner of Canada's news release of 10 December 2024, priv.gc.ca nr-c_241210b;
# the PCPD's media statement of 15 October 2024 on LinkedIn's pause as of 11 October 2024,
# pcpd.org.hk press_20241015), written out as the letter writes dates.
DATES = {"change_date": dt.date(2025, 11, 3), "opc_date": dt.date(2024, 12, 10),
         "pcpd_date": dt.date(2024, 10, 15), "pause_date": dt.date(2024, 10, 11)}


def withdrawal_dates(letter: Letter) -> dict[str, Hashable]:
    """DATES in the letter's language ("November 3, 2025" in Canadian English)."""
    locale = formatting_locale(letter.request.lang, letter.request.country)
    return {name: long_date(day, locale) for name, day in DATES.items()}


def withdrawal_subject(_: Translate, law: Law) -> str:
    """The subject line: what the letter is, under which law."""
    if law.family == "pdpo":  # names the Ordinance, so that it is routed as a data access request
        return _("Personal Data (Privacy) Ordinance (Cap. 486): notice withdrawing consent to the "
                 "use of my personal data for artificial intelligence purposes, and data access "
                 "request")
    return _("Withdrawal of consent to the use of my personal information for artificial "
             "intelligence purposes (%(citation)s)") % {"citation": law.cite("subject")}


def withdrawal_follow_up_subject(_: Translate, law: Law, kind: str, date: str,
                                 reference: str) -> str:
    """The subject line of a reminder or a complaint: the letter it follows."""
    values = {"date": date, "reference": reference}
    if kind == "reminder":
        if law.family == "pdpo":
            return _("Reminder: my notice dated %(date)s under the Personal Data (Privacy) "
                     "Ordinance and data access request (reference %(reference)s)") % values
        return _("Reminder: my letter dated %(date)s withdrawing consent (reference "
                 "%(reference)s)") % values
    values["citation"] = law.cite("qc_complaint" if law.has("qc_complaint") else "complaint")
    if law.family == "pdpo":
        return _("Complaint under %(citation)s against LinkedIn Corporation: my notice dated "
                 "%(date)s and data access request (reference %(reference)s)") % values
    return _("Complaint under %(citation)s against LinkedIn Corporation: my letter dated "
             "%(date)s withdrawing consent (reference %(reference)s)") % values


# LinkedIn's form for writing to its Data Protection Officer, which its Quebec Privacy
# Addendum gives for Canadian members (privacy.linkedin.com/quebec, as archived by Open Terms
# Archive; read 2026-11-30) and its Privacy Policy for members outside the Designated
# Countries ("other regions"). The Data Processing Objection form is for objections under
# the GDPR family's laws.
DPO_FORM = "https://www.linkedin.com/help/linkedin/ask/TSO-DPO"


def withdrawal_form(_: Translate) -> str:
    """How to send the letter online."""
    return _("Online: send it to LinkedIn's Data Protection Officer through LinkedIn's contact "
             "form for privacy questions (%(form)s) while signed in to your account.")


def withdrawal_steps(_: Translate, letter: Letter, values: dict[str, str], sending: str,
                     keep_proof: str, commands: bool = True) -> list[str]:
    """The steps after a letter withdrawing consent: how to send it and keep proof (given),
    by when LinkedIn must answer under its law, and where to turn, then this program's
    command for the date (not for `commands=False`: a cover note's reader has no program);
    `values` gets what they name."""
    law = letter.law
    values["form"] = DPO_FORM
    steps = [sending, keep_proof]
    if law.family == "pdpo":
        values.update(late=law.cite("late"), form_refusal=law.cite("form_refusal"),
                      false_information=law.cite("false_information"))
        # s. 20(3)(e): a request not made in the Commissioner's form may be refused.
        steps.insert(1, _("Also complete and sign the Privacy Commissioner's Data Access "
                          "Request Form (on www.pcpd.org.hk) and send it with the letter, in the "
                          "same online submission or envelope: without it, LinkedIn may refuse "
                          "your data access request (%(form_refusal)s). Describe the data as under "
                          "heading 3 of the letter. Everything you write must be true: false or "
                          "misleading information in a data access request is an offence "
                          "(%(false_information)s)."))
        steps += [_("LinkedIn must comply with your data access request within 40 days of "
                    "receiving it (%(deadline)s): if it receives the letter on %(sent)s, by "
                    "%(due)s. If it receives it later (by post: the delivery date on the proof "
                    "of delivery), count 40 days from the day after. If it cannot comply in "
                    "time, it must tell you so in writing, with its reasons, within those 40 "
                    "days (%(late)s)."),
                  _("If LinkedIn does not comply, or goes on using your personal data for these "
                    "purposes, you can complain in writing, in Chinese or English, to the "
                    "Privacy Commissioner for Personal Data (%(url)s): send your letter, your "
                    "proof of sending and any answer.")]
    else:
        place = letter.jurisdiction
        values.update(deemed=law.cite("deemed_refusal"), complaint_time=law.cite(
            "complaint_time"), url=place.national_authority_url or letter.authority_url,
            qc_url=place.complaint_url)
        steps += [_("LinkedIn must answer your request for access within 30 days of receiving "
                    "your letter (%(deadline)s): if it receives the letter on %(sent)s, by "
                    "%(due)s. If it receives it later (by post: the delivery date on the proof "
                    "of delivery), count 30 days from the day after. It may extend that time "
                    "limit by up to 30 days only if it tells you so, with its reasons, within "
                    "the first 30 days (%(extension)s); if it does not answer in time, it is "
                    "deemed to have refused (%(deemed)s)."),
                  _("If you have had no answer by then, or LinkedIn does not give full effect "
                    "to your withdrawal, you can file a complaint with the Office of the Privacy "
                    "Commissioner of Canada (%(url)s): send your letter, your proof of sending "
                    "and any answer. A complaint about a refused request for access must be "
                    "filed within six months of the refusal or of the end of the time limit "
                    "(%(complaint_time)s).")]
        if law.has("qc_complaint"):
            values["disagreement"] = law.cite("qc_disagreement")
            steps.append(_("As a resident of Quebec, you can also complain to the Commission "
                           "d'accès à l'information (%(qc_url)s)."))
            steps.append(_("If LinkedIn refuses your requests for access or deletion, or does "
                           "not answer them within 30 days, you can apply to the Commission "
                           "d'accès à l'information to examine the disagreement, as a rule "
                           "within 30 days of the refusal or of the end of those 30 days "
                           "(%(disagreement)s)."))
    if commands and values["pdf"] != "None":
        steps.append(_("objection deadline %(pdf)s --ics deadline.ics puts that date in your "
                       "calendar."))
    return steps


def withdrawal_deadline(_: Translate) -> str:
    """`objection deadline`: the date the answer is due (%(limit)s days, see
    objection.deadline.ANSWER_DAYS)."""
    return _("LinkedIn must answer your letter %(reference)s by %(due)s: %(limit)s days from "
             "its receipt on %(received)s (%(deadline)s), moved to the next day that is not a "
             "weekend or public holiday.")


def withdrawal_after(_: Translate) -> str:
    """`objection deadline`: what follows once the date has passed."""
    return _("From %(next)s, if LinkedIn has not answered, you can complain to the authority "
             "named at the end of your letter.")


# The cover note of a batch (objection/cover.py) for a letter withdrawing consent.
# Translators: the cover note an organisation sends each employee with their letter (e-mail
# subject and cover sheet title); written for the employee, not a lawyer.
COVER_TITLE = N_("Your letter to LinkedIn on its use of your data for AI")
COVER_INTRO = N_("Your organisation has prepared this letter for you. With it, you withdraw "
                 "your consent to LinkedIn using your personal data for artificial "
                 "intelligence (AI) and ask LinkedIn what it has used. Nothing has been sent "
                 "yet: read the letter, check your details, and send it yourself.")

# What the dialogue and `objection letter` say about LinkedIn's AI features (the objection's
# wording is in objection/dialogue.py, FEATURES_COST).
FEATURES_NOTE = N_("your letter includes LinkedIn's AI features generally (“Our AI features "
                   "generally”), among them the Hiring Assistant's processing of your profile "
                   "and résumé; if LinkedIn stops that processing, recruiters who use the "
                   "Hiring Assistant may see your profile less often.")
SCOPE_INTRO = N_("Your letter covers all the purposes LinkedIn names; %(cost)s")
SCOPE_QUESTION = N_("Include LinkedIn's AI features as well?")


def withdrawal_reminder_steps(_: Translate, letter: Letter,
                              values: dict[str, str]) -> list[str]:
    """The steps after a reminder, once it is sent (objection.next_steps.follow_up_steps):
    for a resident of Quebec first the time limit for the Commission's examination of the
    refused requests, which runs already."""
    steps = [_("Keep an exact copy of what you sent and proof of when it arrived, as for your "
               "letter.")]
    if letter.law.has("qc_disagreement"):
        steps.append(quebec_disagreement_step(_, letter, values))
    steps.append(_("If LinkedIn has not answered completely by %(due)s, write the complaint to "
                   "the regulator from this reminder: objection complaint %(pdf)s"))
    return steps


def withdrawal_complaint_steps(_: Translate, letter: Letter,
                               values: dict[str, str]) -> list[str]:
    """A Quebec complaint concerns the use of the information only: the refused requests
    go to the Commission as an application (s. 42), whose time limit the step gives."""
    if not letter.law.has("qc_disagreement"):
        return []
    _refused, apply_by = _quebec_dates(letter, values)
    if letter.request.date > apply_by:
        return [_("This complaint concerns the use of your information. For the refusal of "
                  "your requests for access and deletion, apply separately to the Commission "
                  "for the examination of a disagreement (%(disagreement)s). The 30 days for "
                  "that application ended on %(apply_by)s: say in it why you applied later (for "
                  "example, that you waited for LinkedIn's answer to your reminder); the "
                  "Commission may accept a later application only for a reasonable cause.")]
    return [_("This complaint concerns the use of your information. For the refusal of your "
              "requests for access and deletion, apply separately to the Commission for the "
              "examination of a disagreement (%(disagreement)s), within 30 days of the refusal: "
              "by %(apply_by)s at the latest. The Commission may accept a later application "
              "only for a reasonable cause.")]


def quebec_disagreement_step(_: Translate, letter: Letter, values: dict[str, str]) -> str:
    """The step after a Quebec reminder: the Commission's time limit runs already."""
    _quebec_dates(letter, values)
    return _("LinkedIn is deemed to have refused your requests for access and deletion since "
             "%(refused)s (%(qc_deadline)s). To have the Commission d'accès à l'information "
             "examine that refusal, apply to it within 30 days of that date, by %(apply_by)s at "
             "the latest (%(disagreement)s): do not wait for the time limit in this reminder. "
             "The Commission may accept a later application only for a reasonable cause.")


def _quebec_dates(letter: Letter, values: dict[str, str]) -> tuple[dt.date, dt.date]:
    """When LinkedIn is deemed to have refused a Quebec resident's requests (30 days after
    receipt, not moved past a weekend: the earlier date) and the last day to apply to the
    Commission (30 days later); `values` gets them written out, with the citations."""
    from objection.deadline import deadline, post_route

    first = letter.request.earlier[0]
    way = post_route(letter.request.country, letter.jurisdiction.controller.country)
    received = deadline(letter.law.key, first.sent, first.via, first.received, way).received
    refused = received + dt.timedelta(days=30)
    apply_by = refused + dt.timedelta(days=30)
    locale = formatting_locale(letter.request.lang, letter.request.country)
    values.update(refused=long_date(refused, locale), apply_by=long_date(apply_by, locale),
                  disagreement=letter.law.cite("qc_disagreement"),
                  qc_deadline=letter.law.cite("qc_deadline"))
    return refused, apply_by
