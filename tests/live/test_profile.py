"""The framework profile (facilitation/workshop/profile.py): a hand-computed example of the
tests, features and acceptability score; the bootstrap interval pinned with its fixed seed
and checked against a naive bootstrap written here; degenerate rooms; breakdowns with small
groups folded; and a session's answers read from the database, withdrawn people left out."""

from __future__ import annotations

import statistics
from textwrap import dedent

import numpy
import pytest

from facilitation.plans import parse_plan
from facilitation.workshop import operations, payloads
from facilitation.workshop.profile import (
    RESAMPLES,
    SEED,
    Interval,
    PersonAnswers,
    breakdowns,
    compute_profile,
    session_answers,
    session_profile,
)
from facilitation.workshop.small_groups import OTHER_GROUPS

# Two tests (the second of two items) and two features: one on a 1-5 scale taking every
# item, one on a 0-10 scale of which two items of three are its questions.
PLAN = dedent(
    """\
    title: Framework example
    description: Two tests and two features.
    privacy_notice: Nothing is kept.
    sectors: [Health, Housing, Welfare]
    stages:
      - {key: t1, title: T1, prompt: Is it met, type: traffic_light, items: [{key: a, label: A}]}
      - key: t2
        title: T2
        prompt: Is it met
        type: traffic_light
        items: [{key: a, label: A}, {key: b, label: B}]
      - key: f1
        title: F1
        prompt: Rate
        type: rating
        items: [{key: x, label: X}, {key: y, label: Y}]
      - key: f2
        title: F2
        prompt: Rate
        type: rating
        scale: {min: 0, max: 10}
        items: [{key: p, label: P}, {key: q, label: Q}, {key: r, label: R}]
    framework:
      tests: [t1, t2]
      features:
        - f1
        - {stage: f2, questions: [p, q]}
    """
)
EXAMPLE = parse_plan(PLAN, "framework-example")

# Given out of order: the profile orders people by ``person`` itself.
PEOPLE = [
    PersonAnswers(
        4, {"t1": {"a": "met"}, "t2": {"a": "met", "b": "met"}, "f2": {"p": 10, "q": 10}}
    ),
    PersonAnswers(
        1,
        {
            "t1": {"a": "met"},
            "t2": {"a": "met", "b": "not_met"},
            "f1": {"x": 5, "y": 3},
            "f2": {"p": 10, "q": 5, "r": 0},  # r is not one of f2's questions
        },
    ),
    PersonAnswers(
        2,
        {
            "t1": {"a": "partly"},
            "t2": {"a": "partly"},
            "f1": {"x": 1, "y": 1},
            "f2": {"p": 0, "q": 0},
        },
    ),
    # Rated only some questions: x of f1, p of f2.
    PersonAnswers(3, {"t1": {"a": "not_met"}, "f1": {"x": 4}, "f2": {"p": 5}}),
]


def test_the_hand_computed_example():
    profile = compute_profile(EXAMPLE, PEOPLE)
    assert profile.n == 4
    t1, t2 = profile.tests
    # t1: person 1 met 100, 2 partly 50, 3 not met 0, 4 met 100: (100+50+0+100)/4 = 62.5.
    assert (t1.stage, t1.n, t1.score) == ("t1", 4, 62.5)
    # Shares of people: met 2/4, partly 1/4, not met 1/4; 100 x .5 + 50 x .25 = 62.5.
    assert t1.shares == {"met": 0.5, "partly": 0.25, "not_met": 0.25}
    # t2: 1: (met 100 + not met 0)/2 = 50; 2: partly 50; 3: none; 4: (100 + 100)/2 = 100.
    # (50 + 50 + 100)/3 = 66.67.
    assert (t2.n, t2.score) == (3, pytest.approx(200 / 3))
    # Each person weighs 1, split over their lights: met (1/2 + 0 + 1)/3 = 1/2,
    # partly (0 + 1 + 0)/3 = 1/3, not met (1/2 + 0 + 0)/3 = 1/6; 100/2 + 50/3 = 66.67.
    assert t2.shares == pytest.approx({"met": 1 / 2, "partly": 1 / 3, "not_met": 1 / 6})
    f1, f2 = profile.features
    # f1, 1 to 5: (r - 1)/4 x 100. Person 1: x 5 -> 100, y 3 -> 50, mean 75; 2: 0 and 0 -> 0;
    # 3: x 4 -> 75 (y not rated); 4: none. Score (75 + 0 + 75)/3 = 50.
    assert (f1.stage, f1.n, f1.score) == ("f1", 3, 50.0)
    # Sorted 0, 75, 75: median 75; q1 at position 0.5: 0 + (75 - 0) x .5 = 37.5; q3 at 1.5:
    # 75; spread (interquartile range) 75 - 37.5 = 37.5.
    assert (f1.median, f1.q1, f1.q3, f1.spread) == (75.0, 37.5, 75.0, 37.5)
    # f2, 0 to 10: r x 10. Person 1: p 10 -> 100, q 5 -> 50 (r is no question), mean 75;
    # 2: 0; 3: p 5 -> 50; 4: 100 and 100 -> 100. Score (75 + 0 + 50 + 100)/4 = 56.25.
    assert (f2.n, f2.score) == (4, 56.25)
    # Sorted 0, 50, 75, 100: median at 1.5: 62.5; q1 at 0.75: 37.5; q3 at 2.25: 81.25.
    assert (f2.median, f2.q1, f2.q3, f2.spread) == (62.5, 37.5, 81.25, 43.75)
    # Acceptability: (50 + 56.25)/2 = 53.125, four people rated some feature.
    assert (profile.acceptability.n, profile.acceptability.score) == (4, 53.125)


