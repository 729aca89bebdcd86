"""The second legal pass (issue 10): grounds with the sender's own fact, the Land from a
German postcode, Swiss letters in the FADP's terms and Swiss spelling, UK recitals."""

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from objection.catalogue import GROUNDS_WITH_FACT
from objection.i18n import letter_languages
from objection.laws import _terms
from objection.postcodes import land_of_address, land_of_postcode
from objection.request_data import REQUEST_DATA_NAME, parse_request_data
from tests.conftest import BASE_ARGS, assert_contains, squeeze

BAYLDA = "Bayerisches Landesamt für Datenschutzaufsicht (BayLDA)"


# --- Grounds that carry a fact of the sender's ---------------------------------------

def test_a_fact_is_added_to_its_grounds_paragraph(letter: Callable[..., str]) -> None:
    text = letter("--country", "IE", "--ground", "harassment",
                  "--fact", "harassment: A former client has impersonated me online since 2024")
    assert_contains(text, "I am exposed to a particular risk of being harassed or impersonated.",
                    "In my case: A former client has impersonated me online since 2024.")


def test_a_fact_gives_its_ground(letter: Callable[..., str]) -> None:
    text = letter("--country", "IE", "--fact",
                  "employee-representative: I am a member of the works council, of my employer")
    assert_contains(text, "I hold an office in which I represent employees.",
                    "In my case: I am a member of the works council, of my employer.")


def test_without_a_fact_the_letter_claims_none(letter: Callable[..., str]) -> None:
    assert "In my case" not in " ".join(letter("--country", "IE", "--ground", "harassment").split())


@pytest.mark.parametrize(("fact", "reason"), [
    ("harassment", "expected 'GROUND: one line of fact'"),
    ("harassment:   ", "expected 'GROUND: one line of fact'"),
    ("stalking: someone follows me", "expected 'GROUND: one line of fact'"),
    ("old-content: I posted in 2010", "the ground old-content takes no fact"),
])
def test_a_malformed_fact_is_refused_in_one_line(run: Callable[..., Result], tmp_path: Path,
                                                  fact: str, reason: str) -> None:
    out = tmp_path / "letter.txt"
    result = run("letter", *BASE_ARGS, "--country", "IE", "--ground", "old-content",
                 "--fact", fact, "-o", str(out))
    assert result.exit_code == 2
    assert reason in result.output and len(result.output.strip().splitlines()) == 1
    assert not out.exists()


def test_two_facts_for_one_ground_are_refused(run: Callable[..., Result]) -> None:
    result = run("letter", *BASE_ARGS, "--country", "IE", "--fact", "journalist: A",
                 "--fact", "journalist: B", "-o", "-")
    assert result.exit_code == 2 and "a second fact for journalist" in result.output


def test_the_grounds_command_shows_how_to_give_a_fact(run: Callable[..., Result]) -> None:
    listing = run("grounds").output
    for key in GROUNDS_WITH_FACT:
        assert f"--fact '{key}: …'" in listing


def test_a_fact_column_in_a_spreadsheet(run: Callable[..., Result], tmp_path: Path) -> None:
    source = tmp_path / "staff.csv"
    source.write_text("name,email,country,lang,fact\nBo Berg,bo@example.se,SE,en,"
                      "journalist: I report on courts | security-role: I run a SOC\n", "utf-8")
    result = run("batch", str(source), "-o", str(tmp_path / "out"), "--format", "txt",
                 "--date", "2026-11-23")
    assert result.exit_code == 0, result.output
    text = next((tmp_path / "out").glob("*.txt")).read_text("utf-8")
    assert_contains(text, "In my case: I report on courts.", "In my case: I run a SOC.")


def test_the_request_data_carries_the_facts(run: Callable[..., Result], tmp_path: Path) -> None:
    from pypdf import PdfReader

    out = tmp_path / "letter.pdf"
    result = run("letter", *BASE_ARGS, "--country", "IE", "--fact", "journalist: I cover courts",
                 "-o", str(out))
    assert result.exit_code == 0, result.output
    attachments = PdfReader(str(out)).attachments
    data = parse_request_data(attachments[REQUEST_DATA_NAME][0])
    assert data["facts"] == {"journalist": "I cover courts"}
    assert data["grounds"] == ["journalist"]
    assert json.dumps(data)  # plain JSON values


# --- Germany: the Land from the postcode ------------------------------------------------

@pytest.mark.parametrize(("postcode", "land"), [
    ("80331", "BY"), ("10117", "BE"), ("50667", "NW"), ("01067", "SN"), ("20095", "HH"),
    ("12529", ""),   # Schönefeld: in Brandenburg and in Berlin's postcode area
    ("00000", ""), ("99999", ""),
])
def test_a_postcode_gives_its_land_only_when_certain(postcode: str, land: str) -> None:
    assert land_of_postcode(postcode) == land


