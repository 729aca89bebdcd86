"""The letter says what it must, for each kind of country, in the text and in the PDF."""

import re
from collections.abc import Callable

import pytest

from objection.catalogue import GROUNDS
from tests.conftest import assert_contains, squeeze

FULL = ["--profile-url", "https://www.linkedin.com/in/jane-doe", "--address", "12 Main Street",
        "--address", "D02 X285 Dublin", "--place", "Dublin", "--ground", "old-content",
        "--ground", "sensitive-data", "--situation", "I am a GP and write about my patients."]

EVERY_LETTER = [
    # 1. sender and identification
    "Jane Doe", "jane@example.org",
    "These details identify my account",
    "If you have reasonable doubts about my identity, you may ask only for the additional "
    "information necessary to confirm it",
    # 2. recipient
    "LinkedIn", "For the attention of the Data Protection Officer",
    # 3. subject
    "to the processing of my personal data for artificial intelligence purposes",
    # 4. purposes in LinkedIn's words
    "To train our content-generating Generative AI systems",
    "To improve LinkedIn's products and Services generally",
    "Our AI features generally",
    # 5. grounds
    "Grounds relating to my particular situation",
    # 6. demands
    "stop processing my personal data", "restrict that processing without delay",
    "erase the personal data relating to me", "models already trained on my data",
    "to each recipient", "it is for you to demonstrate them",
    # 7. answer, setting, complaint
    "at the latest within one month of receiving this letter",
    "Data for Generative AI Improvement", "does not replace this objection",
    "I reserve the right",
    # 8. closing
    "Yours faithfully,",
]


@pytest.mark.parametrize("fmt", ["txt", "pdf"])
def test_irish_resident_gets_every_element(letter: Callable[..., str], fmt: str) -> None:
    text = letter("--country", "IE", *FULL, fmt=fmt)
    assert_contains(
        text, *EVERY_LETTER,
        "https://www.linkedin.com/in/jane-doe", "12 Main Street", "D02 X285 Dublin",
        "LinkedIn Ireland Unlimited Company", "Wilton Plaza", "Wilton Place", "Dublin 2",
        "Dublin, 23 November 2026",
        "Objection under Art. 21(1) GDPR",
        "legitimate interests (Art. 6(1)(f) GDPR)", "(Art. 12(6) GDPR)",
        "(Art. 18(1)(d) GDPR)", "(Art. 17(1)(c) GDPR)", "(Art. 19 GDPR)", "(Art. 12(3) GDPR)",
        "Data Protection Commission", "https://www.dataprotection.ie", "(Art. 77 GDPR)",
        "recital 47 GDPR", "special categories of personal data (Art. 9(1) GDPR)",
        "I am a GP and write about my patients.",
    )
    assert re.search(r"Reference:?\s*OBJ-[A-Z2-7]{4}-[A-Z2-7]{4}", text)
    # Ireland writes to Ireland: no country line on the envelope.
    assert "IRELAND" not in text
    assert "Microsoft" not in text


@pytest.mark.parametrize(("country", "authority"), [
    ("DE", "data protection supervisory authority of my federal state"),
    ("FR", "Commission nationale de l'informatique et des libertés"),
])
def test_eu_residents_write_to_linkedin_ireland(letter: Callable[..., str], country: str,
                                                authority: str) -> None:
    text = letter("--country", country, "--ground", "old-content", fmt="pdf")
    assert_contains(text, *EVERY_LETTER, "LinkedIn Ireland Unlimited Company", "IRELAND",
                    "Art. 21(1) GDPR", authority, "(Art. 77 GDPR)")


def test_swiss_resident_gets_fadp_wording(letter: Callable[..., str]) -> None:
    text = letter("--country", "CH", "--ground", "journalist")
    assert_contains(
        text, *EVERY_LETTER[:4], *EVERY_LETTER[5:],
        "I hereby expressly object to the processing of my personal data",
        "is a breach of personality rights (Art. 30 para. 2 let. b of the Federal Act of 25 "
        "September 2020 on Data Protection (FADP))",
        "unless it is justified (Art. 31 para. 1 FADP)",
        "I now expressly prohibit their processing for these purposes (Art. 30 para. 3 FADP)",
        "also my objection under Art. 21(1) GDPR",
        "An objection under Art. 30 para. 2 let. b FADP needs no reasons",
        "(Art. 32 para. 2 let. c FADP and Art. 17(1)(c) GDPR)",
        "LinkedIn Ireland Unlimited Company", "Wilton Plaza", "IRELAND",
        "Federal Data Protection and Information Commissioner",
        "(Art. 49 para. 1 FADP and Art. 49 para. 4 FADP)",
    )
    assert "lodge a complaint with the competent supervisory authority" not in text


