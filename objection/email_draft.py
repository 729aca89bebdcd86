"""An RFC 5322 e-mail draft per person: the text letter as body, the PDF attached.

Each person sends their own letter from their own account; the draft has no recipient
(LinkedIn takes objections through its web form or by post) and is marked unsent, so mail
programs open it as a draft. Deterministic: the same letter gives the same bytes.
"""

import datetime as dt
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime

from objection.model import Letter


def email_draft(letter: Letter, text: str, pdf: bytes) -> bytes:
    request = letter.request
    message = EmailMessage(policy=SMTP)
    # Address quotes the display name as needed (dots, slashes, non-ASCII letters).
    message["From"] = Address(display_name=request.name, addr_spec=request.email)
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
