"""Statements: participants write statements that others agree with, disagree with or pass.

The statements are the stage's comments (posted through ``operations.post_comment``) and
the votes its reactions, so the stage is summarised from the wall's votes
(``aggregates.statement_results``), ranked by the share of votes that agree.
"""

from __future__ import annotations

import html

from flask_babel import lazy_gettext
from yaml.nodes import MappingNode, ScalarNode

from ..charts import bar, bar_layout, texts, wrap
from ..plans.model import OPINION_MIN_PEOPLE_RANGE, OPINION_MIN_VOTES_RANGE, OpinionGroups
from ..plans.reader import NULL, join
from .base import ActivityType, Table

STATEMENT_COLOURS = {"agree": "#1b7a3a", "passes": "#6b6b6b", "disagree": "#b3261e"}
STATEMENTS_SHOWN = 10
# What a statement keeps once the raw data is deleted: its votes, not its wording.
_NOT_KEPT = ("id", "text", "seq")


def agreement(agree: int, disagree: int, passes: int) -> float | None:
    """The share of a statement's votes that agree (a pass is a vote that does not)."""
    votes = agree + disagree + passes
    return round(agree / votes, 3) if votes else None


def ranked(rows) -> list[dict]:
    """Statements from (id, text, agree, disagree, passes, seq) rows, most agreed first.

    Ranked by the share of votes that agree; equal shares by the number agreeing, then
    the older statement first. Statements nobody has voted on yet come last.
    """
    statements = [
        {
            "id": cid,
            "text": text,
            "agree": agree,
            "disagree": disagree,
            "passes": passes,
            "votes": agree + disagree + passes,
            "agreement": agreement(agree, disagree, passes),
            "seq": seq,
        }
        for cid, text, agree, disagree, passes, seq in rows
    ]
    statements.sort(
        key=lambda s: (s["agreement"] is None, -(s["agreement"] or 0), -s["agree"], s["seq"])
    )
    return statements


def statement_text(statement: dict, rank: int) -> str:
    # Counts kept after a purge keep no participant's wording.
    return statement.get("text") or f"Statement {rank} (wording deleted with the raw data)"


def _shorten(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _percent(share: float | None) -> str:
    return "–" if share is None else f"{round(100 * share)}%"


OPINION_FIELDS = ("min_votes", "min_people", "tell_participants")
_OPINION_WHAT = "true, false or a set of fields with min_votes, min_people and tell_participants"


def read_opinion_groups(reader, fields) -> OpinionGroups | None:
    """The stage's ``opinion_groups:`` (docs/plan-format.md): left out or ``true``, the
    defaults; ``false``, off (None); or its settings as a mapping."""
    entry = fields.get("opinion_groups")
    if entry is None:
        return OpinionGroups()
    node = entry[1]
    path = join(fields.path, "opinion_groups")
    if isinstance(node, ScalarNode) and node.tag == NULL:
        return OpinionGroups()
    if isinstance(node, ScalarNode) and node.tag == "tag:yaml.org,2002:bool":
        on = reader.boolean(fields, "opinion_groups")
        return OpinionGroups() if on else None
    if not isinstance(node, MappingNode):
        reader.error(node, path, f"must be {_OPINION_WHAT}")
        return OpinionGroups()
    settings = reader.mapping(node, path, OPINION_FIELDS, _OPINION_WHAT)
    default = OpinionGroups()
    return OpinionGroups(
        min_votes=reader.integer(
            settings, "min_votes", default.min_votes, *OPINION_MIN_VOTES_RANGE
        ),
        min_people=reader.integer(
            settings, "min_people", default.min_people, *OPINION_MIN_PEOPLE_RANGE
        ),
        tell_participants=reader.boolean(settings, "tell_participants", False),
    )


class Statements(ActivityType):
    name = "statements"
    label = lazy_gettext("Statements")
    editor_hint = "Participants write statements and vote agree, disagree or pass on others'."
    always_comments = True
    pass_allowed = True
    votes_are_results = True
    plan_fields = ("opinion_groups",)

    def read_plan(self, reader, fields) -> dict:
        return {"opinion_groups": read_opinion_groups(reader, fields)}

    def stage_view(self, activity) -> dict:
        # Phones ask for their own opinion group only where the plan tells people theirs.
        chosen = activity.opinion_groups
        return {"tell_participants": chosen is not None and chosen.tell_participants}

    def kept(self, results: dict, min_group_size: int) -> dict:
        statements = [
            {key: value for key, value in statement.items() if key not in _NOT_KEPT}
            for statement in results["statements"]
        ]
        return {**results, "statements": statements}

    def figure(self, results: dict) -> dict | None:
        statements = [s for s in results["statements"] if s["votes"]][:STATEMENTS_SHOWN]
        if not statements:
            return None
        labels = [
            wrap(f"{rank}. {_shorten(s['text'])}", 36) for rank, s in enumerate(statements, 1)
        ]
        data = [
            bar(
                name=name,
                x=[s[key] for s in statements],
                y=list(labels),
                marker={"color": STATEMENT_COLOURS[key]},
                text=texts(s[key] or "" for s in statements),
                textposition="inside",
            )
            for key, name in (("agree", "Agree"), ("passes", "Pass"), ("disagree", "Disagree"))
        ]
        return bar_layout(
            data,
            stacked=True,
            rows=len(statements),
            height_per_row=90,
            meta={"chart": "statements"},
        )

    def table(self, stage, results: dict) -> Table:
        return Table(
            "Statements ranked by agreement (the share of votes that agree)",
            ["Statement", "Agree", "Disagree", "Pass", "Agreement"],
            [
                [
                    statement_text(s, rank),
                    s["agree"],
                    s["disagree"],
                    s["passes"],
                    _percent(s["agreement"]),
                ]
                for rank, s in enumerate(results.get("statements", ()), start=1)
            ],
            [False, True, True, True, True],
        )

    def plotly_safe(self, results: dict) -> dict:
        # The report's figures put the statements' text in plotly's labels, which read <b>,
        # <a href> and the like as markup and show &lt; as <.
        statements = [
            {**s, "text": html.escape(statement_text(s, rank), quote=False)}
            for rank, s in enumerate(results["statements"], start=1)
        ]
        return {**results, "statements": statements}


TYPE = Statements()
