"""What to do with the letter once it is written: how to send it, what proof to keep, the
date by which LinkedIn must answer, and where to turn if it does not (issue 13). Said after
`objection letter`, in the letter's language."""

import calendar
import datetime as dt
import textwrap
from pathlib import Path

from babel.dates import format_date

from objection.i18n import formatting_locale, translations
from objection.model import Letter

# LinkedIn's Data Processing Objection form, as its European Regional Privacy Notice names
# it (version effective 21 August 2026, recorded by Open Terms Archive; checked 2026-11-30).
OBJECTION_FORM = "https://www.linkedin.com/help/linkedin/ask/TS-DPRO"
WIDTH = 78


def answer_due(received: dt.date) -> dt.date:
    """One month after `received`: the same date in the next month, or that month's last
    day if it has no such date (Regulation 1182/71, Art. 3(2)(c) and (4); the ICO counts
    the same way)."""
    year, month = (received.year + 1, 1) if received.month == 12 else \
        (received.year, received.month + 1)
    return dt.date(year, month, min(received.day, calendar.monthrange(year, month)[1]))


def next_steps(letter: Letter, pdf: Path | None, text: Path | None) -> str:
    """The steps, numbered, wrapped for a terminal; `pdf` and `text` are the files written
    (None when that format was not written to a file)."""
    _ = translations(letter.catalog).gettext
    locale = formatting_locale(letter.request.lang, letter.request.country)
    sent = letter.request.date
    values = {"form": OBJECTION_FORM, "pdf": str(pdf), "text": str(text),
              "deadline": letter.law.cite("deadline"),
              "sent": format_date(sent, format="long", locale=locale),
              "due": format_date(answer_due(sent), format="long", locale=locale),
              "url": letter.authority_url}
    if pdf and text:
        send = _("Send it online or by post. Online: on LinkedIn's Data Processing Objection "
                 "form (%(form)s), signed in to your account, choose the option that fits an "
                 "objection to AI training and paste the text of %(text)s into its free-text "
                 "field. By post: print %(pdf)s, sign it and send it by registered post with "
                 "proof of delivery to the address in its address field.")
    elif text:
        send = _("Send it online: on LinkedIn's Data Processing Objection form (%(form)s), "
                 "signed in to your account, choose the option that fits an objection to AI "
                 "training and paste the text of %(text)s into its free-text field.")
    elif pdf:
        send = _("Send it by post: print %(pdf)s, sign it and send it by registered post with "
                 "proof of delivery to the address in its address field; or attach it to "
                 "LinkedIn's Data Processing Objection form (%(form)s) if the form lets you.")
    else:
        send = _("Send it on LinkedIn's Data Processing Objection form (%(form)s), signed in "
                 "to your account: choose the option that fits an objection to AI training "
                 "and paste the letter into its free-text field.")
    steps = [
        send,
        _("Keep proof that you sent it, with a copy of the letter: the form's confirmation "
          "(its e-mail, or a screenshot), or the receipt for the registered letter and its "
          "proof of delivery."),
        _("LinkedIn must answer without undue delay and at the latest within one month of "
          "receiving your letter (%(deadline)s): by %(due)s if it receives it on %(sent)s; "
          "for a posted letter the month runs from the day it is delivered. LinkedIn may "
          "extend that period by two further months only if it tells you so, with its "
          "reasons, within the first month."),
        _("If LinkedIn does not answer in time, or refuses your objection without reasons "
          "that convince you, you can turn to the supervisory authority your letter names "
          "(%(url)s)."),
    ]
    lines = [_("What to do next:")]
    for number, step in enumerate(steps, start=1):
        lines.append(textwrap.fill(step % values, WIDTH, initial_indent=f"{number}. ",
                                   subsequent_indent="   ", break_long_words=False,
                                   break_on_hyphens=False))
    return "\n".join(lines)
