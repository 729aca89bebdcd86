"""What to do with the letter once it is written: how to send it, what proof to keep, the
date by which LinkedIn must answer, and where to turn if it does not (issue 13). Said after
`objection letter`, in the letter's language.

The wording follows an independent lawyer's reading (2026-11-30) of GDPR Art. 12(3)-(4) and
77, Regulation 1182/71 Art. 3, UK GDPR Art. 12A and s. 164A DPA 2018, and FADP Arts. 25(7),
32, 49 and 52(2): the date said is never earlier than the law's, and nothing is said about
LinkedIn's form that we cannot know.
"""

import textwrap
from collections.abc import Callable
from pathlib import Path

from objection.catalogue import N_
from objection.deadline import answer_due
from objection.i18n import formatting_locale, long_date, translations
from objection.laws import withdraws_consent
from objection.model import Letter
from objection.plaintext import fill_wide, has_wide
from objection.withdrawal import (
    DPO_FORM,
    withdrawal_complaint_steps,
    withdrawal_form,
    withdrawal_reminder_steps,
    withdrawal_steps,
)

# LinkedIn's Data Processing Objection form, as its European Regional Privacy Notice names
# it (version effective 21 August 2026, recorded by Open Terms Archive; checked 2026-11-30).
OBJECTION_FORM = "https://www.linkedin.com/help/linkedin/ask/TS-DPRO"
WIDTH = 78


KEEP_PROOF = N_("Keep an exact copy of what you sent and proof of when it arrived: for the "
                "form, screenshots of the completed form and of its confirmation page, and any "
                "confirmation e-mail or case number; for post, the posting receipt and the "
                "proof of delivery, which shows the day LinkedIn received it.")


def next_steps(letter: Letter, pdf: Path | None, text: Path | None) -> str:
    """The steps, numbered, wrapped for a terminal; `pdf` and `text` are the files written
    (None when that format was not written to a file)."""
    _ = translations(letter.catalog).gettext
    law = letter.law
    values = _values(letter, pdf, text)
    if withdraws_consent(law.key):
        return numbered(_("What to do next:"), [step % values for step in withdrawal_steps(
            _, letter, values, _sending(_, pdf, text, withdrawal_form(_)), _(KEEP_PROOF))])
    steps = [_sending(_, pdf, text), _(KEEP_PROOF)]
    steps.append(_("LinkedIn must tell you what it has done about your objection without undue "
                   "delay and at the latest within one month of receiving it (%(deadline)s). "
                   "If it receives the letter on %(sent)s, that month ends on %(due)s. If it "
                   "receives it later (by post: the delivery date on the proof of delivery), "
                   "count one month from that day: the same date next month, or that month's "
                   "last day, and if that is a Saturday, Sunday or public holiday, the next "
                   "working day."))
    steps.append(_("LinkedIn may extend this by up to two further months only where that is "
                   "necessary because of the complexity or number of your requests, and only if "
                   "it tells you so, with its reasons, within the first month (%(extension)s).")
                 if law.key == "uk_gdpr" else
                 _("LinkedIn may extend this by up to two further months only where that is "
                   "necessary, taking into account the complexity and number of your requests, "
                   "and only if it tells you so, with its reasons, within the first month "
                   "(%(extension)s)."))
    if law.cites("deadline", "uk_gdpr:12A"):  # the "applicable time period" (Art. 12A)
        steps.append(_("If LinkedIn asks you to confirm your identity, the month begins when it "
                       "receives your answer; if it asks you to clarify which information you "
                       "want, the time until you answer does not count."))
    if law.key == "fadp":
        values["access_time"] = law.cite("access_time_limit")
        steps.append(_("For the information on which of your data LinkedIn used, Swiss law "
                       "sets 30 days from receipt (%(access_time)s)."))
    steps.extend(_where_to_turn(_, letter, values))
    if pdf:
        steps.append(_("objection deadline %(pdf)s --ics deadline.ics puts that date in your "
                       "calendar. Once it has passed, objection reminder %(pdf)s writes a "
                       "reminder to LinkedIn, and objection complaint %(pdf)s the complaint to "
                       "the supervisory authority, from this letter."))
    return numbered(_("What to do next:"), [step % values for step in steps])


def delivery_steps(letter: Letter, pdf: Path | None, text: Path | None,
                   when: str) -> list[str]:
    """The steps for someone who has the letter but not this program (the cover note of
    objection/cover.py): how to send it, what proof to keep, `when` (a translated message on
    the answer's date, which may use %(deadline)s, %(sent)s and %(due)s) and where to turn;
    each filled in, none wrapped."""
    _ = translations(letter.catalog).gettext
    values = _values(letter, pdf, text)
    if withdraws_consent(letter.law.key):  # the law's own time limit and authority
        return [step % values for step in withdrawal_steps(
            _, letter, values, _sending(_, pdf, text, withdrawal_form(_)), _(KEEP_PROOF),
            commands=False)]
    steps = [_sending(_, pdf, text), _(KEEP_PROOF), when, *_where_to_turn(_, letter, values)]
    return [step % values for step in steps]


def _values(letter: Letter, pdf: Path | None, text: Path | None) -> dict[str, str]:
    """What the steps' messages name: the form, the files, the law's articles, the letter's
    date and the answer's date if LinkedIn receives the letter that day."""
    law = letter.law
    locale = formatting_locale(letter.request.lang, letter.request.country)
    sent = letter.request.date
    return {"form": OBJECTION_FORM, "pdf": str(pdf), "text": str(text),
            "deadline": law.cite("deadline"),
            "extension": law.cite("extension") if law.has("extension") else "",
            "sent": long_date(sent, locale),
            "due": long_date(answer_due(sent, law.key), locale),
            "url": letter.authority_url}


