"""The profile stage (activities/profile.py, workshop/profile_stage.py): its results are the
framework profile of the answers to the plan's tests and features, for the room and per
sector with small scores withheld; its figure and table; a plan without a framework is
refused; the ``own_profile`` event answers a participant only, with their own scores."""

from __future__ import annotations

from textwrap import dedent

import pytest

from facilitation.activities import activity_type, stage_figure
from facilitation.plans import PlanInvalid, parse_plan
from facilitation.workshop.aggregates import grouped_results, stage_results
from facilitation.workshop.plan_cache import plan_of
from facilitation.workshop.profile import compute_profile, session_answers
from facilitation.workshop.profile_stage import own_profile
from facilitation.workshop.results_view import breakdown_view, room_view
from tests.factories import client_id

TESTS = ("purposeful", "proportionate", "responsible")
FEATURES = (
    "feature-outcomes",
    "feature-wider-public",
    "feature-respect",
    "feature-resources",
    "feature-tangible",
)


def answer(facilitator, workshop, phone, key: str, value: dict) -> None:
    assert facilitator.emit("goto", {"index": workshop.stage_index(key)})["ok"]
    facilitator.emit("open_input")
    ack = phone.emit("answer", {"stage": key, "client_id": client_id(), "value": value})
    assert ack["ok"], ack


def lights(workshop, key: str, light: str) -> dict:
    items = workshop.plan.stage(key).activity.items
    return {"lights": {item.key: light for item in items}}


def ratings(workshop, key: str, rating: int) -> dict:
    items = workshop.plan.stage(key).activity.items
    return {"ratings": {item.key: rating for item in items}}


@pytest.fixture
def room(workshop):
    """Three people of Health: met and 5 everywhere, partly and 3, not met and 1; and one
    of Housing who lit the first test only."""
    facilitator = workshop.facilitator()
    phones = [workshop.phone("Health") for _ in range(3)] + [workshop.phone("Housing")]
    for phone, light, rating in zip(phones, ("met", "partly", "not_met"), (5, 3, 1), strict=False):
        for key in TESTS:
            answer(facilitator, workshop, phone, key, lights(workshop, key, light))
        for key in FEATURES:
            answer(facilitator, workshop, phone, key, ratings(workshop, key, rating))
    answer(facilitator, workshop, phones[3], TESTS[0], lights(workshop, TESTS[0], "met"))
    return facilitator, phones


def test_the_built_in_plan_shows_the_profile_before_its_closing_card(workshop):
    keys = [stage.key for stage in workshop.plan.stages]
    assert keys[-2:] == ["verdict", "close"]
    verdict = workshop.plan.stage("verdict")
    assert activity_type(verdict.activity.type).from_framework
    assert not verdict.activity.answerable and verdict.activity.body


def test_the_stage_results_are_the_rooms_profile(workshop, room):
    with workshop.db() as db:
        session = workshop.session()
        stage = workshop.plan.stage("verdict")
        results = stage_results(db, session, stage)
        expected = compute_profile(plan_of(session), session_answers(db, session)).as_json()
    assert results["answered"] == 4 == results["n"]
    assert [t["stage"] for t in results["tests"]] == list(TESTS)
    assert [f["stage"] for f in results["features"]] == list(FEATURES)
    assert results["tests"][0]["title"] == workshop.plan.stage("purposeful").title
    # The first test: met, partly, not met and met again: (100 + 50 + 0 + 100) / 4.
    assert results["tests"][0]["score"] == pytest.approx(62.5)
    assert results["tests"][1]["n"] == 3 and results["tests"][1]["score"] == pytest.approx(50)
    # Features: 5, 3, 1 on 1-5 are 100, 50, 0; acceptability their mean.
    assert results["acceptability"]["score"] == pytest.approx(50)
    assert results["acceptability"]["n"] == 3
    for key in ("tests", "features", "acceptability"):
        got = results[key]
        if isinstance(got, tuple):  # each entry as profile.py made it, with its title
            got = tuple({k: v for k, v in entry.items() if k != "title"} for entry in got)
        assert got == expected[key]


def test_the_figure_draws_tests_then_features_with_intervals_and_the_table_ends_with_acceptability(
    workshop, room
):
    with workshop.db() as db:
        session = workshop.session()
        stage = workshop.plan.stage("verdict")
        view = room_view(stage_results(db, session, stage), stage)
    figure, table = view["figure"], view["table"]
    tests, features, words = figure["data"]
    assert (tests["name"], features["name"]) == ("Tests", "Features")
    titles = [workshop.plan.stage(key).title for key in (*TESTS, *FEATURES)]
    assert [label.replace("<br>", " ") for label in tests["y"]] == titles
    # Each trace holds its own part's rows only, so tests and features read as two groups.
    assert tests["x"][:3] == [62.5, 50, 50] and tests["x"][3:] == [None] * 5
    assert features["x"][:3] == [None] * 3 and features["x"][3:] == [50] * 5
    low_high = [t["interval"] for t in view["results"]["tests"]]
    # Each score in words just after its whisker.
    assert words["mode"] == "text" and words["text"][:4] == ["63", "50", "50", "50"]
    assert words["x"][0] == pytest.approx(round(low_high[0]["high"], 1))
    assert tests["error_x"]["arrayminus"][0] == pytest.approx(62.5 - low_high[0]["low"])
    assert tests["error_x"]["array"][0] == pytest.approx(low_high[0]["high"] - 62.5)
    assert "n = %{customdata[1]}" in tests["hovertemplate"] and tests["customdata"][0][1] == 4
    assert figure["layout"]["xaxis"]["range"] == [0, 112]  # room for words past 100
    assert figure["layout"]["shapes"][0]["y0"] == 2.5  # the rule between tests and features
    assert table["columns"] == ["Test or feature", "Part", "Score", "95% interval", "People"]
    assert [row[0] for row in table["rows"]] == [*titles, "Acceptability score"]
    assert table["rows"][-1][2] == "50" and table["rows"][-1][4] == 3
    assert table["rows"][0][4] == 4


