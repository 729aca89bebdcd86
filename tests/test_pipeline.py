"""The shape every kind of letter shares: one model, one body cache whose key is complete,
one field table, no import cycles, and verify without the PDF renderer."""

import ast
import dataclasses
import itertools
import subprocess
import sys
from pathlib import Path

import click
import pytest
from jinja2 import UndefinedError

from objection.body import BodyContext, body_context, body_html, body_text, render_context
from objection.catalogue import GROUNDS
from objection.cli import cli
from objection.compose import compose
from objection.fields import COLUMNS, OUTPUT_FIELDS, PROFILE_KEYS, REQUEST_FIELDS
from objection.kinds import KINDS
from objection.model import LetterRequest
from objection.plaintext import body_blocks, join_blocks
from objection.request import make_request
from objection.resources import templates_dir
from objection.spreadsheet import read_rows

PACKAGE = Path(__file__).resolve().parent.parent / "objection"


def _varied_requests() -> list[dict[str, object]]:
    """Requests that differ in every value a body can read, and in personal values that
    contain what HTML escaping changes."""
    names = ["Jane Doe", "Zoë <b>O'Neil<b> & Co", "Ødegård"]
    grounds = list(GROUNDS)
    requests = []
    for index, (lang, country) in enumerate(itertools.product(
            ["en", "de", "fr", "el", "pl"], ["IE", "CH", "GB", "DE"])):
        values: dict[str, object] = {
            "name": names[index % 3], "email": f"p{index}@example.org", "country": country,
            "lang": lang, "ground": grounds[index % 11:index % 11 + 1 + index % 3],
            "date": "2026-11-23", "toggle": ["off", "pending"][index % 2]}
        if index % 2:
            values["profile_url"] = f"linkedin.com/in/person-{index}"
        if index % 3 == 0:
            values["situation"] = f"Paragraph {index} <i>one</i>.\n\nParagraph two & more."
        if index % 4 == 1 and lang != "en":
            values["bilingual"] = True
        if country == "GB" and index % 2:
            values["scope"] = ["microsoft"]
        requests.append(values)
    return requests


def test_cached_body_is_the_body_rendered_without_stand_ins() -> None:
    """The cache renders with stand-ins for the sender and shares bodies between letters;
    every body must still be exactly what rendering that letter on its own gives."""
    for values in _varied_requests() * 2:  # the second pass is served from the cache
        letter = compose(make_request(values))
        for shown in filter(None, [letter, letter.translation]):
            direct = render_context(body_context(shown, stand_ins=False))
            assert body_html(shown) == direct, values


BASE = {"name": "Jane Doe", "email": "jane@example.org", "country": "DE", "lang": "en",
        "ground": "old-content", "date": "2026-11-23"}
ONE_CHANGE = [  # each differs from BASE in one input the body shows
    {"toggle": "pending"}, {"ground": "journalist"}, {"ground": "old-content,journalist"},
    {"scope": "generative"}, {"situation": "I teach."}, {"lang": "de"}, {"country": "AT"},
    {"country": "CH"}, {"country": "GB"}, {"profile_url": "linkedin.com/in/jane-doe"},
    {"bilingual": True}, {"signature_image": "SIGNATURE"},
    {"name": "Zoë <O'Neil> & Co"}, {"email": "other@example.org"},
]


@pytest.mark.parametrize(("lang", "change"), [
    (lang, change) for lang in ("en", "fr") for change in ONE_CHANGE
    if not (lang == "en" and "bilingual" in change)  # English has no English translation
], ids=lambda value: ",".join(value) if isinstance(value, dict) else value)
def test_a_letter_one_input_away_from_a_cached_one_gets_its_own_body(
        lang: str, change: dict[str, object], tmp_path: Path) -> None:
    """The base letter's body is in the cache; a letter that differs in one input must get
    its own body, in HTML and in text, exactly as rendering it alone gives."""
    from PIL import Image

    image = tmp_path / "signature.png"
    Image.new("RGB", (60, 20), "navy").save(image)
    base = {**BASE, "lang": lang}
    body_html(compose(make_request(base)))
    body_text(compose(make_request(base)))
    values = {**base, **{key: str(image) if value == "SIGNATURE" else value
                         for key, value in change.items()}}
    letter = compose(make_request(values))
    for shown in filter(None, [letter, letter.translation]):
        direct = render_context(body_context(shown, stand_ins=False))
        assert body_html(shown) == direct
        assert body_text(shown) == join_blocks(body_blocks(direct))


def test_letters_differing_only_in_the_sender_share_a_context() -> None:
    base = {"email": "a@example.org", "country": "DE", "lang": "de", "ground": "old-content",
            "date": "2026-11-23"}
    first = compose(make_request({**base, "name": "Anna A"}))
    second = compose(make_request({**base, "name": "Bert B", "email": "b@example.org"}))
    assert body_context(first) == body_context(second)
    assert "Bert B" in body_html(second) and "Anna A" not in body_html(second)
    changed = compose(make_request({**base, "name": "Anna A", "toggle": "pending"}))
    assert body_context(changed) != body_context(first)


