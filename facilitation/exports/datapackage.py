"""``datapackage.json``: a Frictionless Data Package describing the export's files.

It lists the transcript (CSV and JSON), the five tidy CSV files, for plans with a
framework ``profile.csv`` (profile_csv.py), for plans with a slides stage ``slides.csv``
(slides_csv.py), and for statements stages with opinion groups
``opinion_groups.csv`` and ``opinion_statements.csv`` (opinion_csv.py, whose method and
parameters the ``opinion_groups`` resource states as ``method``), with a Table Schema each:
every column's type and meaning, primary keys, and the foreign keys that tie answers and
comments to participants and stages. ``frictionless validate datapackage.json`` checks an
export folder against it; tools that read Data Packages (frictionless, R's
``frictionless`` package, Open Data Editor) load the CSV files with the right types.

Specification: https://datapackage.org (Data Package v1 / Table Schema).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from .. import clock
from ..activities import ACTIVITY_TYPES, ANSWERABLE_TYPES, all_types
from ..models import Series
from . import csv_files, opinion_csv, profile_csv, slides_csv
from .common import as_sessions

CONSENSUS_STATUSES = ["consensus", "split", "mixed", "too_few"]


def _field(name: str, type_: str, description: str, **extra) -> dict:
    field = {"name": name, "type": type_, "description": description}
    if type_ == "datetime":
        field["format"] = "default"  # ISO 8601 in UTC, e.g. 2025-03-04T10:15:00.000000Z
    constraints = {key: extra.pop(key) for key in ("required", "enum", "minimum") if key in extra}
    if constraints:
        field["constraints"] = constraints
    field.update(extra)
    return field


SESSION = _field("session", "string", "The session's join code (six characters).", required=True)


def _pseudonym(required: bool = True) -> dict:
    return _field(
        "pseudonym",
        "string",
        "The participant's pseudonym: random, drawn per session, so the same person in two "
        "sessions cannot be linked through it.",
        required=required,
    )


DISPLAY_NAME = _field(
    "display_name",
    "string",
    "The display name the participant chose, only if they allowed it in research exports; "
    "otherwise empty.",
)
SECTOR = _field(
    "sector", "string", "The participant's sector (empty if none was chosen, or withdrawn)."
)
TABLE = _field("table", "string", "The breakout table the participant sat at last (empty if none).")
STAGE = _field("stage", "string", "The key of the stage (see stages.csv).", required=True)

# Each type says what its answers' values are (``export_value``).
RESPONSE_VALUE = (
    "The answer for this item, by stage_type: "
    + "; ".join(f"{kind.name} = {kind.export_value}" for kind in all_types() if kind.answerable)
    + "."
)
GUARD_NOTE = (
    " Text starting with = + - or @ has an apostrophe put in front so spreadsheets do not "
    "read it as a formula."
)

SCHEMAS: dict[str, dict] = {
    "participants": {
        "fields": [
            SESSION,
            _pseudonym(),
            DISPLAY_NAME,
            SECTOR,
            TABLE,
            _field("joined_at", "datetime", "When the participant joined (UTC).", required=True),
            _field(
                "withdrawn",
                "boolean",
                "Whether the participant withdrew: their answers, comments and agreements "
                "were then removed from every table; only this row remains.",
                required=True,
            ),
            _field("withdrawn_at", "datetime", "When the participant withdrew (UTC)."),
        ],
        "primaryKey": ["session", "pseudonym"],
    },
    "stages": {
        "fields": [
            SESSION,
            _field("index", "integer", "The stage's position in the plan, from 0.", required=True),
            _field("key", "string", "The stage's key, unique within the plan.", required=True),
            _field("title", "string", "The stage's title."),
            _field(
                "type",
                "string",
                "The activity: " + ", ".join(ACTIVITY_TYPES) + ".",
                required=True,
                enum=list(ACTIVITY_TYPES),
            ),
            _field("prompt", "string", "The question or instruction participants saw."),
            _field(
                "items",
                "integer",
                "How many items or options the stage has (sector stages: how many sectors).",
                minimum=0,
            ),
            _field("scale_min", "integer", "Rating stages: the lowest point of the scale."),
            _field("scale_max", "integer", "Rating stages: the highest point of the scale."),
            _field("plan", "string", "The plan's identifier (its file name)."),
            _field("plan_title", "string", "The plan's title."),
        ],
        "primaryKey": ["session", "key"],
    },
    "responses": {
        "fields": [
            SESSION,
            _pseudonym(),
            SECTOR,
            TABLE,
            STAGE,
            _field(
                "stage_type",
                "string",
                "The stage's activity type.",
                enum=list(ANSWERABLE_TYPES),
            ),
            _field(
                "item",
                "string",
                "The key of the item answered (the option's key for choice stages; 'sector' "
                "and 'words' for sector and word cloud stages).",
                required=True,
            ),
            _field("item_label", "string", "The item's label as participants saw it."),
            _field("value", "string", RESPONSE_VALUE + GUARD_NOTE),
            _field(
                "answered_at",
                "datetime",
                "When the participant gave this answer (their latest answer to the stage).",
            ),
        ],
        "primaryKey": ["session", "pseudonym", "stage", "item"],
        "foreignKeys": [
            {
                "fields": ["session", "pseudonym"],
                "reference": {"resource": "participants", "fields": ["session", "pseudonym"]},
            },
            {
                "fields": ["session", "stage"],
                "reference": {"resource": "stages", "fields": ["session", "key"]},
            },
        ],
    },
    "comments": {
        "fields": [
            SESSION,
            _field(
                "comment_id",
                "integer",
                "The comment's number, unique in the export.",
                required=True,
            ),
            STAGE,
            _field(
                "kind",
                "string",
                "statement (on a statements stage: others agree, disagree or pass) or comment.",
                enum=["comment", "statement"],
            ),
            _pseudonym(),
            DISPLAY_NAME,
            SECTOR,
            TABLE,
            _field("text", "string", "What the participant wrote." + GUARD_NOTE),
            _field("agree", "integer", "How many others agreed.", minimum=0),
            _field("disagree", "integer", "How many others disagreed.", minimum=0),
            _field("passes", "integer", "Statements: how many passed.", minimum=0),
            _field(
                "hidden",
                "boolean",
                "Not shown to the room: hidden by the facilitator (moderated), or, in a "
                "self-paced run that approves comments first, not (yet) approved: see awaiting.",
            ),
            _field(
                "awaiting",
                "boolean",
                "Self-paced runs that approve comments first: still waiting for a moderator's "
                "approval (hidden meanwhile). Hidden and not awaiting: rejected, or hidden "
                "after being shown; not hidden: approved or never held back.",
            ),
            _field("highlighted", "boolean", "Pinned on the projector by the facilitator."),
            _field(
                "consensus",
                "string",
                "Cross-sector consensus: consensus (every sector that voted agrees, at least "
                "two voted), split (one sector agrees, another disagrees), mixed, or too_few "
                "(fewer than two sectors voted). Sectors with fewer voters than the plan's "
                "min_group_size count only together, as one 'Other groups'.",
                enum=CONSENSUS_STATUSES,
            ),
            _field("created_at", "datetime", "When it was posted (UTC)."),
        ],
        "primaryKey": ["comment_id"],
        "foreignKeys": [
            {
                "fields": ["session", "pseudonym"],
                "reference": {"resource": "participants", "fields": ["session", "pseudonym"]},
            },
            {
                "fields": ["session", "stage"],
                "reference": {"resource": "stages", "fields": ["session", "key"]},
            },
        ],
    },
    "notes": {
        "fields": [
            SESSION,
            _field("note_id", "integer", "The note's number, unique in the export.", required=True),
            _field("stage", "string", "The stage the note was taken at (see stages.csv)."),
            _field("table", "string", "The breakout table the note is about (empty: the room)."),
            _field("author", "string", "The label the note-taker chose (not a participant)."),
            _field("text", "string", "What the note-taker wrote." + GUARD_NOTE),
            _field("shown", "boolean", "Shown on the projector."),
            _field("created_at", "datetime", "When it was written (UTC)."),
        ],
        "primaryKey": ["note_id"],
    },
}


def _profile_number(name: str, description: str) -> dict:
    return _field(name, "number", description, minimum=0)


SCHEMAS["profile"] = {
    "fields": [
        SESSION,
        _field(
            "breakdown",
            "string",
            "Whose profile: room (everyone behind it), or one sector's or table's. A "
            "breakdown is left out when its only group is everyone (nobody at a table, as "
            "in a self-paced run; nobody gave a sector; or every sector folded into 'Other "
            "groups'): it would repeat the room.",
            required=True,
            enum=["room", "sector", "table"],
        ),
        _field(
            "group",
            "string",
            "The sector or table (empty for the room). Groups smaller than the plan's "
            "min_group_size are folded into 'Other groups', as on the console.",
        ),
        _field(
            "part",
            "string",
            "test (a traffic light stage), feature (a rating stage's questions) or "
            "acceptability (the mean of the feature scores).",
            required=True,
            enum=["test", "feature", "acceptability"],
        ),
        _field(
            "stage",
            "string",
            "The test's or feature's stage (see stages.csv); empty for the acceptability score.",
        ),
        _field("title", "string", "The stage's title, or 'Acceptability score'."),
        _field(
            "n",
            "integer",
            "How many people are behind the score: who lit the test, rated a question of "
            "the feature, or rated any feature's question.",
            required=True,
            minimum=0,
        ),
        _profile_number(
            "score",
            "The score, 0-100 (a test: met 100, partly 50, not met 0; a feature: ratings "
            "mapped from the scale to 0-100), the mean over people. Empty when nobody "
            "answered or the score is withheld.",
        ),
        _profile_number(
            "ci_low",
            "The lower end of the score's 95 % interval (percentile bootstrap over "
            "participants, 2000 resamples, fixed seed: docs/framework.md).",
        ),
        _profile_number("ci_high", "The upper end of the score's 95 % interval."),
        _profile_number("share_met", "Tests: the share of people (0-1) who lit it met."),
        _profile_number("share_partly", "Tests: the share of people (0-1) who lit it partly met."),
        _profile_number("share_not_met", "Tests: the share of people (0-1) who lit it not met."),
        _profile_number("median", "Features: the median of people's scores, 0-100."),
        _profile_number("q1", "Features: the lower quartile of people's scores."),
        _profile_number("q3", "Features: the upper quartile of people's scores."),
        _field(
            "withheld",
            "boolean",
            "The score is behind fewer people than the plan's min_group_size in this group "
            "(or would give such a score away): only n is given.",
            required=True,
        ),
    ],
    # No foreign key to stages.csv: the acceptability score's row has no stage, and
    # frictionless checks a key with an empty part as missing.
}

OPINION_STAGE = _field(
    "stage",
    "string",
    "The statements stage (see stages.csv); only stages with opinion groups on.",
    required=True,
)
OPINION_GROUP_NOTE = (
    " Groups are computed afresh from the final votes, lettered by size (A the largest), "
    "so they may differ from the letters the projector showed last."
)
SCHEMAS["opinion_groups"] = {
    "fields": [
        SESSION,
        OPINION_STAGE,
        _pseudonym(),
        _field(
            "votes",
            "integer",
            "How many of the stage's visible statements the participant voted on (agree, "
            "disagree or pass; a pass counts). An author counts as agreeing with each "
            "visible statement they wrote (they cannot vote on their own; Pol.is counts them "
            "so), so these are counted too, and someone who only wrote statements has a row.",
            required=True,
            minimum=1,
        ),
        _field(
            "placed",
            "boolean",
            "On the opinion map: voted on at least the stage's min_votes statements "
            "(datapackage.json's method, per stage).",
            required=True,
        ),
        _field(
            "group",
            "string",
            "The participant's opinion group, A to E; empty when not placed, or when the "
            "stage formed no groups (see status)." + OPINION_GROUP_NOTE,
            enum=list("ABCDE"),
        ),
        _field(
            "x",
            "number",
            "The participant's position on the opinion map, first axis (first principal "
            "component of the centred vote matrix, scaled for sparse voters), 3 decimals. "
            "The axes have no meaning of their own: only distances between people do. "
            "Empty when not placed.",
        ),
        _field("y", "number", "The same, second axis (second principal component)."),
        _field(
            "status",
            "string",
            "The stage's outcome, the same on each of its rows: formed (groups found), "
            "waiting (fewer than min_people placed: no groups looked for) or no_split (no "
            "split into 2 to 5 groups of at least min_group_size people each).",
            required=True,
            enum=list(opinion_csv.STATUSES),
        ),
    ],
    "primaryKey": ["session", "stage", "pseudonym"],
    "foreignKeys": [
        {
            "fields": ["session", "pseudonym"],
            "reference": {"resource": "participants", "fields": ["session", "pseudonym"]},
        },
        {
            "fields": ["session", "stage"],
            "reference": {"resource": "stages", "fields": ["session", "key"]},
        },
    ],
}


def _opinion_number(name: str, description: str, **extra) -> dict:
    return _field(name, "number", description, **extra)


SCHEMAS["opinion_statements"] = {
    "fields": [
        SESSION,
        OPINION_STAGE,
        _field(
            "comment_id",
            "integer",
            "The statement (comment_id in comments.csv, which holds its text).",
            required=True,
        ),
        _field(
            "group",
            "string",
            "The opinion group these figures are of (opinion_groups.csv)." + OPINION_GROUP_NOTE,
            required=True,
            enum=list("ABCDE"),
        ),
        _field("group_size", "integer", "How many people the group has.", minimum=1),
        _field(
            "agree",
            "integer",
            "How many of the group agreed with the statement: a head count, not smoothed "
            "(the share that agreed is agree / seen). Votes only: its author, who counts as "
            "agreeing with it when the groups are formed (opinion_groups.csv's votes), is "
            "not counted here, so a statement's agree over its groups adds up to its agree "
            "in comments.csv from the people placed.",
            minimum=0,
        ),
        _field("disagree", "integer", "How many of the group disagreed (a head count).", minimum=0),
        _field("passes", "integer", "How many of the group passed (a head count).", minimum=0),
        _field(
            "seen",
            "integer",
            "How many of the group voted on it at all: agree + disagree + passes (a head "
            "count, its author not included).",
            minimum=0,
        ),
        _field(
            "enough_votes",
            "boolean",
            "Whether at least the plan's minimum group size of the group voted on it (seen). "
            "Only then may the statement be representative of the group, on the consensus "
            "list or compared on the divisive list; the app shows no figure of a group "
            "without enough votes, which are kept here for research.",
        ),
        _opinion_number(
            "p_agree",
            "SMOOTHED, not a head count: (agree + 1) / (seen + 2), 0.5 when nobody in the "
            "group voted on it. The lists (representative, consensus, divisive) are chosen "
            "and ranked on it, so that three of three agreeing does not outrank 29 of 30; the "
            "share of the group that agreed is agree / seen.",
            minimum=0,
        ),
        _opinion_number(
            "p_disagree",
            "SMOOTHED, as p_agree: (disagree + 1) / (seen + 2); the share that disagreed is "
            "disagree / seen.",
            minimum=0,
        ),
        _field(
            "representative",
            "boolean",
            "Whether the statement is one of the group's representative statements: where "
            "the group differs most from everyone placed outside it (method.representative "
            "in datapackage.json). The representative_ columns are empty otherwise.",
            required=True,
        ),
        _field(
            "representative_rank",
            "integer",
            "Its rank among the group's representative statements (1 = most representative; "
            "ranked by ratio x share; at most five per group).",
            minimum=1,
        ),
        _field(
            "representative_direction",
            "string",
            "agree: the group agrees with it more than the rest; disagree: it disagrees more.",
            enum=["agree", "disagree"],
        ),
        _opinion_number(
            "representative_share",
            "The group's SMOOTHED share in that direction (p_agree or p_disagree), as the "
            "statement was ranked on; the head count is this row's agree or disagree of seen.",
            minimum=0,
        ),
        _opinion_number(
            "representative_rest_share",
            "The same SMOOTHED share among everyone placed outside the group (their head "
            "counts: the sum of the statement's other groups' rows).",
            minimum=0,
        ),
        _opinion_number(
            "representative_ratio", "representative_share / representative_rest_share.", minimum=0
        ),
        _opinion_number(
            "representative_z",
            "The two-proportion z statistic of the group against the rest in that direction "
            "(pooled, on the raw counts); representative only when z >= 1.645 (one-sided "
            "95 %) and the share is above 0.5.",
        ),
        _field(
            "in_consensus",
            "boolean",
            "Whether the statement is group-informed consensus: every group's p_agree is "
            "above 0.5. A property of the statement, the same on each of its groups' rows.",
            required=True,
        ),
        _field(
            "consensus_rank",
            "integer",
            "Its rank on the stage's consensus list (1 = highest consensus_score); empty "
            "when not on it.",
            minimum=1,
        ),
        _opinion_number(
            "consensus_score",
            "Group-informed consensus: the product over the groups of their (smoothed) "
            "p_agree; high only when every group agrees. Given for statements on the list.",
            minimum=0,
        ),
        _field(
            "in_divisive",
            "boolean",
            "Whether the statement divides the groups: the most and least agreeing groups "
            "differ significantly (two-proportion z >= 1.96 on their agree counts). The same "
            "on each of its groups' rows.",
            required=True,
        ),
        _field(
            "divisive_rank",
            "integer",
            "Its rank on the stage's divisive list (1 = widest gap); empty when not on it.",
            minimum=1,
        ),
        _opinion_number(
            "divisive_score",
            "The gap between the most and the least agreeing group's (smoothed) p_agree "
            "(0-1). Given "
            "for statements on the list.",
            minimum=0,
        ),
        _opinion_number(
            "separation",
            "The same gap for every statement, on the list or not: how well it tells the "
            "groups apart (what the phones' next-statement priority uses).",
            minimum=0,
        ),
    ],
    "primaryKey": ["comment_id", "group"],
    "foreignKeys": [
        {
            "fields": ["comment_id"],
            "reference": {"resource": "comments", "fields": ["comment_id"]},
        },
        {
            "fields": ["session", "stage"],
            "reference": {"resource": "stages", "fields": ["session", "key"]},
        },
    ],
}

SCHEMAS["slides"] = {
    "fields": [
        SESSION,
        _field("stage", "string", "The slides stage (see stages.csv).", required=True),
        _field(
            "index",
            "integer",
            "The page's place among the stage's pages, from 0 (as slide.shown events count).",
            required=True,
        ),
        _field(
            "page", "integer", "The page's number in the deck, from 1.", required=True, minimum=1
        ),
        _field("deck", "string", "The deck's file name, as the plan names it.", required=True),
        _field(
            "text",
            "string",
            "The page's text layer, as extracted from the deck (the facilitator's text, not a "
            "participant's); empty for a page without text. From the deck the session kept, or, "
            "once that deck is gone, from the text the page's last slide.shown event recorded "
            "(none for a page not shown then)." + GUARD_NOTE,
        ),
        _field(
            "shown",
            "boolean",
            "Whether the page was shown in the session (a slide.shown event in the transcript); "
            "empty once the session's raw data was deleted, the log with it.",
        ),
        _field("first_shown_at", "datetime", "When the page was first shown (UTC)."),
        _field(
            "times_shown",
            "integer",
            "How many times it was shown (going back to it shows it again); empty once the raw "
            "data was deleted.",
            minimum=0,
        ),
    ],
    "primaryKey": ["session", "stage", "page"],
    "foreignKeys": [
        {
            "fields": ["session", "stage"],
            "reference": {"resource": "stages", "fields": ["session", "key"]},
        },
    ],
}

_TRANSCRIPT_FIELDS = [
    SESSION,
    _field("seq", "integer", "The event's position in its session's log, from 1.", required=True),
    _field("time", "datetime", "When the event happened (UTC).", required=True),
    _field(
        "actor",
        "string",
        "Who caused it: a participant's pseudonym, facilitator, system, or notetaker:<label>.",
    ),
    _field("sector", "string", "The participant's sector (participant events)."),
    _field("table", "string", "The table the participant sat at when it happened."),
    _field("stage", "string", "The stage the event belongs to, if any."),
    _field("stage_title", "string", "That stage's title."),
    _field("type", "string", "The event type (docs/protocol.md lists them).", required=True),
    _field(
        "content",
        "object",
        "The event's content as JSON (e.g. an answer's value, a comment's text; a "
        "slide.shown event's page number and the page's text). A participant.joined event "
        "carries the display name only with consent.",
    ),
]
SCHEMAS["transcript"] = {"fields": _TRANSCRIPT_FIELDS, "primaryKey": ["session", "seq"]}

DESCRIPTIONS = {
    "transcript": "The event log, in order, one row per event, pseudonymised.",
    "transcript-json": "The same event log as JSON: {sessions: [...], events: [...]}.",
    "participants": "One row per participant who joined.",
    "stages": "One row per stage of the plan each session ran.",
    "responses": "One row per answered item (latest answer of each participant).",
    "comments": "One row per comment or statement, with its votes and moderation state.",
    "notes": "One row per note-taker's note.",
    "profile": "The framework profile (tests, features, acceptability score) of each session "
    "whose plan declares a framework, for the room and per sector and table: one row per "
    "score, with its n and 95 % interval.",
    "opinion_groups": "Opinion groups (docs/opinion-groups.md): on each statements stage with "
    "them on, one row per participant who voted or wrote a statement (an author counts as "
    "agreeing with their own statements), with their group and place on the opinion "
    "map. People who voted on at least min_votes statements are placed on a map: the vote "
    "matrix (agree +1, disagree -1, pass or not seen 0), each statement centred on placed "
    "people's mean vote, reduced by PCA to 2 components, each person scaled by "
    "sqrt(statements / statements they voted on) so sparse voters are not pulled to the "
    "middle. Once min_people are placed, k-means (10 initialisations, fixed seed) groups "
    "them for k = 2 to 5; the k with the highest silhouette among those whose every group "
    "has at least min_group_size people. The parameters, per stage, are in this resource's "
    "method. Sessions whose raw data was purged have no rows: groups are computed from each "
    "person's votes, which the purge deleted, and nothing of them is kept.",
    "slides": "The pages of each slides stage: one row per page of the stage's range, with "
    "its text layer and whether, when first and how often it was shown. The transcript has "
    "each showing as a slide.shown event, with the page's text.",
    "opinion_statements": "What each opinion group thinks: one row per statement and group of "
    "each stage where groups formed (opinion_groups.csv), with the group's votes (head counts, "
    "an author counting as agreeing with their own statement) and smoothed shares, whether "
    "the statement is representative of the group (with direction, ratio and "
    "z), and the statement's group-informed consensus score (product of the groups' smoothed "
    "agree shares) and divisive score (gap between the most and least agreeing group), which "
    "repeat on each of its groups' rows. Filter representative == true for each group's "
    "representative statements, in_consensus or in_divisive (one group's rows) for the "
    "stage's lists. The method's parameters are in opinion_groups' method.",
}


def _csv_resource(name: str, path: str, schema: dict) -> dict:
    return {
        "name": name,
        "path": path,
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "description": DESCRIPTIONS[name],
        "schema": schema,
    }


# The files other than CSV files that an export may hold, when their format is available.
OTHER_FILES = {
    "report": (
        "text/html",
        "html",
        "utf-8",
        "The report: charts, comment walls and notes, "
        "one self-contained page to read on screen or print.",
    ),
    "qdpx": (
        "application/zip",
        "qdpx",
        None,
        "A REFI-QDA project for qualitative analysis "
        "software (NVivo, ATLAS.ti, MAXQDA, QualCoder): comments, statements and notes "
        "as text sources, coded by stage (and statements by their author's opinion group), "
        "participants as cases.",
    ),
}


def _other_files() -> list[dict]:
    from .formats import REGISTRY

    resources = []
    for name, (mediatype, format_, encoding, description) in OTHER_FILES.items():
        entry = REGISTRY.get(name)
        if entry is None or not entry.available:
            continue
        resource = {
            "name": name,
            "path": entry.filename,
            "profile": "data-resource",
            "format": format_,
            "mediatype": mediatype,
            "description": description,
        }
        if encoding:
            resource["encoding"] = encoding
        resources.append(resource)
    return resources


def descriptor(sessions, series: Series | None = None, created: datetime | None = None) -> dict:
    """The Data Package descriptor for an export of ``sessions``."""
    sessions = as_sessions(sessions)
    created = created or clock.now()
    if series is not None:
        name, title = f"series-{series.id}", f"{series.title} (series of {len(sessions)})"
    elif len(sessions) == 1:
        session = sessions[0]
        name = f"session-{session.code.lower()}"
        where = f", {session.place}" if session.place else ""
        title = f"{session.plan_title}: session {session.code}{where}"
    else:
        name, title = "sessions", f"{len(sessions)} workshop sessions"
    resources = [
        _csv_resource("transcript", "transcript.csv", SCHEMAS["transcript"]),
        {
            # Not tabular: one JSON document, {"sessions": [...], "events": [...]}, whose
            # events have the transcript's columns as keys.
            "name": "transcript-json",
            "path": "transcript.json",
            "profile": "data-resource",
            "format": "json",
            "mediatype": "application/json",
            "encoding": "utf-8",
            "description": DESCRIPTIONS["transcript-json"],
        },
    ]
    for filename in csv_files.CSV_FILES:
        name_ = filename.removesuffix(".csv")
        resources.append(_csv_resource(name_, filename, SCHEMAS[name_]))
    if profile_csv.has_profile(None, sessions):  # plans with a framework: profile_csv.py
        resources.append(_csv_resource("profile", "profile.csv", SCHEMAS["profile"]))
    if opinion_csv.has_opinion_groups(None, sessions):  # statements stages: opinion_csv.py
        groups = _csv_resource("opinion_groups", "opinion_groups.csv", SCHEMAS["opinion_groups"])
        # The method and each stage's thresholds, as data a script can read (a property
        # of our own: Data Package readers keep properties they do not know).
        groups["method"] = opinion_csv.method(sessions)
        resources.append(groups)
        resources.append(
            _csv_resource(
                "opinion_statements", "opinion_statements.csv", SCHEMAS["opinion_statements"]
            )
        )
    if slides_csv.has_slides(None, sessions):  # plans with a slides stage: slides_csv.py
        resources.append(_csv_resource("slides", "slides.csv", SCHEMAS["slides"]))
    resources.extend(_other_files())
    return {
        # Mostly CSV files, with the JSON transcript, report and project files alongside.
        "profile": "data-package",
        "name": name,
        "title": title,
        "description": (
            "Research export of facilitated workshop sessions: "
            + ", ".join(s.code for s in sessions)
            + ". Participants appear by per-session pseudonym; display names only with "
            "their consent; withdrawn participants only as the fact of withdrawal."
        ),
        "created": created.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "licenses": [
            {
                "name": "other-closed",
                "title": "Not an open licence: personal research data, to be used only as "
                "the session's privacy notice allows.",
            }
        ],
        "keywords": ["workshop", "deliberation", "public engagement", "data sharing"],
        "resources": resources,
    }


def _series_of(db: Session, sessions) -> Series | None:
    ids = {s.series_id for s in sessions}
    if len(sessions) > 1 and len(ids) == 1 and None not in ids:
        return db.get(Series, ids.pop())
    return None


def datapackage_json(db: Session, sessions) -> Iterator[str]:
    sessions = as_sessions(sessions)
    yield json.dumps(descriptor(sessions, _series_of(db, sessions)), ensure_ascii=False, indent=2)
    yield "\n"
