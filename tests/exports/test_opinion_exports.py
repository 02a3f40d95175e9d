"""Opinion groups in the research exports: a room with three planted groups, played through
the real operations, gives ``opinion_groups.csv`` and ``opinion_statements.csv`` with the
planted groups lettered by size, a Data Package that validates and states the method,
a .qdpx with a code per group coding its members' statements, and a report section; a
stage with too few voters has no groups and says so; pseudonyms only; withdrawn people
and purged sessions have none."""

from __future__ import annotations

import csv
import json
import re
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from xml.etree import ElementTree

import frictionless
import plotly.graph_objects as go
import pytest
import xmlschema

from facilitation.exports import formats
from facilitation.exports.formats import write_export
from facilitation.extensions import socketio
from facilitation.models import Participant, WorkshopSession
from facilitation.privacy import retention
from facilitation.workshop import operations
from tests.exports.conftest import produce, read_csv
from tests.exports.test_qdpx import SCHEMA_PATH, Project
from tests.exports.test_report import figures, sections, without_plotly
from tests.factories import Workshop
from tests.support.scenario import comment, join, open_stage, react

PLAN = """\
title: Where we stand
description: Statements with opinion groups, for the export tests.
privacy_notice: We keep your statements and votes for 30 days.
retention_days: 30
sectors: [Health, Housing, Welfare]
stages:
  - {key: say, title: Sharing health data, prompt: Say what you think, type: statements}
  - key: quiet
    title: A quiet corner
    prompt: Few will vote here
    type: statements
    opinion_groups: {min_votes: 2, min_people: 7}
  - {key: plain, title: No groups here, prompt: Just statements, type: statements,
     opinion_groups: false}
"""

# Three camps of 6, 5 and 4 people (so A, B and C by size), sectors mixed across them.
SIZES = {"north": 6, "south": 5, "east": 4}
SECTORS = ["Health", "Housing", "Welfare"]
# Each statement: who wrote it (a camp's first member) and each camp's vote.
STATEMENTS = {
    "consent": ("north", {"north": 1, "south": 1, "east": 1}),
    "tell": ("south", {"north": 1, "south": 1, "east": 1}),
    "research": ("north", {"north": 1, "south": -1, "east": -1}),
    "anonymise": ("north", {"north": 1, "south": -1, "east": -1}),
    "private": ("south", {"north": -1, "south": 1, "east": -1}),
    "charge": ("south", {"north": -1, "south": 1, "east": -1}),
    "local": ("east", {"north": -1, "south": -1, "east": 1}),
    "council": ("east", {"north": -1, "south": -1, "east": 1}),
}
TEXTS = {
    "consent": "Ask people before their records are shared",
    "tell": "Tell people what was shared and with whom",
    "research": "=Universities should get the data for research",
    "anonymise": "Anonymised data can be shared without asking",
    "private": "Private firms should pay for what they use",
    "charge": "Charge companies and put the money into care",
    "local": "Keep decisions with the local GP practice",
    "council": "The council should never see health records",
}
CONSENSUS = {"consent", "tell"}
DIVISIVE = set(STATEMENTS) - CONSENSUS


@dataclass
class Room:
    workshop: Workshop
    camps: dict[str, list[Participant]] = field(default_factory=dict)
    statements: dict[str, int] = field(default_factory=dict)  # label -> comment id
    gone: Participant | None = None
    lurker: Participant | None = None  # voted once: not placed
    quiet_voters: list[Participant] = field(default_factory=list)
    authors: dict[str, Participant] = field(default_factory=dict)  # statement label -> who

    @property
    def code(self) -> str:
        return self.workshop.code

    def pseudonyms(self, camp: str) -> set[str]:
        return {person.pseudonym for person in self.camps[camp]}

    def everyone(self) -> list[Participant]:
        return [person for people in self.camps.values() for person in people]


