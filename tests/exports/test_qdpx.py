"""project.qdpx: a REFI-QDA project that validates against the QDA-XML 1.0 schema, with a
code per stage, every comment and note a coded selection, and participants as cases."""

from __future__ import annotations

import io
import os
import zipfile
from datetime import date
from pathlib import Path
from xml.etree import ElementTree

import pytest
import xmlschema

from facilitation.exports.qdpx import project_qdpx
from facilitation.extensions import socketio
from facilitation.models import Comment, Note, Participant, WorkshopSession
from facilitation.workshop.plan_cache import plan_of
from tests.conftest import BUILTIN_PLAN
from tests.exports import qualitative
from tests.exports.qualitative import tell
from tests.factories import Workshop

# The REFI-QDA project schema (MIT, licence inside), copied from ../shared/schemas/.
SCHEMA_PATH = Path(__file__).resolve().parents[1] / "data" / "refi-qda-project-1.0.xsd"
NS = {"q": "urn:QDA-XML:project:1.0"}
PROJECT_ORDER = [
    "Users",
    "CodeBook",
    "Variables",
    "Cases",
    "Sources",
    "Notes",
    "Links",
    "Sets",
    "Graphs",
    "Description",
    "NoteRef",
]


@pytest.fixture(scope="module")
def schema() -> xmlschema.XMLSchema:
    if not SCHEMA_PATH.is_file():  # pragma: no cover - the copy is part of the repository
        if os.environ.get("CI") == "true":
            pytest.fail(f"{SCHEMA_PATH} is missing")
        pytest.skip(f"{SCHEMA_PATH} is missing")
    return xmlschema.XMLSchema(str(SCHEMA_PATH))


@pytest.fixture
def story(workshop):
    return tell(workshop, place="Leeds", held_on=date(2026, 5, 3))


class Project:
    """A .qdpx read back: the XML tree and the source texts by GUID."""

    def __init__(self, data: bytes):
        self.data = data
        self.zip = zipfile.ZipFile(io.BytesIO(data))
        self.qde = self.zip.read("project.qde").decode("utf-8")
        self.root = ElementTree.fromstring(self.qde)
        self.texts = {
            Path(name).stem: self.zip.read(name).decode("utf-8")
            for name in self.zip.namelist()
            if name.startswith("Sources/")
        }

    def all(self, path: str) -> list[ElementTree.Element]:
        return self.root.findall(path, NS)

    def codes(self) -> dict[str, ElementTree.Element]:
        return {code.get("guid"): code for code in self.all(".//q:Code")}

    def selections(self) -> list[tuple[str, ElementTree.Element]]:
        """(source text, selection) for every selection."""
        found = []
        for source in self.all("q:Sources/q:TextSource"):
            text = self.texts[source.get("guid")]
            found.extend((text, s) for s in source.findall("q:PlainTextSelection", NS))
        return found


def export(db, sessions) -> Project:
    chunks = list(project_qdpx(db, sessions))
    assert all(isinstance(chunk, bytes) for chunk in chunks)
    return Project(b"".join(chunks))


def test_project_validates_against_the_refi_qda_schema(story, schema):
    with story.workshop.db() as db:
        project = export(db, [story.session(db)])
    schema.validate(project.qde)  # raises with the reason if not valid
    assert project.root.tag == "{urn:QDA-XML:project:1.0}Project"
    children = [child.tag.split("}")[1] for child in project.root]
    assert children == sorted(children, key=PROJECT_ORDER.index)
    assert children[:5] == ["Users", "CodeBook", "Variables", "Cases", "Sources"]
    assert sorted(project.zip.namelist()) == sorted(
        ["project.qde", *(f"Sources/{guid}.txt" for guid in project.texts)]
    )
    for source in project.all("q:Sources/q:TextSource"):
        # a source's text lives in Sources/ (plainTextPath), never also inline
        assert source.get("plainTextPath") == f"internal://{source.get('guid')}.txt"
        assert source.find("q:PlainTextContent", NS) is None


