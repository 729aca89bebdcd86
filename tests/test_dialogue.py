"""The dialogue of `objection letter` (objection/dialogue.py): answers checked as they are
typed, in the letter's language, a summary to confirm, a profile for next time; driven
through a real pseudo-terminal (pexpect) as a person would, and in-process for the parts."""

import os
import re
import stat
import sys
from pathlib import Path
from typing import Any

import pexpect
import pytest
from babel.messages.pofile import read_po
from click.testing import CliRunner

from objection import dialogue
from objection.cli import cli
from objection.dialogue import Dialogue, Refused
from objection.errors import InputError
from objection.i18n import translations
from objection.jurisdictions import regions
from objection.request import check_value
from tests.conftest import assert_contains

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 60  # generous: the suite may run on a loaded machine
SITUATION = ("Your situation in your own words, typed or pasted: an empty line between "
             "paragraphs, two empty lines at the end (an empty line now: none).")
LAND = "Your Land (a number, its code or its name)"


def _dialogue(lang: str, **values: Any) -> Dialogue:
    return Dialogue({"lang": lang, **values})


# --- answers as people type them ---------------------------------------------------------

@pytest.mark.parametrize(("lang", "typed", "code"), [
    ("de", "Österreich", "AT"), ("de", "österreich", "AT"), ("de", "Austria", "AT"),
    ("de", "at", "AT"), ("en", "UK", "GB"), ("en", "el", "GR"), ("de", "Griechenland", "GR"),
    ("fr", "Allemagne", "DE"), ("en", "united kingdom", "GB"), ("de", "Schweiz", "CH"),
])
def test_a_country_by_name_in_the_letters_language_or_english_or_code(
        lang: str, typed: str, code: str) -> None:
    assert dialogue.parse_country(_dialogue(lang), typed) == code


def test_a_misspelt_country_is_refused_with_what_was_meant() -> None:
    with pytest.raises(Refused) as refused:
        dialogue.parse_country(_dialogue("de"), "Östereich")
    assert refused.value.suggestion == "Österreich"
    assert "Östereich" in refused.value.reason and "objection countries" in refused.value.reason
    with pytest.raises(Refused):
        dialogue.parse_country(_dialogue("en"), "United States")


@pytest.mark.parametrize(("typed", "keys"), [
    ("2, 5", ["old-content", "harassment"]), ("old-content harassment", ["old-content",
                                                                          "harassment"]),
    ("2,old-content;1", ["old-content", "sensitive-data"]), ("OLD-CONTENT", ["old-content"]),
    ("", []),
])
def test_grounds_by_number_or_key_several_at_once(typed: str, keys: list[str]) -> None:
    assert dialogue.parse_grounds(_dialogue("en"), typed) == keys


def test_a_misspelt_ground_is_refused_and_the_corrected_answer_offered() -> None:
    with pytest.raises(Refused) as refused:
        dialogue.parse_grounds(_dialogue("de"), "old-contnet 5")
    assert refused.value.suggestion == "old-content"
    assert refused.value.answer == "old-content 5"  # Enter takes it
    with pytest.raises(Refused):
        dialogue.parse_grounds(_dialogue("en"), "12")  # there are 11


@pytest.mark.parametrize(("typed", "code"), [
    ("de", "de"), ("German", "de"), ("Deutsch", "de"), ("français", "fr"), ("francais", "fr"),
    ("Französisch", "fr"),  # in the dialogue's language (German here)
    ("Ελληνικά", "el"), ("Greek", "el"), ("NB", "nb"),
])
def test_a_language_by_code_or_name(typed: str, code: str) -> None:
    assert dialogue.parse_language(_dialogue("de"), typed) == code


def test_a_misspelt_language_is_refused_with_what_was_meant() -> None:
    with pytest.raises(Refused) as refused:
        dialogue.parse_language(_dialogue("de"), "Deutch")
    assert refused.value.suggestion == "Deutsch"