def play_room(workshop: Workshop) -> Room:
    room = Room(workshop)
    number = 0
    for camp, size in SIZES.items():
        room.camps[camp] = []
        for _ in range(size):
            number += 1
            sector = SECTORS[number % len(SECTORS)]
            # Everyone gives a display name and half allow it in exports; the opinion
            # files name no one but by pseudonym all the same.
            name, consent = f"Real Name {number}", number % 2 == 1
            room.camps[camp].append(join(workshop, sector, name, consent=consent))
    room.gone = join(workshop, "Health", "Gone Person", consent=True)
    room.lurker = join(workshop, "Housing")
    open_stage(workshop, "say")
    authors: dict[str, Participant] = {}
    written = {camp: 0 for camp in SIZES}
    for label, (camp, _votes) in STATEMENTS.items():
        # Each statement by another member of its camp, who counts as agreeing with it
        # (nobody votes on their own statement).
        authors[label] = room.camps[camp][written[camp]]
        written[camp] += 1
        room.statements[label] = comment(workshop, authors[label], "say", TEXTS[label])
    room.authors = authors
    for camp, people in room.camps.items():
        for index, person in enumerate(people):
            for position, (label, (_author, votes)) in enumerate(STATEMENTS.items()):
                if authors[label] is person:
                    continue  # nobody votes on their own statement
                # Some noise that does not blur the camps: each person passes on one
                # statement (a different one for each member), so no two rows are equal.
                if position == (index + len(camp)) % len(STATEMENTS):
                    react(workshop, person, room.statements[label], 0, is_pass=True)
                else:
                    react(workshop, person, room.statements[label], votes[camp])
    # One who votes like the north and then withdraws; one who votes once.
    for label, (_camp, votes) in STATEMENTS.items():
        react(workshop, room.gone, room.statements[label], votes["north"])
    with workshop.db() as db:
        operations.withdraw(db, workshop.session_id, room.gone.id)
    react(workshop, room.lurker, room.statements["consent"], 1)

    # Too few voters: three people on two statements.
    open_stage(workshop, "quiet")
    first = comment(workshop, room.camps["north"][1], "quiet", "A quiet first statement")
    second = comment(workshop, room.camps["south"][1], "quiet", "A quiet second statement")
    room.quiet_voters = [room.camps["east"][1], room.camps["east"][2], room.camps["north"][2]]
    for person in room.quiet_voters:
        react(workshop, person, first, 1)
        react(workshop, person, second, -1)
    open_stage(workshop, "plain")
    plain = comment(workshop, room.camps["north"][1], "plain", "Not grouped at all")
    for person in room.everyone()[2:12]:
        react(workshop, person, plain, 1)
    return room


@pytest.fixture
def room(app, tmp_path) -> Room:
    path = tmp_path / "where-we-stand.yaml"
    path.write_text(PLAN)
    workshop = Workshop(app, socketio, path, scenario=None)
    yield play_room(workshop)
    workshop.close()


def sessions_of(room: Room, db) -> list[WorkshopSession]:
    return [db.get(WorkshopSession, room.workshop.session_id)]


# opinion_groups.csv ------------------------------------------------------------------------


def test_each_voter_gets_their_planted_group_lettered_by_size(room):
    rows = read_csv(produce(room.workshop, "opinion-groups"))
    say = [row for row in rows if row["stage"] == "say"]
    by_group: dict[str, set] = {}
    for row in say:
        by_group.setdefault(row["group"], set()).add(row["pseudonym"])
    # A is the largest camp, C the smallest; the lurker voted but was not placed.
    assert by_group == {
        "A": room.pseudonyms("north"),
        "B": room.pseudonyms("south"),
        "C": room.pseudonyms("east"),
        "": {room.lurker.pseudonym},
    }
    for row in say:
        assert row["session"] == room.code and row["status"] == "formed"
        if row["group"]:
            assert row["placed"] == "true"
            assert re.fullmatch(r"-?\d+(\.\d{1,3})?", row["x"]), row["x"]
            assert re.fullmatch(r"-?\d+(\.\d{1,3})?", row["y"]), row["y"]
            # A vote on every statement, or its author's agreement; a pass counts too.
            assert int(row["votes"]) == len(STATEMENTS)
    lurker = next(row for row in say if row["pseudonym"] == room.lurker.pseudonym)
    assert lurker == {**lurker, "votes": "1", "placed": "false", "x": "", "y": ""}
    # Rows by group, then pseudonym: nothing of the order people joined in.
    assert [(r["group"] or "~", r["pseudonym"]) for r in say] == sorted(
        (r["group"] or "~", r["pseudonym"]) for r in say
    )


