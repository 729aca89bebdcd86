"""Check a letter PDF: its embedded request data, its visible text, its revisions and its
signature.

Outcome (exit status): VALID (0: unsigned and intact, or signed by a signer who chains to a
given --trust-root), UNVERIFIED (3: intact, but nothing shows who signed it: no
--trust-root, or the signer does not chain to one), INVALID (1: tampered, changed after it
was made, a signature removed, not an objection letter) or UNREADABLE (2: not a PDF).
A file verify will not read (not a regular file, larger than MAX_PDF_BYTES, more than
MAX_PAGES pages) or a --trust-root that is not a certificate is bad input: InputError.
"""

import html
import io
import itertools
import logging
import re
import unicodedata
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from objection.errors import InputError
from objection.reading import MIB, read_user_file
from objection.request_data import (
    INPUTS,
    REQUEST_DATA_NAME,
    parse_request_data,
    rebuild_letter,
    visible_fields,
)

VALID, UNVERIFIED, INVALID, UNREADABLE = "valid", "unverified", "invalid", "unreadable"
EXIT_STATUS = {VALID: 0, INVALID: 1, UNREADABLE: 2, UNVERIFIED: 3}
MAX_PDF_BYTES = 20 * MIB  # a letter is well under 1 MiB, with a signature image
MAX_PAGES = 50            # a letter has a few pages, a bilingual one a few more
MAX_CERT_BYTES = 1 * MIB
MAX_REQUEST_DATA_BYTES = 1 * MIB
# Their log records carry tracebacks and the signer's name (issue 12, item 14).
LIBRARY_LOGGERS = ("pyhanko", "pyhanko_certvalidator", "asn1crypto", "pypdf")


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
    problems: list[str] = field(default_factory=list)  # any problem makes the letter INVALID
    notes: list[str] = field(default_factory=list)     # worth knowing; not a problem

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def verify(path: Path, trust_roots: list[Path], quiet: bool = True) -> Report:
    """Check the letter at `path`; `quiet` keeps the PDF libraries' logging off stderr.
    InputError (exit 2, one line) if the file or a trust root cannot be used at all."""
    data = read_user_file(path, "pdf", MAX_PDF_BYTES)
    roots = [cert for root in trust_roots for cert in load_trust_root(root)]
    report = Report(str(path))
    if not data.startswith(b"%PDF-"):
        report.outcome = UNREADABLE
        report.problems.append("not a PDF file")
        return report
    with _libraries_silenced(quiet):
        try:
            _check(data, roots, report)
        except InputError:
            raise
        except Exception as error:  # a damaged PDF fails in many ways inside the parsers
            report.problems.append("the PDF is damaged and cannot be checked "
                                   f"({type(error).__name__})")
    report.outcome = _outcome(report)
    return report


def load_trust_root(path: Path) -> list[Any]:
    """The certificates (PEM, or one DER) in a --trust-root file; InputError if it holds none,
    naming the file (not "the PDF is damaged")."""
    from pyhanko.keys import load_certs_from_pemder_data

    raw = read_user_file(path, "trust_root", MAX_CERT_BYTES)
    try:
        certs = list(load_certs_from_pemder_data(raw))
        for cert in certs:
            cert.native  # noqa: B018  asn1crypto parses lazily: a non-certificate fails here
    except Exception:  # asn1crypto raises ValueError, TypeError, KeyError ... on garbage
        certs = []
    if not certs:
        raise InputError("trust_root", str(path), "is not a certificate; expected a CA "
                         "certificate in PEM or DER form")
    return certs


def _outcome(report: Report) -> str:
    if report.problems:
        return INVALID
    if any(signature.trusted is not True for signature in report.signatures):
        return UNVERIFIED
    return VALID


@contextmanager
def _libraries_silenced(quiet: bool) -> Iterator[None]:
    """While verifying, the PDF libraries' log records go nowhere (the report says what
    matters); their loggers are restored afterwards."""
    if not quiet:
        yield
        return
    saved = []
    for name in LIBRARY_LOGGERS:
        logger, handler = logging.getLogger(name), logging.NullHandler()
        saved.append((logger, handler, logger.propagate))
        logger.addHandler(handler)
        logger.propagate = False
    try:
        yield
    finally:
        for logger, handler, propagate in saved:
            logger.removeHandler(handler)
            logger.propagate = propagate