@pytest.mark.parametrize(("typed", "code"), [
    ("bayern", "BY"), ("Bavaria", "BY"), ("by", "BY"), ("DE-BY", "BY"), ("2", "BY"),
    ("nrw", "NW"), ("North Rhine-Westphalia", "NW"), ("nordrhein westfalen", "NW"),
    ("thüringen", "TH"), ("Thuringia", "TH"), ("baden-wurttemberg", "BW"), ("16", "TH"),
    ("", ""),
])
def test_a_german_land_by_number_code_or_name(typed: str, code: str) -> None:
    assert dialogue.parse_region(_dialogue("de"), typed) == code


def test_a_misspelt_land_is_refused_with_what_was_meant() -> None:
    with pytest.raises(Refused) as refused:
        dialogue.parse_region(_dialogue("de"), "Bayren")
    assert refused.value.suggestion == "Bayern" and "Bayren" in refused.value.reason
    for typed in ("17", "Österreich"):
        with pytest.raises(Refused):
            dialogue.parse_region(_dialogue("en"), typed)


def test_every_land_with_an_authority_has_its_names() -> None:
    assert sorted(dialogue.LAENDER) == regions("DE")


def test_the_summary_says_what_each_scope_objects_to_in_the_letters_language() -> None:
    d = _dialogue("de", country="GB", scope=["generative", "microsoft"])
    assert dialogue._show_scope(d).split("\n") == [
        _de(dialogue.SCOPES["generative"].summary), _de(dialogue.SCOPES["microsoft"].summary)]
    assert "other-ai" not in dialogue._show_scope(_dialogue("de", country="DE"))


def test_the_country_s_languages_are_offered_first() -> None:
    assert dialogue.country_languages("BE") == ["nl", "fr", "de"]
    assert dialogue.country_languages("CH") == ["de", "fr", "it"]
    assert dialogue.country_languages("NO") == ["nb"]
    assert dialogue.country_languages("") == []


@pytest.mark.parametrize(("field", "value"), [
    ("email", "jana@beispiel"), ("profile_url", "example.org/in/jana"), ("name", "1234"),
    ("name", "=SUM(A1)"), ("name", "a/b"), ("name", "Jana\x07"), ("address", "a\x1bb"),
    ("name", "Jana\udcff"), ("name", "J" * 121), ("address", "\n".join("abcdef")),
    ("situation", "x" * 4001), ("fact", "harassment: " + "x" * 301),
])
def test_the_rules_reasons_are_said_in_the_letters_language(field: str, value: str) -> None:
    """request.py words each reason in English; the dialogue says the ones listed in
    LIBRARY_REASONS in the catalog's language, its numbers put in. This fails when request.py
    rewords one (that every one is in the German catalog, the next test but one checks)."""
    with pytest.raises(InputError) as error:
        check_value(field, value)
    found = dialogue.library_reason(error.value.expected)
    assert found is not None, f"not in LIBRARY_REASONS: {error.value.expected!r}"
    template, numbers = found
    assert template in dialogue.LIBRARY_REASONS
    assert _dialogue("de").reason(error.value) == _de(template) % numbers
    assert _dialogue("en").reason(error.value) == error.value.expected


def test_six_address_lines_are_refused_saying_what_to_do() -> None:
    with pytest.raises(InputError) as error:
        check_value("address", ["Flat 3", "Wilton House", "12 Main Street", "Ballsbridge",
                                "Dublin 4", "Ireland"])
    assert error.value.expected.startswith("has 6 lines; at most 5 fit the letterhead")
    assert error.value.expected.endswith("join two lines (the flat or building on the "
                                         "street's line) or leave one out")
    assert dialogue.library_reason(error.value.expected) == (
        dialogue.LIBRARY_REASONS[-1], {"count": "6", "n": "5"})