# The interval --------------------------------------------------------------------------------

# The intervals the fixed seed gives for the example: a report made twice shows the same.
PINNED = {
    "t1": Interval(25.0, 100.0),
    "t2": Interval(50.0, 100.0),
    "f1": Interval(0.0, 75.0),
    "f2": Interval(18.75, 87.5),
    "acceptability": Interval(15.625, 81.25),
}


def intervals_of(profile) -> dict:
    found = {score.stage: score.interval for score in (*profile.tests, *profile.features)}
    return {**found, "acceptability": profile.acceptability.interval}


def test_the_interval_is_pinned_by_its_seed():
    found = intervals_of(compute_profile(EXAMPLE, PEOPLE))
    assert found == {key: pytest.approx(interval) for key, interval in PINNED.items()}
    # The same answers in another order give the same intervals.
    assert intervals_of(compute_profile(EXAMPLE, PEOPLE[::-1])) == found


def naive_scores(people: list[PersonAnswers]) -> dict:
    """The example's scores straight from the formulas, for a resample (people repeat)."""
    points = {"met": 100, "partly": 50, "not_met": 0}

    def mean(values):
        return sum(values) / len(values) if values else None

    def test(key):
        return mean(
            [mean([points[v] for v in p.answers[key].values()]) for p in people if key in p.answers]
        )

    def feature(key, questions, low, high):
        scores = []
        for p in people:
            ratings = [r for q, r in p.answers.get(key, {}).items() if q in questions]
            if ratings:
                scores.append(mean([(r - low) / (high - low) * 100 for r in ratings]))
        return mean(scores)

    f1, f2 = feature("f1", "xy", 1, 5), feature("f2", "pq", 0, 10)
    both = None if f1 is None or f2 is None else (f1 + f2) / 2
    return {"t1": test("t1"), "t2": test("t2"), "f1": f1, "f2": f2, "acceptability": both}


def test_the_interval_is_a_naive_percentile_bootstrap_over_participants():
    """2000 resamples of the four people (by id) drawn with the seed; of each score, the
    2.5th and 97.5th percentiles (statistics.quantiles' inclusive method: linear
    interpolation) of the resamples it is defined in."""
    ordered = sorted(PEOPLE, key=lambda p: p.person)
    rng = numpy.random.default_rng(SEED)
    drawn: dict[str, list[float]] = {key: [] for key in PINNED}
    for _ in range(RESAMPLES):
        resample = [ordered[i] for i in rng.integers(0, len(ordered), size=len(ordered))]
        for key, value in naive_scores(resample).items():
            if value is not None:
                drawn[key].append(value)
    for key, values in drawn.items():
        cuts = statistics.quantiles(values, n=40, method="inclusive")  # every 2.5 %
        assert PINNED[key] == Interval(pytest.approx(cuts[0]), pytest.approx(cuts[-1])), key
    # Some resamples hold nobody who lit t2 (person 3 alone) or rated f1 (person 4 alone):
    assert len(drawn["t1"]) == RESAMPLES > len(drawn["t2"]) and len(drawn["f1"]) < RESAMPLES


# Degenerate rooms -----------------------------------------------------------------------------


def test_nobody_answered():
    profile = compute_profile(EXAMPLE, [PersonAnswers(1, {}), PersonAnswers(2, {"t1": {}})])
    assert profile.n == 0
    for test in profile.tests:
        assert (test.n, test.score, test.interval, test.shares) == (0, None, None, {})
    for feature in profile.features:
        assert (feature.n, feature.score, feature.interval, feature.median) == (0, None, None, None)
        assert feature.spread is None
    assert (profile.acceptability.n, profile.acceptability.score) == (0, None)
    assert profile.acceptability.interval is None


