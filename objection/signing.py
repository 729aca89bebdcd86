"""PAdES baseline signatures (B-B, or B-T with a timestamp) with the sender's PKCS#12 key.

The signature goes into a visible field on the letter's signature line, drawn with the
letter's own embedded font, as an incremental update that keeps the PDF/A declaration.
"""

import datetime as dt
import io
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from objection.errors import InputError
from objection.model import SignatureBox
from objection.resources import ASSETS_DIR

STAMP_FONT = ASSETS_DIR / "fonts" / "NotoSerif-Regular.ttf"
FIELD_NAME = "Signature"
STAMP_WIDTH_PT = 200.0  # the stamp's share of the signature line


class TimestampFailed(RuntimeError):
    """The timestamp server (--tsa) gave no usable timestamp."""


@dataclass(frozen=True)
class Credentials:
    """A loaded, checked signing key: what `sign_pdf` needs."""

    signer: Any  # pyhanko's SimpleSigner, imported only when signing
    subject: str


def load_credentials(p12_path: str, password: bytes | None,
                     now: dt.datetime | None = None) -> Credentials:
    """Open the PKCS#12 file and check the certificate can sign today; InputError if not."""
    from pyhanko.sign.signers import SimpleSigner

    try:
        pfx = Path(p12_path).read_bytes()
    except FileNotFoundError:
        raise InputError("sign_p12", p12_path, "no such file") from None
    except OSError as error:
        raise InputError("sign_p12", p12_path, f"cannot be read ({error.strerror})") from None
    try:
        signer = SimpleSigner.load_pkcs12_data(pfx, other_certs=[], passphrase=password)
    except (ValueError, TypeError):
        raise InputError("p12_password", "(hidden)", "wrong password for the PKCS#12 file, "
                         "or the file is not PKCS#12") from None
    cert = signer.signing_cert
    now = now or dt.datetime.now(dt.UTC)
    validity = cert["tbs_certificate"]["validity"]
    not_before, not_after = validity["not_before"].native, validity["not_after"].native
    if now > not_after:
        raise InputError("sign_p12", p12_path,
                         f"the certificate expired on {not_after:%Y-%m-%d}; expected a valid one")
    if now < not_before:
        raise InputError("sign_p12", p12_path,
                         f"the certificate is only valid from {not_before:%Y-%m-%d}")
    usage = cert.key_usage_value
    if usage is not None and not ({"digital_signature", "non_repudiation"} & set(usage.native)):
        raise InputError("sign_p12", p12_path, "the certificate's key usage does not allow "
                         "signing; expected digitalSignature or nonRepudiation")
    return Credentials(signer, cert.subject.human_friendly)


def sign_pdf(data: bytes, credentials: Credentials, box: SignatureBox, beside_image: bool,
             reason: str, tsa_url: str | None = None) -> bytes:
    """Sign `data` (a letter PDF) in a new visible field on the signature line."""
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.sign import fields, signers, timestamps
    from pyhanko.stamp import TextStampStyle

    # fontTools reports every font table it drops while subsetting the stamp font.
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    # With a handwritten signature the stamp goes to its right; else it fills the line's start.
    x1 = box.x2 - STAMP_WIDTH_PT if beside_image else box.x1
    fields.append_signature_field(writer, fields.SigFieldSpec(
        FIELD_NAME, on_page=box.page,
        box=(round(x1), round(box.y1), round(x1 + STAMP_WIDTH_PT), round(box.y2))))
    style = TextStampStyle(
        stamp_text="Digitally signed by %(signer)s\n%(ts)s",
        text_box_style=TextBoxStyle(font=GlyphAccumulatorFactory(str(STAMP_FONT)), font_size=7),
        border_width=0,
    )
    metadata = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME, md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES, reason=reason,
    )
    timestamper = timestamps.HTTPTimeStamper(tsa_url) if tsa_url else None
    pdf_signer = signers.PdfSigner(metadata, signer=credentials.signer, stamp_style=style,
                                   timestamper=timestamper)
    try:
        output = pdf_signer.sign_pdf(writer)
    except timestamps.TimestampRequestError as error:
        raise TimestampFailed(str(error)) from None
    signed: bytes = output.getvalue()
    return signed
