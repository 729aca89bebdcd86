"""What a letter can object to (scopes) and why (grounds): keys and one-line summaries.

The wording of each ground's paragraph lives in templates/kinds/objection_grounds.html.j2,
one macro per key; tests check that the two lists agree.
"""

from dataclasses import dataclass


def N_(message: str) -> str:
    """Mark a string for extraction; it is translated where it is shown."""
    return message


@dataclass(frozen=True)
class Entry:
    key: str
    summary: str
    # A ground that is concrete only with a fact of the sender's asks for one line of it
    # (--fact "KEY: ..."); the letter adds it to the ground's paragraph.
    question: str = ""


GROUNDS: dict[str, Entry] = {
    entry.key: entry
    for entry in [
        Entry("sensitive-data", N_("My profile or posts reveal, or let a model infer, sensitive "
                                   "data such as health, beliefs, union membership or sexuality.")),
        Entry("old-content", N_("Much of my content was posted before anyone could expect it "
                                "to be used to train AI models.")),
        Entry("professional-secrecy", N_("I am bound by professional secrecy or confidentiality "
                                         "(e.g. lawyer, doctor, psychotherapist, auditor)."),
              N_("Your profession or duty of secrecy, in one line (e.g. I am a lawyer admitted "
                 "to the Munich bar.)")),
        Entry("third-parties", N_("My content mentions clients, patients, colleagues or other "
                                  "people who never agreed to AI training.")),
        Entry("harassment", N_("I have been, or am at risk of being, harassed, stalked or "
                               "impersonated."),
              N_("What happened or what you fear, in one line (e.g. A former client has "
                 "impersonated me online since 2024.)")),
        Entry("reproduction", N_("My writing, work or style could be reproduced or imitated by "
                                 "a model, harming my professional or economic interests.")),
        Entry("journalist", N_("I work as a journalist and must protect my sources and "
                               "unpublished research."),
              N_("Your work as a journalist, in one line (e.g. I report on public procurement "
                 "for a regional newspaper.)")),
        Entry("employee-representative", N_("I represent employees (e.g. on a works council or "
                                             "CSE, or for a trade union)."),
              N_("Your office, in one line (e.g. I am a member of the works council of my "
                 "employer.)")),
        Entry("job-seeker", N_("I use LinkedIn to look for work; my résumé and answers to "
                               "employers were given for applications only.")),
        Entry("minor-content", N_("I joined LinkedIn or posted content before I was 18.")),
        Entry("security-role", N_("I work in security, defence, critical infrastructure or "
                                  "another role where exposure of my details creates risks."),
              N_("Your role, in one line (e.g. I am responsible for the IT security of a "
                 "hospital.)")),
    ]
}

GROUNDS_WITH_FACT = tuple(key for key, entry in GROUNDS.items() if entry.question)

SCOPES: dict[str, Entry] = {
    entry.key: entry
    for entry in [
        Entry("generative", N_("Training content-generating generative AI models.")),
        Entry("other-ai", N_("Training other AI systems to improve LinkedIn's products and "
                             "services (e.g. classification, trust and safety).")),
        Entry("features", N_("LinkedIn's AI features generally, including the Hiring "
                             "Assistant.")),
        Entry("microsoft", N_("UK only: sharing data with Microsoft for its own AI training.")),
    ]
}

# Scopes that exist only for residents of some countries, as LinkedIn's notice states them.
SCOPE_COUNTRIES: dict[str, frozenset[str]] = {"microsoft": frozenset({"GB"})}


def scopes_for(country: str) -> list[str]:
    """Every scope that applies to a resident of this country: the default scope."""
    return [key for key in SCOPES if country in SCOPE_COUNTRIES.get(key, {country})]