def test_too_few_voters_no_groups_and_stages_without_groups_have_no_rows(room):
    rows = read_csv(produce(room.workshop, "opinion-groups"))
    quiet = {row["pseudonym"]: row for row in rows if row["stage"] == "quiet"}
    # The two authors count as agreeing with their one statement each: not placed.
    writers = {room.camps["north"][1].pseudonym, room.camps["south"][1].pseudonym}
    assert set(quiet) == {p.pseudonym for p in room.quiet_voters} | writers
    for pseudonym, row in quiet.items():
        assert row["status"] == "waiting" and row["group"] == ""
        if pseudonym in writers:
            assert (row["placed"], row["votes"]) == ("false", "1")
        else:
            assert (row["placed"], row["votes"]) == ("true", "2")  # placed, but too few
    assert "plain" not in {row["stage"] for row in rows}  # opinion_groups: false
    statements = read_csv(produce(room.workshop, "opinion-statements"))
    assert {row["stage"] for row in statements} == {"say"}


def test_withdrawn_people_and_display_names_are_in_none_of_it(room):
    for name in ("opinion-groups", "opinion-statements"):
        text = produce(room.workshop, name)
        assert room.gone.pseudonym not in text
        assert "Real Name" not in text and "Gone Person" not in text
        assert all(TEXTS[label] not in text for label in TEXTS)  # texts: comments.csv
    rows = read_csv(produce(room.workshop, "opinion-groups"))
    assert len([row for row in rows if row["stage"] == "say"]) == sum(SIZES.values()) + 1


def test_the_same_votes_give_the_same_files(room):
    for name in ("opinion-groups", "opinion-statements"):
        assert produce(room.workshop, name) == produce(room.workshop, name)


# opinion_statements.csv --------------------------------------------------------------------


def test_statement_figures_per_group_and_the_lists_they_are_in(room):
    rows = read_csv(produce(room.workshop, "opinion-statements"))
    ids = {comment_id: label for label, comment_id in room.statements.items()}
    # One row per statement and group.
    assert len(rows) == len(STATEMENTS) * 3
    assert {(ids[int(r["comment_id"])], r["group"]) for r in rows} == {
        (label, group) for label in STATEMENTS for group in "ABC"
    }
    camp_of = {"A": "north", "B": "south", "C": "east"}
    for row in rows:
        label, camp = ids[int(row["comment_id"])], camp_of[row["group"]]
        agree, disagree, passes, seen = (
            int(row[key]) for key in ("agree", "disagree", "passes", "seen")
        )
        assert agree + disagree + passes == seen
        assert int(row["group_size"]) == SIZES[camp]
        planted = STATEMENTS[label][1][camp]
        # Everyone in the camp voted the planted way but for one pass (and the author).
        assert (agree if planted == 1 else disagree) >= seen - 1
        assert float(row["p_agree"]) == pytest.approx((agree + 1) / (seen + 2), abs=1e-4)
        # Consensus and divisive scores belong to the statement: the same on every row.
        assert (row["in_consensus"] == "true") == (label in CONSENSUS)
        assert (row["in_divisive"] == "true") == (label in DIVISIVE)
    for label in CONSENSUS:
        mine = [r for r in rows if int(r["comment_id"]) == room.statements[label]]
        assert len({r["consensus_score"] for r in mine}) == 1
        product = 1.0
        for r in mine:
            product *= float(r["p_agree"])
        assert float(mine[0]["consensus_score"]) == pytest.approx(product, abs=1e-3)
        assert mine[0]["divisive_rank"] == "" and mine[0]["divisive_score"] == ""
    # Each group's representative statements are those its camp alone agrees with.
    for group, camp in camp_of.items():
        agreed = {
            ids[int(r["comment_id"])]
            for r in rows
            if r["group"] == group
            and r["representative"] == "true"
            and r["representative_direction"] == "agree"
        }
        own = {label for label in DIVISIVE if STATEMENTS[label][1][camp] == 1}
        assert own <= agreed
    reps = [r for r in rows if r["representative"] == "true"]
    assert reps and all(float(r["representative_z"]) >= 1.645 for r in reps)
    assert all(float(r["representative_ratio"]) > 1 for r in reps)
    not_reps = [r for r in rows if r["representative"] == "false"]
    assert all(r["representative_rank"] == r["representative_z"] == "" for r in not_reps)


# datapackage.json --------------------------------------------------------------------------