def test_uk_resident_gets_uk_gdpr_corporation_and_ico(letter: Callable[..., str]) -> None:
    text = letter("--country", "GB", "--ground", "reproduction", "--date", "2026-11-30",
                  fmt="pdf")
    assert_contains(
        text, *EVERY_LETTER,
        "Objection under Art. 21(1) UK GDPR", "(Art. 18(1)(d) UK GDPR)",
        "LinkedIn Corporation", "1000 W Maude Avenue", "Sunnyvale, CA 94085", "UNITED STATES",
        "https://ico.org.uk",
        "Sharing data with our parent company, Microsoft for its AI training purposes",
        "(Art. 79 UK GDPR and s. 167 DPA 2018)",
    )
    assert "LinkedIn Ireland" not in text
    # Only the UK GDPR is cited, its recitals included.
    assert " GDPR)" not in text.replace("UK GDPR)", "")


# What a UK letter cites depends on its date (Data (Use and Access) Act 2025): Art. 12A from
# 5 February 2026; from 19 June 2026 Art. 77 UK GDPR is omitted, complaints to the regulator
# rest on s. 165 DPA 2018 and to the controller on s. 164A; from 30 September 2026 the
# regulator is the Information Commission.
@pytest.mark.parametrize(("date", "present", "absent"), [
    ("2026-01-15",
     ["(Art. 12(3) UK GDPR)", "the Information Commissioner (ICO), https://ico.org.uk "
      "(Art. 77 UK GDPR)"],
     ["Art. 12A", "s. 165", "s. 164A", "Information Commission (ICO)", "my complaint"]),
    ("2026-05-01",
     ["(Art. 12(3) UK GDPR and Art. 12A UK GDPR)", "the Information Commissioner (ICO), "
      "https://ico.org.uk (Art. 77 UK GDPR)"],
     ["s. 165", "s. 164A", "Information Commission (ICO)", "my complaint"]),
    ("2026-11-30",
     ["(Art. 12(3) UK GDPR and Art. 12A UK GDPR)",
      "This letter is also my complaint to you (s. 164A(1) DPA 2018). I consider that your "
      "processing of my personal data for the purposes listed in section 1 infringes the UK "
      "GDPR, because your legitimate interests are overridden by my interests, rights and "
      "freedoms (Art. 6(1)(f) UK GDPR; see section 2)",
      "Please acknowledge receipt of this complaint within 30 days of receiving it (s. 164A(3) "
      "DPA 2018) and inform me of its outcome without undue delay (s. 164A(4)(b) DPA 2018). "
      "This complaint does not extend the time limit for acting on my objection.",
      "If you do not comply in full or do not resolve my complaint, I reserve the right to "
      "complain to the Information Commission (ICO), https://ico.org.uk (s. 165(2) DPA 2018)"],
     ["Art. 77", "Information Commissioner", "To the extent that you do not comply"]),
])
def test_a_uk_letter_cites_the_law_in_force_on_its_date(
        letter: Callable[..., str], date: str, present: list[str], absent: list[str]) -> None:
    text = letter("--country", "GB", "--ground", "reproduction", "--date", date)
    assert_contains(text, *present)
    flat = " ".join(text.split())
    assert [phrase for phrase in absent if phrase in flat] == []


def test_an_eu_letter_is_the_same_law_whatever_its_date(letter: Callable[..., str]) -> None:
    early = letter("--country", "IE", "--ground", "reproduction", "--date", "2026-01-15")
    late = letter("--country", "IE", "--ground", "reproduction", "--date", "2026-11-30")
    def undated(text: str) -> str:
        return re.sub(r"OBJ-\w{4}-\w{4}", "REF", text).replace("15 January 2026", "DATE")

    assert undated(early) == undated(late).replace("30 November 2026", "DATE")
    assert "s. 164A" not in late and "complaint to you" not in late


def test_scope_narrows_the_purposes(letter: Callable[..., str]) -> None:
    text = letter("--country", "DE", "--ground", "old-content", "--scope", "generative")
    assert_contains(text, "To train our content-generating Generative AI systems”).")
    assert "To improve LinkedIn's products" not in text
    assert "Our AI features generally" not in text