def test_german_has_every_message_of_the_dialogue() -> None:
    with (ROOT / "locales" / "messages.pot").open("rb") as fh:
        wanted = {m.id for m in read_po(fh)
                  if m.id and any(path == "objection/dialogue.py" for path, _ in m.locations)}
    with (ROOT / "locales" / "de" / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        done = {m.id for m in read_po(fh, locale="de") if m.id and m.string and not m.fuzzy}
    assert len(wanted) > 50 and wanted <= done, sorted(wanted - done)[:3]


# --- the flow, in process -------------------------------------------------------------

def _converse(values: dict[str, Any], answers: list[str]) -> tuple[int, str]:
    """Run the dialogue on these answers; (exit status or 0, what it said)."""
    with CliRunner().isolation(input="".join(f"{a}\n" for a in answers)) as (out, err, *_):
        try:
            dialogue.converse(values)
            status = 0
        except SystemExit as stop:
            status = int(stop.code or 0)
    assert out.getvalue() == b""  # standard output is the letter's
    return status, " ".join(err.getvalue().decode().split())


GIVEN = {"name": "Jane Doe", "email": "jane@example.org", "lang": "en"}


def test_an_answer_can_be_changed_by_its_number_and_a_new_country_asks_the_scope_again(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "C.UTF-8")
    values = dict(GIVEN)
    answers = ["", "", "Berlin", "Germany", "", "", "1", "", "n",  # url, address, place ...
               "7", "UK", "",  # change the country: the scope question again, now yes
               "", "n"]  # write it; no profile
    status, said = _converse(values, answers)
    assert status == 0, said
    assert said.count("Your letter:") == 2
    assert values["country"] == "GB" and "scope" not in values
    assert values["ground"] == ["sensitive-data"]


def test_quitting_at_the_summary_writes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "C.UTF-8")
    status, said = _converse(dict(GIVEN), ["", "", "", "IE", "", "2", "", "", "q"])
    assert status == 1 and said.endswith("Nothing was written.")


def test_grounds_or_own_words_are_asked_for_until_given(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "C.UTF-8")
    values = dict(GIVEN)
    status, said = _converse(values, ["", "", "", "IE", "", "", "", "",  # no grounds, words
                                      "", "I am a GP.", "", "", "", ""])
    assert status == 0, said
    assert "Give at least one ground or your own words" in said
    assert values["situation"] == "I am a GP."


def test_own_words_keep_their_paragraphs_and_two_empty_lines_end_them(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "C.UTF-8")
    values = {**GIVEN, "country": "IE", "toggle": "off"}
    status, said = _converse(values, ["", "", "", "",  # url, address, place, grounds
                                      "I am a GP", "in Cork.", "  ", "I write on health.",
                                      "", "",  # the end of the words
                                      "", "", ""])  # scope, write it, no profile
    assert status == 0, said
    assert values["situation"] == "I am a GP\nin Cork.\n\nI write on health."


def test_a_german_resident_is_asked_the_land_unless_the_postcode_says_it(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "C.UTF-8")
    values = {**GIVEN, "ground": ["old-content"], "toggle": "off"}
    answers = ["", "Hauptstraße 1", "80331 München", "", "", "DE",  # no Land question
               "", "", "",  # no words, scope, write it
               "n"]  # no profile
    status, said = _converse(values, answers)
    assert status == 0, said
    assert "Your Land" not in said and "BY Bayern (Bavaria) (from the postcode" in said
    assert "region" not in values

    values = {**GIVEN, "ground": ["old-content"], "toggle": "off"}
    answers = ["", "", "", "DE", "hessen",  # no address: the Land is asked
               "", "",  # no words, scope
               "8", "nrw",  # the Land changed by its number in the summary
               "7", "Austria", "",  # the country changed: the Land goes, the scope again
               "", "n"]
    status, said = _converse(values, answers)
    assert status == 0, said
    assert said.count("Your Land (a number") == 2
    assert "8 German Land HE Hessen (Hesse)" in said
    assert "8 German Land NW Nordrhein-Westfalen (North Rhine-Westphalia)" in said
    assert values["country"] == "AT" and "region" not in values
    assert said.rsplit("Your letter:", 1)[1].count("German Land") == 0


