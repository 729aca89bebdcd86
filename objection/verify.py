"""Check a letter PDF: that it is exactly the letter objection makes from the request data
it carries, that nothing was changed after it was made, and who signed it.

objection renders deterministically: the same request data and the same generator (its
version and the renderer's libraries, recorded in the request data) give the same bytes.
So verify makes the letter again from its request data with objection's own renderer and
requires the file to be those bytes (unsigned), or to start with them and add nothing but
one signature revision (signed). Whatever a reader is shown (text, fonts,
annotations, actions, attachments) is thus compared, not only the text a library extracts.
When the bytes cannot be made again here (another generator, or request data from before
the generator or the inputs were recorded), the page's text is compared instead, and the
outcome is at best UNVERIFIED, never VALID.

Outcome (exit status): VALID (0: the file is the letter made from its request data, and
unsigned, or signed by its sender with a certificate that chains to a given --trust-root),
UNVERIFIED (3: intact, but not everything could be verified: the signer (no --trust-root,
no chain to one, or not the sender), or the page (compared by its text only)), INVALID (1:
not the letter made from its data, changed after it was made, a signature removed, not an
objection letter) or UNREADABLE (2: not a PDF). A file verify will not read (not a regular
file, larger than MAX_PDF_BYTES, more revisions or objects than objection writes, more than
MAX_PAGES pages, or taking longer than CHECK_SECONDS to check) or a --trust-root that is not
a certificate is bad input: InputError.
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
from objection.model import SignatureBox
from objection.reading import MIB, read_user_file
from objection.request_data import (
    GENERATOR,
    INPUTS,
    REQUEST_DATA_NAME,
    NotObjectionRequest,
    generator_difference,
    parse_request_data,
    rebuild_letter,
    visible_fields,
)
from objection.time_limit import TimeLimitExceeded, time_limit

VALID, UNVERIFIED, INVALID, UNREADABLE = "valid", "unverified", "invalid", "unreadable"
EXIT_STATUS = {VALID: 0, INVALID: 1, UNREADABLE: 2, UNVERIFIED: 3}
MAX_PDF_BYTES = 20 * MIB  # a letter is well under 1 MiB, with a signature image
MAX_PAGES = 50            # a letter has a few pages, a bilingual one a few more
MAX_CERT_BYTES = 1 * MIB
# The request data carries the signature image as base64: an SVG of at most 2 MiB, or the
# PNG objection stores (at most 1600 px a side; a noisy phone photo gives up to 6 MB).
MAX_REQUEST_DATA_BYTES = 16 * MIB
MAX_REVISIONS = 2         # objection writes a letter in one revision; signing adds one
MAX_OBJECTS = 50_000      # in one cross-reference section; a letter has a few hundred
CHECK_SECONDS = 30        # a letter takes a few seconds to check
# Their log records carry tracebacks and the signer's name (issue 12, item 14).
LIBRARY_LOGGERS = ("pyhanko", "pyhanko_certvalidator", "asn1crypto", "pypdf")
PAGE_MISMATCH = "the page is not what objection makes from its request data"


@dataclass
class SignatureReport:
    field: str
    signer: str
    signed_at: str
    intact: bool
    covers_whole_file: bool
    trusted: bool | None  # None: no --trust-root given
    timestamped: bool
    signer_is_sender: bool | None = None  # None: no sender to compare with


@dataclass
class Report:
    file: str
    outcome: str = INVALID
    letter: bool = False
    reference: str = ""
    # How the page was compared with the request data: "bytes" (made again, byte for byte),
    # "text" (its text only), "five values" (an older letter), "" (not compared).
    compared: str = ""
    text_matches_data: bool = False  # the page matches the request data, as `compared` says
    signed_declared: bool = False
    signatures: list[SignatureReport] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)    # any problem makes the letter INVALID
    unverified: list[str] = field(default_factory=list)  # what keeps an intact letter from VALID
    notes: list[str] = field(default_factory=list)       # worth knowing; not a problem

    def as_dict(self) -> dict[str, Any]:
        """The report for tools (--json): every text made printable, as in the report
        (a lone surrogate from the file cannot be written as UTF-8)."""
        result: dict[str, Any] = _printable_values(asdict(self))
        return result


def _printable_values(value: Any) -> Any:
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, list):
        return [_printable_values(item) for item in value]
    if isinstance(value, dict):
        return {printable(key): _printable_values(item) for key, item in value.items()}
    return value


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
            with time_limit(CHECK_SECONDS), _pypdf_limits():
                if refusal := structure_refusal(data):  # before any parser reads it
                    raise InputError("pdf", str(path), refusal)
                _check(data, roots, report)
        except _Unreadable:  # damaged or changed where a parser would begin: none is run
            report.problems.append("the PDF is damaged and cannot be checked (its "
                                   "cross-reference section cannot be read)")
        except TimeLimitExceeded:
            raise InputError("pdf", str(path), f"took longer than {CHECK_SECONDS} s to check; "
                             "a letter takes a few seconds") from None
        except InputError:
            raise
        except Exception as error:  # a damaged PDF fails in many ways inside the parsers
            report.problems.append("the PDF is damaged and cannot be checked "
                                   f"({type(error).__name__})")
    report.outcome = _outcome(report)
    return report


def read_request_data(path: Path) -> dict[str, Any]:
    """The request data a letter PDF carries (for the follow-up letters), read with verify's
    limits; InputError (exit 2) saying why when there is none objection can use."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    data = read_user_file(path, "letter", MAX_PDF_BYTES)
    if not data.startswith(b"%PDF-"):
        raise InputError("letter", str(path), "not a PDF; expected a letter objection wrote as "
                         "PDF (a text letter carries no request data)")
    raw: bytes | None = None
    with _libraries_silenced(True):
        try:
            with time_limit(CHECK_SECONDS), _pypdf_limits():
                if refusal := structure_refusal(data):
                    raise InputError("letter", str(path), refusal)
                reader = PdfFileReader(io.BytesIO(data), strict=False, **_pyhanko_limits())
                raw = _embedded_file(reader, REQUEST_DATA_NAME)
        except InputError:
            raise
        except (TimeLimitExceeded, Exception):  # damaged in one of many ways
            raise InputError("letter", str(path), "is damaged: its request data cannot be "
                             "read; use the PDF objection wrote") from None
    if raw is None:
        raise InputError("letter", str(path), "carries no objection request data; expected "
                         "a letter objection wrote as PDF")
    try:
        request = parse_request_data(raw)
    except (ValueError, RecursionError):
        raise InputError("letter", str(path), "its request data is damaged (not JSON of "
                         "objection's format)") from None
    if not isinstance(request.get(INPUTS), dict):
        raise InputError("letter", str(path), "was made by an earlier version of objection "
                         "that did not record its inputs; write the letter again")
    return request


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
    if report.unverified or any(signature.trusted is not True or not signature.signer_is_sender
                                for signature in report.signatures):
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


