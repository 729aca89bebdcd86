"""PAdES baseline signatures (B-B, or B-T with a timestamp) with the sender's PKCS#12 key.

The signature goes into a visible field on the letter's signature line, drawn with the
letter's own embedded font, as an incremental update that keeps the PDF/A declaration.

What the user hands in is checked before the letter is rendered, each refusal one line with
exit status 2 (issue 12): the PKCS#12 file (a regular file of at most 1 MiB), its password
(a file of at most 4 KiB), the certificate (dates, key type, and the rules `verify` applies,
objection.signer_rules) and the --tsa URL. The timestamp server's answer is bounded too
(objection.tsa).
"""

import datetime as dt
import io
import logging
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from objection.errors import InputError
from objection.model import SignatureBox
from objection.reading import KIB, MIB, read_user_file
from objection.resources import ASSETS_DIR

STAMP_FONT = ASSETS_DIR / "fonts" / "NotoSerif-Regular.ttf"
# A Chinese letter's stamp: its lines and date are in Chinese (the face has ASCII too).
CJK_STAMP_FONT = ASSETS_DIR / "fonts" / "NotoSerifCJKhk-Regular.otf"
FIELD_NAME = "Signature"
STAMP_WIDTH_PT = 200.0  # the stamp's share of the signature line
P12_LIMIT = MIB  # a PKCS#12 with a key and a chain is a few KiB
PASSWORD_FILE_LIMIT = 4 * KIB
# The key types PDF readers check: Adobe documents RSA, DSA (SHA-1 only) and ECDSA, not EdDSA.
SIGNING_KEYS = {"rsa": "RSA", "rsassa_pss": "RSA", "ec": "EC"}


class TimestampFailed(RuntimeError):
    """The timestamp server (--tsa) could not be reached or is unavailable: try again later."""


@dataclass(frozen=True)
class Credentials:
    """A loaded, checked signing key: what `sign_pdf` needs."""

    signer: Any  # pyhanko's SimpleSigner, imported only when signing
    subject: str


def check_tsa(url: str, signing: bool) -> None:
    """Refuse a --tsa that cannot work before any work is done: it must be an http(s) URL
    with a host, and only a signature is timestamped."""
    try:
        parts = urlsplit(url)
        _ = parts.port  # a port that is not a number in range raises ValueError
    except ValueError:
        parts = None
    if (parts is None or parts.scheme.lower() not in ("http", "https") or not parts.hostname
            or any(char.isspace() or not char.isprintable() for char in url)):
        raise InputError("tsa", shown_url(url), "not an http:// or https:// URL; expected the "
                         "address of an RFC 3161 timestamp server")
    if not signing:
        raise InputError("tsa", shown_url(url), "only a signature is timestamped; add "
                         "--sign-p12 or leave out --tsa")


def shown_url(url: str) -> str:
    """The URL without a password in it (https://user:secret@host/): safe to print."""
    return re.sub(r"//[^/@]*@", "//…@", url)


def load_credentials(p12_path: str, password: bytes | None,
                     now: dt.datetime | None = None) -> Credentials:
    """Open the PKCS#12 file and check that its certificate can sign today and that `verify`
    will accept the signature; InputError if not."""
    from asn1crypto import keys, x509  # type: ignore[import-untyped]
    from cryptography.hazmat.primitives import serialization
    from pyhanko.sign.signers import SimpleSigner
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    from objection.signer_rules import certificate_problem, describe_key

    def refuse(expected: str) -> InputError:
        return InputError("sign_p12", p12_path, expected)

    key, pyca_cert, others = _open_pkcs12(read_user_file(p12_path, "sign_p12", P12_LIMIT),
                                          p12_path, password)
    if key is None or pyca_cert is None:
        raise refuse(f"the PKCS#12 file holds no {'private key' if key is None else 'certificate'}"
                     "; expected your certificate with its private key")
    spki = serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    if key.public_key().public_bytes(*spki) != pyca_cert.public_key().public_bytes(*spki):
        raise refuse("the private key does not belong to the certificate")
    cert = x509.Certificate.load(pyca_cert.public_bytes(serialization.Encoding.DER))
    now = now or dt.datetime.now(dt.UTC)
    validity = cert["tbs_certificate"]["validity"]
    not_before, not_after = validity["not_before"].native, validity["not_after"].native
    if now > not_after:
        raise refuse(f"the certificate expired on {not_after:%Y-%m-%d}; expected a valid one")
    if now < not_before:
        raise refuse(f"the certificate is only valid from {not_before:%Y-%m-%d}")
    if cert.public_key.algorithm not in SIGNING_KEYS:
        raise refuse(f"the certificate's key is {describe_key(cert.public_key)}, which PDF "
                     "readers do not check; expected an RSA or EC key")
    signer = SimpleSigner(
        signing_cert=cert,
        signing_key=keys.PrivateKeyInfo.load(key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption())),
        cert_registry=SimpleCertificateStore.from_certs(  # type: ignore[no-untyped-call]
            [x509.Certificate.load(other.public_bytes(serialization.Encoding.DER))
             for other in others]))
    if problem := certificate_problem(cert, signer.get_signature_mechanism_for_digest("sha256"),
                                      now):
        raise refuse(problem)
    return Credentials(signer, cert.subject.human_friendly)