def test_given_values_are_not_asked_and_a_bad_one_is_asked_again(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "C.UTF-8")
    values = {**GIVEN, "email": "jane.example.org", "country": "IE", "place": "Cork"}
    status, said = _converse(values, ["", "", "", "2", "", "",  # url, address, toggle ...
                                      "jane@example.org", "", ""])
    assert status == 0, said
    assert "Your full name" not in said and "Country of residence" not in said
    assert "Not accepted: not a valid e-mail address" in said
    assert values["email"] == "jane@example.org"


def test_with_everything_given_only_the_usual_questions_are_asked(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "de_DE.UTF-8")  # the letter's language, not the terminal's
    values = {**GIVEN, "country": "IE", "ground": ["harassment"]}
    del values["lang"]
    status, said = _converse(values, ["", "pending", ""])
    assert status == 0 and "Your letter:" not in said and "Save these answers" not in said
    assert "harassment: What happened" in said and values["toggle"] == "pending"


def test_ctrl_d_or_ctrl_c_in_process_exits_130_with_one_line(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "C.UTF-8")
    status, said = _converse(dict(GIVEN), [""])  # then the input ends
    assert status == 130 and said.endswith("Stopped; nothing was written.")


# --- the profile ------------------------------------------------------------------------

def test_the_profile_is_private_and_holds_no_date_or_output(tmp_path: Path) -> None:
    import tomllib

    path = tmp_path / "me.toml"
    dialogue.save_profile(path, {"name": "Jana", "ground": ["old-content"], "toggle": "",
                                 "date": "2026-11-23", "output": "x.txt", "address": [],
                                 "situation": "Zeile 1\nZeile 2", "bilingual": True})
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert tomllib.loads(path.read_text("utf-8")) == {
        "name": "Jana", "ground": ["old-content"], "situation": "Zeile 1\nZeile 2",
        "bilingual": True}


