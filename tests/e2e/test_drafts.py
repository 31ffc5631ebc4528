"""The typed drafts of the two setup conversations read back what earlier versions stored."""

from __future__ import annotations

from datetime import date

from bot.telegram.drafts import CohortDraft, CohortStep, SignUpDraft, SignUpStep


def test_a_sign_up_stored_before_the_upgrade_goes_on() -> None:
    stored = {"step": "name", "birth": "2026-10-03", "weeks": 0}
    draft = SignUpDraft.from_stored(stored)
    assert draft == SignUpDraft(SignUpStep.NAME, date(2026, 10, 3), 0)
    assert draft.first_missing() is SignUpStep.NAME
    assert draft.to_stored() == stored


def test_a_skipped_name_counts_as_answered() -> None:
    draft = SignUpDraft(SignUpStep.NAME, date(2026, 10, 3), 0, "")
    assert draft.first_missing() is SignUpStep.ZONE


def test_a_cohort_draft_round_trips() -> None:
    stored = {"target": -100123, "title": "Sep babies", "step": "zone", "tips": True}
    draft = CohortDraft.from_stored(stored)
    assert draft == CohortDraft(-100123, "Sep babies", CohortStep.ZONE, tips=True)
    assert draft.to_stored() == stored


def test_a_draft_that_does_not_read_back_counts_as_expired() -> None:
    assert SignUpDraft.from_stored({"step": "nowhere"}) is None
    assert SignUpDraft.from_stored({"step": "date", "birth": "yesterday"}) is None
    assert CohortDraft.from_stored({"target": "-100", "title": "x", "step": "zone"}) is None
    assert CohortDraft.from_stored({"title": "x", "step": "zone"}) is None
