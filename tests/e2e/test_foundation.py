"""/start, /help, /about, /explain, inline mode and the fallbacks, as a parent sees them."""

from __future__ import annotations

import time

from bot.core.rules import Rules
from bot.sandbox import Sandbox


def buttons(message: dict) -> list[str]:
    return [b["text"] for row in message["reply_markup"]["inline_keyboard"] for b in row]


async def test_start_welcomes_with_main_menu_within_a_second(sandbox: Sandbox) -> None:
    emu = sandbox.emulator
    ann = emu.add_user("Ann")
    began = time.monotonic()
    emu.send_text(ann, "/start")
    reply = await emu.next_message(ann, timeout=1.0)
    assert time.monotonic() - began < 1.0
    assert "Sleepsigns" in reply["text"] and "do not diagnose" in reply["text"]
    assert len(buttons(reply)) == 4


async def test_commands_are_registered_for_default_scope_and_each_locale(
    sandbox: Sandbox, rules: Rules
) -> None:
    calls = sandbox.emulator.calls_to("setMyCommands")
    languages = {call.params.get("language_code") for call in calls}
    assert languages == {None, *rules.locales}
    default = next(c for c in calls if "scope" not in c.params and "language_code" not in c.params)
    names = [command["command"] for command in default.params["commands"]]
    assert {"start", "explain", "triage", "help", "about", "forget"} <= set(names)


async def test_deep_link_opens_an_explainer_directly(sandbox: Sandbox, rules: Rules) -> None:
    emu = sandbox.emulator
    ann = emu.add_user("Ann")
    emu.send_text(ann, "/start explain_why_twitch")
    reply = await emu.next_message(ann)
    assert reply["text"].startswith("Why babies twitch")
    assert "📚 Sources" in buttons(reply)


async def test_help_and_about(sandbox: Sandbox) -> None:
    emu = sandbox.emulator
    ann = emu.add_user("Ann")
    emu.send_text(ann, "/help")
    help_reply = await emu.next_message(ann)
    assert "/explain" in help_reply["text"] and "@sleepsigns_bot" in help_reply["text"]
    emu.send_text(ann, "/about")
    about = await emu.next_message(ann)
    assert "not a doctor" in about["text"] and "/forget" in about["text"]


async def test_explain_navigation_edits_one_message_in_place(
    sandbox: Sandbox, rules: Rules
) -> None:
    emu = sandbox.emulator
    ann = emu.add_user("Ann")
    emu.send_text(ann, "/explain")
    menu = await emu.next_message(ann)
    assert len(buttons(menu)) == len(rules.explainers) + 1  # topics + main menu

    emu.press_button(ann, menu, "Why babies twitch")
    topic = await emu.next_edit(ann, menu["message_id"])
    assert topic["text"].startswith("Why babies twitch")

    emu.press_button(ann, menu, "📚 Sources")
    sources = await emu.next_edit(ann, menu["message_id"])
    assert "Sources for" in sources["text"]
    cited = rules.explainers["why_twitch"].sources
    assert all(rules.sources[s].title.split(".")[0][:20] in sources["text"] for s in cited)

    emu.press_button(ann, menu, "Back")
    await emu.next_edit(ann, menu["message_id"])
    related = rules.explainers["why_twitch"].related[0]
    emu.press_button(ann, menu, rules.explainers[related].title.get("en"))
    related_topic = await emu.next_edit(ann, menu["message_id"])
    assert related_topic["text"].startswith(
        rules.explainers[related].body.get("en").splitlines()[0].replace("<b>", "")[:15]
    )
    emu.press_button(ann, menu, "All topics")
    await emu.next_edit(ann, menu["message_id"])
    await emu.settle()
    # One message for the whole navigation: nothing re-sent.
    assert len(emu.chat_messages(ann)) == 1


async def test_double_tap_is_not_an_error(sandbox: Sandbox) -> None:
    emu = sandbox.emulator
    ann = emu.add_user("Ann")
    emu.send_text(ann, "/explain")
    menu = await emu.next_message(ann)
    data = menu["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    first = emu.press(ann, menu, data)
    await emu.callback_answer(first)
    second = emu.press(ann, menu, data)  # same screen again: Telegram says "not modified"
    answer = await emu.callback_answer(second)
    assert not answer.get("show_alert")


async def test_inline_query_offers_matching_explainers(sandbox: Sandbox, rules: Rules) -> None:
    emu = sandbox.emulator
    ann = emu.add_user("Ann")
    answer = await emu.inline_answer(emu.inline_query(ann, "twitch"))
    ids = [result["id"] for result in answer["results"]]
    assert ids and "why_twitch" in ids
    assert "why_sleep_smiles" not in ids
    article = answer["results"][ids.index("why_twitch")]
    assert article["input_message_content"]["parse_mode"] == "HTML"
    link = article["reply_markup"]["inline_keyboard"][0][0]["url"]
    assert link.endswith("?start=explain_why_twitch")

    everything = await emu.inline_answer(emu.inline_query(ann, ""))
    assert len(everything["results"]) == len(rules.explainers)
    nothing = await emu.inline_answer(emu.inline_query(ann, "zebra giraffe"))
    assert [result["id"] for result in nothing["results"]] == ["see_doctor_signs"]


async def test_unknown_command_free_text_and_huge_text_get_a_friendly_pointer(
    sandbox: Sandbox,
) -> None:
    emu = sandbox.emulator
    ann = emu.add_user("Ann")
    for text in ("/nonsense", "my baby jerks a lot", "x" * 4096):
        emu.send_text(ann, text)
        reply = await emu.next_message(ann)
        assert "buttons" in reply["text"] or "don't know that command" in reply["text"]
        assert "x" * 50 not in reply["text"]  # never echoed back
        assert len(buttons(reply)) == 4


async def test_forged_and_stale_buttons_get_an_alert_and_change_nothing(
    sandbox: Sandbox,
) -> None:
    emu = sandbox.emulator
    ann = emu.add_user("Ann")
    emu.send_text(ann, "/explain")
    menu = await emu.next_message(ann)
    for forged in ("x1:t:no_such_topic", "garbage", "x0:m", "m1:../../etc", "t1:a:b:c:d:e:f"):
        answer = await emu.callback_answer(emu.press(ann, menu, forged))
        assert answer["show_alert"] is True and answer["text"]
    await emu.settle()
    assert emu.chat_messages(ann) == [menu]


async def test_groups_get_explainers_but_never_health_questions(sandbox: Sandbox) -> None:
    emu = sandbox.emulator
    ann, ben = emu.add_user("Ann"), emu.add_user("Ben")
    group = emu.add_group("March 2026 babies", members={ann: "member", ben: "member"})
    emu.send_text(ann, "/explain@sleepsigns_bot", group)
    menu = await emu.next_message(group)
    emu.press_button(ben, menu, "Why babies twitch", group)  # anyone may navigate
    await emu.next_edit(group, menu["message_id"])

    emu.send_text(ann, "/triage", group)
    link = await emu.next_message(group)
    url = link["reply_markup"]["inline_keyboard"][0][0]["url"]
    assert url == "https://t.me/sleepsigns_bot?start=triage"
    assert "?" not in link["text"].replace("?start", "")  # no health question asked in public

    before = len(emu.chat_messages(group))
    emu.send_text(ann, "/start@some_other_bot", group)
    emu.send_text(ann, "/weather", group)  # a bare unknown command may be for another bot
    await emu.settle(quiet=0.3)
    assert len(emu.chat_messages(group)) == before
