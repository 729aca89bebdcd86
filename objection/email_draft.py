"""An RFC 5322 e-mail draft per person, addressed to them: the organisation that made the
letters sends each person their own, with a note on what it is and how to send it.

The body is the cover note in the letter's language (objection/cover.py); the letter is
attached as a PDF, to print, sign and post, and as text, to paste into LinkedIn's form. The
draft is marked unsent, so mail programs open it as a draft to send; it has a sender only if
the organisation names one. Deterministic: the same letter gives the same bytes.
"""

import datetime as dt
from email.errors import MessageError
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP, SMTPUTF8
from email.utils import format_datetime

from objection.model import Letter


class DraftError(ValueError):
    """The draft cannot be written as asked (an address that no header can hold)."""


def email_draft(letter: Letter, text: str, pdf: bytes, sender: str = "",
                name: str = "") -> bytes:
    """The draft for `letter`, to the person who signs it (from `sender`, if given), with
    the PDF and the `text` attached as `name`.pdf and `name`.txt (default: the kind of letter
    and its reference)."""
    from objection.cover import TITLE, cover_note, cover_text
    from objection.i18n import translations

    name = name or f"{letter.kind.key}-{letter.reference}"
    request = letter.request
    to = _address(request.email, request.name, "the person's")
    origin = _address(sender, "", "the sender's") if sender else None
    # A non-ASCII local part (jörg@) can only be written as UTF-8 (RFC 6532, SMTPUTF8); an
    # internationalised domain is written in its ASCII form (bücher.de → xn--bcher-kva.de);
    # a non-ASCII display name alone is an encoded word (RFC 2047) under either policy.
    ascii_only = all(a.username.isascii() for a in (to, origin) if a is not None)
    message = EmailMessage(policy=SMTP if ascii_only else SMTPUTF8)
    try:
        message["To"] = to
        if origin is not None:
            message["From"] = origin
    except (MessageError, ValueError) as error:  # a header that cannot hold the address
        raise DraftError(f"its address cannot be written in an e-mail header ({error})") \
            from None
    message["Subject"] = translations(letter.catalog).gettext(TITLE)
    message["Date"] = format_datetime(dt.datetime.combine(request.date, dt.time(9),
                                                          tzinfo=dt.UTC))
    message["Message-ID"] = f"<{letter.reference}@objection.invalid>"
    message["X-Unsent"] = "1"
    note = cover_note(letter, f"{name}.pdf", f"{name}.txt", attached=True)
    # Seven-bit transfer encodings: any mail system carries them unchanged (the text to
    # paste must arrive exactly as written).
    message.set_content(cover_text(note), cte="quoted-printable")
    message.add_attachment(pdf, maintype="application", subtype="pdf",
                           filename=f"{name}.pdf")
    message.add_attachment(text, subtype="plain", charset="utf-8", cte="base64",
                           filename=f"{name}.txt")
    message.set_boundary(f"objection-{letter.reference}")
    try:
        return message.as_bytes()
    except (MessageError, ValueError, UnicodeError):  # the error may quote the address
        raise DraftError("its address or name cannot be written in an e-mail header") \
            from None


def _address(email: str, display_name: str, whose: str) -> Address:
    """The address as email_validator gives it (the same library checked it): its local
    part, and its domain in ASCII (IDNA); `display_name` is quoted or encoded as needed."""
    from email_validator import EmailNotValidError, validate_email

    try:
        checked = validate_email(email, check_deliverability=False)
        return Address(display_name=display_name, username=checked.local_part,
                       domain=checked.ascii_domain)
    except (EmailNotValidError, ValueError) as error:
        raise DraftError(f"{whose} address cannot be written in an e-mail header "
                         f"({error})") from None