def test_one_code_per_stage_grouped_as_tests_features_and_other(story):
    with story.workshop.db() as db:
        session = story.session(db)
        project = export(db, [session])
        plan = plan_of(session)
    groups = {
        group.get("name"): [code.get("name") for code in group.findall("q:Code", NS)]
        for group in project.all("q:CodeBook/q:Codes/q:Code")
    }
    assert list(groups) == ["Tests", "Features", "Other stages"]
    assert groups["Tests"] == ["Test: Purposeful", "Test: Proportionate", "Test: Responsible"]
    assert groups["Features"] == [
        "Feature: Better outcomes for people",
        "Feature: Benefits for the wider public",
        "Feature: Respect for the individual",
        "Feature: Good use of public resources",
        "Feature: Benefits people can see and value",
    ]
    assert "Test: Purposeful" not in groups["Other stages"]
    assert "What would change your answer?" in groups["Other stages"]
    assert sum(len(names) for names in groups.values()) == len(plan.stages)
    for group in project.all("q:CodeBook/q:Codes/q:Code"):
        assert group.get("isCodable") == "false"
        assert all(code.get("isCodable") == "true" for code in group.findall("q:Code", NS))


def test_every_comment_and_note_is_a_coded_selection_of_its_text(story):
    with story.workshop.db() as db:
        session = story.session(db)
        project = export(db, [session])
        comments = list(db.scalars(_where(Comment, session)))
        notes = list(db.scalars(_where(Note, session)))
    codes = project.codes()
    selections = project.selections()
    by_text = {}
    for text, selection in selections:
        start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
        (coding,) = selection.findall("q:Coding", NS)
        code = codes[coding.find("q:CodeRef", NS).get("targetGUID")]
        by_text[text[start:end]] = code.get("name")
    assert len(selections) == len(comments) + len(notes)  # the hidden comment is there too
    stage_codes = {
        "purposeful": "Test: Purposeful",
        "feature-respect": "Feature: Respect for the individual",
        "trust": "Trust",
    }
    for item in [*comments, *notes]:
        assert by_text[item.text] == stage_codes[item.stage_key]
    assert qualitative.XSS in by_text and qualitative.MULTILINE in by_text
    assert by_text[qualitative.HIDDEN] == "Feature: Respect for the individual"
    assert by_text[qualitative.NOTE_MARKUP] == "Test: Purposeful"


def test_positions_count_characters_not_bytes(story):
    with story.workshop.db() as db:
        project = export(db, [story.session(db)])
    ((text, selection),) = [
        (text, s)
        for text, s in project.selections()
        if qualitative.NON_ASCII in text[int(s.get("startPosition")) : int(s.get("endPosition"))]
    ]
    start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
    assert text[start:end] == qualitative.NON_ASCII
    assert end - start == len(qualitative.NON_ASCII)  # code points: 𝔘 and 👍🏽 count as characters
    # everything after it sits where a byte count would not put it
    assert len(text[:start].encode("utf-8")) > start
    later = [int(s.get("startPosition")) for _, s in project.selections()]
    assert max(later) > start


def test_each_selection_has_a_header_naming_stage_and_who(story):
    with story.workshop.db() as db:
        project = export(db, [story.session(db)])
    amira, bo = story.people["amira"], story.people["bo"]
    (text,) = project.texts.values()
    assert f"Session {story.code} · Data for Public Benefit · Leeds · 2026-05-03" in text
    assert (
        f"Test 1: Purposeful · Comment by {amira.pseudonym} (Amira Q), Health, Table 1"
        f" · 2 agree, 0 disagree\n{qualitative.XSS}\n\n"
    ) in text
    assert f"Comment by {bo.pseudonym}, Housing, Tisch 2 – ü" in text
    assert "· hidden by the facilitator\n" + qualitative.HIDDEN in text
    assert "Test 1: Purposeful · Note from Table 1\n" + qualitative.NOTE_MARKUP in text


