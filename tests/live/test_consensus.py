"""Cross-sector consensus (facilitation/workshop/consensus.py) on hand-made vote counts, then
through the live session: the comment wall carries each comment's consensus."""

from __future__ import annotations

from facilitation.models import WorkshopSession
from facilitation.workshop import operations, payloads
from facilitation.workshop.consensus import (
    CONSENSUS,
    MIXED,
    SPLIT,
    TOO_FEW,
    SectorVotes,
    classify,
    consensus_of,
    rank_key,
)
from facilitation.workshop.state import comment_wall
from tests.factories import client_id


def votes(*rows) -> list[SectorVotes]:
    return [SectorVotes(*row) for row in rows]


# The rule, case by case ----------------------------------------------------------------------


def test_one_sector_agreeing_is_never_consensus_however_many_votes():
    assert classify(votes(("Health", 12))) == TOO_FEW
    # Other sectors that did not vote do not make it a cross-sector agreement either.
    assert classify(votes(("Health", 12), ("Housing", 0, 0, 0))) == TOO_FEW


def test_every_sector_that_voted_agreeing_is_consensus():
    assert classify(votes(("Health", 3, 1), ("Housing", 2), ("Welfare", 1))) == CONSENSUS
    result = consensus_of(
        votes(("Housing", 3), ("Health", 3, 1), ("Welfare", 2, 0, 1)),
        sectors=("Health", "Housing", "Welfare"),
    )
    assert result["status"] == CONSENSUS
    assert result["sectors_agreeing"] == 3
    # Listed in the plan's order of sectors, with agree / disagree / pass each.
    assert result["by_sector"] == [
        {"sector": "Health", "agree": 3, "disagree": 1, "pass": 0},
        {"sector": "Housing", "agree": 3, "disagree": 0, "pass": 0},
        {"sector": "Welfare", "agree": 2, "disagree": 0, "pass": 1},
    ]


def test_a_majority_needs_more_than_half():
    # Housing is evenly split: it does not agree, so this is not a consensus.
    assert classify(votes(("Health", 3), ("Housing", 1, 1))) == MIXED


def test_one_sector_agreeing_and_another_disagreeing_is_a_split():
    assert classify(votes(("Health", 3), ("Housing", 0, 2))) == SPLIT
    assert classify(votes(("Health", 2, 1), ("Housing", 1, 2), ("Welfare", 1, 1))) == SPLIT


def test_everyone_disagreeing_is_mixed_not_split():
    assert classify(votes(("Health", 0, 2), ("Housing", 0, 3))) == MIXED


def test_sectors_of_one_or_two_voters_never_show_nor_sway_the_badge():
    # The rule itself counts whatever sectors it is given...
    assert classify(votes(("Health", 1), ("Housing", 0, 1))) == SPLIT
    assert classify([]) == TOO_FEW
    # ...but it is only ever given sectors of at least min_group_size voters (default 3):
    # a lone Housing voter against it neither shows as "Housing 0–1" nor splits sectors.
    alone = consensus_of(votes(("Health", 3), ("Housing", 0, 1)))
    assert alone["by_sector"] == [
        {"sector": "Other groups", "agree": 3, "disagree": 1, "pass": 0, "other": True}
    ]
    assert alone["status"] == TOO_FEW  # Health folded in too: 3 - 0 minus the room's 3 - 1
    assert consensus_of(votes(("Health", 1), ("Housing", 1))) == {
        "status": TOO_FEW,
        "sectors_agreeing": 0,
        "by_sector": [],  # Other groups holds 2 voters: hidden as well
    }
    # Two small sectors together reach the size: one "Other groups" voice beside Health.
    folded = consensus_of(
        votes(("Welfare", 1), ("Health", 4), ("Housing", 2)), sectors=("Health", "Housing")
    )
    assert [(s["sector"], s["agree"]) for s in folded["by_sector"]] == [
        ("Health", 4),
        ("Other groups", 3),
    ]
    assert (folded["status"], folded["sectors_agreeing"]) == (CONSENSUS, 2)
    # A plan may lower the size to 2, never to 1.
    two = consensus_of(votes(("Health", 2), ("Housing", 0, 2)), min_size=2)
    assert two["status"] == SPLIT and len(two["by_sector"]) == 2


def test_passes_count_as_votes_but_never_as_agreement():
    # Housing: 1 agree and 1 pass is not "more than half agree".
    assert classify(votes(("Health", 2), ("Housing", 1, 0, 1))) == MIXED
    # Housing: 2 agree and 1 pass still is.
    assert classify(votes(("Health", 2), ("Housing", 2, 0, 1))) == CONSENSUS
    # A sector that only passed took part, and holds a consensus back.
    assert classify(votes(("Health", 3), ("Housing", 0, 0, 2))) == MIXED
    # A sector whose majority disagrees splits, even with passes in the other.
    assert classify(votes(("Health", 2, 0, 1), ("Housing", 0, 2, 1))) == SPLIT