def test_the_postcode_line_of_an_address() -> None:
    assert land_of_address(["Marienplatz 8", "D-80331 München"]) == "BY"
    assert land_of_address(["Postfach 80331", "Köln"]) == ""


def test_a_german_address_names_its_lands_authority(letter: Callable[..., str]) -> None:
    text = letter("--country", "DE", "--address", "Marienplatz 8", "--address",
                  "80331 München", "--ground", "old-content")
    assert_contains(text, f"the {BAYLDA}, https://www.lda.bayern.de (Art. 77 GDPR)")


def test_an_explicit_region_wins_over_the_postcode(letter: Callable[..., str]) -> None:
    text = letter("--country", "DE", "--region", "HE", "--address", "80331 München",
                  "--ground", "old-content")
    assert squeeze(BAYLDA) not in squeeze(text) and "Hessische" in text


def test_an_uncertain_postcode_keeps_the_general_wording(letter: Callable[..., str]) -> None:
    text = letter("--country", "DE", "--address", "12529 Schönefeld", "--ground", "old-content")
    assert_contains(text, "federal state (Land)")


# --- Switzerland: the FADP's own terms ----------------------------------------------------

def test_a_swiss_letter_argues_in_the_fadps_terms(letter: Callable[..., str]) -> None:
    text = letter("--country", "CH", "--ground", "old-content", "--ground", "sensitive-data")
    assert_contains(
        text,
        "effect in Switzerland", "(Art. 3 para. 1 FADP)",
        "overriding interest", "(Art. 31 para. 1 FADP)",
        "Art. 8 Swiss Civil Code", "(Art. 31 para. 2 let. e FADP)",
        "within 30 days of receipt of this letter",
        "(Art. 25 para. 7 FADP, Art. 26 para. 4 FADP and Art. 18 of the Data Protection "
        "Ordinance of 31 August 2022)", "breach of personality rights",
        "(Art. 139 para. 1 let. a of the Federal Act on Private International Law (PILA), "
        "Art. 139 para. 3 PILA and Art. 3 para. 2 FADP)",
        "who must open an investigation if there are sufficient indications of a breach and "
        "must inform me of the steps taken and of the outcome of any investigation",
        "is itself a breach of personality rights (Art. 30 para. 2 let. c FADP)",
        "Data Protection Commission in Ireland", "(Art. 77 GDPR)",
    )


@pytest.mark.parametrize("country", ["CH", "LI"])
def test_swiss_standard_german(letter: Callable[..., str], country: str) -> None:
    text = letter("--country", country, "--lang", "de", "--ground", "old-content",
                  "--toggle", "off")
    assert "ß" not in text
    assert_contains(text, "«Data for Generative AI Improvement»")
    assert "„" not in text and "Freundliche Grüsse" in text


def test_german_in_germany_keeps_its_spelling(letter: Callable[..., str]) -> None:
    text = letter("--country", "DE", "--lang", "de", "--ground", "old-content",
                  "--toggle", "off")
    assert_contains(text, "„Data for Generative AI Improvement“")
    assert "Mit freundlichen Grüßen" in text


def test_a_swiss_german_letter_cites_the_civil_code_as_zgb(letter: Callable[..., str]) -> None:
    text = letter("--country", "CH", "--lang", "de", "--ground", "old-content")
    assert_contains(text, "Art. 8 ZGB", "Art. 31 Abs. 2 Bst. e DSG", "Art. 25 Abs. 7 DSG",
                    "Art. 18 der Datenschutzverordnung vom 31. August 2022 (DSV)",
                    "Bundesgesetzes vom 18. Dezember 1987 über das Internationale Privatrecht "
                    "(IPRG)")


# --- United Kingdom: the EU Regulation's recitals, the law of the letter's date ----------

def test_a_uk_letter_cites_the_recitals_of_the_uk_gdpr(letter: Callable[..., str]) -> None:
    text = letter("--country", "GB", "--ground", "old-content", "--date", "2026-11-30")
    assert_contains(text, "recital 69 UK GDPR", "recital 47 UK GDPR")
    flat = squeeze(text).replace(squeeze("recital 69 UK GDPR"), "")
    assert squeeze("recital 69 GDPR") not in flat


@pytest.mark.parametrize(("date", "present", "absent"), [
    ("2026-01-30", "(Art. 6(4) UK GDPR; recital 50 UK GDPR)", "Art. 22"),
    ("2026-11-30", "(Art. 8A(2)(a) UK GDPR and Art. 8A(2)(b) UK GDPR; recital 50 UK GDPR)",
     "Art. 6(4)"),
])
def test_a_uk_letter_cites_the_compatibility_test_of_its_date(
        letter: Callable[..., str], date: str, present: str, absent: str) -> None:
    text = letter("--country", "GB", "--ground", "old-content", "--ground", "job-seeker",
                  "--date", date)
    assert_contains(text, present)
    assert squeeze(absent) not in squeeze(text)


