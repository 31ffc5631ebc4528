"""The clinical rule table (clinical notes 1.10, second revision) as a function.

`disposition` reads what a parent said about each fact and returns the first rule that matches,
in the table's order, except that EU (the table's "urgent (minimum)") is checked after E4 and
E5, so that "Not sure" about a danger sign never ends lower than "No" would. The flows in
`rules/` are checked against it on every path (validate.py) and, in the tests, on every
combination of answers: the YAML decides what to ask and how to say it, this table decides how
cautious the answer must be.

Answers are "yes", "no" or "unknown" per fact; a fact that is absent was not asked and counts as
its benign answer. "Not sure" counts as the cautious answer, except on E1-E3, where it is rule EU.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.core.triage.vocabulary import (
    BACK_TO_NORMAL,
    BENIGN_ANSWER,
    BREATHING_TROUBLE_OR_BLUE,
    CAUTIOUS_ANSWER,
    CLUSTERS_ON_WAKING,
    EMERGENCY_FLAGS,
    EPISODE_OVER_20S,
    EYE_ROLLING_OR_STARING,
    FEVER,
    HAPPENING_NOW,
    HAPPENS_AWAKE,
    LASTING_OVER_5_MIN,
    LAUGHING_FITS,
    LOSING_SKILLS,
    NO_SOCIAL_SMILE_BY_12_WEEKS,
    ONE_SIDE_ONLY,
    SEEN_BY_DOCTOR_BEFORE,
    STIFFENING,
    STOPS_WHEN_WOKEN,
    UNKNOWN,
    Level,
)

SEIZURE_SIGNS = (STIFFENING, EYE_ROLLING_OR_STARING, STOPS_WHEN_WOKEN)
# Movements that make lost skills urgent in the smiling flow (U3); in the twitching flow the
# jerks themselves are the movement.
ABNORMAL_MOVEMENTS = (CLUSTERS_ON_WAKING, STIFFENING, EYE_ROLLING_OR_STARING, LAUGHING_FITS)
FEBRILE_SEIZURE_MIN_WEEKS = 26  # E5: a fit with fever under 6 months is not a typical one
SOCIAL_SMILE_WEEKS = 12  # S3


@dataclass(frozen=True)
class Rule:
    id: str
    level: Level


def disposition(answers: Mapping[str, str], age_weeks: int | None, *, jerks_seen: bool) -> Rule:
    """The first matching rule. `jerks_seen`: the twitching flow (U3 is urgent on its own there).

    `age_weeks` is None when the age is not known; the age-bound rules then take the cautious
    side (E5 applies, S3 may).
    """

    def said(fact: str) -> str:
        return answers.get(fact, BENIGN_ANSWER[fact])

    def flagged(fact: str) -> bool:
        """The cautious answer, or "not sure" (which counts as it)."""
        return said(fact) in (CAUTIOUS_ANSWER[fact], UNKNOWN)

    def certain(fact: str) -> bool:
        return said(fact) == CAUTIOUS_ANSWER[fact]

    young = age_weeks is None or age_weeks < FEBRILE_SEIZURE_MIN_WEEKS
    seizure_sign = any(flagged(f) for f in SEIZURE_SIGNS)
    if flagged(HAPPENING_NOW) and flagged(STOPS_WHEN_WOKEN):
        return Rule("E0", Level.EMERGENCY)
    if certain(BREATHING_TROUBLE_OR_BLUE):
        return Rule("E1", Level.EMERGENCY)
    if certain(BACK_TO_NORMAL):
        return Rule("E2", Level.EMERGENCY)
    if certain(LASTING_OVER_5_MIN):
        return Rule("E3", Level.EMERGENCY)
    if seizure_sign and flagged(SEEN_BY_DOCTOR_BEFORE):
        return Rule("E4", Level.EMERGENCY)
    if flagged(FEVER) and young and seizure_sign:
        return Rule("E5", Level.EMERGENCY)
    # EU is "urgent (minimum)": checked after E4 and E5, or "Not sure" about a danger sign would
    # end lower than "No" for a first seizure.
    if any(said(f) == UNKNOWN for f in EMERGENCY_FLAGS):
        return Rule("EU", Level.URGENT)
    urgent = (
        ("U1", flagged(FEVER)),
        ("U2", flagged(CLUSTERS_ON_WAKING)),
        (
            "U3",
            flagged(LOSING_SKILLS) and (jerks_seen or any(flagged(f) for f in ABNORMAL_MOVEMENTS)),
        ),
        ("U4", flagged(STIFFENING)),
        ("U5", flagged(EYE_ROLLING_OR_STARING)),
        ("U6", flagged(ONE_SIDE_ONLY)),
        ("U7", flagged(STOPS_WHEN_WOKEN)),
        ("U8", flagged(HAPPENS_AWAKE) and flagged(EPISODE_OVER_20S)),
        ("UG", flagged(LAUGHING_FITS)),
    )
    soon = (
        ("S1", flagged(HAPPENS_AWAKE)),
        ("S2", flagged(EPISODE_OVER_20S)),
        (
            "S3",
            flagged(NO_SOCIAL_SMILE_BY_12_WEEKS)
            and (age_weeks is None or age_weeks >= SOCIAL_SMILE_WEEKS),
        ),
        ("U3", flagged(LOSING_SKILLS)),  # lost skills alone, smiling flow: soon
    )
    for level, rules in ((Level.URGENT, urgent), (Level.SOON, soon)):
        for ident, matches in rules:
            if matches:
                return Rule(ident, level)
    return Rule("R1", Level.REASSURE)