# pypdf's limits while verifying (its defaults allow 75 MB per stream, 2 million content
# stream elements): a letter's streams are far below these.
PYPDF_LIMITS: dict[str, int] = {
    "maximum_declared_stream_length": MAX_PDF_BYTES,
    "array_based_stream_maximum_output_length": 32 * MIB,
    "jbig2_maximum_output_length": 32 * MIB,
    "lzw_maximum_output_length": 32 * MIB,
    "run_length_maximum_output_length": 32 * MIB,
    "zlib_maximum_output_length": 32 * MIB,
    "brotli_maximum_output_length": 32 * MIB,
    "stream_decoding_work_maximum_length": 64 * MIB,
    "stream_parsing_work_maximum_count": 1_000_000,
    "xform_maximum_invocations_per_extraction": 200,
    "page_tree_maximum_entries": 10_000,
    "page_tree_maximum_page_entries": 10_000,
}


@contextmanager
def _pypdf_limits() -> Iterator[None]:
    """pypdf's resource limits (its Configuration, pypdf 6.x and later) lowered to a
    letter's size while verifying."""
    try:
        from pypdf import apply_configuration  # type: ignore[attr-defined, unused-ignore]
    except ImportError:  # an older pypdf: its own limits, and the time limit
        yield
        return
    with apply_configuration(None, **PYPDF_LIMITS):
        yield