def test_everyone_the_same_gives_an_interval_of_width_zero():
    same = {
        "t1": {"a": "partly"},
        "t2": {"a": "met", "b": "met"},
        "f1": {"x": 4, "y": 4},
        "f2": {"p": 3, "q": 3},
    }
    profile = compute_profile(EXAMPLE, [PersonAnswers(i, same) for i in range(5)])
    assert intervals_of(profile) == {
        "t1": Interval(50.0, 50.0),
        "t2": Interval(100.0, 100.0),
        "f1": Interval(75.0, 75.0),
        "f2": Interval(30.0, 30.0),
        "acceptability": Interval(52.5, 52.5),
    }
    assert profile.features[0].spread == 0


def test_one_person_is_their_own_profile():
    profile = compute_profile(EXAMPLE, [PEOPLE[1]])
    assert profile.n == 1
    assert [(t.score, t.interval) for t in profile.tests] == [
        (100.0, Interval(100.0, 100.0)),
        (50.0, Interval(50.0, 50.0)),
    ]
    assert profile.acceptability.score == (75 + 75) / 2
    assert profile.acceptability.interval == Interval(75.0, 75.0)


def test_acceptability_waits_for_every_feature():
    """A mean over some of the features would be another number: none until all have one."""
    profile = compute_profile(EXAMPLE, [PEOPLE[0]])  # person 4 rated f2 only
    assert profile.features[0].score is None and profile.features[1].score == 100
    assert (profile.acceptability.n, profile.acceptability.score) == (1, None)


def test_a_plan_without_a_framework_has_no_profile():
    plan = parse_plan(PLAN.split("framework:")[0], "no-framework")
    with pytest.raises(ValueError):
        compute_profile(plan, PEOPLE)


def test_the_profile_as_json():
    data = compute_profile(EXAMPLE, PEOPLE).as_json()
    assert data["features"][0]["spread"] == 37.5
    assert data["acceptability"]["interval"] == {
        "low": pytest.approx(15.625),
        "high": pytest.approx(81.25),
    }


# By sector and by table ----------------------------------------------------------------------

ANSWERS = {"t1": {"a": "met"}, "t2": {"a": "met"}, "f1": {"x": 5, "y": 5}, "f2": {"p": 10, "q": 10}}


def person(number: int, sector: str | None, table: str | None = None, answers=ANSWERS):
    return PersonAnswers(
        number, {key: dict(value) for key, value in answers.items()}, sector, table
    )


def test_small_groups_fold_into_other_groups():
    # Health 3, Housing 3, Welfare 1: Welfare alone would be one person's answers, and the
    # room minus Health and Housing would be Welfare's; so Housing (the later of the two
    # smallest) is folded in with it: Health and Other groups (4 people).
    people = (
        [person(i, "Health") for i in range(3)]
        + [person(10 + i, "Housing") for i in range(3)]
        + [person(20, "Welfare")]
    )
    by_sector, by_table = breakdowns(EXAMPLE, people, EXAMPLE.sectors, [])
    assert [(g.label, g.profile.n, g.other) for g in by_sector.groups] == [
        ("Health", 3, False),
        (OTHER_GROUPS, 4, True),
    ]
    assert by_sector.folded["small"] == ["Welfare"] and by_sector.folded["also"] == ["Housing"]
    # Nobody sits at a table: one group of everyone, named so.
    assert [(g.label, g.profile.n) for g in by_table.groups] == [("No table yet", 7)]
    # Each group's profile is its own people's, its interval its own bootstrap's.
    assert by_sector.groups[0].profile == compute_profile(EXAMPLE, people[:3])


def test_too_few_in_all_shows_no_group():
    by_sector, _ = breakdowns(
        EXAMPLE, [person(1, "Health"), person(2, "Housing")], EXAMPLE.sectors, []
    )
    assert by_sector.groups == ()
    assert by_sector.folded["small"] == ["Health", "Housing"]


def test_tables_are_crossed_with_sectors():
    # Table A: three of Health and one of Housing; Table B: three of Housing. Showing Table A
    # beside the sectors would give away the one Housing person at it.
    people = (
        [person(i, "Health", "A") for i in range(3)]
        + [person(10, "Housing", "A")]
        + [person(11 + i, "Housing", "B") for i in range(3)]
    )
    by_sector, by_table = breakdowns(EXAMPLE, people, EXAMPLE.sectors, ["A", "B"])
    shown = {g.label for g in by_sector.groups} | {g.label for g in by_table.groups}
    assert "A" not in shown and "B" not in shown


