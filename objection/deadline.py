"""When LinkedIn must answer: one month from receiving the letter, counted as each law
counts it, from when and how the letter was sent (issue 14); and a calendar entry for it.

EU and Swiss letters: Regulation 1182/71 (the period starts the day after receipt and ends
on the same date of the next month, or that month's last day; a Saturday, Sunday or public
holiday at the controller's seat moves the end to the next working day, Art. 3(1), (2)(c),
(4)). UK letters: "one month beginning with" the relevant time (Art. 12A UK GDPR, from
5 February 2026), read with Art. 4A UK GDPR, which applies Art. 3 of Reg. 1182/71 to the UK
GDPR's periods (Data (Use and Access) Act 2025 Sch. 11 para. 3); DPA 2018 s. 205(2) does the
same for the Act's periods (the 30 days of s. 164A(3)). Swiss letters add the 30 days for
access (Art. 25(7) FADP, Art. 18 Data Protection Ordinance), counted the same way.
"""

import calendar
import datetime as dt
from dataclasses import dataclass
from functools import cache

# Where the controller acts, whose public holidays end a period later: LinkedIn Ireland for
# EU and Swiss letters; for UK letters the bank holidays of England, where the ICO sits.
HOLIDAYS = {"uk_gdpr": ("GB", "ENG"),
            # Canada and Hong Kong: a period ending on a holiday ends on the next day that is
            # not one (Interpretation Act, R.S.C. 1985, c. I-21, s. 26; Interpretation and
            # General Clauses Ordinance, Cap. 1, s. 71); the federal holidays, Quebec's too
            # for a Quebec letter, and Hong Kong's general holidays.
            "pipeda": ("CA", None), "pipeda_qc": ("CA", "QC"), "pdpo": ("HK", None)}
# The `holidays` library's categories that make up those holidays: Canada's "public" has only
# five; the federal ones (Interpretation Act s. 35: Victoria Day, Thanksgiving, Remembrance
# Day ...) are its "government" category, to which Easter Monday (s. 35, not in the library)
# is added; Hong Kong's general holidays are its "public" and "optional" ones (Good Friday,
# the day following it, Boxing Day ...).
CATEGORIES = {"CA": ("public", "government"), "HK": ("public", "optional")}
EASTER_MONDAY = frozenset({"CA"})
# Laws that count the answer's time limit in days from receipt, not in months: PIPEDA
# s. 8(3) and the Quebec Act s. 32 (30 days), the PDPO s. 19(1) (40 days).
ANSWER_DAYS = {"pipeda": 30, "pipeda_qc": 30, "pdpo": 40}
IRISH = ("IE", None)
VIA = ("form", "post")
# A posted letter is assumed to arrive, at the latest, this many working days after posting
# (the date counts from receipt; the proof of delivery, given as --received, replaces it):
# within one country 3; across borders in Europe 5, the 97 % target of the Postal Directive
# (Directive 97/67/EC, Annex: D+3 for 85 %, D+5 for 97 % of items); from the UK to LinkedIn
# Corporation in California 10 (no standard exists: a cautious estimate, after a lawyer's
# reading, 2026-11-30). A later assumption never makes the sender complain too early.
POST_WORKING_DAYS = {"domestic": 3, "europe": 5, "transatlantic": 10}
ACCESS_DAYS = 30  # FADP: access within 30 days of receipt


@dataclass(frozen=True)
class Deadline:
    """The dates that follow from one letter's receipt."""

    received: dt.date
    received_known: bool       # given as the date of receipt, not assumed from sending
    due: dt.date               # the answer is owed by the end of this day
    access_due: dt.date | None = None  # Swiss letters: the information on the data used


def answer_due(received: dt.date, law: str = "gdpr") -> dt.date:
    """The last day of one month from `received`: the same date in the next month, or that
    month's last day if it has none (Reg. 1182/71 Art. 3(1), (2)(c)); a Saturday, Sunday or
    public holiday moves it to the next working day (Art. 3(4); the ICO counts the same way).
    Under the UK's "one month beginning with" receipt the strictest reading ends a day
    earlier; the later date never makes the sender complain too early. Canadian and Hong
    Kong letters count days instead (ANSWER_DAYS), from the day after receipt."""
    if law in ANSWER_DAYS:
        return next_working_day(received + dt.timedelta(days=ANSWER_DAYS[law]), law)
    year, month = (received.year + 1, 1) if received.month == 12 else \
        (received.year, received.month + 1)
    return next_working_day(dt.date(year, month, min(received.day,
                                                     calendar.monthrange(year, month)[1])), law)


def next_working_day(day: dt.date, law: str = "gdpr") -> dt.date:
    """`day`, or the first day after it that is neither a weekend nor a public holiday."""
    while day.weekday() >= 5 or day in _public_holidays(*HOLIDAYS.get(law, IRISH), day.year):
        day += dt.timedelta(days=1)
    return day


def post_route(sender_country: str, controller_country: str) -> str:
    """Which of POST_WORKING_DAYS a letter from `sender_country` to the controller takes."""
    if sender_country == controller_country:
        return "domestic"
    return "transatlantic" if controller_country == "US" else "europe"


def received_on(sent: dt.date, via: str, law: str = "gdpr", route: str = "europe") -> dt.date:
    """When a letter sent on `sent` is taken to arrive: the same day through the form, else
    POST_WORKING_DAYS[route] working days after posting."""
    if via == "form":
        return sent
    day = sent
    for _ in range(POST_WORKING_DAYS[route]):
        day = next_working_day(day + dt.timedelta(days=1), law)
    return day


def deadline(law: str, sent: dt.date, via: str, received: dt.date | None = None,
             route: str = "europe") -> Deadline:
    """The dates for a letter under `law` (gdpr, uk_gdpr, fadp) sent on `sent` by `via`
    (by post along `route`); a known date of receipt wins over the assumption."""
    arrived = received or received_on(sent, via, law, route)
    access = (next_working_day(arrived + dt.timedelta(days=ACCESS_DAYS), law)
              if law == "fadp" else None)
    return Deadline(arrived, received is not None, answer_due(arrived, law), access)


@cache
def _public_holidays(country: str, subdivision: str | None, year: int) -> frozenset[dt.date]:
    import holidays
    from dateutil.easter import easter  # type: ignore[import-untyped]

    days = set(holidays.country_holidays(country, subdiv=subdivision, years=year,
                                         categories=CATEGORIES.get(country, ("public",))))
    if country in EASTER_MONDAY:
        days.add(easter(year) + dt.timedelta(days=1))
    return frozenset(days)


def calendar_entry(uid: str, day: dt.date, summary: str, description: str,
                   remind_days: int = 3, now: dt.datetime | None = None) -> bytes:
    """An RFC 5545 calendar with one all-day event on `day` and an alarm `remind_days`
    before it; `uid` makes a second import replace the first rather than add a copy."""
    from icalendar import Alarm, Calendar, Event

    calendar_ = Calendar()
    calendar_.add("prodid", "-//objection//deadline//EN")
    calendar_.add("version", "2.0")
    event = Event()
    event.add("uid", f"{uid}@objection.invalid")
    event.add("dtstamp", now or dt.datetime.now(dt.UTC))
    event.add("dtstart", day)
    event.add("dtend", day + dt.timedelta(days=1))
    event.add("summary", summary)
    event.add("description", description)
    event.add("transp", "TRANSPARENT")
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", summary)
    alarm.add("trigger", dt.timedelta(days=-remind_days))
    event.add_component(alarm)
    calendar_.add_component(event)
    return bytes(calendar_.to_ical())
