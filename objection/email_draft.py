"""An RFC 5322 e-mail draft per person: the text letter as body, the PDF attached.

Each person sends their own letter from their own account; the draft has no recipient
(LinkedIn takes objections through its web form or by post) and is marked unsent, so mail
programs open it as a draft. Deterministic: the same letter gives the same bytes.
"""

import datetime as dt
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP, SMTPUTF8
from email.utils import format_datetime

from objection.model import Letter


def email_draft(letter: Letter, text: str, pdf: bytes) -> bytes:
    request = letter.request
    local_part, domain = _mailbox(request.email)
    # A non-ASCII local part (jörg@) can only be written as UTF-8 (RFC 6532); an
    # internationalised domain is written in its ASCII form (bücher.de → xn--bcher-kva.de).
    message = EmailMessage(policy=SMTP if local_part.isascii() else SMTPUTF8)
    # Address quotes the display name as needed (dots, slashes, non-ASCII letters).
    message["From"] = Address(display_name=request.name, username=local_part, domain=domain)
    message["Subject"] = letter.subject
    message["Date"] = format_datetime(dt.datetime.combine(request.date, dt.time(9),
                                                          tzinfo=dt.UTC))
    message["Message-ID"] = f"<{letter.reference}@objection.invalid>"
    message["X-Unsent"] = "1"
    message.set_content(text)
    message.add_attachment(pdf, maintype="application", subtype="pdf",
                           filename=f"{letter.kind.key}-{letter.reference}.pdf")
    message.set_boundary(f"objection-{letter.reference}")
    return message.as_bytes()


def _mailbox(email: str) -> tuple[str, str]:
    """The address's local part and its domain in ASCII (IDNA), as email_validator gives
    them (the same library checked the address)."""
    from email_validator import validate_email

    checked = validate_email(email, check_deliverability=False)
    return checked.local_part, checked.ascii_domain
