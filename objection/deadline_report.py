"""What `objection deadline` says about a letter, in the letter's language, and the same
date as a calendar entry."""

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from objection.deadline import ANSWER_DAYS, POST_WORKING_DAYS, calendar_entry, deadline
from objection.follow_up import due_of
from objection.i18n import formatting_locale, long_date, translations
from objection.kinds import route
from objection.laws import withdraws_consent
from objection.model import Letter
from objection.withdrawal import withdrawal_after, withdrawal_deadline

REMIND_DAYS = 3  # the calendar's alert, days before the date


@dataclass(frozen=True)
class DeadlineReport:
    due: dt.date
    text: str
    calendar: bytes


def deadline_report(letter: Letter, sent: dt.date, via: str, received: dt.date | None,
                    path: Path) -> DeadlineReport:
    """The date by which LinkedIn must answer `letter` (at `path`), sent on `sent` by `via`
    (or received on `received`), what follows from it, and a calendar entry for it."""
    _ = translations(letter.catalog).gettext
    law = letter.law
    locale = formatting_locale(letter.request.lang, letter.request.country)

    def long(day: dt.date) -> str:
        return long_date(day, locale)

    way = route(letter.request, letter.jurisdiction)
    values = {"reference": letter.reference, "file": str(path), "sent": long(sent),
              "days": str(POST_WORKING_DAYS[way]), "deadline": law.cite("deadline")}
    if letter.kind.key == "reminder":
        due = due_of(letter)
        values.update(due=long(due), next=long(due + dt.timedelta(days=1)))
        lines = [_("LinkedIn must answer your reminder %(reference)s by %(due)s, the time "
                   "limit it set."),
                 _("From %(next)s, if LinkedIn has not answered completely: objection "
                   "complaint %(file)s")]
    else:
        dates = deadline(law.key, sent, via, received, way)
        due = dates.due
        values.update(due=long(due), next=long(due + dt.timedelta(days=1)),
                      received=long(dates.received))
        values["limit"] = str(ANSWER_DAYS.get(law.key, ""))
        lines = [withdrawal_deadline(_) if withdraws_consent(law.key) else
                 _("LinkedIn must answer your objection %(reference)s by %(due)s: one month "
                   "from its receipt on %(received)s (%(deadline)s), moved to the next "
                   "working day where it ends on a weekend or public holiday.")]
        if received is None and via == "post":
            lines.append(_("That receipt is assumed to be %(days)s working days after posting "
                           "on %(sent)s; give the date on the proof of delivery with "
                           "--received."))
        if dates.access_due:
            values.update(access=long(dates.access_due),
                          access_time=law.cite("access_time_limit"))
            lines.append(_("The information on which of your data LinkedIn used is due "
                           "within 30 days of receipt, by %(access)s (%(access_time)s)."))
        lines.append(withdrawal_after(_) if withdraws_consent(law.key) else
                     _("From %(next)s, if LinkedIn has not answered: objection reminder "
                       "%(file)s"))
    text = "\n".join(line % values for line in lines)
    summary = _("LinkedIn must answer: %(reference)s") % values
    return DeadlineReport(due, text, calendar_entry(f"{letter.reference}-due", due, summary,
                                                    text, remind_days=REMIND_DAYS))