def _sending(_: Callable[[str], str], pdf: Path | None, text: Path | None,
             form: str = "") -> str:
    """How to send what was written: the form takes the text, the post the PDF. `form` says
    which form, where it is not the Data Processing Objection form."""
    form = form or _("Online: use LinkedIn's Data Processing Objection form (%(form)s) while "
                     "signed in to your account. If the form asks for a type of objection, "
                     "choose the one closest to an objection to AI training, or "
                     "\u201cOther\u201d.")
    post = _("By post: print %(pdf)s, sign it and send it by registered post with proof of "
             "delivery to the address in its address field.")
    if pdf and text:
        return " ".join([_("Send it online or by post."), form, _(
            "Paste the whole text of %(text)s into the form's text box; if the box cannot hold "
            "the whole letter, do not shorten it: send it by post instead, or as well."), post])
    if text:
        return " ".join([form, _(
            "Paste the whole text of %(text)s into the form's text box; if the box cannot hold "
            "the whole letter, do not shorten it: write the letter again as a PDF and send that "
            "by post.")])
    if pdf:
        return post
    return " ".join([form, _("Paste the whole letter into the form's text box; if the box "
                             "cannot hold it, do not shorten it: send the letter by post.")])


def _where_to_turn(_: Callable[[str], str], letter: Letter, values: dict[str, str]) -> list[str]:
    """Where to turn if LinkedIn does not answer in time or refuses without good reasons."""
    law = letter.law
    if law.key == "fadp":
        values["fdpic"] = letter.authority_url
        return [_("If you have had no answer by then, or LinkedIn refuses your objection "
                  "without reasons that convince you, you can lodge a complaint with the Irish "
                  "Data Protection Commission (https://www.dataprotection.ie), which supervises "
                  "LinkedIn under the GDPR. You can also report the matter to the FDPIC "
                  "(%(fdpic)s): it decides whether to investigate and tells you what it did, "
                  "but you are not a party to its proceedings. And you can bring your claims "
                  "before a Swiss civil court.")]
    steps = []
    if law.has("complaint_to_controller"):
        steps.append(_("Your letter is also a complaint to LinkedIn (%(complaint)s): LinkedIn "
                       "must acknowledge it within 30 days of receiving it and tell you the "
                       "outcome without undue delay. The ICO will normally want to see that you "
                       "complained to LinkedIn first, so keep its acknowledgement and answer."))
        values["complaint"] = law.cite("complaint_to_controller")
    steps.append(_("If you have had no answer by then, or LinkedIn refuses your objection without "
                   "reasons that convince you, you can complain to the supervisory authority "
                   "your letter names (%(url)s): send it your letter, your proof of sending and "
                   "any answer."))
    return steps



def follow_up_steps(letter: Letter, pdf: Path | None, text: Path | None) -> str:
    """What to do with a reminder or a complaint once it is written."""
    from objection.follow_up import due_of

    _ = translations(letter.catalog).gettext
    locale = formatting_locale(letter.request.lang, letter.request.country)
    place = letter.jurisdiction
    values = {"form": OBJECTION_FORM, "pdf": str(pdf), "text": str(text),
              "authority": letter.authority, "url": place.complaint_url or letter.authority_url,
              "due": long_date(due_of(letter), locale)}
    if letter.kind.key == "reminder" and withdraws_consent(letter.law.key):
        values["form"] = DPO_FORM
        steps = [_sending(_, pdf, text, withdrawal_form(_)),
                 *withdrawal_reminder_steps(_, letter, values)]
        values["pdf"] = str(pdf or "REMINDER.pdf")
    elif letter.kind.key == "reminder":
        steps = [_sending(_, pdf, text), _(
            "Keep an exact copy of what you sent and proof of when it arrived, as for your "
            "objection."), _(
            "If LinkedIn has not answered completely by %(due)s, write the complaint to the "
            "supervisory authority from this reminder: objection complaint %(pdf)s")]
        values["pdf"] = str(pdf or "REMINDER.pdf")
    else:
        steps = [_("Send it to the %(authority)s: through its complaint form or website "
                   "(%(url)s), attaching the PDF and the documents it lists as enclosures, or "
                   "by post to the address in its address field, with copies of those "
                   "documents."), _(
            "Keep a copy of everything you send. The authority will tell you how it deals "
            "with your complaint; answer its questions and send it any reply you receive "
            "from LinkedIn.")]
        if withdraws_consent(letter.law.key):
            steps += withdrawal_complaint_steps(_, letter, values)
    return numbered(_("What to do next:"), [step % values for step in steps])


def numbered(heading: str, steps: list[str]) -> str:
    """Steps (filled in) under their heading, numbered and wrapped for a terminal or a mail
    program (the cover note too)."""
    lines = [heading]
    for number, step in enumerate(steps, start=1):
        lines.append(fill_wide(step, f"{number}. ", "   ", WIDTH) if has_wide(step) else
                     textwrap.fill(step, WIDTH, initial_indent=f"{number}. ",
                                   subsequent_indent="   ", break_long_words=False,
                                   break_on_hyphens=False))
    return "\n".join(lines)