def test_a_score_behind_too_few_people_in_a_group_is_withheld():
    # Health: 4 people, of whom 2 lit t2. Housing: 3 people, all lit t2. Health's t2 would
    # be 2 people's lights: withheld; and then Housing's too, or the room's t2 minus
    # Housing's would give Health's two away. The rest of both profiles shows.
    partial = {key: value for key, value in ANSWERS.items() if key != "t2"}
    people = (
        [person(i, "Health") for i in range(2)]
        + [person(2 + i, "Health", answers=partial) for i in range(2)]
        + [person(10 + i, "Housing") for i in range(3)]
    )
    by_sector, _ = breakdowns(EXAMPLE, people, EXAMPLE.sectors, [])
    health, housing = by_sector.groups
    assert [(t.stage, t.n, t.withheld, t.score) for t in health.profile.tests] == [
        ("t1", 4, False, 100.0),
        ("t2", 2, True, None),
    ]
    assert housing.profile.tests[1].withheld and housing.profile.tests[1].interval is None
    assert not housing.profile.tests[0].withheld
    assert health.profile.acceptability.score == 100.0


def test_the_acceptability_score_is_withheld_with_any_feature_behind_it():
    # Health: 4 people, only 2 of whom rated f2. Health's f2 is withheld; its acceptability
    # (the mean of f1 and f2, behind all 4) would give f2 away (2 x mean - f1): withheld too.
    partial = {key: value for key, value in ANSWERS.items() if key != "f2"}
    people = (
        [person(i, "Health") for i in range(2)]
        + [person(2 + i, "Health", answers=partial) for i in range(2)]
        + [person(10 + i, "Housing") for i in range(3)]
    )
    by_sector, _ = breakdowns(EXAMPLE, people, EXAMPLE.sectors, [])
    health, _housing = by_sector.groups
    assert [(f.stage, f.withheld) for f in health.profile.features] == [
        ("f1", False),
        ("f2", True),
    ]
    assert health.profile.acceptability.withheld
    assert health.profile.acceptability.score is None


# From the database ---------------------------------------------------------------------------


def answer(db, session_id: int, participant_id: int, stage: str, value: dict, number: list):
    number[0] += 1
    payload = payloads.AnswerPayload(stage, f"profile-{number[0]}", value)
    operations.record_answer(db, session_id, participant_id, payload)


def test_a_sessions_answers_leave_withdrawn_people_out(workshop):
    plan = workshop.plan
    counter = [0]
    with workshop.db() as db:
        people = [
            operations.join(db, workshop.session_id, sector)
            for sector in ("Health", "Health", "Housing")
        ]
        for key, light in zip(plan.framework.tests, ("met", "partly", "not_met"), strict=True):
            operations.go_to_stage(db, workshop.session_id, plan.stage_index(key))
            operations.open_input(db, workshop.session_id)
            for who in people:
                answer(db, workshop.session_id, who.id, key, {"lights": {key: light}}, counter)
        feature = plan.framework.features[0]
        operations.go_to_stage(db, workshop.session_id, plan.stage_index(feature.stage))
        operations.open_input(db, workshop.session_id)
        for who, rating in zip(people, (5, 3, 1), strict=True):
            value = {"ratings": {q: rating for q in feature.questions}}
            answer(db, workshop.session_id, who.id, feature.stage, value, counter)
        operations.withdraw(db, workshop.session_id, people[2].id)
        session = workshop.session()
        found = session_answers(db, session)
        profile = session_profile(db, session, resamples=200)

    assert [(p.person, p.sector) for p in found] == [
        (people[0].id, "Health"),
        (people[1].id, "Health"),
    ]
    assert found[0].answers["purposeful"] == {"purposeful": "met"}
    assert found[1].answers[feature.stage] == dict.fromkeys(feature.questions, 3)
    assert "sector" not in found[0].answers  # only the framework's stages are read
    room = profile.room
    assert room.n == 2
    # Everyone lit the first test met, the second partly, the third not met.
    assert [t.score for t in room.tests] == [100.0, 50.0, 0.0]
    # Ratings 5 and 3 on 1-5: 100 and 50.
    assert (room.features[0].n, room.features[0].score) == (2, 75.0)
    # Only one of the five features was rated: no acceptability score yet.
    assert room.acceptability.score is None
    # Two people: too few for any group.
    assert profile.by_sector.groups == () and profile.by_table.groups == ()
