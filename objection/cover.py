"""The note that goes with each person's letter of a batch, in the letter's language: what
the letter is, how to send it, by when LinkedIn must answer and where to turn then.

An organisation makes the letters, but each person sends their own: the same note is the
body of the e-mail draft (objection/email_draft.py) and the cover sheet printed before the
letter (`objection batch --cover`). Its steps are those `objection letter` prints
(objection/next_steps.py), less this program's own commands, which the person does not have.
"""

import textwrap
from dataclasses import dataclass
from pathlib import Path

from objection.catalogue import N_
from objection.i18n import translations
from objection.laws import withdraws_consent
from objection.model import Letter
from objection.next_steps import WIDTH, delivery_steps, numbered
from objection.plaintext import fill_wide, has_wide
from objection.withdrawal import COVER_INTRO, COVER_TITLE

# Translators: the cover note that an organisation sends each employee with their letter,
# by e-mail and printed on a cover sheet; written for the employee, not a lawyer. This one
# is the e-mail's subject and the cover sheet's title.
TITLE = N_("Your objection to LinkedIn's use of your data for AI")
INTRO = N_("Your organisation has prepared this letter for you. With it, you object to "
           "LinkedIn using your personal data for artificial intelligence (AI). Nothing has "
           "been sent yet: read the letter, check your details, and send it yourself.")
# Translators: in the e-mail only; the names are the attached files'.
ATTACHED = N_("Attached: your letter as a PDF (%(pdf)s), to print, and as text (%(text)s), "
              "to paste into the form.")
# Translators: on the printed cover sheet only; the name is the letter's file.
FOLLOWS = N_("Your letter, %(pdf)s, follows this sheet.")
# Translators: %(deadline)s cites the law (Art. 12(3) GDPR); %(sent)s and %(due)s are dates.
WHEN = N_("LinkedIn must answer within one month of receiving your letter (%(deadline)s). "
          "The month starts when LinkedIn receives it, not on the date on the letter: "
          "through the form, that is the day you send it; by post, the day it is delivered. "
          "For example, sent through the form on %(sent)s, the answer is due by %(due)s.")
HEADING = N_("What to do next:")  # the heading of objection letter's steps too


@dataclass(frozen=True)
class CoverNote:
    """The note's parts, translated and filled in, for a text or a page to set them in."""

    lang: str
    title: str
    paragraphs: tuple[str, ...]
    heading: str
    steps: tuple[str, ...]


def cover_note(letter: Letter, pdf: str | None, text: str | None,
               attached: bool = False) -> CoverNote:
    """The note for `letter`, whose files are named `pdf` and `text` (None: not given to
    the person): attached to an e-mail, or printed with the cover sheet."""
    _ = translations(letter.catalog).gettext
    names = {"pdf": str(pdf), "text": str(text)}
    withdrawal = withdraws_consent(letter.law.key)
    paragraphs = [_(COVER_INTRO if withdrawal else INTRO)]
    if attached and pdf and text:
        paragraphs.append(_(ATTACHED) % names)
    elif not attached and pdf:
        paragraphs.append(_(FOLLOWS) % names)
    steps = delivery_steps(letter, Path(pdf) if pdf else None, Path(text) if text else None,
                           _(WHEN))
    return CoverNote(letter.language_tag, _(COVER_TITLE if withdrawal else TITLE),
                     tuple(paragraphs), _(HEADING), tuple(steps))


def cover_text(note: CoverNote) -> str:
    """The note as plain text wrapped for a mail program: paragraphs, then numbered steps."""
    def fill(text: str) -> str:
        if has_wide(text):
            return fill_wide(text, "", "", WIDTH)
        return textwrap.fill(text, WIDTH, break_long_words=False, break_on_hyphens=False)

    blocks = [fill(paragraph) for paragraph in note.paragraphs]
    blocks.append(numbered(note.heading, list(note.steps)))
    return "\n\n".join(blocks) + "\n"


def cover_pdf(letter: Letter, note: CoverNote) -> bytes:
    """The cover sheet: one A4 page with the person's name and address where a window
    envelope shows them, then the note; tagged PDF/A like the letters, carrying no data."""
    from objection.pdf import html_to_pdf
    from objection.templating import environment

    html = environment(letter.catalog).get_template("cover.html.j2").render(
        note=note, name=letter.request.name, address=letter.request.address)
    return html_to_pdf(html, "", b"", "", letter.request.date).data
