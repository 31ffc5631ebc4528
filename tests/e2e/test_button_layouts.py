"""The wire format of every button kind, pinned: buttons already in parents' chats must keep
working after an upgrade, so a layout changes only with its kind's version."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core import callback_data as cd
from bot.core.buttons import Press
from bot.core.callbacks import InvalidCallback

PINNED: list[tuple[Press, str]] = [
    (cd.OpenSection(cd.Section.REMINDERS), "m1:reminders"),
    (cd.ExplainMenu(), "x1:m"),
    (cd.ExplainTopic("sleep_sounds"), "x1:t:sleep_sounds"),
    (cd.ExplainSources("sleep_sounds"), "x1:s:sleep_sounds"),
    (
        cd.TriageStep("twitch", "q214", 123456789, 29_000_000, (0, 1, 2)),
        "t1:twitch:q214:21i3v9:h9kjk:012",
    ),
    (
        cd.TriageStep("twitch", "q214", 5, 6, (), cd.TriageAction.SUMMARY),
        "t1:twitch:q214:5:6::s",
    ),
    (cd.ConfirmForget(cd.ForgetChoice.YES, 35), "f1:yes:z"),
    (cd.PickYear(), "s1:y"),
    (cd.PickYear(2026), "s1:y:2026"),
    (cd.PickMonth(2026, 9), "s1:m:2026:9"),
    (cd.PickDay(date(2026, 9, 1)), "s1:d:20260901"),
    (cd.AskWeeks(), "s1:w"),
    (cd.PickWeeks(0), "s1:e:0"),
    (cd.SkipName(), "s1:n"),
    (cd.PickZone(3), "s1:z:3"),
    (cd.PickHour(9), "s1:h:9"),
    (cd.Cancel(), "s1:x"),
    (cd.ListReminders(), "r1:l"),
    (cd.UnsubscribeAll(), "r1:U"),
    (cd.Pause(17), "r1:p:17"),
    (cd.Resume(17), "r1:r:17"),
    (cd.AskHour(17), "r1:h:17"),
    (cd.ChangeHour(17, 19), "r1:H:17:19"),
    (cd.AskRemove(17), "r1:d:17"),
    (cd.Remove(17), "r1:D:17"),
    (cd.NoteButton("social_smile_6w", "smiling"), "n1:social_smile_6w:smiling"),
    (cd.PickOffer(cd.ChannelOffer.TIPS), "c1:k:tips"),
    (cd.AnswerCheckIn(cd.CheckInReply.WORSE, 36), "k1:w:10"),
    (cd.ShowTimeline(17), "g1:17"),
    (cd.AskForVideo(), "v1:ask"),
    (cd.KeepChart("Ab3_-x9Z"), "v1:Ab3_-x9Z"),
]
KINDS = {kind.prefix: kind for kind in cd.BUTTONS.kinds.values()}


@pytest.mark.parametrize(("press", "data"), PINNED, ids=[data for _, data in PINNED])
def test_every_layout_is_unchanged(press: Press, data: str) -> None:
    kind = KINDS[data[0]]
    assert kind.encode(press) == data
    assert cd.BUTTONS.decode(data).press == press


def test_the_pickers_are_shared_by_both_setups() -> None:
    assert cd.COHORT_SETUP.encode(cd.PickMonth(2026, 9)) == "c1:m:2026:9"
    assert cd.BUTTONS.decode("c1:h:9").press == cd.BUTTONS.decode("s1:h:9").press


def test_old_triage_layouts_still_reach_the_handler() -> None:
    """Buttons of the 4-5 field layout, or with fields that do not parse, are told apart by
    their fingerprint in the handler (updated, or forged), as before."""
    for data in ("t1:twitch:old0:abc:1", "t1:twitch:old0:abc::s", "t1:twitch:q214:x:-:1"):
        assert isinstance(cd.BUTTONS.decode(data).press, cd.UnreadableTriage)


@pytest.mark.parametrize(
    "data",
    [
        "m1:nowhere",
        "r1:p:abc",
        "r1:H:1:3",
        "k1:x:1",
        "f1:maybe:1",
        "s1:d:20261301",
        "c1:k:x",
        "g1:abc",
        "v1:ask:x",
    ],
)
def test_forged_values_are_refused_before_any_handler(data: str) -> None:
    with pytest.raises(InvalidCallback):
        cd.BUTTONS.decode(data)


@given(
    st.sampled_from(sorted(KINDS)),
    st.lists(st.text(alphabet="0123456789adefhkmnpsxyzUHD_-", max_size=14), max_size=7),
)
def test_any_fields_are_typed_or_refused_never_crash(prefix: str, fields: list[str]) -> None:
    data = ":".join([f"{prefix}1", *fields])
    try:
        decoded = cd.BUTTONS.decode(data)
    except InvalidCallback:
        return
    assert isinstance(decoded.press, KINDS[prefix].variants)
