"""Check a letter PDF: its embedded request data, its visible text, and its signatures.

Outcome: VALID (exit 0), INVALID (exit 1: tampered, unsigned where a signature was
declared, not an objection letter) or UNREADABLE (exit 2: not a PDF at all).
"""

import io
import logging
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from objection.request_data import REQUEST_DATA_NAME, parse_request_data, visible_fields

VALID, INVALID, UNREADABLE = "valid", "invalid", "unreadable"


@dataclass
class SignatureReport:
    field: str
    signer: str
    signed_at: str
    intact: bool
    covers_whole_file: bool
    trusted: bool | None  # None: no --trust-root given
    timestamped: bool


@dataclass
class Report:
    file: str
    outcome: str = INVALID
    letter: bool = False
    reference: str = ""
    text_matches_data: bool = False
    signed_declared: bool = False
    signatures: list[SignatureReport] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def verify(path: Path, trust_roots: list[Path]) -> Report:
    report = Report(str(path))
    try:
        data = path.read_bytes()
    except OSError as error:
        report.outcome = UNREADABLE
        report.problems.append(f"cannot read the file ({error.strerror})")
        return report
    if not data.startswith(b"%PDF-"):
        report.outcome = UNREADABLE
        report.problems.append("not a PDF file")
        return report
    try:
        _check(data, trust_roots, report)
    except Exception as error:  # a damaged PDF fails in many ways inside the parsers
        report.problems.append(f"the PDF is damaged and cannot be checked ({type(error).__name__})")
    report.outcome = VALID if not report.problems else INVALID
    return report


def _check(data: bytes, trust_roots: list[Path], report: Report) -> None:
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(io.BytesIO(data), strict=False)
    raw = _embedded_file(reader, REQUEST_DATA_NAME)
    if raw is None:
        report.problems.append("carries no objection request data: not a letter made by objection")
    else:
        request = parse_request_data(raw)
        report.letter = True
        report.reference = request["reference"]
        report.signed_declared = bool(request.get("signed"))
        text = squeeze(page_text(data))
        missing = [name for name, value in visible_fields(request).items()
                   if squeeze(value) not in text]
        report.text_matches_data = not missing
        if missing:
            report.problems.append("the visible text does not match the request data: "
                                   + ", ".join(missing))
    signatures = reader.embedded_signatures
    if report.signed_declared and not signatures:
        report.problems.append("the letter was made to be signed, but carries no signature")
    for signature in signatures:
        report.signatures.append(_check_signature(signature, trust_roots, report))


def _check_signature(signature: Any, trust_roots: list[Path], report: Report) -> SignatureReport:
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    # pyHanko logs a traceback when no path to a trust root is found; the report says it.
    logging.getLogger("pyhanko").setLevel(logging.ERROR)
    roots = [load_cert_from_pemder(str(root)) for root in trust_roots]  # type: ignore[no-untyped-call]
    context = ValidationContext(trust_roots=roots, allow_fetching=False)
    status = validate_pdf_signature(signature, context)
    whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    signed_at = status.timestamp_validity.timestamp if status.timestamp_validity else \
        status.signer_reported_dt
    result = SignatureReport(
        field=signature.field_name,
        signer=status.signing_cert.subject.human_friendly,
        signed_at=signed_at.isoformat() if signed_at else "",
        intact=bool(status.intact and status.valid),
        covers_whole_file=whole,
        trusted=bool(status.trusted) if roots else None,
        timestamped=status.timestamp_validity is not None,
    )
    if not result.intact:
        report.problems.append(f"signature {result.field}: the signed content was changed")
    if not whole:
        report.problems.append(f"signature {result.field}: does not cover the whole file "
                               "(content was added after signing)")
    if result.trusted is False:
        report.problems.append(f"signature {result.field}: the certificate does not chain "
                               "to a given --trust-root")
    return result


def _embedded_file(reader: Any, name: str) -> bytes | None:
    try:
        names = reader.root["/Names"]["/EmbeddedFiles"]["/Names"]
    except KeyError:
        return None
    for index in range(0, len(names) - 1, 2):
        if str(names[index]) == name:
            spec = names[index + 1]
            stream = spec["/EF"]["/F"]
            payload: bytes = stream.data
            return payload
    return None


def page_text(data: bytes) -> str:
    """The text of every page, as a reader would copy it."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def squeeze(text: str) -> str:
    """Compare text regardless of line breaks and hyphenation."""
    return re.sub(r"[\s\-\u00ad\u2010]", "", text)


def printable(text: object) -> str:
    """Text from a file (a signer's name, a reference) made safe to print: control and
    formatting characters (terminal escapes, newlines, bidi overrides) as \\x.., \\u....,
    so that nothing in a PDF can rewrite the report (issue 12, item 10)."""
    return "".join(
        char if unicodedata.category(char) not in ("Cc", "Cf", "Zl", "Zp", "Cs")
        else (f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")
        for char in str(text))


def render_report(report: Report) -> str:
    """The human-readable report; every value read from the file is made printable."""
    lines = [f"{printable(report.file)}: {report.outcome.upper()}"]
    if report.letter:
        lines.append(f"  objection letter, reference {printable(report.reference)}")
        lines.append("  visible text matches the request data" if report.text_matches_data
                     else "  visible text does NOT match the request data")
    if not report.signatures:
        lines.append("  not signed")
    for sig in report.signatures:
        lines.append(f"  signed by {printable(sig.signer)}"
                     + (f" at {printable(sig.signed_at)}" if sig.signed_at else ""))
        lines.append(f"    signature intact: {'yes' if sig.intact else 'NO'}; covers the whole "
                     f"file: {'yes' if sig.covers_whole_file else 'NO'}; timestamp: "
                     f"{'yes' if sig.timestamped else 'no'}")
        lines.append("    chain: " + {None: "not checked (no --trust-root)",
                                      True: "chains to a given trust root",
                                      False: "does NOT chain to a given trust root"}[sig.trusted])
    lines.extend(f"  problem: {printable(problem)}" for problem in report.problems)
    return "\n".join(lines)