def test_cases_are_participants_with_sector_table_and_session(story):
    with story.workshop.db() as db:
        session = story.session(db)
        project = export(db, [session])
    variables = {v.get("guid"): v.get("name") for v in project.all("q:Variables/q:Variable")}
    assert sorted(variables.values()) == ["Sector", "Session", "Table"]
    selection_guids = {s.get("guid") for _, s in project.selections()}
    cases = {}
    for case in project.all("q:Cases/q:Case"):
        values = {
            variables[v.find("q:VariableRef", NS).get("targetGUID")]: v.find("q:TextValue", NS).text
            for v in case.findall("q:VariableValue", NS)
        }
        refs = [ref.get("targetGUID") for ref in case.findall("q:SelectionRef", NS)]
        assert set(refs) <= selection_guids
        description = case.find("q:Description", NS)
        cases[case.get("name")] = (values, len(refs), description)
    people = story.people
    assert set(cases) == {people[k].pseudonym for k in ("amira", "bo", "cy")}
    amira_values, amira_refs, amira_description = cases[people["amira"].pseudonym]
    assert amira_values == {"Sector": "Health", "Table": "Table 1", "Session": story.code}
    assert amira_refs == 2  # the comment on Purposeful and the one on Trust
    assert amira_description.text == "Display name: Amira Q"  # she allowed it
    bo_values, bo_refs, bo_description = cases[people["bo"].pseudonym]
    assert bo_values["Sector"] == "Housing" and bo_values["Table"] == "Tisch 2 – ü"
    assert bo_refs == 2 and bo_description is None  # gave a name, did not allow it


def test_withdrawn_participants_and_their_words_are_absent(story):
    with story.workshop.db() as db:
        project = export(db, [story.session(db)])
        gone = db.get(Participant, story.people["gone"].id)
    everything = project.qde + "".join(project.texts.values())
    assert gone.withdrawn_at is not None
    assert gone.pseudonym not in everything
    assert "Gone Person" not in everything and qualitative.WITHDRAWN not in everything
    assert "Bo Secret" not in everything and "Jo Bloggs" not in everything


def test_a_re_export_is_byte_for_byte_the_same(story):
    with story.workshop.db() as db:
        first = export(db, [story.session(db)]).data
        second = export(db, [story.session(db)]).data
    assert first == second


def test_series_project_has_a_source_per_session_and_codes_once(app, workshop, schema):
    first = tell(workshop, place="Leeds", held_on=date(2026, 5, 3))
    other = Workshop(app, socketio, BUILTIN_PLAN)
    try:
        second = tell(other, place="Bristol", held_on=date(2026, 6, 9))
        with workshop.db() as db:
            series = qualitative.in_series(db, "Six areas, 2026", [first, second])
            project = export(db, [first.session(db), second.session(db)])
    finally:
        other.close()
    schema.validate(project.qde)
    assert project.root.get("name") == series.title
    sources = project.all("q:Sources/q:TextSource")
    assert [s.get("name") for s in sources] == [
        f"Session {first.code} · Leeds · 2026-05-03",
        f"Session {second.code} · Bristol · 2026-06-09",
    ]
    names = [code.get("name") for code in project.all(".//q:Code")]
    assert names.count("Test: Purposeful") == 1
    sessions = [
        v.find("q:TextValue", NS).text
        for v in project.all("q:Cases/q:Case/q:VariableValue")
        if v.find("q:TextValue", NS).text in (first.code, second.code)
    ]
    assert sorted(set(sessions)) == sorted([first.code, second.code])
    assert len(project.all("q:Cases/q:Case")) == 6


def _where(model, session: WorkshopSession):
    from sqlalchemy import select

    return select(model).where(model.session_id == session.id)


def test_a_purged_session_is_a_valid_project_without_words(story, schema):
    from tests.exports.test_report import purge

    purge(story.workshop, story.workshop.session_id)
    with story.workshop.db() as db:
        project = export(db, [story.session(db)])
    schema.validate(project.qde)
    assert project.all("q:Cases") == [] and project.selections() == []
    (text,) = project.texts.values()
    assert "was deleted on" in text and qualitative.XSS not in text