def test_the_body_can_read_nothing_outside_its_context() -> None:
    """StrictUndefined: a value left out of the context (so out of the cache key) is an
    error, not an empty string that another letter's body would share."""
    letter = compose(make_request({"name": "Jane Doe", "email": "j@example.org",
                                   "country": "IE", "ground": "old-content"}))
    context = body_context(letter)
    without_toggle = BodyContext(context.lang, tuple(
        (key, value) for key, value in context.values if key != "toggle"))
    with pytest.raises(UndefinedError, match="toggle"):
        render_context(without_toggle)
    with pytest.raises(TypeError, match="unhashable"):
        BodyContext("en", (("grounds", ["a", "b"]),))  # type: ignore[arg-type]


def test_a_kind_cannot_replace_a_shared_body_value() -> None:
    letter = compose(make_request(BASE))
    greedy = dataclasses.replace(letter.kind, context=lambda _: {"name": "Someone Else"})
    with pytest.raises(ValueError, match="redefines shared body values"):
        body_context(dataclasses.replace(letter, kind=greedy))


def test_every_kind_names_a_template_that_exists() -> None:
    for kind in KINDS.values():
        assert (templates_dir() / kind.wording).is_file(), kind.key
        assert kind.reference_prefix.isalpha() and kind.reference_prefix.isupper()


def test_the_field_table_is_the_request_the_options_and_the_columns() -> None:
    from objection.request_data import FOLLOW_UP_INPUTS

    # The follow-ups' own inputs come from their commands (objection reminder, complaint).
    attributes = {field.attribute or field.name for field in REQUEST_FIELDS}
    assert attributes == {field.name for field in dataclasses.fields(LetterRequest)
                          if field.name not in FOLLOW_UP_INPUTS}
    letter = cli.commands["letter"]
    options = {option for param in letter.params for option in param.opts}
    assert {field.option for field in REQUEST_FIELDS + OUTPUT_FIELDS} <= options
    assert (*COLUMNS, "format", "output") == PROFILE_KEYS


def test_every_column_of_the_table_is_read_from_a_spreadsheet(tmp_path: Path) -> None:
    sheet = tmp_path / "all.csv"
    sheet.write_text(",".join(COLUMNS) + "\n" + ",".join(f"v{i}" for i in range(len(COLUMNS)))
                     + "\n", encoding="utf-8")
    [row] = read_rows(sheet, {})
    assert set(row.values) == set(COLUMNS)


def test_profile_values_are_option_defaults_and_the_command_line_wins(tmp_path: Path) -> None:
    profile = tmp_path / "me.toml"
    profile.write_text('name = "Jane Doe"\nemail = "jane@example.org"\ncountry = "IE"\n'
                       'ground = "old-content,journalist"\naddress = "1 Main St\\nDublin"\n'
                       'toggle = "Pending"\nformat = "txt"\n', encoding="utf-8")
    context = cli.commands["letter"].make_context(
        "letter", ["--profile", str(profile), "--name", "John Roe"], parent=click.Context(cli))
    params = context.params
    assert params["name"] == "John Roe"
    assert params["ground"] == ("old-content,journalist",)
    assert params["address"] == ("1 Main St", "Dublin")
    assert params["toggle"] == "pending" and params["format"] == "txt"


def _imports(path: Path) -> set[str]:
    """Every objection module a module imports, wherever the import statement is."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # `from objection import x` imports objection.x too.
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        found.update(name for name in names if name.startswith("objection.")
                     and (PACKAGE / (name.removeprefix("objection.") + ".py")).is_file())
    return found


def test_no_import_cycle() -> None:
    """Counting imports inside functions and under TYPE_CHECKING too."""
    graph = {f"objection.{path.stem}": _imports(path) for path in PACKAGE.glob("*.py")}
    done: set[str] = set()

    def visit(module: str, path: tuple[str, ...]) -> None:
        assert module not in path, "import cycle: " + " → ".join([*path, module])
        if module not in done:
            for imported in graph.get(module, ()):
                visit(imported, (*path, module))
            done.add(module)

    for module in graph:
        visit(module, ())


def test_verify_does_not_load_the_pdf_renderer() -> None:
    code = ("import sys\nimport objection.verify, objection.signing, objection.request_data\n"
            "assert 'weasyprint' not in sys.modules, 'weasyprint imported'\n")
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)


def test_references_stay_what_they_were_when_the_request_grows() -> None:
    """A reference names a batch's files and is quoted in letters already sent: the same
    inputs keep their reference, also when the request gains a field (at its default)."""
    from objection.compose import reference_for

    request = make_request({"name": "Erika Mustermann", "email": "erika@example.org",
                            "country": "DE", "ground": "old-content", "date": "2026-11-23",
                            "toggle": "off"})
    assert reference_for(request) == "OBJ-IW3N-7MCZ"  # as the first release computed it
    grown = dataclasses.make_dataclass("GrownRequest", [("original_reference", str, "")],
                                       bases=(LetterRequest,), frozen=True)
    same = grown(**{field.name: getattr(request, field.name)
                    for field in dataclasses.fields(request)})
    assert reference_for(same) == reference_for(request)
    assert reference_for(grown(**{**dataclasses.asdict(request), "signature_image": None,
                                  "original_reference": "OBJ-AAAA-BBBB"})) \
        != reference_for(request)