def test_the_data_package_validates_and_states_the_method(room, tmp_path):
    folder = tmp_path / "export"
    with room.workshop.db() as db:
        paths = write_export(db, sessions_of(room, db), folder)
    names = {path.name for path in paths}
    assert {"opinion_groups.csv", "opinion_statements.csv"} <= names
    report = frictionless.validate(str(folder / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    package = frictionless.Package(str(folder / "datapackage.json"))
    groups = package.get_table_resource("opinion_groups")
    described = {f.name for f in groups.schema.fields}
    assert described == set(read_csv((folder / "opinion_groups.csv").read_text())[0])
    statements = package.get_table_resource("opinion_statements")
    described = {f.name for f in statements.schema.fields}
    assert described == set(read_csv((folder / "opinion_statements.csv").read_text())[0])
    typed = statements.read_rows()
    assert all(0 < float(row["p_agree"]) < 1 for row in typed)  # numbers, not text
    assert {type(row["representative"]) for row in typed} == {bool}

    descriptor = json.loads((folder / "datapackage.json").read_text())
    resource = next(r for r in descriptor["resources"] if r["name"] == "opinion_groups")
    method = resource["method"]
    assert {(s["stage"], s["min_votes"], s["min_people"]) for s in method["stages"]} == {
        ("say", 3, 7),
        ("quiet", 2, 7),
    }
    assert method["defaults"]["seed"] == 0 and method["defaults"]["max_groups"] == 5
    assert method["representative"]["min_z"] == 1.645
    assert method["divisive"]["min_z"] == 1.96
    for words in ("PCA", "k-means", "silhouette", "seed", "product"):
        assert words in resource["description"] + json.dumps(method)
    # Which figures are smoothed and which are head counts, and that authors count.
    fields = {
        f["name"]: f["description"]
        for r in descriptor["resources"]
        if r["name"] in ("opinion_groups", "opinion_statements")
        for f in r["schema"]["fields"]
    }
    for name in ("p_agree", "p_disagree", "representative_share", "representative_rest_share"):
        assert "SMOOTHED" in fields[name], name
    for name in ("agree", "disagree", "seen"):
        assert "head count" in fields[name] and "SMOOTHED" not in fields[name], name
    assert "agree / seen" in fields["p_agree"]
    assert "author" in fields["votes"] and "author" in fields["agree"]
    assert "comments.csv" in fields["agree"]


def test_a_broken_statement_key_is_caught(room, tmp_path):
    folder = tmp_path / "export"
    with room.workshop.db() as db:
        write_export(db, sessions_of(room, db), folder)
    path = folder / "opinion_statements.csv"
    rows = list(csv.reader(path.open(encoding="utf-8", newline="")))
    assert rows[1][2] == str(room.statements["consent"])
    rows[1][2] = "999999"  # figures of a statement nobody wrote
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    report = frictionless.validate(str(folder / "datapackage.json"))
    assert not report.valid
    assert "foreign-key" in {error.type for task in report.tasks for error in task.errors}


# project.qdpx ------------------------------------------------------------------------------


def test_the_qdpx_has_a_code_per_group_coding_its_members_statements(room):
    data = produce(room.workshop, "qdpx")
    project = Project(data)
    xmlschema.XMLSchema(str(SCHEMA_PATH)).validate(project.qde)
    ns = {"q": "urn:QDA-XML:project:1.0"}
    parents = [
        code
        for code in project.all("q:CodeBook/q:Codes/q:Code")
        if code.get("name").startswith("Opinion groups")
    ]
    # Only the stage where groups formed: not the quiet one, not the one without groups.
    assert [code.get("name") for code in parents] == ["Opinion groups: Sharing health data"]
    children = {code.get("name"): code for code in parents[0].findall("q:Code", ns)}
    assert list(children) == ["Opinion group A", "Opinion group B", "Opinion group C"]
    assert parents[0].get("isCodable") == "false"
    coded: dict[str, set[str]] = {}
    for text, selection in project.selections():
        start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
        for coding in selection.findall("q:Coding/q:CodeRef", ns):
            for name, code in children.items():
                if coding.get("targetGUID") == code.get("guid"):
                    coded.setdefault(name[-1], set()).add(text[start:end])
    texts_of = {
        group: {TEXTS[label] for label, (author, _) in STATEMENTS.items() if author == camp}
        for group, camp in (("A", "north"), ("B", "south"), ("C", "east"))
    }
    assert coded == texts_of
    # The quiet stage's statements carry only their stage's code.
    for text, selection in project.selections():
        if "quiet" in text[int(selection.get("startPosition")) : int(selection.get("endPosition"))]:
            assert len(selection.findall("q:Coding", ns)) == 1
    variables = {v.get("name") for v in project.all("q:Variables/q:Variable")}
    assert "Opinion group: A quiet corner" not in variables  # no groups formed there
    assert "Gone Person" not in project.qde and "Real Name 2<" not in project.qde
    for code in [parents[0], *children.values()]:
        assert "Real Name" not in ElementTree.tostring(code, encoding="unicode")
    # Each case says its group on the stage, as a variable.
    variable = next(
        v
        for v in project.all("q:Variables/q:Variable")
        if v.get("name") == "Opinion group: Sharing health data"
    )
    values = {}
    for case in project.all("q:Cases/q:Case"):
        for value in case.findall("q:VariableValue", ns):
            if value.find("q:VariableRef", ns).get("targetGUID") == variable.get("guid"):
                values[case.get("name")] = value.find("q:TextValue", ns).text
    assert values == {
        **{p: "A" for p in room.pseudonyms("north")},
        **{p: "B" for p in room.pseudonyms("south")},
        **{p: "C" for p in room.pseudonyms("east")},
    }


# report.html -------------------------------------------------------------------------------


def test_the_report_shows_the_map_groups_consensus_and_divisive_statements(room):
    document = without_plotly(produce(room.workshop, "report"))
    say = sections(document)["say"]
    part = say[say.index('class="opinion-groups"') :]
    assert "Opinion groups" in part
    for group, camp in (("A", "north"), ("B", "south"), ("C", "east")):
        assert f"Group {group}" in part and f"{SIZES[camp]} people" in part
    consensus = part[part.index("What every group agrees on") : part.index("What splits")]
    assert TEXTS["consent"] in consensus and TEXTS["tell"] in consensus
    assert TEXTS["local"] not in consensus
    divisive = part[part.index("What splits") :]
    assert TEXTS["local"] in divisive
    assert "k-means" in part and "silhouette" in part
    assert "http" not in part  # the method's sentence links to nothing
    # Every figure a head count ("6 of 6 in A"), with its share of those counted; the
    # smoothed shares only in the method's sentence.
    rows = read_csv(produce(room.workshop, "opinion-statements"))
    figures_of = {(int(r["comment_id"]), r["group"]): r for r in rows if r["stage"] == "say"}
    consent = room.statements["consent"]
    for label in "ABC":
        row = figures_of[(consent, label)]
        agree, seen = int(row["agree"]), int(row["seen"])
        assert f"{agree} of {seen} in {label} ({round(100 * agree / seen)} %)" in consensus
    representative = [r for r in rows if r["stage"] == "say" and r["representative"] == "true"]
    assert representative
    for row in representative:
        direction = row["representative_direction"]
        others = [
            r
            for (sid, label), r in figures_of.items()
            if sid == int(row["comment_id"]) and label != row["group"]
        ]
        count, seen = int(row[direction]), int(row["seen"])
        rest = sum(int(r[direction]) for r in others)
        rest_seen = sum(int(r["seen"]) for r in others)
        said = (
            f"{count} of {seen} in group {row['group']} {direction} "
            f"({round(100 * count / seen)} %), against {rest} of {rest_seen} of the others"
        )
        assert said in part, said
    assert "(agree + 1) / (votes + 2)" in part and "head counts" in part
    (chart,) = [f for key, f in figures(part).items()]
    go.Figure(chart)  # plotly's own check of the figure
    dots = [trace for trace in chart["data"] if trace["mode"] == "markers"]
    assert [trace["name"] for trace in dots] == ["Group A", "Group B", "Group C"]
    assert [len(trace["x"]) for trace in dots] == [6, 5, 4]
    outlines = [trace for trace in chart["data"] if trace["mode"] == "lines"]
    assert len(outlines) == 3 and all(t["x"][0] == t["x"][-1] for t in outlines)  # closed
    for trace in chart["data"]:  # dots with no names
        assert "text" not in trace and "customdata" not in trace
    # Too few voters: no groups, and the report says why.
    quiet = sections(document)["quiet"]
    assert "opinion-groups" in quiet and "Too few votes" in quiet
    # Three people voted; the two authors only wrote (they count as agreeing with it).
    assert "(3 people voted at all)" in quiet
    assert not figures(quiet[quiet.index('class="opinion-groups"') :])
    # No groups asked for: nothing about them.
    assert "opinion-groups" not in sections(document)["plain"]


def test_a_session_with_too_few_voters_has_no_groups_and_says_so(played):
    # The every-activity session: two statements, a handful of votes.
    rows = read_csv(produce(played.workshop, "opinion-groups"))
    assert rows and {(row["stage"], row["status"], row["group"]) for row in rows} == {
        ("say", "waiting", "")
    }
    assert read_csv(produce(played.workshop, "opinion-statements")) == []
    say = sections(without_plotly(produce(played.workshop, "report")))["say"]
    assert "No opinion groups formed. Too few votes" in say
    assert "What every group agrees on" not in say
    project = Project(produce(played.workshop, "qdpx"))
    assert not [c for c in project.all(".//q:Code") if c.get("name").startswith("Opinion")]


# Purged sessions ---------------------------------------------------------------------------


def test_a_purged_session_has_no_opinion_groups(room, tmp_path):
    with room.workshop.db() as db:
        operations.end_session(db, room.workshop.session_id)
        db.get(WorkshopSession, room.workshop.session_id).ended_at = datetime(
            2025, 1, 1, tzinfo=UTC
        )
        db.commit()
        retention.purge(db, now=datetime(2026, 1, 1, tzinfo=UTC), keep_aggregates=True)
        session = db.get(WorkshopSession, room.workshop.session_id)
        assert "opinion-groups" not in {f.name for f in formats.bundled(db, [session])}
        paths = write_export(db, [session], tmp_path / "export")
    assert "opinion_groups.csv" not in {path.name for path in paths}
    descriptor = json.loads((tmp_path / "export" / "datapackage.json").read_text())
    assert "opinion_groups" not in {r["name"] for r in descriptor["resources"]}
    assert read_csv(produce(room.workshop, "opinion-groups")) == []
    document = without_plotly(produce(room.workshop, "report"))
    say = sections(document)["say"]
    assert "Opinion groups" in say and "deleted with" in say
    project = produce(room.workshop, "qdpx")
    assert b"Opinion group A" not in zipfile_bytes(project)


def zipfile_bytes(data: bytes) -> bytes:
    import io

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return b"".join(archive.read(name) for name in archive.namelist())


# A series ----------------------------------------------------------------------------------


def test_a_series_keeps_each_sessions_groups_apart(app, tmp_path):
    rooms = []
    for number in (1, 2):
        path = tmp_path / f"room-{number}.yaml"
        path.write_text(PLAN)
        rooms.append(play_room(Workshop(app, socketio, path, scenario=None)))
    try:
        with rooms[0].workshop.db() as db:
            sessions = [db.get(WorkshopSession, room.workshop.session_id) for room in rooms]
            project = Project(b"".join(formats.REGISTRY["qdpx"].produce(db, sessions)))
            rows = read_csv("".join(formats.REGISTRY["opinion-groups"].produce(db, sessions)))
            folder = tmp_path / "export"
            write_export(db, sessions, folder)
        xmlschema.XMLSchema(str(SCHEMA_PATH)).validate(project.qde)
        parents = [
            code.get("name")
            for code in project.all("q:CodeBook/q:Codes/q:Code")
            if code.get("name").startswith("Opinion groups")
        ]
        assert parents == [f"Opinion groups: Sharing health data (session {r.code})" for r in rooms]
        assert {(row["session"], row["group"]) for row in rows if row["group"]} == {
            (room.code, group) for room in rooms for group in "ABC"
        }
        report = frictionless.validate(str(folder / "datapackage.json"))
        assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
        descriptor = json.loads((folder / "datapackage.json").read_text())
        resource = next(r for r in descriptor["resources"] if r["name"] == "opinion_groups")
        assert {(s["session"], s["stage"]) for s in resource["method"]["stages"]} == {
            (room.code, stage) for room in rooms for stage in ("say", "quiet")
        }
    finally:
        for room in rooms:
            room.workshop.close()