def test_an_existing_profile_is_replaced_only_when_the_sender_says_so(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    existing = tmp_path / "objection-profile.toml"
    existing.write_text("name = 'Old'\n")
    d = _dialogue("de", name="Jana")
    with CliRunner().isolation(input="j\n\nnein\n\n"):  # save; default name; keep; no other
        dialogue.offer_profile(d)
    assert existing.read_text() == "name = 'Old'\n" and len(os.listdir(tmp_path)) == 1
    with CliRunner().isolation(input="j\n\nj\n"):
        dialogue.offer_profile(d)
    assert "Jana" in existing.read_text()


# --- a person at a real terminal ----------------------------------------------------------

def _spawn(tmp_path: Path, *args: str) -> pexpect.spawn:
    env = {key: value for key, value in os.environ.items()
           if key not in ("LC_ALL", "LC_MESSAGES", "LANGUAGE")}
    env.update(LANG="de_AT.UTF-8", PYTHONUTF8="1")  # an Austrian terminal
    return pexpect.spawn(sys.executable, ["-m", "objection", "letter", *args], cwd=str(tmp_path),
                         env=env, encoding="utf-8", timeout=TIMEOUT, dimensions=(40, 100))


def _answer(child: pexpect.spawn, prompt: str, *answers: str) -> None:
    child.expect(prompt)
    for answer in answers:
        child.sendline(answer)


def _de(message: str) -> str:
    """A message as the German catalog words it (in English until it is translated)."""
    return translations("de").gettext(message)


def _words(text: str) -> str:
    """A pattern for a text as the dialogue says it: wrapped, its words kept."""
    return r"\s+".join(re.escape(word) for word in text.split())


def test_a_session_with_typos_ends_with_a_correct_german_letter_and_a_profile(
        tmp_path: Path) -> None:
    child = _spawn(tmp_path, "--date", "2026-11-23", "-o", "brief.txt")
    _answer(child, r"Sprache des Briefs .*\[de\]: ", "Deutsch")
    _answer(child, "Ihr vollständiger Name", "Jana Beispiel")
    _answer(child, "E-Mail-Adresse Ihres LinkedIn-Kontos", "jana@beispiel")
    _answer(child, r"(?s)Nicht übernommen: keine gültige E-Mail-Adresse.*Kontos: ",
            "jana@example.org")
    _answer(child, "Adresse Ihres LinkedIn-Profils", "")
    _answer(child, "Ihre Postanschrift", "Hauptstraße 1", "1010 Wien", "")
    _answer(child, "Ort vor dem Datum", "Wien")
    _answer(child, r"Land Ihres Wohnsitzes .*\[Österreich\]: ", "Östereich")
    _answer(child, r"(?s)Meinten Sie Österreich\?.*: ", "Österreich")
    _answer(child, r"Ihre Antwort: ", "1")
    _answer(child, r"Gründe: ", "old-contnet 5")
    _answer(child, r"(?s)Meinten Sie old-content\?.*\[old-content 5\]: ", "2, 5")
    _answer(child, r"(?s)keine Angabe\).*harassment: ",
            "Ein früherer Mandant gibt sich online als ich aus.")
    _answer(child, _words(_de(SITUATION)[:30]), "Ich bin Ärztin.", "", "")
    _answer(child, r"Auch den KI-Funktionen von LinkedIn widersprechen\? \[J/n\]: ", "")
    _answer(child, r"Brief schreiben\?.*\[j\]: ", "6")  # the place, once more
    _answer(child, r"\[Wien\]: ", "Graz")
    _answer(child, r"(?s)6  Ort +Graz.*Brief schreiben\?.*\[j\]: ", "j")
    _answer(child, r"Profildatei speichern\? \[j/N\]: ", "ja")
    _answer(child, r"Dateiname \[objection-profile.toml\]: ", "profil.toml")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before

    letter = (tmp_path / "brief.txt").read_text("utf-8")
    assert_contains(letter, "Sehr geehrte Damen und Herren,", "Jana Beispiel\nHauptstraße 1\n"
                    "1010 Wien", "Graz, 23. November 2026", "jana@example.org",
                    "In meinem Fall: Ein früherer Mandant gibt sich online als ich aus.",
                    "Ich bin Ärztin.", "Ich habe die Einstellung „Data for Generative AI "
                    "Improvement“ in meinem Konto deaktiviert.", "Datenschutzbehörde")
    profile = tmp_path / "profil.toml"
    assert stat.S_IMODE(profile.stat().st_mode) == 0o600

    again = tmp_path / "again.txt"
    result = CliRunner().invoke(cli, ["letter", "--profile", str(profile), "--no-input",
                                      "--date", "2026-11-23", "-o", str(again)])
    assert result.exit_code == 0, result.output
    assert again.read_text("utf-8") == letter


def test_a_german_resident_without_postcode_is_asked_the_land_and_a_sixth_line_refused(
        tmp_path: Path) -> None:
    """Six address lines: the sixth is refused saying what to do, an empty line keeps five;
    no postcode: the Land is asked, and the letter names its authority; the summary says
    what each purpose objected to is, in German."""
    child = _spawn(tmp_path, "--date", "2026-11-23", "-o", "brief.txt")
    _answer(child, r"Sprache des Briefs .*\[de\]: ", "")
    _answer(child, "Ihr vollständiger Name", "Jana Beispiel")
    _answer(child, "E-Mail-Adresse Ihres LinkedIn-Kontos", "jana@example.org")
    _answer(child, "Adresse Ihres LinkedIn-Profils", "")
    _answer(child, "Ihre Postanschrift", "Hauptstraße 1", "Hinterhaus", "3. Stock",
            "Wohnung 12", "München", "Deutschland")
    reason = _de(dialogue.LIBRARY_REASONS[-1]) % {"count": 6, "n": 5}
    _answer(child, "Nicht übernommen: " + _words(reason) + r"\s+> ", "")
    _answer(child, "Ort vor dem Datum", "München")
    _answer(child, r"Land Ihres Wohnsitzes .*\[Österreich\]: ", "Deutschland")
    child.expect(r"2\s+BY\s+Bayern\s")
    _answer(child, _words(_de(LAND)) + ": ", "bayren")
    _answer(child, r"(?s)Meinten Sie Bayern\?.*\[Bayern\]: ", "")
    _answer(child, r"Ihre Antwort: ", "1")
    _answer(child, r"Gründe: ", "2")
    _answer(child, _words(_de(SITUATION)[:30]), "")
    _answer(child, r"Auch den KI-Funktionen von LinkedIn widersprechen\? \[J/n\]: ", "")
    child.expect(r"(?s)Ihr Brief:(.*)Brief schreiben\?.*\[j\]: ")
    summary = " ".join(child.match.group(1).split())
    child.sendline("j")
    _answer(child, r"Profildatei speichern\? \[j/N\]: ", "")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before

    assert "Hauptstraße 1, Hinterhaus, 3. Stock, Wohnung 12, München" in summary
    assert re.search(r"8 \S.* BY Bayern 9 ", summary), summary
    for key in ("generative", "other-ai", "features"):
        assert " ".join(_de(dialogue.SCOPES[key].summary).split()) in summary
    assert "other-ai" not in summary
    letter = (tmp_path / "brief.txt").read_text("utf-8")
    assert letter.startswith("Jana Beispiel\nHauptstraße 1\nHinterhaus\n3. Stock\n"
                             "Wohnung 12\nMünchen\n\n")
    assert_contains(letter, "Bayerisches Landesamt für Datenschutzaufsicht (BayLDA)")


def test_own_words_pasted_in_paragraphs_reach_the_letter_as_paragraphs(
        tmp_path: Path) -> None:
    """A text pasted with empty lines between its paragraphs is one answer, not answers to
    the questions after it; the postcode says the Land, which is then not asked."""
    child = _spawn(tmp_path, "--date", "2026-11-23", "-o", "brief.txt", "--name",
                   "Jana Beispiel", "--email", "jana@example.org", "--country", "DE",
                   "--lang", "de", "--toggle", "off", "--place", "München")
    _answer(child, "Adresse Ihres LinkedIn-Profils", "")
    _answer(child, "Ihre Postanschrift", "Hauptstraße 1", "80331 München", "")
    _answer(child, r"Gründe: ", "")
    child.expect(_words(_de(SITUATION)[:30]))
    child.send("Ich bin Ärztin\nin München.\n\nIch schreibe über Medizin.\n\n\n")
    _answer(child, r"Auch den KI-Funktionen von LinkedIn widersprechen\? \[J/n\]: ", "")
    child.expect(r"(?s)Ihr Brief:(.*)Brief schreiben\?.*\[j\]: ")
    summary = child.match.group(1)
    child.sendline("")
    _answer(child, r"Profildatei speichern\? \[j/N\]: ", "n")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before

    assert _de(LAND) not in summary and "BY Bayern" in summary
    assert re.search(r"Ich bin Ärztin in München\.\s*\n\s+Ich schreibe über Medizin\.",
                     summary), summary
    letter = (tmp_path / "brief.txt").read_text("utf-8")
    assert re.search(r"Ich bin Ärztin in München\.\n\n\s*Ich schreibe über Medizin\.", letter)
    assert_contains(letter, "Bayerisches Landesamt für Datenschutzaufsicht (BayLDA)")


def test_ctrl_c_mid_way_leaves_nothing(tmp_path: Path) -> None:
    child = _spawn(tmp_path, "-o", "brief.txt")
    _answer(child, r"\[de\]: ", "")
    _answer(child, "Ihr vollständiger Name", "Jana Beispiel")
    child.expect("E-Mail-Adresse")
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    said = [line for line in child.before.splitlines() if line.strip()]
    assert said[-1].strip() == "Abgebrochen; es wurde nichts geschrieben."
    assert list(tmp_path.iterdir()) == []


def test_a_yes_or_no_is_read_without_its_accents() -> None:
    """Slovak "áno", Greek "όχι": a plain letter answers as well as the accented one."""
    from objection.dialogue import _is_word

    assert _is_word("a", "áno", "yes") and _is_word("áno", "áno", "yes")
    assert _is_word("ο", "όχι", "no") and _is_word("ό", "όχι", "no")
    assert _is_word("y", "ja", "yes") and not _is_word("n", "ja", "yes")
