"""The issue-10 explainers as a parent meets them: menu, deep link, sources, inline search."""

from __future__ import annotations

import re

import pytest

from bot.core.rules import Rules
from bot.sandbox import Sandbox

NEW_TOPICS = (
    "breathing_pauses",
    "safe_sleep",
    "startle_jitters",
    "infantile_spasms",
    "febrile_seizure_aid",
)


def buttons(message: dict) -> list[str]:
    return [b["text"] for row in message["reply_markup"]["inline_keyboard"] for b in row]


def first_line(rules: Rules, topic: str) -> str:
    return re.sub(r"<[^>]+>", "", rules.explainers[topic].body.get("en").splitlines()[0])


async def test_each_new_explainer_opens_from_the_menu_with_its_sources(
    sandbox: Sandbox, rules: Rules
) -> None:
    emu = sandbox.emulator
    ann = emu.add_user("Ann")
    emu.send_text(ann, "/explain")
    menu = await emu.next_message(ann)
    for topic in NEW_TOPICS:
        title = rules.explainers[topic].title.get("en")
        assert title in buttons(menu)
        emu.press_button(ann, menu, title)
        shown = await emu.next_edit(ann, menu["message_id"])
        assert shown["text"].startswith(first_line(rules, topic))
        for related in rules.explainers[topic].related:
            assert rules.explainers[related].title.get("en") in buttons(shown)
        emu.press_button(ann, menu, "📚 Sources")
        sources = await emu.next_edit(ann, menu["message_id"])
        for source_id in rules.explainers[topic].sources:
            assert rules.sources[source_id].title[:30] in sources["text"], source_id
        emu.press_button(ann, menu, "Back")
        await emu.next_edit(ann, menu["message_id"])
        emu.press_button(ann, menu, "All topics")
        await emu.next_edit(ann, menu["message_id"])


@pytest.mark.parametrize("topic", NEW_TOPICS)
async def test_each_new_explainer_has_a_deep_link(
    sandbox: Sandbox, rules: Rules, topic: str
) -> None:
    emu = sandbox.emulator
    ann = emu.add_user("Ann")
    emu.send_text(ann, f"/start explain_{topic}")
    reply = await emu.next_message(ann)
    assert reply["text"].startswith(first_line(rules, topic))


async def test_the_safe_sleep_sources_name_the_aap_2022_statement(
    sandbox: Sandbox, rules: Rules
) -> None:
    emu = sandbox.emulator
    ann = emu.add_user("Ann")
    emu.send_text(ann, "/start explain_safe_sleep")
    topic = await emu.next_message(ann)
    emu.press_button(ann, topic, "📚 Sources")
    sources = await emu.next_edit(ann, topic["message_id"])
    assert "updated 2022 recommendations" in sources["text"]


@pytest.mark.parametrize(
    ("query", "relevant"),
    [
        ("stopped breathing", {"breathing_pauses", "emergency_signs"}),
        ("shaking", {"startle_jitters", "twitch_or_seizure"}),
        ("jerking", {"why_twitch", "twitch_or_seizure", "infantile_spasms"}),
        ("convulsion", {"emergency_signs", "febrile_seizure_aid"}),
        ("trembling", {"startle_jitters"}),
        ("spasm", {"infantile_spasms"}),
    ],
)
async def test_inline_search_finds_what_a_worried_parent_types(
    sandbox: Sandbox, query: str, relevant: set[str]
) -> None:
    emu = sandbox.emulator
    ann = emu.add_user("Ann")
    answer = await emu.inline_answer(emu.inline_query(ann, query))
    ids = [result["id"] for result in answer["results"]]
    assert ids and ids[0] in relevant, ids


async def test_inline_search_with_no_match_offers_signs_that_need_a_doctor(
    sandbox: Sandbox, rules: Rules
) -> None:
    emu = sandbox.emulator
    ann = emu.add_user("Ann")
    answer = await emu.inline_answer(emu.inline_query(ann, "purple hiccup dragon"))
    [article] = answer["results"]
    assert article["id"] == "see_doctor_signs"
    assert article["title"] == rules.explainers["see_doctor_signs"].title.get("en")
    assert article["input_message_content"]["parse_mode"] == "HTML"
    link = article["reply_markup"]["inline_keyboard"][0][0]["url"]
    assert link.endswith("?start=explain_see_doctor_signs")