# How each ground's paragraph begins in an English letter under the GDPR.
GROUND_OPENINGS = {
    "sensitive-data": "My profile and my posts may reveal, directly or by inference, "
                      "information that belongs to the special categories of personal data",
    "old-content": "I published content on LinkedIn before you announced, in September 2025, "
                   "that members' data would be used to train AI models.",
    "professional-secrecy": "I am bound by a duty of professional secrecy, which is not mine to "
                            "waive.",
    "third-parties": "My professional relationships depend on discretion. Even where what I "
                     "write on LinkedIn identifies no one,",
    "harassment": "I am exposed to a particular risk of being harassed or impersonated.",
    "reproduction": "My writing and my professional output are part of my livelihood.",
    "journalist": "I am a journalist. My profile, my network and my posts, combined with other "
                  "data, could be used to infer my contacts",
    "employee-representative": "I hold an office in which I represent employees.",
    "job-seeker": "I use LinkedIn to look for work.",
    "minor-content": "Some of the data you hold about me date from before I was 18.",
    "security-role": "I work in a field in which details about me, my employer, my role and my "
                     "professional network can be used for social engineering,",
}


def test_every_ground_has_an_expected_opening() -> None:
    assert set(GROUND_OPENINGS) == set(GROUNDS)


@pytest.mark.parametrize("key", list(GROUNDS))
def test_every_ground_has_its_own_paragraph(letter: Callable[..., str], key: str) -> None:
    text = letter("--country", "AT", "--ground", key)
    paragraphs = [squeeze(paragraph) for paragraph in text.split("\n\n")]
    # The ground's paragraph is in the letter, as a paragraph of its own ...
    assert any(p.startswith(squeeze(GROUND_OPENINGS[key])) for p in paragraphs), text
    # ... and no other ground's paragraph is.
    others = [k for k, opening in GROUND_OPENINGS.items()
              if k != key and squeeze(opening) in squeeze(text)]
    assert not others, f"--ground {key} also gave the paragraphs of {others}"
    # Without the ground, only the sender's own words.
    without = letter("--country", "AT", "--situation", "I object.")
    assert squeeze(GROUND_OPENINGS[key]) not in squeeze(without)


def test_own_words_alone_are_enough(letter: Callable[..., str]) -> None:
    text = letter("--country", "NL", "--situation", "I am a nurse.\n\nMy posts name patients.")
    assert "    I am a nurse.\n\n    My posts name patients." in text


def test_same_inputs_same_reference(letter: Callable[..., str]) -> None:
    first = letter("--country", "PL", "--ground", "harassment")
    again = letter("--country", "PL", "--ground", "harassment")
    other = letter("--country", "PL", "--ground", "journalist")
    reference = re.compile(r"OBJ-\w{4}-\w{4}")
    assert reference.findall(first) == reference.findall(again)
    assert reference.findall(first) != reference.findall(other)


def test_text_is_wrapped_at_72_columns(letter: Callable[..., str]) -> None:
    text = letter("--country", "SE", *FULL)
    long_lines = [line for line in text.splitlines() if len(line) > 72]
    # Only a line that is a single unbreakable token (a web address) may be longer.
    assert all(" " not in line.strip() for line in long_lines), long_lines
    assert text.endswith("Jane Doe\n")


def test_addresses_stay_inside_their_sentence_in_the_text(letter: Callable[..., str]) -> None:
    text = " ".join(letter("--country", "IE", "--ground", "old-content", "--profile-url",
                           "https://www.linkedin.com/in/jane-doe").split())
    assert ("registered under the e-mail address jane@example.org; my profile is "
            "https://www.linkedin.com/in/jane-doe. These details") in text
    assert "https://www.dataprotection.ie (Art. 77 GDPR)" in text


SETTING = "“Data for Generative AI Improvement”"
HELP_CENTRE = ("According to your Help Centre, switching it off stops only the future use of "
               "the data and content a member has provided to train your content-generating "
               "AI models: it does not affect training that has already taken place, and it "
               "does not apply to the training of AI models used for other purposes, such as "
               "personalisation, security, safety or the prevention of abuse.")
WHATEVER = "This objection applies whatever the state of that setting."