def test_sectors_that_did_not_vote_are_left_out():
    result = consensus_of(votes(("Health", 3), ("Housing", 3), ("Welfare", 0)))
    assert [s["sector"] for s in result["by_sector"]] == ["Health", "Housing"]
    assert result["status"] == CONSENSUS


def test_ranking_puts_wider_consensus_first_then_splits():
    wide = consensus_of(votes(("A", 4), ("B", 4), ("C", 3)))
    narrow = consensus_of(votes(("A", 4), ("B", 4)))
    split = consensus_of(votes(("A", 3), ("B", 0, 3)))
    few = consensus_of(votes(("A", 9)))
    ranked = sorted(
        [
            ("few", few, 9, 0),
            ("split", split, 3, 2),
            ("narrow", narrow, 4, 0),
            ("wide", wide, 5, 0),
        ],
        key=lambda row: rank_key(row[1], row[2], row[3]),
    )
    assert [name for name, *_ in ranked] == ["wide", "narrow", "split", "few"]


# Through the session -----------------------------------------------------------------------


def test_the_comment_wall_carries_consensus_per_sector(workshop):
    sid = workshop.session_id
    author = workshop.join("Health")
    # Three of each sector: the built-in plan shows no sector with fewer voters.
    health = [workshop.join("Health") for _ in range(3)]
    housing = [workshop.join("Housing") for _ in range(3)]
    welfare, *more_welfare = (workshop.join("Welfare") for _ in range(3))
    with workshop.db() as db:
        operations.go_to_stage(db, sid, workshop.stage_index("purposeful"))
        operations.open_input(db, sid)
        liked = operations.post_comment(
            db, sid, author.id, payloads.CommentPayload("purposeful", client_id(), "Liked")
        ).comment_id
        torn = operations.post_comment(
            db, sid, welfare.id, payloads.CommentPayload("purposeful", client_id(), "Torn")
        ).comment_id

        def react(person, comment, value):
            reaction = payloads.ReactionPayload(comment, client_id(), value)
            operations.react(db, sid, person.id, reaction)

        for person in (*health, *housing, welfare, *more_welfare):
            react(person, liked, 1)
        react(housing[1], liked, -1)  # changes their mind: Housing is now 2 to 1
        react(housing[1], liked, 1)  # and back: 3 to 0
        for person in health:
            react(person, torn, 1)
        for person in housing:
            react(person, torn, -1)

        session = db.get(WorkshopSession, sid)
        wall = {c["text"]: c for c in comment_wall(db, session, "purposeful")}

    assert wall["Liked"]["consensus"] == {
        "status": "consensus",
        "sectors_agreeing": 3,
        "by_sector": [
            {"sector": "Health", "agree": 3, "disagree": 0, "pass": 0},
            {"sector": "Housing", "agree": 3, "disagree": 0, "pass": 0},
            {"sector": "Welfare", "agree": 3, "disagree": 0, "pass": 0},
        ],
    }
    assert wall["Torn"]["consensus"]["status"] == "split"
    assert [s["sector"] for s in wall["Torn"]["consensus"]["by_sector"]] == ["Health", "Housing"]


def test_a_withdrawn_voter_leaves_the_sector_counts(workshop):
    sid = workshop.session_id
    author = workshop.join("Health")
    a, *health = (workshop.join("Health") for _ in range(4))
    housing = [workshop.join("Housing") for _ in range(3)]
    with workshop.db() as db:
        operations.go_to_stage(db, sid, workshop.stage_index("purposeful"))
        operations.open_input(db, sid)
        comment = operations.post_comment(
            db, sid, author.id, payloads.CommentPayload("purposeful", client_id(), "Hm")
        ).comment_id
        for person in (a, *health, *housing):
            operations.react(db, sid, person.id, payloads.ReactionPayload(comment, client_id(), 1))
        session = db.get(WorkshopSession, sid)
        assert comment_wall(db, session, "purposeful")[0]["consensus"]["status"] == "consensus"
        operations.withdraw(db, sid, a.id)
        db.expire_all()
        session = db.get(WorkshopSession, sid)
        after = comment_wall(db, session, "purposeful")[0]["consensus"]
    # Health has three voters left.
    assert after["status"] == "consensus"
    assert after["by_sector"] == [
        {"sector": "Health", "agree": 3, "disagree": 0, "pass": 0},
        {"sector": "Housing", "agree": 3, "disagree": 0, "pass": 0},
    ]
