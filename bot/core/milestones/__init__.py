"""Age-based milestone notes: models, parsing of rules/milestones*.yaml, and due computation.

Pure: no `telegram`, no database, no clock. The store and the dispatcher build on this API.
"""

from bot.core.milestones.cohort import (
    COHORT_DAY,
    cohort_baby,
    cohort_birth_date,
    cohort_current_note,
    cohort_due_instant,
    cohort_schedule,
    for_groups,
)
from bot.core.milestones.due import (
    Entry,
    SubscriptionPlan,
    current_note,
    due_between,
    due_date,
    due_instant,
    plan_subscription,
    schedule,
    still_relevant,
)
from bot.core.milestones.models import Action, Answer, Baby, Button, Milestone
from bot.core.milestones.render import (
    group_twins,
    join_names,
    render_cohort,
    render_note,
    schedule_key,
)
from bot.core.milestones.timing import GRACE, is_within_grace, local_instant

__all__ = [
    "COHORT_DAY",
    "GRACE",
    "Action",
    "Answer",
    "Baby",
    "Button",
    "Entry",
    "Milestone",
    "SubscriptionPlan",
    "cohort_baby",
    "cohort_birth_date",
    "cohort_current_note",
    "cohort_due_instant",
    "cohort_schedule",
    "current_note",
    "due_between",
    "due_date",
    "due_instant",
    "for_groups",
    "group_twins",
    "is_within_grace",
    "join_names",
    "local_instant",
    "plan_subscription",
    "render_cohort",
    "render_note",
    "schedule",
    "schedule_key",
    "still_relevant",
]