def _check(data: bytes, roots: list[Any], report: Report) -> None:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pypdf import PdfReader

    pages = PdfReader(io.BytesIO(data)).pages
    if len(pages) > MAX_PAGES:  # before reading any page's text
        raise InputError("pdf", report.file, f"has {len(pages)} pages; a letter has at most "
                         f"{MAX_PAGES}")
    reader = PdfFileReader(io.BytesIO(data), strict=False)
    raw = _embedded_file(reader, REQUEST_DATA_NAME)
    if raw is None:
        report.problems.append("carries no objection request data: not a letter made by objection")
    else:
        _check_request(parse_request_data(raw), _page_texts(pages), report)
    signatures = reader.embedded_signatures
    if report.signed_declared and not signatures:
        report.problems.append("the letter was made to be signed, but carries no signature")
    report.problems.extend(revision_problems(reader, signatures))
    if len(signatures) > 1:
        report.problems.append(f"carries {len(signatures)} signatures; objection signs a letter "
                               "once (only the first was checked)")
    for signature in signatures[:1]:
        report.signatures.append(_check_signature(signature, roots, report))


def _check_request(data: dict[str, Any], pages: list[str], report: Report) -> None:
    """The request data against itself (a reference computed from its inputs) and against
    every text on the page."""
    report.letter = True
    report.reference = str(data.get("reference", ""))
    report.signed_declared = data.get("signed") is True
    if INPUTS not in data:
        _check_older_request(data, pages, report)
        return
    try:
        letter, differing = rebuild_letter(data)
    except (ValueError, TypeError, KeyError, AttributeError) as error:  # InputError included
        reason = str(error) if isinstance(error, InputError) else type(error).__name__
        report.problems.append(f"the request data is not what objection writes ({reason})")
        return
    if "reference" in differing:
        report.problems.append(f"the reference {report.reference} is not the one objection "
                               f"computes from the request data ({letter.reference})")
    if others := [key for key in differing if key != "reference"]:
        report.problems.append("the request data contradicts its own inputs: "
                               + ", ".join(others))
    from objection.render import render_html

    missing, extra = compare_text(visible_runs(render_html(letter)), pages)
    report.text_matches_data = not missing and not extra
    mismatch = "the visible text does not match the request data"
    if missing:
        unique = list(dict.fromkeys(missing))
        shown = ", ".join(f'"{_shorten(run)}"' for run in unique[:3])
        more = f" and {len(unique) - 3} more" if len(unique) > 3 else ""
        report.problems.append(f"{mismatch}: the page does not show {shown}{more}")
    elif extra:
        report.problems.append(f"{mismatch}: the page shows text the request data does not "
                               f"account for ({extra:+d} characters)")


def _check_older_request(data: dict[str, Any], pages: list[str], report: Report) -> None:
    """Letters made before the request data carried its inputs: five values, no reference."""
    report.notes.append("made by an older version of objection: only the reference, the "
                        "sender's name and e-mail, the controller and the subject were compared "
                        "with the page, and the reference was not recomputed")
    text = "".join(pages)
    missing = [name for name, value in visible_fields(data).items() if squeeze(value) not in text]
    report.text_matches_data = not missing
    if missing:
        report.problems.append("the visible text does not match the request data: "
                               + ", ".join(missing))


def revision_problems(reader: Any, signatures: list[Any]) -> list[str]:
    """objection writes a letter in one revision and signing adds one, the signature's (with
    nothing but its field): any other revision is someone else's change (issue 12, item 9).
    Content added after the signature is reported by its coverage."""
    total = reader.xrefs.total_revisions
    if not signatures:
        return [] if total == 1 else [
            f"the letter was changed after it was made ({total - 1} incremental update(s); "
            "objection writes none to an unsigned letter)"]
    revision = signatures[0].signed_revision
    if revision == 0:
        return ["the signature is not an update of the letter: objection signs a letter as "
                "an incremental update"]
    if revision > 1:
        return [f"the letter was changed before it was signed ({revision - 1} incremental "
                "update(s) between the letter and its signature)"]
    if changed := _changed_by_signing(reader, revision):
        return [f"the signature's revision changes more than its signature field ({changed})"]
    return []