def _pyhanko_limits() -> dict[str, Any]:
    """pyHanko's decoding limits (0.38 and later) lowered to a letter's size: a
    cross-reference stream of at most MAX_OBJECTS rows, 32 MiB per stream, 128 MiB in all."""
    try:
        from pyhanko.pdf_utils.decode_limits import (
            DEFAULT_PURPOSE_LIMITS,
            DecodeLimits,
            DecodePurpose,
            DocumentDecodeBudget,
            StreamDecodeLimits,
        )
    except ImportError:  # an older pyHanko: its own limits, and the time limit
        return {}
    xref = StreamDecodeLimits(max_ratio=None, max_output_size=MAX_OBJECTS * 25)
    return {"decode_limits": DecodeLimits(
        per_stream=StreamDecodeLimits(max_output_size=32 * MIB),
        per_purpose={**DEFAULT_PURPOSE_LIMITS, DecodePurpose.XREF_STREAM: xref},
        document_budget=DocumentDecodeBudget(base_allowance=128 * MIB, max_ratio=20))}


_STARTXREF = re.compile(rb"startxref\s+(\d+)")


def _no_document() -> Any:
    """The container of objects read outside a document: they refer to none."""
    from pyhanko.pdf_utils import generic

    return generic.TrailerReference(None)  # type: ignore[no-untyped-call]
_SUBSECTION = re.compile(rb"[\0\t\n\f\r ]*(\d+) (\d+)[ \t]*\r?\n")
_TRAILER = re.compile(rb"[\0\t\n\f\r ]*trailer[\0\t\n\f\r ]*")


class _Unreadable(Exception):
    """A cross-reference section that objection's own letters never give: damaged, or
    changed after it was made. No parser is given the file (it would read it otherwise)."""


def structure_refusal(data: bytes) -> str:
    """Why verify will not hand `data` to a PDF parser ("" if it will): more revisions than
    objection writes (one, and one more for the signature), or a cross-reference section
    that declares more objects than a letter has. The parsers read every section and every
    object it declares: a few kilobytes can declare millions (minutes, gigabytes).
    _Unreadable if a section cannot be read."""
    revisions = max(data.count(b"%%EOF"), data.count(b"startxref"))
    if revisions > MAX_REVISIONS:
        return (f"has {revisions} revisions (%%EOF); objection writes a letter in one, and "
                f"signing adds one")
    found = _STARTXREF.findall(data)
    if not found:
        raise _Unreadable
    offset: int | None = int(found[-1])
    seen: set[int] = set()
    while offset is not None:
        if len(seen) == MAX_REVISIONS or offset in seen:
            return (f"has more than {MAX_REVISIONS} cross-reference sections; objection "
                    "writes one, and signing adds one")
        seen.add(offset)
        try:
            offset, objects = _xref_section(data, offset)
        except Exception:  # pyHanko's parser fails in many ways on a damaged section
            raise _Unreadable from None
        if objects > MAX_OBJECTS:
            return (f"has a cross-reference section of {objects} objects; a letter has a few "
                    f"hundred (at most {MAX_OBJECTS} are read)")
    return ""