@pytest.mark.parametrize(("toggle", "says", "never"), [
    ([], [f"The setting {SETTING} does not replace this objection."],
     ["I have switched off", "switching off the setting", "I regard"]),
    (["--toggle", "off"],
     [f"I have switched off the setting {SETTING} in my account. Your privacy notice offers "
      "that setting as the way to opt out of the training of your content-generating AI "
      "models, which you base on legitimate interests; I regard switching it off as my "
      "objection to that processing (Art. 21(1) GDPR). This letter confirms that objection, "
      "on the grounds set out in section 2, and extends it to all the personal data and "
      "purposes set out in section 1. The setting does not cover all of that processing."],
     ["I am also switching off", "Art. 21(5)", "does not replace"]),
    (["--toggle", "pending"],
     [f"Alongside this letter, I am also switching off the setting {SETTING} in my account. "
      "That setting does not replace this objection."],
     ["I have switched off", "I regard"]),
])
def test_the_letter_says_of_the_setting_only_what_the_sender_said(
        letter: Callable[..., str], toggle: list[str], says: list[str], never: list[str]) -> None:
    text = letter("--country", "IT", "--ground", "old-content", *toggle)
    assert_contains(text, *says, HELP_CENTRE, "Nor does it address the other purposes listed "
                    "above.", WHATEVER)
    flat = " ".join(text.split())
    assert [phrase for phrase in never if phrase in flat] == []
    assert "Microsoft" not in flat


def test_a_uk_letter_says_the_setting_also_stops_sharing_with_microsoft(
        letter: Callable[..., str]) -> None:
    text = letter("--country", "GB", "--ground", "old-content", "--toggle", "off")
    assert_contains(text, "my objection to that processing (Art. 21(1) UK GDPR)", HELP_CENTRE,
                    "Your privacy notice links the opt-out from sharing UK members' data with "
                    "Microsoft for its AI training to the same setting. Beyond that, the setting "
                    "does not address the other purposes listed above.", WHATEVER)
    assert "Nor does it address" not in text


def test_a_swiss_letter_calls_the_setting_an_objection_under_both_laws(
        letter: Callable[..., str]) -> None:
    text = letter("--country", "CH", "--ground", "old-content", "--toggle", "off")
    assert_contains(text, "I regard switching it off as my objection to that processing (Art. "
                    "30 para. 2 let. b FADP and Art. 21(1) GDPR).")


def test_the_dialogue_asks_about_the_setting_and_takes_no_answer_as_none() -> None:
    from click.testing import CliRunner

    from objection.dialogue import converse

    base = {"name": "Jane Doe", "email": "jane@example.org", "country": "IE",
            "ground": ["old-content"]}
    for answer, expected in [("off\n", "off"), ("PENDING\n", "pending"), ("\n", ""),
                             ("maybe\noff\n", "off")]:
        values = dict(base)
        with CliRunner().isolation(input=answer + "\n") as (out, err, *_rest):
            converse(values)  # then the scope question: Enter
        assert values["toggle"] == expected, answer
        assert b"Data for Generative AI Improvement" in b" ".join(err.getvalue().split())
        assert out.getvalue() == b""  # standard output is the letter's


@pytest.mark.parametrize(("country", "date_line"), [
    ("AT", "Wien, 5. Jänner 2026"), ("DE", "Wien, 5. Januar 2026"),
    ("CH", "Wien, 5. Januar 2026"),
])
def test_the_date_is_written_as_in_the_senders_country(letter: Callable[..., str], country: str,
                                                      date_line: str) -> None:
    text = letter("--country", country, "--lang", "de", "--ground", "old-content", "--date",
                  "2026-01-05", "--place", "Wien")
    assert date_line in text.splitlines()


DEMANDS = [
    "and you must inform me before the restriction is lifted (Art. 18(3) GDPR);",
    "whether you retrain or adjust them or, if you consider them anonymous, on what basis, and "
    "which measures prevent them from reproducing or revealing my personal data;",
    "in particular your affiliates, and tell me who they are (Art. 19 GDPR);",
    "send me the legitimate-interests assessment on which you rely for these purposes or, at "
    "the least, the information from it that explains why you consider that your interests are "
    "not overridden by the interests, rights and freedoms of members (Art. 5(1)(a) GDPR, "
    "Art. 5(2) GDPR, Art. 13(1)(d) GDPR and Art. 14(2)(b) GDPR).",
    "I do not ask you to close my account or to erase or hide my profile or my content as they "
    "appear on LinkedIn: my objection concerns only the processing of my data for the purposes "
    "listed above.",
    "I give the information in this section only so that you can assess my objection; you may "
    "not use it for any other purpose, including profiling, advertising or the training of "
    "models (Art. 5(1)(b) GDPR and Art. 5(1)(c) GDPR).",
    "I refer you to the European Data Protection Board's Opinion 28/2024 on AI models "
    "(section 3.2).",
    "(Art. 21(1) GDPR; see also recital 69 GDPR)",
    "Nor is processing my data for these purposes necessary for the establishment, exercise or "
    "defence of legal claims (Art. 21(1) GDPR).",
    "You may extend that period by two further months only where that is necessary, taking "
    "into account the complexity and number of my requests, and only if you inform me of the "
    "extension and the reasons for it within the first month (Art. 12(3) GDPR).",
    "This letter is a complete objection whether it reaches you through your Data Processing "
    "Objection form, by post to your Data Protection Officer or by any other means;",
]


