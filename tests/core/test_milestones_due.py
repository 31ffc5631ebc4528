"""Due dates and instants of milestone notes: DST, ordering, the current note, grace, cohorts."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.age import AgeSpan, Unit, date_reaching
from bot.core.milestones import (
    GRACE,
    Answer,
    Baby,
    Milestone,
    cohort_baby,
    cohort_birth_date,
    cohort_current_note,
    cohort_due_instant,
    cohort_schedule,
    current_note,
    due_between,
    due_date,
    due_instant,
    for_groups,
    is_within_grace,
    local_instant,
    plan_subscription,
    schedule,
)
from bot.core.rules import Rules
from bot.core.rules.models import LocalText

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
SYDNEY = ZoneInfo("Australia/Sydney")
ZONES = [
    LONDON,
    NEW_YORK,
    SYDNEY,
    ZoneInfo("Australia/Lord_Howe"),  # a 30-minute DST shift
    ZoneInfo("America/Santiago"),  # DST changes at midnight
    ZoneInfo("Asia/Kolkata"),
    ZoneInfo("Pacific/Auckland"),
    ZoneInfo("UTC"),
]


def _text(value: str) -> LocalText:
    return LocalText({"en": value}, "en")


def note(
    ident: str,
    amount: int,
    unit: Unit = "weeks",
    *,
    corrected: bool = False,
    cohort: bool = True,
    skip: tuple[Answer, ...] = (),
    current_for_weeks: int = 4,
    late_until: AgeSpan | None = None,
) -> Milestone:
    return Milestone(
        id=ident,
        age=AgeSpan(amount, unit),
        corrected=corrected,
        title=_text(ident),
        text=_text("<b>Note</b> for {name}."),
        cohort_text=_text("<b>Born in {month}</b>") if cohort else None,
        sources=("S1",),
        skip_if_answered=skip,
        current_for_weeks=current_for_weeks,
        late_until=late_until,
    )


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


# --- DST -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tz", "day", "hour", "expected", "local"),
    [
        # Spring forward: the hour does not exist, so the note goes at the jump.
        (LONDON, date(2026, 3, 29), 1, utc(2026, 3, 29, 1), "02:00 BST"),
        (NEW_YORK, date(2026, 3, 8), 2, utc(2026, 3, 8, 7), "03:00 EDT"),
        (SYDNEY, date(2026, 10, 4), 2, utc(2026, 10, 3, 16), "03:00 AEDT"),
        # Fall back: the hour happens twice; the first one counts.
        (LONDON, date(2026, 10, 25), 1, utc(2026, 10, 25, 0), "01:00 BST"),
        (NEW_YORK, date(2026, 11, 1), 1, utc(2026, 11, 1, 5), "01:00 EDT"),
        (SYDNEY, date(2026, 4, 5), 2, utc(2026, 4, 4, 15), "02:00 AEDT"),
        # Ordinary hours on those days.
        (LONDON, date(2026, 3, 29), 9, utc(2026, 3, 29, 8), "09:00 BST"),
        (LONDON, date(2026, 10, 25), 9, utc(2026, 10, 25, 9), "09:00 GMT"),
        (NEW_YORK, date(2026, 3, 8), 9, utc(2026, 3, 8, 13), "09:00 EDT"),
        (SYDNEY, date(2026, 10, 4), 9, utc(2026, 10, 3, 22), "09:00 AEDT"),
        (SYDNEY, date(2026, 7, 1), 0, utc(2026, 6, 30, 14), "00:00 AEST"),
    ],
)
def test_local_instant_across_dst(
    tz: ZoneInfo, day: date, hour: int, expected: datetime, local: str
) -> None:
    instant = local_instant(day, hour, tz)
    assert instant == expected
    assert instant.tzinfo is UTC
    assert instant.astimezone(tz).strftime("%H:%M %Z") == local


def test_due_instant_on_a_spring_forward_day() -> None:
    baby = Baby(date(2026, 2, 15))  # 6 weeks old on 29 Mar 2026, when London springs forward
    six_weeks = note("six", 6)
    assert due_date(six_weeks, baby) == date(2026, 3, 29)
    assert due_instant(six_weeks, baby, LONDON, 1) == utc(2026, 3, 29, 1)
    assert due_instant(six_weeks, baby, LONDON, 9) == utc(2026, 3, 29, 8)


def test_due_instant_on_a_fall_back_day() -> None:
    eight_weeks = note("eight", 8)
    baby = Baby(date(2026, 9, 6))  # 8 weeks old on 1 Nov 2026, when New York falls back
    assert due_date(eight_weeks, baby) == date(2026, 11, 1)
    assert due_instant(eight_weeks, baby, NEW_YORK, 1) == utc(2026, 11, 1, 5)  # 01:00 EDT, once


@pytest.mark.parametrize("tz", ZONES, ids=str)
@pytest.mark.parametrize("hour", [0, 1, 2, 3, 9, 23])
def test_one_instant_per_local_day_through_a_year(tz: ZoneInfo, hour: int) -> None:
    """Day after day, instants strictly increase, about 24 hours apart: none skipped or doubled."""
    day = date(2026, 1, 1)
    previous = local_instant(day - timedelta(days=1), hour, tz)
    while day.year == 2026:
        instant = local_instant(day, hour, tz)
        assert timedelta(hours=22) <= instant - previous <= timedelta(hours=26), (day, instant)
        assert instant.astimezone(tz).date() == day
        previous, day = instant, day + timedelta(days=1)


def test_local_instant_rejects_a_bad_hour() -> None:
    with pytest.raises(ValueError):
        local_instant(date(2026, 1, 1), 24, LONDON)


# --- schedule ------------------------------------------------------------------------------

ages = st.tuples(
    st.sampled_from(["days", "weeks", "months"]),
    st.integers(min_value=0, max_value=40),
    st.booleans(),
).map(lambda t: (t[0], t[1] if t[0] != "days" else t[1] * 5, t[2]))

babies = st.builds(
    Baby,
    birth=st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31)),
    gestational_weeks=st.one_of(st.none(), st.integers(min_value=22, max_value=42)),
)


def _wall(instant: datetime, tz: ZoneInfo) -> datetime:
    return instant.astimezone(tz).replace(tzinfo=None)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(ages, min_size=1, max_size=8),
    babies,
    st.sampled_from(ZONES),
    st.integers(min_value=0, max_value=23),
)
def test_schedule_property(
    spec: list[tuple[Unit, int, bool]], baby: Baby, tz: ZoneInfo, hour: int
) -> None:
    milestones = [
        note(f"m{i}", amount, unit, corrected=corrected)
        for i, (unit, amount, corrected) in enumerate(spec)
    ]
    entries = schedule(milestones, baby, tz, hour)
    assert sorted(m.id for m, _ in entries) == sorted(m.id for m in milestones)
    assert [due for _, due in entries] == sorted(due for _, due in entries)
    for milestone, due in entries:
        # The first moment the local clock shows the delivery hour (or later) on the due date.
        target = datetime.combine(due_date(milestone, baby), time(hour))
        assert _wall(due, tz) >= target
        assert _wall(due - timedelta(seconds=1), tz) < target
        assert _wall(due, tz).date() == target.date()
        assert due.utcoffset() == timedelta(0)
        if _wall(due, tz) != target:  # only when the hour does not exist that day
            assert tz.utcoffset(target - timedelta(hours=1)) != tz.utcoffset(
                target + timedelta(hours=2)
            )
    # In order of age on each basis (a month is 28-31 days, so allow for it across units).
    for a, due_a in entries:
        for b, due_b in entries:
            if a.corrected == b.corrected and a.age.approx_days + 3.5 < b.age.approx_days:
                assert due_a <= due_b, (a.age, b.age)


def test_the_real_schedule_is_in_age_order_for_a_baby_born_on_time(rules: Rules) -> None:
    milestones = list(rules.milestones.values())
    for birth in (date(2026, 1, 31), date(2028, 2, 29), date(2026, 12, 31)):
        entries = schedule(milestones, Baby(birth), NEW_YORK, 9)
        assert [m.id for m, _ in entries] == [m.id for m in milestones]
        assert len({due.date() for _, due in entries}) == len(entries), "two notes on one day"


def test_corrected_notes_move_later_for_a_baby_born_early() -> None:
    smile = note("smile", 12, corrected=True)
    twitch = note("twitch", 3, "months")
    term, early = Baby(date(2026, 1, 1)), Baby(date(2026, 1, 1), gestational_weeks=30)
    assert due_date(smile, term) == date(2026, 3, 26)
    assert due_date(smile, early) == date(2026, 6, 4)  # 10 weeks later
    assert due_date(twitch, early) == due_date(twitch, term) == date(2026, 4, 1)
    assert [m.id for m, _ in schedule([smile, twitch], early, LONDON, 9)] == ["twitch", "smile"]


def test_schedule_leaves_out_notes_skipped_by_an_answer() -> None:
    answer = Answer("six_weeks", "smiling")
    nudge = note("twelve", 12, skip=(answer,))
    baby = Baby(date(2026, 1, 1))
    assert [m.id for m, _ in schedule([nudge], baby, LONDON, 9)] == ["twelve"]
    assert schedule([nudge], baby, LONDON, 9, answers={answer}) == []
    assert schedule([nudge], baby, LONDON, 9, answers={Answer("other", "smiling")}) != []


def test_due_between_windows_neither_overlap_nor_leave_gaps() -> None:
    milestones = [note(f"d{n}", n, "days") for n in range(0, 30, 3)]
    entries = schedule(milestones, Baby(date(2026, 3, 20)), LONDON, 1)
    ticks = [utc(2026, 3, 19) + timedelta(hours=7 * i) for i in range(120)]
    seen = [m.id for a, b in pairwise(ticks) for m, _ in due_between(entries, a, b)]
    assert sorted(seen) == sorted(m.id for m in milestones)
    due = entries[0][1]
    assert due_between(entries, due, due + timedelta(seconds=1))[0][1] == due
    assert due_between(entries, due - timedelta(seconds=1), due) == []


# --- the current note ------------------------------------------------------------------------


def _real(rules: Rules) -> list[Milestone]:
    return list(rules.milestones.values())


@pytest.mark.parametrize(
    ("days_old", "expected"),
    [
        (0, "newborn_sleep"),
        (20, "newborn_sleep"),
        (45, "social_smile_6w"),
        (70, "cdc_2_months"),
        (85, "smile_check_12w"),
        (95, "twitches_fade_3m"),
        (119, "infantile_spasms"),  # 17 weeks
        (120, "cdc_4_months"),  # 4 months: 15 May
        (160, None),  # 4-month notes are more than 4 weeks old; 6 months is not due yet
        (400, "cdc_12_months"),
        (540, None),  # 18 months: nothing current
        (740, "two_years"),
    ],
)
def test_current_note_for_a_baby_born_on_time(
    rules: Rules, days_old: int, expected: str | None
) -> None:
    birth = date(2026, 1, 15)
    today = birth + timedelta(days=days_old)
    found = current_note(_real(rules), Baby(birth), today)
    assert (found.id if found else None) == expected


def test_current_note_uses_corrected_age(rules: Rules) -> None:
    birth = date(2026, 1, 15)
    early = Baby(birth, gestational_weeks=30)  # 10 weeks early
    today = birth + timedelta(weeks=13)  # 3 weeks corrected: the twitch note is current
    assert current_note(_real(rules), early, today).id == "twitches_fade_3m"  # type: ignore[union-attr]


def test_current_note_skips_answered_notes() -> None:
    answer = Answer("six", "smiling")
    six, twelve = note("six", 6), note("twelve", 12, skip=(answer,))
    baby, today = Baby(date(2026, 1, 1)), date(2026, 3, 30)
    assert current_note([six, twelve], baby, today).id == "twelve"  # type: ignore[union-attr]
    assert current_note([six, twelve], baby, today, answers={answer}) is None  # six is stale


@settings(max_examples=300, deadline=None)
@given(
    st.lists(ages, min_size=1, max_size=8),
    babies,
    st.integers(min_value=0, max_value=2000),
    st.integers(min_value=1, max_value=12),
)
def test_current_note_is_never_backlog_nor_ahead(
    spec: list[tuple[Unit, int, bool]], baby: Baby, days_old: int, window: int
) -> None:
    milestones = [
        note(f"m{i}", amount, unit, corrected=corrected, current_for_weeks=window)
        for i, (unit, amount, corrected) in enumerate(spec)
    ]
    today = baby.birth + timedelta(days=days_old)
    found = current_note(milestones, baby, today)
    reached = [due_date(m, baby) for m in milestones if due_date(m, baby) <= today]
    if found is None:
        assert not reached or max(reached) + timedelta(weeks=window) <= today
        return
    due = due_date(found, baby)
    assert due <= today < due + timedelta(weeks=window)
    assert due == max(reached), "an older note was returned while a newer one is due"


def test_plan_subscription_never_shows_and_schedules_the_same_note() -> None:
    ten = note("ten", 10, "days")
    later = note("later", 20, "days")
    baby = Baby(date(2026, 5, 1))
    morning = datetime(2026, 5, 11, 7, tzinfo=LONDON)  # due today at 09:00, 2 hours from now
    plan = plan_subscription([ten, later], baby, LONDON, 9, morning)
    assert plan.current is ten
    assert [m.id for m, _ in plan.upcoming] == ["later"]
    assert plan.upcoming[0][1] == utc(2026, 5, 21, 8)


def test_plan_subscription_uses_the_parents_local_day() -> None:
    ten = note("ten", 10, "days")
    baby = Baby(date(2026, 5, 1))
    # 23:30 UTC on 10 May is 11 May in Sydney (due today) but 10 May in New York (tomorrow).
    late = utc(2026, 5, 10, 23, 30)
    assert plan_subscription([ten], baby, SYDNEY, 9, late).current is ten
    assert plan_subscription([ten], baby, NEW_YORK, 9, late).upcoming[0][0] is ten


# --- safety notes sent late (`late_until`) ---------------------------------------------------


def _spasm_like(**kwargs: object) -> Milestone:
    return note("signs", 17, late_until=AgeSpan(12, "months"), **kwargs)  # type: ignore[arg-type]


def test_a_late_subscriber_gets_a_safety_note_at_the_next_delivery_hour() -> None:
    signs, four = _spasm_like(), note("four", 4, "months")
    baby = Baby(date(2026, 1, 1))
    now = datetime(2026, 7, 30, 15, tzinfo=LONDON)  # 30 weeks old: both notes are backlog
    plan = plan_subscription([signs, four], baby, LONDON, 9, now)
    assert plan.current is None
    assert plan.upcoming == [(signs, utc(2026, 7, 31, 8))]  # 09:00 BST tomorrow


def test_a_safety_note_goes_after_the_current_note_not_instead_of_it() -> None:
    signs, four = _spasm_like(), note("four", 4, "months")
    baby = Baby(date(2026, 1, 1))
    now = datetime(2026, 5, 10, 12, tzinfo=LONDON)  # 18 weeks 3 days: 4 months is current
    plan = plan_subscription([signs, four], baby, LONDON, 9, now)
    assert plan.current is four
    assert [(m.id, due) for m, due in plan.upcoming] == [("signs", utc(2026, 5, 11, 8))]


def test_a_safety_note_shown_now_is_not_scheduled_again() -> None:
    signs = _spasm_like()
    baby = Baby(date(2026, 1, 1))
    plan = plan_subscription([signs], baby, LONDON, 9, datetime(2026, 5, 10, 12, tzinfo=LONDON))
    assert plan.current is signs and plan.upcoming == []


def test_a_safety_note_is_not_sent_once_its_window_has_passed() -> None:
    signs = _spasm_like()
    baby = Baby(date(2026, 1, 1))
    last_day = datetime(2026, 12, 31, 12, tzinfo=LONDON)  # the day before 12 months
    assert plan_subscription([signs], baby, LONDON, 9, last_day).upcoming != []
    first_day_after = datetime(2027, 1, 1, 12, tzinfo=LONDON)
    assert plan_subscription([signs], baby, LONDON, 9, first_day_after).upcoming == []


def test_a_safety_note_skipped_by_an_answer_stays_skipped() -> None:
    answer = Answer("earlier", "seen")
    signs = _spasm_like(skip=(answer,))
    baby = Baby(date(2026, 1, 1))
    now = datetime(2026, 7, 30, 15, tzinfo=LONDON)
    assert plan_subscription([signs], baby, LONDON, 9, now, answers={answer}).upcoming == []


def test_a_safety_note_not_yet_due_keeps_its_own_date() -> None:
    signs = _spasm_like()
    baby = Baby(date(2026, 1, 1))
    plan = plan_subscription([signs], baby, LONDON, 9, datetime(2026, 3, 1, 12, tzinfo=LONDON))
    assert plan.upcoming == [(signs, due_instant(signs, baby, LONDON, 9))]


@settings(max_examples=200, deadline=None)
@given(babies, st.integers(min_value=0, max_value=500), st.sampled_from(ZONES))
def test_plan_subscription_schedules_nothing_in_the_past_and_nothing_twice(
    baby: Baby, days_old: int, tz: ZoneInfo
) -> None:
    notes = [note("six", 6), _spasm_like(), note("four", 4, "months"), note("year", 12, "months")]
    today = baby.birth + timedelta(days=days_old)
    now = local_instant(today, 12, tz)
    plan = plan_subscription(notes, baby, tz, 9, now)
    ids = [m.id for m, _ in plan.upcoming]
    assert len(ids) == len(set(ids)) and (plan.current is None or plan.current.id not in ids)
    assert all(due > now for _, due in plan.upcoming)
    assert [due for _, due in plan.upcoming] == sorted(due for _, due in plan.upcoming)
    in_window = today < date_reaching(
        baby.birth, baby.gestational_weeks, AgeSpan(12, "months"), False
    )
    assert ("signs" in ids or plan.current is notes[1]) == in_window


# --- grace -----------------------------------------------------------------------------------


def test_grace_window() -> None:
    due = utc(2026, 6, 1, 8)
    assert timedelta(hours=72) == GRACE
    assert is_within_grace(due, due)
    assert is_within_grace(due, due + timedelta(hours=71, minutes=59))
    assert is_within_grace(due, due + GRACE)
    assert not is_within_grace(due, due + GRACE + timedelta(seconds=1))
    assert not is_within_grace(due, due - timedelta(seconds=1)), "not due yet"


# --- cohorts -----------------------------------------------------------------------------------


def test_cohort_reference_date_is_the_15th() -> None:
    assert cohort_birth_date(2026, 2) == date(2026, 2, 15)
    assert cohort_baby(2026, 9) == Baby(date(2026, 9, 15))


def test_cohort_schedule_uses_chronological_age_and_only_cohort_texts() -> None:
    corrected = note("corrected", 12, corrected=True)
    private = note("private", 6, cohort=False)
    months = note("months", 1, "months")
    entries = cohort_schedule([corrected, private, months], 2026, 1, LONDON, 9)
    assert [m.id for m, _ in entries] == ["months", "corrected"]
    assert entries[0][1] == utc(2026, 2, 15, 9)
    assert entries[1][1] == utc(2026, 4, 9, 8)  # 15 Jan + 84 days, BST
    assert cohort_due_instant(corrected, 2026, 1, LONDON, 9) == entries[1][1]
    assert for_groups([corrected, private]) == [corrected]


def test_cohort_current_note() -> None:
    months = note("months", 1, "months")
    private = note("private", 5, cohort=False)
    assert cohort_current_note([months, private], 2026, 1, date(2026, 2, 20)) is months
    assert cohort_current_note([private], 2026, 1, date(2026, 2, 20)) is None


def test_every_real_note_has_a_cohort_schedule(rules: Rules) -> None:
    entries = cohort_schedule(_real(rules), 2026, 9, SYDNEY, 8)
    assert len(entries) == len(for_groups(_real(rules))) > 0
