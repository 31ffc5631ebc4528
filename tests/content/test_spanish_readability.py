"""Every Spanish text reads easily: Fernández-Huerta of at least 70 (textstat 0.7.3,
`set_lang("es")`), with the same text preparation as the English checks (HTML stripped, one
title or list item per line)."""

from __future__ import annotations

from pathlib import Path

import textstat

from .localised import texts_of
from .readability import plain_text

MIN_SCORE = 70.0


def fernandez_huerta(texts: dict[str, str]) -> dict[str, float]:
    textstat.set_lang("es")
    try:
        return {label: textstat.fernandez_huerta(plain_text(t)) for label, t in texts.items()}
    finally:
        textstat.set_lang("en_US")


def score_table(scores: dict[str, float]) -> str:
    rows = [f"{score:6.1f}  {label}" for label, score in sorted(scores.items(), key=lambda i: i[1])]
    mean = sum(scores.values()) / len(scores)
    return "\n".join([*rows, f"mean {mean:.1f}, min {min(scores.values()):.1f}"])


def spanish_texts(rules_dir: Path) -> dict[str, str]:
    return texts_of(rules_dir, "es")


def test_every_spanish_text_is_easy_to_read(rules_dir: Path) -> None:
    scores = fernandez_huerta(spanish_texts(rules_dir))
    assert len(scores) > 500
    low = [
        f"{label}: {score:.1f} is below {MIN_SCORE}"
        for label, score in scores.items()
        if score < MIN_SCORE
    ]
    assert not low, "\n".join([*low, "", score_table(scores)])


def test_a_hard_spanish_text_is_flagged() -> None:
    hard = (
        "<b>Consideraciones fisiopatológicas</b>\n"
        "La mioclonía neonatal benigna del sueño presenta electroencefalografía normal, "
        "independientemente de su considerable semejanza fenomenológica con manifestaciones "
        "paroxísticas epileptiformes que requieren evaluación diagnóstica diferencial."
    )
    easy = "<b>Dormir</b>\nTu bebé está bien. Las sacudidas paran al despertar. Eso es bueno."
    scores = fernandez_huerta({"hard": hard, "easy": easy})
    assert scores["hard"] < MIN_SCORE <= scores["easy"]


def test_the_english_scores_are_not_changed_by_the_spanish_check() -> None:
    before = textstat.flesch_kincaid_grade("Your baby is fine. The jerks stop when she wakes.")
    fernandez_huerta({"x": "Tu bebé está bien."})
    assert (
        textstat.flesch_kincaid_grade("Your baby is fine. The jerks stop when she wakes.") == before
    )