def _xref_section(data: bytes, offset: int) -> tuple[int | None, int]:
    """The cross-reference section at `offset`: the offset of the previous one (/Prev) and
    how many objects it declares (its entries, /Index, /Size). Read with pyHanko's object
    parser, which reads names as the parsers that come later do (/Si#7ae is /Size)."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.xref import read_object_header

    stream = io.BytesIO(data)
    if data.startswith(b"xref", offset):
        position, objects = offset + 4, 0
        while match := _SUBSECTION.match(data, position):
            objects += int(match.group(2))
            if objects > MAX_OBJECTS:
                return None, objects
            position = match.end() + 20 * int(match.group(2))  # an entry is 20 bytes
        trailer_keyword = _TRAILER.match(data, position)
        if trailer_keyword is None:
            raise ValueError("no trailer")
        stream.seek(trailer_keyword.end())
        trailer = generic.read_object(stream, _no_document())
    else:
        stream.seek(offset)
        read_object_header(stream, strict=False)  # type: ignore[no-untyped-call]
        trailer = generic.read_object(stream, _no_document())
        if not isinstance(trailer, generic.StreamObject) or trailer.get("/Type") != "/XRef":
            raise ValueError("not a cross-reference stream")
        index = trailer.get("/Index", [0, trailer.get("/Size", 0)])
        objects = sum(int(count) for count in list(index)[1::2])
        if any(not 0 <= int(width) <= 8 for width in list(trailer["/W"])):
            raise ValueError("entries wider than 8 bytes")
    if not isinstance(trailer, generic.DictionaryObject) or "/XRefStm" in trailer:
        raise ValueError("a hybrid section (/XRefStm), which objection does not write")
    objects = max(objects, int(trailer.get("/Size", 0)))
    prev = trailer.get("/Prev")
    return (None if prev is None else int(prev)), objects


class _NotObjectionData(ValueError):
    """The embedded request data is not stored as objection stores it (the message says
    how, in our own words)."""


def _check(data: bytes, roots: list[Any], report: Report) -> None:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pypdf import PdfReader

    pages = PdfReader(io.BytesIO(data)).pages
    if len(pages) > MAX_PAGES:  # before reading any page's text
        raise InputError("pdf", report.file, f"has {len(pages)} pages; a letter has at most "
                         f"{MAX_PAGES}")
    reader = PdfFileReader(io.BytesIO(data), strict=False, **_pyhanko_limits())
    signatures = reader.embedded_signatures
    request: dict[str, Any] | None = None
    box = None
    try:
        raw = _embedded_file(reader, REQUEST_DATA_NAME)
    except _NotObjectionData as error:
        report.problems.append(str(error))
    else:
        if raw is None:
            report.problems.append("carries no objection request data: not a letter made by "
                                   "objection")
        else:
            try:
                request = parse_request_data(raw)
            except ValueError:
                report.problems.append("the request data is not objection's (not JSON of "
                                       "its format)")
            else:
                box = _check_request(request, data, reader, pages, signatures, report)
    if report.signed_declared and not signatures:
        report.problems.append("the letter was made to be signed, but carries no signature")
    report.problems.extend(revision_problems(reader, signatures))
    if box is not None and signatures and not stamps_on_the_line(pages, box):
        report.unverified.append(
            "a signature's stamp is drawn beyond the letter's signature line: verify does not "
            "compare a stamp's appearance, which can cover the letter's text")
    if len(signatures) > 1:
        report.problems.append(f"carries {len(signatures)} signatures; objection signs a letter "
                               "once (only the first was checked)")
    sender = request.get("sender") if request else None
    for signature in signatures[:1]:
        report.signatures.append(_check_signature(signature, data, roots, sender, report))


def _check_request(request: dict[str, Any], data: bytes, reader: Any, pages: Any,
                   signatures: list[Any], report: Report) -> SignatureBox | None:
    """The request data against itself (a reference computed from its inputs), then the
    file against the letter made again from it: byte for byte where this verifier has the
    generator that made it, else by the page's text (never VALID). The signature line's
    box of the letter made again, where the bytes matched."""
    report.letter = True
    report.reference = str(request.get("reference", ""))
    report.signed_declared = request.get("signed") is True
    if INPUTS not in request:
        if GENERATOR in request:  # written by a version that also writes the inputs
            report.problems.append("the request data is not what objection writes (it names "
                                   "its generator but not its inputs)")
            return None
        report.problems.extend(structure_problems(reader, pages))
        _check_older_request(request, pages, report)
        return None
    try:
        letter, differing = rebuild_letter(request)
    except (ValueError, TypeError, KeyError, AttributeError) as error:  # InputError included
        reason = str(error) if isinstance(error, (InputError, NotObjectionRequest)) \
            else type(error).__name__
        report.problems.append(f"the request data is not what objection writes ({reason})")
        return None
    if "reference" in differing:
        report.problems.append(f"the reference {report.reference} is not the one objection "
                               f"computes from the request data ({letter.reference})")
    if others := [key for key in differing if key != "reference"]:
        report.problems.append("the request data contradicts its own inputs: "
                               + ", ".join(others))
    obstacle = generator_difference(request.get(GENERATOR))
    if not obstacle and letter.request.signature_image is None \
            and request[INPUTS].get("signature_image") is not None:
        obstacle = ("the request data names the signature image by its digest only (made by "
                    "an older version of objection)")
    if obstacle:
        report.unverified.append(f"{obstacle}: the page was compared by its text only, not "
                                 "byte for byte")
        from objection.render import attached

        report.problems.extend(structure_problems(
            reader, pages, tuple(item.name for item in attached(letter.request))))
        _compare_text(letter, pages, report)
        return None
    from objection.render import render_pdf

    try:
        rendered = render_pdf(letter, signed=report.signed_declared)
    except (InputError, RuntimeError) as error:  # RenderError: what the renderer refused
        report.problems.append("the request data cannot be made into a letter "
                               f"({type(error).__name__})")
        return None
    report.compared = "bytes"
    report.text_matches_data = _is_first_revision(rendered.data, data, reader, signatures)
    if not report.text_matches_data:
        report.problems.append(f"{PAGE_MISMATCH} (the file does not match the letter made "
                               "again from it, byte for byte)")
        return None
    return rendered.signature_box


def _is_first_revision(rendered: bytes, data: bytes, reader: Any, signatures: list[Any]) -> bool:
    """Unsigned, the file is `rendered`; signed, it starts with `rendered`, which is its
    first revision (what follows is the signature's, checked by revision_problems)."""
    if not signatures:
        return data == rendered
    found = _STARTXREF.findall(rendered)
    return data.startswith(rendered) and bool(found) and \
        reader.xrefs.get_startxref_for_revision(0) == int(found[-1])


def _compare_text(letter: Any, pages: Any, report: Report) -> None:
    """Every block of text the letter shows is in the text pypdf extracts from the pages,
    with nothing left over: what verify can compare when it cannot make the bytes again."""
    from objection.render import render_html

    report.compared = "text"
    missing, extra = compare_text(visible_runs(render_html(letter)), _page_texts(pages))
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


def _check_older_request(data: dict[str, Any], pages: Any, report: Report) -> None:
    """Letters made before the request data carried its inputs: five values, no reference."""
    report.compared = "five values"
    report.unverified.append(
        "made by an older version of objection (its request data has no inputs): only the "
        "reference, the sender's name and e-mail, the controller and the subject were "
        "compared with the page's text, and the reference was not recomputed")
    text = "".join(_page_texts(pages))
    missing = [name for name, value in visible_fields(data).items() if squeeze(value) not in text]
    report.text_matches_data = not missing
    if missing:
        report.problems.append("the visible text does not match the request data: "
                               + ", ".join(missing))


_CATALOG_NEVER = ("/OpenAction", "/AA", "/OCProperties", "/AcroForm")


def structure_problems(reader: Any, pages: Any, enclosures: tuple[str, ...] = ()) -> list[str]:
    """What objection never writes into a letter, checked where the bytes cannot be
    compared (where they can, the comparison covers it): actions, optional content, forms
    (but a signature's), annotations (but a signature's widget), JavaScript, and request
    data that is not the one associated file."""
    root = reader.root
    found = [key for key in _CATALOG_NEVER if key in root
             and not (key == "/AcroForm" and _signature_form(root[key]))]
    names = _get(root, "/Names", {})
    found += [f"/Names {key}" for key in names if key not in ("/EmbeddedFiles", "/Dests")]
    for number, page in enumerate(pages, 1):
        for annotation in _get(page, "/Annots", []):
            annotation = annotation.get_object()
            subtype = _get(annotation, "/Subtype", None)
            if subtype != "/Widget" or _get(annotation, "/FT", None) != "/Sig":
                found.append(f"an annotation ({subtype}) on page {number}")
        if "/AA" in page:
            found.append(f"/AA on page {number}")
    if not _associated_files(root, names, enclosures):
        found.append(f"attached files other than the one {REQUEST_DATA_NAME} associated with "
                     "the letter")
    if not found:
        return []
    return [f"the file holds what objection never writes into a letter: {', '.join(found)}"]


def _get(dictionary: Any, key: str, default: Any) -> Any:
    """`dictionary[key]`, resolved if it is a reference (pyHanko's and pypdf's `get` give
    the reference), or `default`."""
    return dictionary[key] if key in dictionary else default  # noqa: SIM401


def _signature_form(form: Any) -> bool:
    """A form (/AcroForm) of signature fields only, as signing adds."""
    form = form.get_object()
    return set(form.keys()) <= {"/Fields", "/SigFlags", "/DA", "/DR"} and all(
        _get(item.get_object(), "/FT", None) == "/Sig" for item in _get(form, "/Fields", []))


def _associated_files(root: Any, names: Any, enclosures: tuple[str, ...]) -> bool:
    """The embedded files are the request data and the letter's `enclosures` (by name), and
    the catalog's /AF (the PDF/A associated files) names them and nothing else."""
    try:
        tree = names["/EmbeddedFiles"]
        entries = tree.raw_get("/Names")
        expected = sorted((REQUEST_DATA_NAME, *enclosures))
        if "/Kids" in tree or [str(entries[i]) for i in range(0, len(entries), 2)] != expected:
            return False
        specs = [entries.raw_get(i) for i in range(1, len(entries), 2)]
        associated = list(root.raw_get("/AF"))
        return bool(associated) and all(any(_same(item, spec) for spec in specs)
                                        for item in associated)
    except (KeyError, TypeError, AttributeError):
        return False


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
_SIGNING_INFO_KEYS = {"/Producer", "/ModDate"}
_XMP_SIGNING_FIELDS = {"http://ns.adobe.com/pdf/1.3/Producer",
                       "http://ns.adobe.com/xap/1.0/ModifyDate",
                       "http://ns.adobe.com/xap/1.0/MetadataDate"}


def _changed_by_signing(reader: Any, revision: int) -> str:
    """What the signature's revision changes in the letter besides adding its field ("" if
    nothing). Signing may add a form of signature fields to the catalog, their widgets
    (without actions) to a page, and may rewrite the document information's and the XMP
    metadata's producer and dates; nothing else."""
    xrefs = reader.xrefs
    old = reader.get_historical_resolver(revision - 1)
    new = reader.get_historical_resolver(revision)
    if xrefs.refs_freed_in_revision(revision):
        return "objects were deleted"
    trailer = reader.trailer
    root, info = (trailer.raw_get(key, revision=revision - 1) for key in ("/Root", "/Info"))
    for key, before in (("/Root", root), ("/Info", info)):
        after = trailer.raw_get(key, revision=revision)
        if not (after is before is None or (before is not None and _same(after, before))):
            return f"the trailer's {key} was replaced"
    metadata = old.root.raw_get("/Metadata") if "/Metadata" in old.root else None
    for ref in sorted(xrefs.explicit_refs_in_revision(revision), key=lambda ref: ref.idnum):
        if xrefs.get_introducing_revision(ref) >= revision:
            continue  # a new object: what refers to it is checked
        before, after = old(ref), new(ref)
        if _same(ref, info):
            changed = not _changed_keys(before, after) <= _SIGNING_INFO_KEYS
        elif _same(ref, metadata):
            changed = not _same_metadata(before, after)
        elif _same(ref, root):
            changed = not (_changed_keys(before, after) <= _SIGNING_CATALOG_KEYS
                           and _signature_form(_get(after, "/AcroForm", {})))
        else:
            changed = not (_changed_keys(before, after) <= {"/Annots"}
                           and _only_signature_widgets_added(before, after))
        if changed:
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


def _same_metadata(before: Any, after: Any) -> bool:
    """The XMP metadata says the same (title, author, subject, keywords, PDF/A
    identification ...) but for the producer and the dates signing rewrites."""
    from pyhanko.pdf_utils.metadata.xmp_xml import parse_xmp

    def fields(stream: Any) -> dict[str, Any]:
        return {str(name): value for root in parse_xmp(io.BytesIO(stream.data))
                for name, value in root if str(name) not in _XMP_SIGNING_FIELDS}

    try:
        return fields(before) == fields(after)
    except Exception:  # not a stream, or not XMP that pyHanko reads
        return False


def _only_signature_widgets_added(before: Any, after: Any) -> bool:
    """A page's annotations: the old ones, then only signature fields' widgets, without
    actions."""
    old, new = list(_get(before, "/Annots", [])), list(_get(after, "/Annots", []))
    added = [annot.get_object() for annot in new[len(old):]]
    return new[:len(old)] == old and all(
        _get(annot, "/FT", None) == "/Sig" and _get(annot, "/Subtype", None) == "/Widget"
        and "/A" not in annot and "/AA" not in annot
        for annot in added)


_LINE_SLACK = 1.0  # pt: objection's field is the signature line's rectangle, rounded


def stamps_on_the_line(pages: Any, box: SignatureBox) -> bool:
    """Every annotation (in a letter made again byte for byte: a signature's widget, added
    by signing) is drawn on the letter's signature line, or not at all: a stamp's
    appearance is the signer's own and is not compared, so it must not cover the letter."""
    for index, page in enumerate(pages):
        for annotation in _get(page, "/Annots", []):
            try:
                x1, y1, x2, y2 = (float(value) for value in _get(annotation.get_object(),
                                                                 "/Rect", None))
            except (TypeError, ValueError):
                return False
            drawn = x1 != x2 and y1 != y2
            if drawn and not (index == box.page
                              and box.x1 - _LINE_SLACK <= min(x1, x2)
                              and max(x1, x2) <= box.x2 + _LINE_SLACK
                              and box.y1 - _LINE_SLACK <= min(y1, y2)
                              and max(y1, y2) <= box.y2 + _LINE_SLACK):
                return False
    return True


def _check_signature(signature: Any, data: bytes, roots: list[Any], sender: Any,
                     report: Report) -> SignatureReport:
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
        signer_is_sender=(_is_sender(status.signing_cert, sender)
                          if isinstance(sender, dict) else None),
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
    if not _only_signature_in_contents(signature, data):
        report.problems.append(f"signature {result.field}: the signature field holds bytes "
                               "that are not part of the signature")
    if result.trusted is None:
        report.unverified.append("the signer's identity: anyone can make a certificate in "
                                 "any name; give the CA that issued the signer's "
                                 "certificate with --trust-root")
    elif not result.trusted:
        report.unverified.append("the signer's identity: the certificate does not chain to "
                                 "a given --trust-root")
    if result.signer_is_sender is False:
        report.unverified.append(
            "the signer as the sender: the certificate names neither the sender's name nor "
            "their e-mail address as the letter gives them")
    return result


def _normal(text: object) -> str:
    """A name or address as compared: Unicode NFC, case folded, spaces collapsed."""
    return " ".join(unicodedata.normalize("NFC", str(text)).casefold().split())


def _is_sender(cert: Any, sender: dict[str, Any]) -> bool:
    """The certificate's subject (common name, e-mail address) or its subject alternative
    names (e-mail addresses) name the letter's sender: by name or by e-mail."""
    names, emails = set(), set()
    for rdn in cert.subject.chosen:
        for attribute in rdn:
            kind, value = attribute["type"].native, attribute["value"].native
            if kind == "common_name":
                names.add(_normal(value))
            elif kind == "email_address":
                emails.add(_normal(value))
    for general_name in cert.subject_alt_name_value or ():
        if general_name.name == "rfc822_name":
            emails.add(_normal(general_name.native))
    name, email = _normal(sender.get("name") or ""), _normal(sender.get("email") or "")
    return bool(name and name in names) or bool(email and email in emails)


_HEX_STRING = re.compile(rb"<[0-9a-fA-F]*>")


def _only_signature_in_contents(signature: Any, data: bytes) -> bool:
    """The signature's /Contents (the hole its byte range leaves) is a hex string holding
    the signature's DER and then zeros only: nothing in it is signed, so nothing else may
    be there."""
    try:
        start, first, second, _length = (int(value) for value in signature.byte_range)
        hole = data[start + first:second]
        if not _HEX_STRING.fullmatch(hole):
            return False
        contents = bytes.fromhex(hole[1:-1].decode("ascii"))
    except (TypeError, ValueError):
        return False
    length = _der_length(contents)
    return length is not None and not any(contents[length:])


def _der_length(der: bytes) -> int | None:
    """The length of the DER SEQUENCE at the start of `der` (None if there is none)."""
    if len(der) < 2 or der[0] != 0x30:
        return None
    if der[1] < 0x80:
        length = 2 + der[1]
    else:
        count = der[1] & 0x7F
        if not 1 <= count <= 4 or len(der) < 2 + count:
            return None
        length = 2 + count + int.from_bytes(der[2:2 + count], "big")
    return length if length <= len(der) else None


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
        raise _NotObjectionData("the request data is not stored as objection stores it")
    if len(data) > limit:
        raise _NotObjectionData(f"the request data is larger than {limit // MIB} MiB; "
                                "objection writes less")
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
             UNVERIFIED: "INTACT, NOT VERIFIED"}