def _open_pkcs12(data: bytes, p12_path: str, password: bytes | None) -> tuple[Any, Any, list[Any]]:
    """Key, certificate and chain; a wrong password is told apart from a file that is not
    PKCS#12 at all (cryptography says "invalid password or PKCS12 data" to both)."""
    from asn1crypto import pkcs12 as asn1_pkcs12
    from cryptography.exceptions import UnsupportedAlgorithm
    from cryptography.hazmat.primitives.serialization import pkcs12

    if password and b"\0" in password:  # cryptography panics on one (a binary file given)
        raise InputError("p12_password", "(hidden)", "contains a NUL byte; expected the "
                         "password as text")
    try:
        return pkcs12.load_key_and_certificates(data, password)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        pass
    try:
        pfx = asn1_pkcs12.Pfx.load(data, strict=True)
        is_pkcs12 = pfx["version"].native == "v3" and bool(pfx["auth_safe"]["content_type"].native)
    except (ValueError, TypeError, KeyError):
        is_pkcs12 = False
    if not is_pkcs12:
        raise InputError("sign_p12", p12_path, "not a PKCS#12 file; expected your certificate "
                         "and private key exported as .p12 or .pfx")
    raise InputError("p12_password", "(hidden)", "wrong password for the PKCS#12 file (or it "
                     "is encrypted in a way this system cannot read)")


def sign_pdf(data: bytes, credentials: Credentials, box: SignatureBox, beside_image: bool,
             reason: str, catalog: str, locale: str, tsa_url: str | None = None) -> bytes:
    """Sign `data` (a letter PDF) in a new visible field on the signature line, its stamp
    in the letter's language (`catalog`, and `locale` for the date)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers, timestamps

    from objection.tsa import BadTimestampAnswer, BoundedTimeStamper

    # fontTools reports every font table it drops while subsetting the stamp font.
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    # With a handwritten signature the stamp goes to its right; else it fills the line's start.
    x1 = box.x2 - STAMP_WIDTH_PT if beside_image else box.x1
    fields.append_signature_field(writer, fields.SigFieldSpec(
        FIELD_NAME, on_page=box.page,
        box=(round(x1), round(box.y1), round(x1 + STAMP_WIDTH_PT), round(box.y2))))
    style = _stamp_style(catalog, locale)
    metadata = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME, md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES, reason=reason,
    )
    timestamper = BoundedTimeStamper(tsa_url) if tsa_url else None
    pdf_signer = signers.PdfSigner(metadata, signer=credentials.signer, stamp_style=style,
                                   timestamper=timestamper)
    try:
        output = pdf_signer.sign_pdf(writer)
    except BadTimestampAnswer as error:
        raise InputError("tsa", shown_url(tsa_url or ""), "the timestamp server gave no valid "
                         f"timestamp ({error}); check the URL or leave out --tsa") from None
    except timestamps.TimestampRequestError as error:
        raise TimestampFailed(f"the timestamp server at {shown_url(tsa_url or '')} gave no "
                              f"timestamp ({error}); try again or leave out --tsa") from None
    signed: bytes = output.getvalue()
    return signed


_STAMP_TIME = "%Y-%m-%dT%H:%M:%S%z"  # how pyHanko is asked to give the signing time


def _stamp_style(catalog: str, locale: str) -> Any:
    """pyHanko's text stamp with its two lines from the letter's catalog and the signing
    time as the letter's locale writes dates. pyHanko gives that time only as text
    (`ts`, formatted with `timestamp_format`), so the stamp reads it back and writes it
    again with Babel."""
    from babel.dates import format_datetime
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulator, GlyphAccumulatorFactory
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.stamp import TextStampStyle

    from objection.i18n import translations

    _ = translations(catalog).gettext

    class InMemoryFont(GlyphAccumulatorFactory):
        """pyHanko's font factory opens the font file and never closes it: read it whole."""

        def create_font_engine(self, writer: Any, obj_stream: Any = None) -> Any:
            with open(self.font_file, "rb") as fh:
                data = io.BytesIO(fh.read())
            if obj_stream is None and writer.stream_xrefs and self.create_objstream_if_needed:
                obj_stream = writer.prepare_object_stream()
            return GlyphAccumulator(writer=writer, font_handle=data, font_size=self.font_size,
                                    obj_stream=obj_stream)

    class LocalisedStampStyle(TextStampStyle):
        def create_stamp(self, writer: Any, box: Any, text_params: dict[str, Any]) -> Any:
            when = dt.datetime.strptime(text_params["ts"], _STAMP_TIME)
            date = format_datetime(when, "long", tzinfo=when.tzinfo, locale=locale)
            return super().create_stamp(writer, box, {**text_params, "date": date})

    # Translators: the first line of a digital signature's visible stamp;
    # signer is the name in the signer's certificate.
    signed_by = _("Digitally signed by %(signer)s")
    # Translators: the stamp's second line, the date and time of signing as
    # the letter writes dates (30 November 2026, 10:16:36 +0100).
    signed_on = _("Date: %(date)s")
    return LocalisedStampStyle(
        stamp_text=f"{signed_by}\n{signed_on}", timestamp_format=_STAMP_TIME,
        text_box_style=TextBoxStyle(font=InMemoryFont(str(
            CJK_STAMP_FONT if catalog.startswith("zh") else STAMP_FONT)), font_size=7),
        border_width=0,
    )
