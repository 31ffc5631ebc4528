"""The kinds of inline buttons this bot sends, and the one codec that decodes their data."""

from __future__ import annotations

from bot.core.callbacks import Codec, Kind

# m1:<section>                         main menu
MENU = Kind("m", 1, 1, 1)
# x1:<m|t|s>[:<topic id>]              explainers: menu, topic, topic's sources
EXPLAIN = Kind("x", 1, 1, 2)

# t1:<flow>:<fingerprint>:<owner>:<started>:<answers>[:s]  a movement check, stateless: the
#   answers so far are one base36 digit per question, the owner is the starter's user id and
#   <started> the minute the check began (both base36), and the flow's fingerprint marks buttons
#   made for an older version of the rules as stale (buttons of the old 4-5 field layout have an
#   old fingerprint, so they get the same "this check was updated" answer).
TRIAGE = Kind("t", 1, 4, 6)
# f1:<yes|no>:<owner>                 /forget confirmation
FORGET = Kind("f", 1, 2, 2)

# s1:<step>[:value...]                 /subscribe steps (the draft itself is in the database)
SUBSCRIBE = Kind("s", 1, 1, 3)
# r1:<action>[:<subscription id>[:<hour>]]   /reminders: list, pause, resume, hour, remove
REMINDERS = Kind("r", 1, 1, 3)
# n1:<milestone>:<button>              a button under a milestone note
NOTE = Kind("n", 1, 2, 2)

# c1:<step>[:value...]                 a group's or channel's birth-month reminders (draft in db)
COHORT_SETUP = Kind("c", 1, 1, 3)

# k1:<f|d|w>:<check-in id>             the answer to a "check on us in 2 hours" message
#   (all fine / saw a doctor / new worrying signs); the id is base36 and only a claim.
CHECK_IN = Kind("k", 1, 2, 2)

# g1:<subscription id>                 /reminders: the milestone timeline picture of that baby
TIMELINE = Kind("g", 1, 1, 1)
# v1:<ask|token>                       "Send me a video" under an outcome; "Keep with the history"
#   under a video chart (the token names the chart, held in memory until then)
VIDEO = Kind("v", 1, 1, 1)

CODEC = Codec(
    MENU,
    EXPLAIN,
    TRIAGE,
    FORGET,
    SUBSCRIBE,
    REMINDERS,
    NOTE,
    COHORT_SETUP,
    CHECK_IN,
    TIMELINE,
    VIDEO,
)