_COMPARED = {
    ("bytes", True): "the file is the letter objection makes from its request data, byte for "
                     "byte",
    ("bytes", False): "the file is NOT the letter objection makes from its request data",
    ("text", True): "visible text matches the request data (compared by text only)",
    ("five values", True): "visible text matches the request data (five values compared)",
}


def render_report(report: Report) -> str:
    """The human-readable report; every value read from the file is made printable."""
    lines = [f"{printable(report.file)}: {_HEADLINE[report.outcome]}"]
    if report.letter:
        lines.append(f"  objection letter, reference {printable(report.reference)}")
        lines.append("  " + _COMPARED.get(
            (report.compared, report.text_matches_data),
            "visible text does NOT match the request data" if report.compared
            else "the page was not compared with the request data"))
    if not report.signatures:
        lines.append("  not signed")
    for sig in report.signatures:
        sender = {None: "", True: " (the sender)",
                  False: " (NOT the sender the letter names)"}[sig.signer_is_sender]
        lines.append(f"  signed by {printable(sig.signer)}{sender}"
                     + (f" at {printable(sig.signed_at)}" if sig.signed_at else ""))
        lines.append(f"    signature intact: {'yes' if sig.intact else 'NO'}; covers the whole "
                     f"file: {'yes' if sig.covers_whole_file else 'NO'}; timestamp: "
                     f"{'yes' if sig.timestamped else 'no'}")
        lines.append("    chain: " + {None: "not checked (no --trust-root)",
                                      True: "chains to a given trust root",
                                      False: "does NOT chain to a given trust root"}[sig.trusted])
    lines.extend(f"  problem: {printable(problem)}" for problem in report.problems)
    lines.extend(f"  not verified: {printable(reason)}" for reason in report.unverified)
    lines.extend(f"  note: {printable(note)}" for note in report.notes)
    return "\n".join(lines)
