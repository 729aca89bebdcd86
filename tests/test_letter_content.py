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
    "only if you have reasonable doubts about my identity",
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
    text = letter("--country", "CH", "--ground", "journalist", fmt="pdf")
    assert_contains(
        text, *EVERY_LETTER[:4], *EVERY_LETTER[5:],
        "I hereby expressly object to the processing of my personal data",
        "is a breach of privacy (Art. 30 para. 2 let. b of the Federal Act on Data Protection "
        "of 25 September 2020 (FADP))",
        "unless it is justified (Art. 31 para. 1 FADP)",
        "I now expressly prohibit their processing for these purposes (Art. 30 para. 3 FADP)",
        "also my objection under Art. 21(1) GDPR",
        "An objection under Art. 30 para. 2 let. b FADP needs no reasons",
        "(Art. 32 para. 2 let. c FADP and Art. 17(1)(c) GDPR)",
        "LinkedIn Ireland Unlimited Company", "Wilton Plaza", "IRELAND",
        "Federal Data Protection and Information Commissioner", "(Art. 49 FADP)",
    )
    assert "lodge a complaint with the competent supervisory authority" not in text


def test_uk_resident_gets_uk_gdpr_corporation_and_ico(letter: Callable[..., str]) -> None:
    text = letter("--country", "GB", "--ground", "reproduction", fmt="pdf")
    assert_contains(
        text, *EVERY_LETTER,
        "Objection under Art. 21(1) UK GDPR", "(Art. 18(1)(d) UK GDPR)",
        "Art. 12(3) UK GDPR and Art. 12A UK GDPR",
        "LinkedIn Corporation", "1000 W Maude Avenue", "Sunnyvale, CA 94085", "UNITED STATES",
        "Information Commissioner's Office", "https://ico.org.uk", "(Art. 77 UK GDPR)",
        "Sharing data with our parent company, Microsoft for its AI training purposes",
        "(Art. 79 UK GDPR and s. 167 DPA 2018)", "my complaint to you under s. 164A DPA 2018",
    )
    assert "LinkedIn Ireland" not in text
    assert " GDPR)" not in text.replace("UK GDPR)", "")


def test_scope_narrows_the_purposes(letter: Callable[..., str]) -> None:
    text = letter("--country", "DE", "--ground", "old-content", "--scope", "generative")
    assert_contains(text, "To train our content-generating Generative AI systems”).")
    assert "To improve LinkedIn's products" not in text
    assert "Our AI features generally" not in text


# How each ground's paragraph begins in an English letter under the GDPR.
GROUND_OPENINGS = {
    "sensitive-data": "My profile and my posts reveal, directly or by inference, information "
                      "that belongs to the special categories of personal data",
    "old-content": "Most of what I have published on LinkedIn I published years before you "
                   "announced, in September 2025, that members' data would be used to train AI "
                   "models.",
    "professional-secrecy": "I am bound by a duty of professional secrecy.",
    "third-parties": "My content concerns other people: people I work with and for,",
    "harassment": "I am exposed to a particular risk of harassment, stalking or impersonation.",
    "reproduction": "My writing and my professional output are part of my livelihood.",
    "journalist": "I am a journalist. My profile, my network and my posts can reveal my sources,",
    "employee-representative": "I am a member of a works council or a trade-union or staff "
                               "representative.",
    "job-seeker": "I use LinkedIn to look for work.",
    "minor-content": "I joined LinkedIn and published part of my content before I was 18.",
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


def test_toggle_pending_says_it_will_be_switched_off(letter: Callable[..., str]) -> None:
    text = letter("--country", "IT", "--ground", "old-content", "--toggle", "pending")
    assert "I am switching off the setting" in text
    assert "I have switched off" not in text