_SIGNING_CATALOG_KEYS = {"/AcroForm", "/Extensions", "/Version"}


def _changed_by_signing(reader: Any, revision: int) -> str:
    """What the signature's revision changes in the letter besides adding its field ("" if
    nothing). Signing may rewrite the catalog (its form), the page the field is on (its
    /Annots), the document information and the XMP metadata, and nothing else."""
    xrefs = reader.xrefs
    old = reader.get_historical_resolver(revision - 1)
    new = reader.get_historical_resolver(revision)
    if xrefs.refs_freed_in_revision(revision):
        return "objects were deleted"
    root = reader.trailer.raw_get("/Root", revision=revision - 1)
    info = reader.trailer.raw_get("/Info", revision=revision - 1)
    metadata = old.root.raw_get("/Metadata") if "/Metadata" in old.root else None
    for ref in sorted(xrefs.explicit_refs_in_revision(revision), key=lambda ref: ref.idnum):
        if xrefs.get_introducing_revision(ref) >= revision or _same(ref, info, metadata):
            continue  # a new object, or metadata
        before, after = old(ref), new(ref)
        allowed = _SIGNING_CATALOG_KEYS if _same(ref, root) else {"/Annots"}
        if not (_changed_keys(before, after) <= allowed and _only_signature_widgets_added(
                before, after)):
            return f"object {ref.idnum} was changed"
    return ""


def _same(ref: Any, *others: Any) -> bool:
    return any(other is not None and (ref.idnum, ref.generation) ==
               (other.idnum, other.generation) for other in others)


def _changed_keys(before: Any, after: Any) -> set[str]:
    if not (isinstance(before, dict) and isinstance(after, dict)):
        return {"(not a dictionary)"}
    return {key for key in before.keys() | after.keys()
            if dict.get(before, key) != dict.get(after, key)}


def _only_signature_widgets_added(before: Any, after: Any) -> bool:
    """A page's annotations: the old ones, then only signature fields' widgets."""
    old, new = list(before.get("/Annots", [])), list(after.get("/Annots", []))
    return new[:len(old)] == old and all(
        annot.get_object().get("/FT") == "/Sig" and annot.get_object().get("/Subtype") == "/Widget"
        for annot in new[len(old):])


def _check_signature(signature: Any, roots: list[Any], report: Report) -> SignatureReport:
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    from objection.signer_rules import algorithm_policy, certificate_problem, signer_key_usage

    # The rules signing checks before it signs (objection/signer_rules.py), stated here too.
    context = ValidationContext(trust_roots=roots, allow_fetching=False,
                                algorithm_usage_policy=algorithm_policy())
    status = validate_pdf_signature(signature, context, key_usage_settings=signer_key_usage())
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
    # pyHanko checks key usage only on a path to a trust root: check it on every signer.
    problem = certificate_problem(status.signing_cert,
                                  signature.signer_info["signature_algorithm"])
    if problem:
        report.problems.append(f"signature {result.field}: {problem}")
    elif not status.intact:
        report.problems.append(f"signature {result.field}: the signed content was changed")
    elif not status.valid:
        report.problems.append(f"signature {result.field}: the signature value does not "
                               "match the signed content and the certificate")
    if not whole:
        report.problems.append(f"signature {result.field}: does not cover the whole file "
                               "(content was added after signing)")
    if result.trusted is None:
        report.notes.append("the signer is not verified: anyone can make a certificate in any "
                            "name; give the CA that issued the signer's certificate with "
                            "--trust-root")
    elif not result.trusted:
        report.notes.append("the signer is not verified: the certificate does not chain to a "
                            "given --trust-root")
    return result