def test_a_uk_job_seeker_cites_the_automated_decision_rules(letter: Callable[..., str]) -> None:
    text = letter("--country", "GB", "--ground", "job-seeker", "--date", "2026-11-30")
    assert_contains(text, "without meaningful human involvement (Art. 22A UK GDPR)",
                    "the safeguards required by Art. 22C UK GDPR",
                    "a condition in Art. 22B UK GDPR")
    assert "SCHUFA" not in text


def test_an_eu_job_seeker_cites_article_22_and_schufa(letter: Callable[..., str]) -> None:
    text = letter("--country", "IE", "--ground", "job-seeker")
    assert_contains(text, "(Art. 22(1) GDPR; recital 71 GDPR)",
                    "(Case C-634/21, SCHUFA, paragraphs 50 and 61)")


def test_every_language_writes_recitals() -> None:
    """Every language that writes GDPR letters (not Chinese, written for Hong Kong only)."""
    for lang in letter_languages("gdpr"):
        assert "{}" in _terms(lang)["gdpr"]["recital"], lang


def test_the_dialogue_asks_for_the_fact_of_a_ground_that_takes_one() -> None:
    from click.testing import CliRunner

    from objection.dialogue import converse

    values: dict[str, object] = {"name": "Jane Doe", "email": "jane@example.org",
                                 "country": "IE", "ground": ["old-content,harassment"],
                                 "toggle": "off"}
    with CliRunner().isolation(input="A former client impersonates me\n\n") as (out, err,
                                                                               *_rest):
        converse(values)  # then the scope question: Enter
    assert values["fact"] == ["harassment: A former client impersonates me"]
    assert b"harassment: What happened or what you fear" in err.getvalue()
    assert out.getvalue() == b""

    values = {"name": "Jane Doe", "email": "jane@example.org", "country": "IE",
              "ground": ["journalist"], "fact": ["journalist: I cover courts"], "toggle": "off"}
    with CliRunner().isolation(input="\n") as (_out, err, *_rest):
        converse(values)
    assert values["fact"] == ["journalist: I cover courts"]  # given already: not asked
    assert b"journalist:" not in err.getvalue()


@pytest.mark.parametrize("name", ["de_CH", "de_LI"])
def test_a_regional_catalog_words_only_messages_the_template_has(name: str) -> None:
    """locales/regional/<name>.po replaces messages of the language's catalog: each must still
    exist in the template, with the same placeholders, or it would silently stop applying."""
    import re

    from babel.messages.pofile import read_po

    from objection.i18n import regional_overrides
    from objection.resources import locales_dir

    with (locales_dir() / "messages.pot").open("rb") as fh:
        wanted = {message.id for message in read_po(fh) if message.id}
    overrides = regional_overrides(name)
    assert overrides is not None
    for message in overrides:
        if not message.id:
            continue
        assert message.id in wanted, f"{name}: stale message {message.id[:60]!r}"
        assert message.string and not message.fuzzy, message.id[:60]
        assert sorted(re.findall(r"%\(\w+\)s", message.id)) == \
            sorted(re.findall(r"%\(\w+\)s", str(message.string))), message.id[:60]


def test_liechtenstein_german_keeps_the_gdprs_terms(letter: Callable[..., str]) -> None:
    """Swiss spelling, but Liechtenstein's law is the GDPR: no FADP terms in its letters."""
    text = letter("--country", "LI", "--lang", "de", "--ground", "old-content")
    assert "Personendaten" not in text
    assert_contains(text, "personenbezogenen Daten")
    assert "Freundliche Grüsse" in text and "ß" not in text


def test_a_uk_letter_puts_no_threshold_on_inferred_special_category_data(
        letter: Callable[..., str]) -> None:
    """The ICO dropped its "reasonable degree of certainty" test in April 2024."""
    text = letter("--country", "GB", "--ground", "sensitive-data", "--date", "2026-11-30")
    assert_contains(text, "or which you use to draw such inferences, can themselves be special "
                    "category data, as the ICO's guidance on special category data explains.")
    assert "reasonable degree of certainty" not in " ".join(text.split())


def test_a_swiss_letter_protects_data_relating_to_trade_union_views(
        letter: Callable[..., str]) -> None:
    text = letter("--country", "CH", "--ground", "employee-representative")
    assert_contains(text, "Data relating to trade-union views or activities are sensitive "
                    "personal data (Art. 5 let. c FADP), and data revealing trade-union "
                    "membership belong to the special categories of personal data "
                    "(Art. 9(1) GDPR).")
