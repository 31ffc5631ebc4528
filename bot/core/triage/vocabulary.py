"""The fixed fact vocabulary and disposition levels that triage rules may use.

Ids only: the wording a parent sees lives in `rules/triage_*.yaml`; the meaning of each fact is
documented in `docs/triage.md` (and in the project's clinical notes, section 1.10).
"""

from __future__ import annotations

from enum import IntEnum
from typing import Final

AGE_WEEKS: Final = "age_weeks"

# E0: the movements are going on as the parent answers; the waking test is then done live.
HAPPENING_NOW: Final = "happening_now"
# Emergency red flags (rules E1-E3): the cautious answer ends in `emergency`, "not sure" in at
# least `urgent`. BACK_TO_NORMAL is the positive form of "unresponsive": its cautious answer is no.
BREATHING_TROUBLE_OR_BLUE: Final = "breathing_trouble_or_blue"  # E1
BACK_TO_NORMAL: Final = "back_to_normal"  # E2
LASTING_OVER_5_MIN: Final = "lasting_over_5_min"  # E3
# E4: asked only after a seizure sign; "no" or "not sure" makes it a first seizure.
SEEN_BY_DOCTOR_BEFORE: Final = "seen_by_doctor_before"

FEVER: Final = "fever"  # U1, E5
HAPPENS_AWAKE: Final = "happens_awake"  # U8 (with EPISODE_OVER_20S), S1
STOPS_WHEN_WOKEN: Final = "stops_when_woken"  # U7 when "no"; a seizure sign (E4, E5); E0 live
CLUSTERS_ON_WAKING: Final = "clusters_on_waking"  # U2
STIFFENING: Final = "stiffening"  # U4; a seizure sign
ONE_SIDE_ONLY: Final = "one_side_only"  # U6
EYE_ROLLING_OR_STARING: Final = "eye_rolling_or_staring"  # U5; a seizure sign
EPISODE_OVER_20S: Final = "episode_over_20s"  # U8 (with HAPPENS_AWAKE), S2
LOSING_SKILLS: Final = "losing_skills"  # U3 (soon alone in the smiling flow)
LAUGHING_FITS: Final = "laughing_fits"  # UG
NO_SOCIAL_SMILE_BY_12_WEEKS: Final = "no_social_smile_by_12_weeks"  # S3

EMERGENCY_FLAGS: Final = frozenset({BREATHING_TROUBLE_OR_BLUE, BACK_TO_NORMAL, LASTING_OVER_5_MIN})
# Every other yes/no fact whose cautious answer is not the benign one.
RED_FLAGS: Final = frozenset(
    {
        FEVER,
        CLUSTERS_ON_WAKING,
        LOSING_SKILLS,
        STIFFENING,
        EYE_ROLLING_OR_STARING,
        ONE_SIDE_ONLY,
        LAUGHING_FITS,
        SEEN_BY_DOCTOR_BEFORE,
    }
)
# Facts that describe the movement itself (sleep only, stops on waking, brief).
PATTERN_FACTS: Final = frozenset({HAPPENS_AWAKE, STOPS_WHEN_WOKEN, EPISODE_OVER_20S})
SOON_FLAGS: Final = frozenset({NO_SOCIAL_SMILE_BY_12_WEEKS})

YES_NO_FACTS: Final = (
    EMERGENCY_FLAGS | RED_FLAGS | PATTERN_FACTS | SOON_FLAGS | frozenset({HAPPENING_NOW})
)
FACTS: Final = YES_NO_FACTS | {AGE_WEEKS}

YES: Final = "yes"
NO: Final = "no"
UNKNOWN: Final = "unknown"
ANSWER_VALUES: Final = (YES, NO, UNKNOWN)
# A grouped question ("Did you see any of these?") lists its facts as the signs that escalate.
ANY: Final = "any"  # one or more of the signs
NONE: Final = "none"  # none of them: every fact took its benign answer
GROUP_VALUES: Final = (ANY, NONE, UNKNOWN)
MAX_GROUP_FACTS: Final = 3

# The answer that points towards a problem; "not sure" must be at least as cautious as this one.
_NEGATIVE_FORM = (STOPS_WHEN_WOKEN, BACK_TO_NORMAL, SEEN_BY_DOCTOR_BEFORE)
CAUTIOUS_ANSWER: Final = {fact: YES for fact in YES_NO_FACTS} | dict.fromkeys(_NEGATIVE_FORM, NO)
# The answer that the reassurance criteria (clinical notes 1.2) require for each fact.
BENIGN_ANSWER: Final = {fact: NO for fact in YES_NO_FACTS} | dict.fromkeys(_NEGATIVE_FORM, YES)


class Level(IntEnum):
    """Dispositions, ordered so that a larger value is more cautious."""

    REASSURE = 0
    SOON = 1
    URGENT = 2
    EMERGENCY = 3

    @property
    def id(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, value: str) -> Level:
        """The level for its id (`emergency`, `urgent`, `soon`, `reassure`); ValueError if none."""
        try:
            return cls[value.upper()]
        except (KeyError, AttributeError):
            raise ValueError(f"unknown level {value!r}") from None


LEVEL_IDS: Final = tuple(level.id for level in sorted(Level, reverse=True))