def test_the_demands_are_those_a_lawyer_would_make(letter: Callable[..., str]) -> None:
    text = letter("--country", "IE", "--ground", "old-content")
    assert_contains(text, *DEMANDS, "(Art. 17(1)(c) GDPR), and tell me how you deal")
    flat = " ".join(text.split())
    for never in ["identity document", "inform them of this objection", "whatever channel",
                  "Art. 17(1)(d)", "erase the data revealing special categories"]:
        assert never not in flat


def test_special_category_data_must_be_erased_in_any_event(letter: Callable[..., str]) -> None:
    text = letter("--country", "IE", "--ground", "sensitive-data")
    assert_contains(text, "(Art. 17(1)(c) GDPR); in any event, erase the data revealing special "
                    "categories of personal data that you hold for these purposes, since "
                    "legitimate interests alone cannot make their processing lawful and you have "
                    "not shown that any exception in Art. 9(2) GDPR applies (Art. 9(1) GDPR and "
                    "Art. 17(1)(d) GDPR); and tell me how")


@pytest.mark.parametrize(("date", "refusal", "extension"), [
    ("2026-01-15", "that I may lodge a complaint with a supervisory authority and seek a "
     "judicial remedy (Art. 12(4) UK GDPR)", "within the first month (Art. 12(3) UK GDPR)"),
    ("2026-11-30", "If you do not act on my request, you must tell me why and inform me that I "
     "may complain to the Information Commission (ICO) and seek a judicial remedy "
     "(Art. 12(4) UK GDPR).",
     "within the first month (Art. 12A(3) UK GDPR and Art. 12A(4) UK GDPR)"),
])
def test_a_uk_letter_names_the_routes_of_its_date(letter: Callable[..., str], date: str,
                                                  refusal: str, extension: str) -> None:
    text = letter("--country", "GB", "--ground", "old-content", "--date", date)
    assert_contains(text, refusal, extension)
    assert "Opinion 28/2024" not in " ".join(text.split())


@pytest.mark.parametrize(("region", "authority"), [
    ("BY", "Bayerisches Landesamt für Datenschutzaufsicht (BayLDA), https://www.lda.bayern.de"),
    ("de-by", "Bayerisches Landesamt für Datenschutzaufsicht (BayLDA), https://www.lda.bayern.de"),
])
def test_a_german_letter_names_the_authority_of_the_senders_land(
        letter: Callable[..., str], region: str, authority: str) -> None:
    text = letter("--country", "DE", "--region", region, "--ground", "old-content")
    assert_contains(text, f"lodge a complaint with the competent supervisory authority, the "
                    f"{authority} (Art. 77 GDPR)")
    assert "federal state (Land)" not in " ".join(text.split())


def test_every_german_land_has_its_authority_with_a_source() -> None:
    import tomllib

    from objection.resources import DATA_DIR

    data = tomllib.loads((DATA_DIR / "jurisdictions.toml").read_text("utf-8"))
    lands = data["countries"]["DE"]["regions"]
    assert sorted(lands) == sorted(["BW", "BY", "BE", "BB", "HB", "HH", "HE", "MV", "NI", "NW",
                                    "RP", "SL", "SN", "ST", "SH", "TH"])
    for code, entry in lands.items():
        assert entry["url"].startswith("https://") and entry["name"].strip(), code
        assert entry["source"].startswith("http") and entry["checked"], code


def test_grounds_admit_nothing_the_sender_did_not_say(letter: Callable[..., str]) -> None:
    """No list of sensitive categories the sender never named, no admission that their
    posts disclose clients', patients' or sources' matters (issue 10, section 3)."""
    text = letter("--country", "IE", "--ground", "sensitive-data", "--ground",
                  "professional-secrecy", "--ground", "third-parties", "--ground", "journalist")
    flat = " ".join(text.split())
    for admission in ["my sexual orientation", "my health", "can reveal my sources",
                      "I write about my professional work", "whom I mention",
                      "They have no relationship with you"]:
        assert admission not in flat


def test_french_writes_the_first_of_the_month_as_premier(letter: Callable[..., str]) -> None:
    text = letter("--country", "FR", "--lang", "fr", "--ground", "old-content",
                  "--place", "Lyon", "--date", "2026-12-01")
    assert "Lyon, le 1er décembre 2026" in text or "Lyon, 1er décembre 2026" in text
    assert "1 décembre" not in text