def _embedded_file(reader: Any, name: str) -> bytes | None:
    try:
        names = reader.root["/Names"]["/EmbeddedFiles"]["/Names"]
    except KeyError:
        return None
    for index in range(0, len(names) - 1, 2):
        if str(names[index]) == name:
            return _bounded_data(names[index + 1]["/EF"]["/F"], MAX_REQUEST_DATA_BYTES)
    return None


def _bounded_data(stream: Any, limit: int) -> bytes:
    """A stream's content, inflated to at most `limit` bytes: a few kilobytes of deflated
    data can stand for gigabytes."""
    filters = stream.get("/Filter")
    if filters is None:
        data: bytes = stream.encoded_data
    elif filters in ("/FlateDecode", ["/FlateDecode"]) and "/DecodeParms" not in stream:
        data = zlib.decompressobj().decompress(stream.encoded_data, limit + 1)
    else:
        raise ValueError("the request data is not stored as objection stores it")
    if len(data) > limit:
        raise ValueError("the request data is too large")
    return data


def page_text(data: bytes) -> str:
    """The text of every page, as a reader would copy it."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def _page_texts(pages: Any) -> list[str]:
    """Each page's text, squeezed, without its page number ("2 / 3", drawn last)."""
    count = len(pages)
    return [squeeze(page.extract_text() or "").removesuffix(f"{number}/{count}")
            for number, page in enumerate(pages, 1)]


_TAG = re.compile(r"<(/?)([a-zA-Z0-9]+)([^>]*)>")
_INLINE = {"span", "a", "em", "strong", "b", "i", "img"}
_MARKER = re.compile(r'data-marker="([^"]*)"')


def visible_runs(markup: str) -> list[str]:
    """The texts a letter's HTML shows, one per block (paragraph, heading, line, list item),
    with the list markers ("a)", a bullet) that the page draws."""
    body = markup[markup.index("<body"):]
    runs, pieces, position = [], [], 0
    for match in _TAG.finditer(body):
        pieces.append(body[position:match.start()])
        position = match.end()
        tag = match.group(2).lower()
        if tag not in _INLINE:
            runs.append(html.unescape("".join(pieces)))
            pieces.clear()
        if tag == "li" and not match.group(1):
            marker = _MARKER.search(match.group(3))
            runs.append(html.unescape(marker.group(1)) if marker else "•")
    return [" ".join(run.split()) for run in runs if squeeze(run)]


def compare_text(runs: list[str], pages: list[str]) -> tuple[list[str], int]:
    """The runs the pages do not show, and how many more characters the pages show than the
    runs: every character on the page must come from the letter."""
    text = "".join(pages)
    missing = [run for run in runs if not _shown(squeeze(run), text, pages)]
    return missing, len(text) - sum(len(squeeze(run)) for run in runs)


def _shown(run: str, text: str, pages: list[str]) -> bool:
    """On a page, or continued from the end of one page's flow at the top of the next."""
    return run in text or any(
        after.startswith(run[cut:]) and run[:cut] in before
        for before, after in itertools.pairwise(pages) for cut in range(1, len(run)))


def squeeze(text: str) -> str:
    """Compare text regardless of line breaks and hyphenation."""
    return re.sub(r"[\s\-\u00ad\u2010]", "", text)


def _shorten(text: str, limit: int = 50) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def printable(text: object) -> str:
    """Text from a file (a signer's name, a reference) made safe to print: control and
    formatting characters (terminal escapes, newlines, bidi overrides) as \\x.., \\u....,
    so that nothing in a PDF can rewrite the report (issue 12, item 10)."""
    return "".join(
        char if unicodedata.category(char) not in ("Cc", "Cf", "Zl", "Zp", "Cs")
        else (f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")
        for char in str(text))


_HEADLINE = {VALID: "VALID", INVALID: "INVALID", UNREADABLE: "UNREADABLE",
             UNVERIFIED: "INTACT, SIGNER NOT VERIFIED"}


def render_report(report: Report) -> str:
    """The human-readable report; every value read from the file is made printable."""
    lines = [f"{printable(report.file)}: {_HEADLINE[report.outcome]}"]
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
    lines.extend(f"  note: {printable(note)}" for note in report.notes)
    return "\n".join(lines)