def test_an_empty_room_has_a_profile_without_scores(workshop):
    with workshop.db() as db:
        session = workshop.session()
        stage = workshop.plan.stage("verdict")
        results = stage_results(db, session, stage)
    assert results["answered"] == 0 and results["acceptability"]["score"] is None
    figure = stage_figure("profile", results)
    assert set(figure["data"][-1]["text"]) == {"no answers"}
    table = activity_type("profile").table(stage, results)
    assert table.rows[-1][2] == "no answers" and table.rows[-1][3] == "–"


def test_by_sector_small_groups_are_folded_and_said(workshop, room):
    with workshop.db() as db:
        session = workshop.session()
        stage = workshop.plan.stage("verdict")
        groups, folded = grouped_results(db, session, stage, "sector", list(workshop.plan.sectors))
        view = breakdown_view(db, session, stage, "sector", stage_results(db, session, stage))
    # Housing's one person cannot show, nor Health beside the room (the room minus Health
    # would be that person): both fold into Other groups, and the console is told.
    assert [(group["label"], group.get("other")) for group in groups] == [("Other groups", True)]
    assert groups[0]["answered"] == 4 and groups[0]["results"]["tests"][0]["score"] == 62.5
    assert folded is not None
    assert view["groups"][0]["table"]["rows"][0][0] == workshop.plan.stage("purposeful").title
    assert view["figure"]["layout"]["meta"]["chart"] == "breakdown"


def test_a_score_behind_too_few_people_is_withheld_in_its_group(workshop, room):
    facilitator, _phones = room
    # Three of Housing now: a group shows, but only one of them rated a feature.
    more = [workshop.phone("Housing") for _ in range(2)]
    for phone in more:
        answer(facilitator, workshop, phone, TESTS[0], lights(workshop, TESTS[0], "partly"))
    answer(facilitator, workshop, more[0], FEATURES[0], ratings(workshop, FEATURES[0], 4))
    with workshop.db() as db:
        session = workshop.session()
        stage = workshop.plan.stage("verdict")
        groups, _folded = grouped_results(db, session, stage, "sector", ["Health", "Housing"])
    assert [group["label"] for group in groups] == ["Health", "Housing"]
    assert groups[0]["results"]["tests"][0]["score"] == 50
    housing = groups[1]
    feature = housing["results"]["features"][0]
    assert feature["withheld"] and feature["score"] is None and feature["n"] == 1
    table = activity_type("profile").table(stage, housing["results"])
    assert table.rows[3][2] == "withheld"
    figure = stage_figure("profile", housing["results"])
    assert figure["data"][-1]["text"][3] == "withheld"


def test_the_reveal_flow_offers_the_profile(workshop, room):
    facilitator, _phones = room
    assert facilitator.emit("goto", {"index": workshop.stage_index("verdict")})["ok"]
    state = facilitator.emit("sync")["state"]
    assert state["flow"]["has_results"] and state["flow"]["next"] == "reveal"
    assert not facilitator.emit("open_input")["ok"]  # it takes no input
    assert facilitator.emit("reveal")["ok"]
    sync = facilitator.emit("sync")
    assert sync["results"]["stage"] == "verdict" and sync["results"]["figure"]["data"]


# A plan without a framework -------------------------------------------------------------

NO_FRAMEWORK = dedent(
    """\
    title: No framework
    description: A profile stage alone.
    privacy_notice: Nothing is kept.
    sectors: [Health]
    stages:
      - {key: t1, title: T1, prompt: Is it met, type: traffic_light, items: [{key: a, label: A}]}
      - {key: verdict, title: Verdict, prompt: The profile, type: profile}
    """
)


def test_a_profile_stage_needs_the_plan_to_declare_its_framework():
    with pytest.raises(PlanInvalid) as refused:
        parse_plan(NO_FRAMEWORK, "no-framework")
    message = str(refused.value)
    assert "line 7: stages[2].type: a profile stage shows the framework profile" in message
    assert "declares no framework:" in message
    with_one = NO_FRAMEWORK + "framework:\n  tests: [t1]\n"
    assert parse_plan(with_one, "with-framework").stage("verdict").activity.type == "profile"


# The phone's own profile ----------------------------------------------------------------


def test_own_profile_gives_a_participant_their_own_scores(workshop, room):
    _facilitator, phones = room
    ack = phones[0].emit("own_profile")
    assert ack["ok"], ack
    mine = ack["profile"]
    assert mine["n"] == 1 and mine["tests"][0]["score"] == 100
    assert mine["acceptability"]["score"] == 100
    assert mine["features"][0]["title"] == workshop.plan.stage(FEATURES[0]).title
    housing = phones[3].emit("own_profile")["profile"]
    assert housing["tests"][0]["score"] == 100 and housing["features"][0]["score"] is None


def test_own_profile_is_for_participants_only(workshop, room):
    facilitator, _phones = room
    screen = workshop.screen()
    for client in (facilitator, screen):
        ack = client.emit("own_profile")
        assert not ack["ok"] and ack["error"] == "Only a participant can do that."


def test_own_profile_is_refused_to_a_withdrawn_participant(workshop, room):
    _facilitator, phones = room
    assert phones[1].emit("withdraw")["ok"]
    ack = phones[1].emit("own_profile")
    assert not ack["ok"] and "withdrawn" in ack["error"]
    with workshop.db() as db:
        with pytest.raises(Exception, match="withdrawn"):
            own_profile(db, workshop.session(), phones[1].participant.id)
