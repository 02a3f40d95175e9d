"""``project.qdpx``: a REFI-QDA project (QDA-XML 1.0) for qualitative analysis tools.

NVivo, ATLAS.ti, MAXQDA and QualCoder import this exchange format. The file is a zip of:

- ``project.qde``: the project as XML (namespace ``urn:QDA-XML:project:1.0``), valid against
  the REFI-QDA project schema (a copy is in ``tests/data/`` and the tests check it);
- ``Sources/<guid>.txt``: one plain-text source per session (UTF-8), listing every comment,
  statement and note, stage by stage, each as a paragraph: a header line naming the stage,
  the kind and who (pseudonym, sector, table; the table alone for a note), then the text.
  A slides stage's pages the room saw come first under its heading, in the order first
  shown, as "Page 3 of deck framework.pdf shown: <the page's text>": context to read the
  words by, not coded (slides_csv.py).

What is in the project:

- **Users**: the app, as the one user that made the project and its codings.
- **CodeBook**: one code per stage of the plan, grouped under three parent codes. "Tests"
  holds the traffic-light stages (the report's three tests, named "Test: Purposeful" ...);
  "Features" the rating stages keyed ``feature-*`` (or titled "Feature ...", named
  "Feature: Respect for the individual" ...); "Other stages" the rest, by their titles.
  Then, for each statements stage where opinion groups formed (opinion_csv.py), a parent
  code "Opinion groups: <stage title>" (with the session's code in a series: each
  session's groups are its own) holding "Opinion group A", "Opinion group B" ...
- **Variables** Sector, Table and Session, and "Opinion group: <stage title>" per statements
  stage where opinion groups formed; **Cases**: one per participant still taking part
  (their per-session pseudonym as the name), with those variables' values, each linked to
  the selections of what they wrote. Withdrawn participants are not cases, and their words
  are gone from the data (the withdrawal removed them).
- **Sources**: the sessions' text sources, each comment, statement and note a
  ``PlainTextSelection`` coded with its stage's code, and a statement written by someone
  placed in an opinion group coded with that group's code as well. Positions count
  characters (Unicode code points) of the source text from 0; the end is exclusive, so
  ``text[start:end]`` is the comment exactly.

GUIDs are UUID 5 names made from the session code (the plan for codes) and each object's id,
and times come from the data, so exporting the same data again gives the same project.
The zip is written as it goes: each source's text streams out while the small table of its
selections (positions and codes) is kept for ``project.qde``, which comes last.
"""

from __future__ import annotations

import re
import uuid
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from xml.sax.saxutils import escape, quoteattr

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import clock
from ..activities import activity_type
from ..models import Comment, Note, Series, WorkshopSession
from ..plans.model import Plan, Stage
from ..text import writable
from ..version import __version__
from ..workshop.plan_cache import plan_of
from .common import as_sessions, chunked, in_log_order
from .opinion_csv import GROUP_COLOURS, StageOpinion, session_opinions
from .people import Person, people
from .slides_csv import SlidePage, session_slides

NAMESPACE = "urn:QDA-XML:project:1.0"
# The namespace of this app's GUIDs (a fixed random UUID: never change it, or re-exports
# stop matching earlier ones).
GUID_NAMESPACE = uuid.UUID("6b0f3f52-8f0c-4a57-9a55-6f1d2a9c4e17")
APP_NAME = "Workshop facilitation app"

GROUPS = (
    ("tests", "Tests", "#1B7A3A", "The report's three tests, one traffic-light stage each."),
    ("features", "Features", "#1D5E9E", "The five features of data sharing for public benefit."),
    ("other", "Other stages", "#57606A", "The plan's other stages."),
)
UNTIED_NOTES_CODE = "Notes not tied to a stage"
OPINION_COLOUR = "#57606A"  # the parent codes; each group's code has the group's colour

# "Test 1: Purposeful" -> "Purposeful"; "Feature 3 – Respect" -> "Respect".
_NUMBERED = re.compile(r"^\s*(test|feature)\s*\d*\s*[:.\-–—]\s*", re.IGNORECASE)


def guid(*parts) -> str:
    """A stable GUID for an object of the export (UUID 5 of its names)."""
    return str(uuid.uuid5(GUID_NAMESPACE, "/".join(str(part) for part in parts)))


# Codes ---------------------------------------------------------------------------------------


def stage_group(stage: Stage) -> str:
    """Which parent code a stage's code sits under: tests, features or other. The type
    says which part of the report its stages usually are (``framework_part``); a features
    type's stage is a feature when its title says so."""
    part = activity_type(stage.activity.type).framework_part
    if part == "tests":
        return "tests"
    title = stage.title.strip().lower()
    if stage.key.startswith("feature-") or (part == "features" and title.startswith("feature")):
        return "features"
    return "other"


def code_name(stage: Stage) -> str:
    """The code's name: "Test: Purposeful", "Feature: Respect for the individual", or the
    stage's title for other stages."""
    group = stage_group(stage)
    bare = _NUMBERED.sub("", stage.title).strip() or stage.title
    if group == "tests":
        return f"Test: {bare}"
    if group == "features":
        return f"Feature: {bare}"
    return stage.title


@dataclass(frozen=True)
class Code:
    guid: str
    name: str
    group: str
    description: str


def codebook(plan: Plan) -> list[Code]:
    return [
        Code(
            guid(plan.slug, "stage", stage.key), code_name(stage), stage_group(stage), stage.prompt
        )
        for stage in plan.stages
    ]


# The text sources ------------------------------------------------------------------------------


@dataclass(frozen=True)
class OpinionCodes:
    """A statements stage's opinion groups in one session: a parent code, a code per group."""

    stage_key: str
    parent: Code
    groups: dict[str, Code]  # by letter, A first
    members: dict[int, str]  # participant id -> letter


def opinion_codes(opinion: StageOpinion, in_series: bool) -> OpinionCodes:
    session, stage = opinion.session.code, opinion.stage
    where = f" (session {session})" if in_series else ""
    parent = Code(
        guid(session, "opinion", stage.key),
        f"Opinion groups: {stage.title}{where}",
        "opinion",
        f"The opinion groups of “{stage.title}” in session {session}: people grouped by "
        "how they voted on its statements (PCA map, k-means; docs/opinion-groups.md), "
        "computed from the final votes and lettered by size. Each group's code codes the "
        "statements its members wrote on this stage.",
    )
    groups = {
        label: Code(
            guid(session, "opinion", stage.key, label),
            f"Opinion group {label}",
            "opinion",
            f"Group {label} of “{stage.title}”{where}: {size} people.",
        )
        for label, size in opinion.grouping.sizes.items()
    }
    members = {pid: label for label, pids in opinion.members.items() for pid in pids}
    return OpinionCodes(stage.key, parent, groups, members)


@dataclass(frozen=True)
class Selection:
    guid: str
    coding_guid: str
    name: str
    start: int
    end: int
    code_guid: str
    participant_id: int | None
    created: datetime | None
    # Further codings, (coding GUID, code GUID): a statement's author's opinion group.
    more: tuple[tuple[str, str], ...] = ()


def _clean(text: str) -> str:
    """Text as the source file holds it: one kind of line break, nothing XML cannot carry
    (``writable`` replaces what XML 1.0 cannot hold: controls, surrogates, U+FFFE...)."""
    return writable(text.replace("\r\n", "\n").replace("\r", "\n"))


def _who(person: Person) -> str:
    name = (
        f"{person.pseudonym} ({person.display_name})" if person.display_name else person.pseudonym
    )
    details = [part for part in (person.sector, person.table) if part]
    return ", ".join([name, *details])


class _Source:
    """One session's plain text, written in pieces while positions are counted."""

    def __init__(
        self,
        session: WorkshopSession,
        plan: Plan,
        codes: dict[str, Code],
        opinions: dict[str, OpinionCodes] | None = None,
    ):
        self.session, self.plan, self.codes = session, plan, codes
        self.opinions = opinions or {}  # by stage key, where groups formed
        self.guid = guid(session.code, "source")
        self.position = 0
        self.selections: list[Selection] = []
        self.by_participant: dict[int, list[str]] = {}

    def _put(self, text: str) -> str:
        self.position += len(text)
        return text

    def _item(self, header: str, text: str, selection: dict) -> str:
        head = self._put(_clean(header) + "\n")
        body = _clean(text)
        start = self.position
        self._put(body)
        tail = self._put("\n\n")
        chosen = Selection(start=start, end=start + len(body), **selection)
        self.selections.append(chosen)
        if chosen.participant_id is not None:
            self.by_participant.setdefault(chosen.participant_id, []).append(chosen.guid)
        return head + body + tail

    def pieces(
        self, db: Session, everyone: dict[int, Person], untied: Code | None
    ) -> Iterator[str]:
        session, code = self.session, self.session.code
        yield self._put(_clean(_title_line(session, self.plan)) + "\n\n")
        if session.purged_at is not None:
            yield self._put(
                "The raw data of this session (its comments, statements and notes) was "
                f"deleted on {_moment(session.purged_at)[:10]} at the end of its retention "
                "period.\n"
            )
            return
        stage_keys = {stage.key for stage in self.plan.stages}
        slides = session_slides(db, session)
        for number, stage in enumerate(self.plan.stages, start=1):
            stage_code = self.codes[stage.key]
            heading = f"== Stage {number}: {stage.title} =="
            said_heading = False
            shown = [page for page in slides.get(stage.key, []) if page.shown]
            for page in sorted(shown, key=lambda page: page.first_shown_at):
                if not said_heading:
                    yield self._put(heading + "\n\n")
                    said_heading = True
                yield self._put(_clean(_page_line(page, stage.activity.deck)) + "\n\n")
            activity = activity_type(stage.activity.type)
            kind = "Statement" if activity.votes_are_results else "Comment"
            comments = in_log_order(db, Comment, session, Comment.stage_key == stage.key)
            for comment in comments:
                who = everyone.get(comment.participant_id)
                if who is None or who.withdrawn:  # gone with their withdrawal
                    continue
                if not said_heading:
                    yield self._put(heading + "\n\n")
                    said_heading = True
                votes = [f"{comment.agree} agree", f"{comment.disagree} disagree"]
                if activity.pass_allowed:
                    votes.append(f"{comment.passes} pass")
                header = f"{stage.title} · {kind} by {_who(who)} · {', '.join(votes)}"
                if comment.hidden:
                    header += " · hidden by the facilitator"
                more = ()
                opinion = self.opinions.get(stage.key)
                group = opinion.members.get(comment.participant_id) if opinion else None
                if group is not None:
                    header += f" · opinion group {group}"
                    more = (
                        (
                            guid(code, "coding", "opinion", comment.id),
                            opinion.groups[group].guid,
                        ),
                    )
                yield self._item(
                    header,
                    comment.text,
                    dict(
                        guid=guid(code, "comment", comment.id),
                        coding_guid=guid(code, "coding", "comment", comment.id),
                        name=f"{kind} by {who.pseudonym}",
                        code_guid=stage_code.guid,
                        participant_id=comment.participant_id,
                        created=comment.created_at,
                        more=more,
                    ),
                )
            for note in _notes(db, session, stage.key):
                if not said_heading:
                    yield self._put(heading + "\n\n")
                    said_heading = True
                yield self._note(note, stage.title, stage_code)
        if untied is not None:
            loose = [n for n in _notes(db, session, None) if n.stage_key not in stage_keys]
            if loose:
                yield self._put(f"== {UNTIED_NOTES_CODE} ==\n\n")
                for note in loose:
                    yield self._note(note, UNTIED_NOTES_CODE, untied)

    def _note(self, note: Note, where: str, code: Code) -> str:
        # The note-taker's label may be a person's name: only the table is exported.
        table = note.table_key or "no table"
        return self._item(
            f"{where} · Note from {table}",
            note.text,
            dict(
                guid=guid(self.session.code, "note", note.id),
                coding_guid=guid(self.session.code, "coding", "note", note.id),
                name=f"Note from {table}",
                code_guid=code.guid,
                participant_id=None,
                created=note.created_at,
            ),
        )


def _page_line(page: SlidePage, deck: str) -> str:
    said = f"Page {page.number} of deck {deck} shown"
    text = (page.text or "").strip()
    return f"{said}: {text}" if text else f"{said} (no text on the page)."


def _notes(db: Session, session: WorkshopSession, stage_key: str | None):
    where = () if stage_key is None else (Note.stage_key == stage_key,)
    return in_log_order(db, Note, session, *where)


def _has_untied_notes(db: Session, session: WorkshopSession, plan: Plan) -> bool:
    keys = [stage.key for stage in plan.stages]
    found = db.scalar(
        select(Note.id)
        .where(
            Note.session_id == session.id,
            (Note.stage_key.is_(None)) | (Note.stage_key.not_in(keys)),
        )
        .limit(1)
    )
    return found is not None


def _title_line(session: WorkshopSession, plan: Plan) -> str:
    parts = [f"Session {session.code}", plan.title]
    if session.place:
        parts.append(session.place)
    if session.held_on:
        parts.append(session.held_on.isoformat())
    scenario = plan.scenario(session.scenario_key)
    line = " · ".join(parts)
    return f"{line}\nScenario: {scenario.title}" if scenario else line


# Writing the zip -----------------------------------------------------------------------------


class _Sink:
    """A write-only file for ``zipfile`` whose bytes are handed on as they come."""

    def __init__(self):
        self.parts: list[bytes] = []
        self.size = 0

    def write(self, data) -> int:
        self.parts.append(bytes(data))
        self.size += len(data)
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self.parts)
        self.parts.clear()
        self.size = 0
        return data


def _moment(value: datetime | None) -> str:
    if value is None:
        value = datetime(2000, 1, 1, tzinfo=UTC)
    return clock.aware(value).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _entry(name: str, when: datetime) -> zipfile.ZipInfo:
    stamp = clock.aware(when).astimezone(UTC)
    info = zipfile.ZipInfo(name, date_time=stamp.timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


def _attr(value: str) -> str:
    return quoteattr(writable(str(value)))


def _text(value: str) -> str:
    return escape(writable(str(value)))


def project_qdpx(db: Session, sessions) -> Iterator[bytes]:
    """The .qdpx of one session (a list of one) or of a series' sessions, streamed."""
    sessions = as_sessions(sessions)
    if not sessions:
        raise ValueError("A project needs at least one session.")
    plan = plan_of(sessions[0])
    codes: dict[str, Code] = {}  # by GUID: a series shares one plan, so its codes once
    for session in sessions:
        for code in codebook(plan_of(session)):
            codes.setdefault(code.guid, code)
    untied = None
    if any(_has_untied_notes(db, s, plan_of(s)) for s in sessions):
        untied = Code(guid(plan.slug, "untied-notes"), UNTIED_NOTES_CODE, "other", "")
        codes[untied.guid] = untied
    created = min(clock.aware(s.created_at) for s in sessions)
    user = guid("user", APP_NAME)

    sink = _Sink()
    archive = zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED)
    sources: list[tuple[WorkshopSession, _Source]] = []
    cases: list[tuple[WorkshopSession, Person]] = []
    # Opinion groups: their codes per session, and the stages they give a case variable.
    opinions: list[OpinionCodes] = []
    group_of: dict[tuple[int, str], str] = {}  # (participant id, stage key) -> letter
    opinion_stages: dict[str, str] = {}  # stage key -> title, where groups formed anywhere
    for session in sessions:
        everyone = people(db, session.id)
        cases.extend((session, p) for p in everyone.values() if not p.withdrawn)
        session_plan = plan_of(session)
        stage_codes = {
            stage.key: codes[guid(session_plan.slug, "stage", stage.key)]
            for stage in session_plan.stages
        }
        formed = {}
        for opinion in session_opinions(db, session):
            if opinion.formed:
                opinion_stages.setdefault(opinion.stage.key, opinion.stage.title)
                found = opinion_codes(opinion, len(sessions) > 1)
                formed[opinion.stage.key] = found
                opinions.append(found)
                for pid, letter in found.members.items():
                    group_of[(pid, opinion.stage.key)] = letter
        source = _Source(session, session_plan, stage_codes, formed)
        sources.append((session, source))
        with archive.open(_entry(f"Sources/{source.guid}.txt", session.created_at), "w") as out:
            for chunk in chunked(source.pieces(db, everyone, untied)):
                out.write(chunk.encode("utf-8"))
                yield sink.take()
        yield sink.take()

    with archive.open(_entry("project.qde", created), "w") as out:
        opinion = _Opinions(opinions, group_of, opinion_stages)
        pieces = _project_xml(db, sessions, plan, codes, sources, cases, user, created, opinion)
        for chunk in chunked(pieces):
            out.write(chunk.encode("utf-8"))
            yield sink.take()
    archive.close()
    yield sink.take()


def _project_name(db: Session, sessions: list[WorkshopSession], plan: Plan) -> str:
    if len(sessions) == 1:
        return f"{plan.title}: session {sessions[0].code}"
    series_ids = {s.series_id for s in sessions}
    if len(series_ids) == 1 and None not in series_ids:
        series = db.get(Series, series_ids.pop())
        if series is not None:
            return series.title
    return f"{plan.title}: {len(sessions)} sessions"


@dataclass(frozen=True)
class _Opinions:
    codes: list[OpinionCodes]
    group_of: dict[tuple[int, str], str]
    stages: dict[str, str]  # key -> title: one case variable each

    @staticmethod
    def variable(title: str) -> str:
        return f"Opinion group: {title}"


def _opinion_codebook(opinions: list[OpinionCodes]) -> Iterator[str]:
    for found in opinions:
        yield (
            f"<Code guid={_attr(found.parent.guid)} name={_attr(found.parent.name)}"
            f' isCodable="false" color={_attr(OPINION_COLOUR)}>'
            f"<Description>{_text(found.parent.description)}</Description>\n"
        )
        for index, (_label, code) in enumerate(found.groups.items()):
            colour = GROUP_COLOURS[index % len(GROUP_COLOURS)]
            yield (
                f"<Code guid={_attr(code.guid)} name={_attr(code.name)}"
                f' isCodable="true" color={_attr(colour)}>'
                f"<Description>{_text(code.description)}</Description></Code>\n"
            )
        yield "</Code>\n"


def _project_xml(
    db, sessions, plan, codes, sources, cases, user, created, opinions: _Opinions
) -> Iterator[str]:
    variables = {name: guid("variable", name) for name in ("Sector", "Table", "Session")}
    for key, title in opinions.stages.items():
        variables[_Opinions.variable(title)] = guid("variable", "opinion", key)
    yield '<?xml version="1.0" encoding="utf-8"?>\n'
    yield (
        f"<Project xmlns={_attr(NAMESPACE)} name={_attr(_project_name(db, sessions, plan))}"
        f" origin={_attr(f'{APP_NAME} {__version__}')} creatingUserGUID={_attr(user)}"
        f" creationDateTime={_attr(_moment(created))}>\n"
    )
    # Children of <Project> in the schema's order: Users, CodeBook, Variables, Cases, Sources,
    # (Notes, Links, Sets, Graphs), Description.
    yield f"<Users><User guid={_attr(user)} name={_attr(APP_NAME)}/></Users>\n"

    yield "<CodeBook><Codes>\n"
    for key, name, colour, about in GROUPS:
        members = [code for code in codes.values() if code.group == key]
        if not members:
            continue
        yield (
            f"<Code guid={_attr(guid(plan.slug, 'group', key))} name={_attr(name)}"
            f' isCodable="false" color={_attr(colour)}>'
            f"<Description>{_text(about)}</Description>\n"
        )
        for code in members:
            opening = (
                f"<Code guid={_attr(code.guid)} name={_attr(code.name)}"
                f' isCodable="true" color={_attr(colour)}'
            )
            if code.description:
                yield f"{opening}><Description>{_text(code.description)}</Description></Code>\n"
            else:
                yield f"{opening}/>\n"
        yield "</Code>\n"
    yield from _opinion_codebook(opinions.codes)
    yield "</Codes></CodeBook>\n"

    yield "<Variables>\n"
    described = [
        ("Sector", "The sector the participant works in, as they gave it."),
        ("Table", "The breakout table the participant sat at."),
        ("Session", "The join code of the participant's session."),
    ]
    described.extend(
        (
            _Opinions.variable(title),
            f"The participant's opinion group on “{title}” (A, B ...; each session's "
            "groups are its own), where groups formed and the participant was placed.",
        )
        for title in opinions.stages.values()
    )
    for name, about in described:
        yield (
            f"<Variable guid={_attr(variables[name])} name={_attr(name)}"
            f' typeOfVariable="Text"><Description>{_text(about)}</Description></Variable>\n'
        )
    yield "</Variables>\n"

    links: dict[tuple[int, int], list[str]] = {}
    for session, source in sources:
        for participant_id, selections in source.by_participant.items():
            links[(session.id, participant_id)] = selections
    if cases:
        names = [person.pseudonym for _, person in cases]
        repeated = {name for name in names if names.count(name) > 1} if len(sessions) > 1 else set()
        yield "<Cases>\n"
        for session, person in cases:
            name = person.pseudonym
            if name in repeated:
                name = f"{name} ({session.code})"
            yield f"<Case guid={_attr(guid(session.code, 'participant', person.id))}"
            yield f" name={_attr(name)}>"
            if person.display_name:  # only with the participant's consent (people.py)
                yield f"<Description>{_text(f'Display name: {person.display_name}')}</Description>"
            values = [
                ("Sector", person.sector),
                ("Table", person.table),
                ("Session", session.code),
            ]
            values.extend(
                (_Opinions.variable(title), opinions.group_of.get((person.id, key)))
                for key, title in opinions.stages.items()
            )
            for variable, value in values:
                if value:
                    yield (
                        f"<VariableValue><VariableRef targetGUID={_attr(variables[variable])}/>"
                        f"<TextValue>{_text(value)}</TextValue></VariableValue>"
                    )
            for selection in links.get((session.id, person.id), ()):
                yield f"<SelectionRef targetGUID={_attr(selection)}/>"
            yield "</Case>\n"
        yield "</Cases>\n"

    yield "<Sources>\n"
    for session, source in sources:
        yield (
            f"<TextSource guid={_attr(source.guid)}"
            f" name={_attr(_source_name(session))}"
            f" plainTextPath={_attr(f'internal://{source.guid}.txt')}"
            f" creatingUser={_attr(user)} creationDateTime={_attr(_moment(session.created_at))}>"
            f"<Description>{_text(_source_description(session, plan_of(session)))}</Description>\n"
        )
        for selection in source.selections:
            yield (
                f"<PlainTextSelection guid={_attr(selection.guid)} name={_attr(selection.name)}"
                f' startPosition="{selection.start}" endPosition="{selection.end}"'
                f" creatingUser={_attr(user)}"
                f" creationDateTime={_attr(_moment(selection.created))}>"
                f"<Coding guid={_attr(selection.coding_guid)} creatingUser={_attr(user)}>"
                f"<CodeRef targetGUID={_attr(selection.code_guid)}/></Coding>"
                + "".join(
                    f"<Coding guid={_attr(coding)} creatingUser={_attr(user)}>"
                    f"<CodeRef targetGUID={_attr(code)}/></Coding>"
                    for coding, code in selection.more
                )
                + "</PlainTextSelection>\n"
            )
        yield "</TextSource>\n"
    yield "</Sources>\n"
    about = _project_description(sessions, plan)
    if opinions.stages:
        about += (
            " Statements stages with opinion groups have a parent code “Opinion groups: "
            "<stage>” with a code per group, coding the statements its members wrote, and "
            "a case variable “Opinion group: <stage>”; groups are computed from the final "
            "votes, lettered by size, and none where too few voted or the raw data was "
            "deleted."
        )
    yield f"<Description>{_text(about)}</Description>\n"
    yield "</Project>\n"


def _source_name(session: WorkshopSession) -> str:
    parts = [f"Session {session.code}"]
    if session.place:
        parts.append(session.place)
    if session.held_on:
        parts.append(session.held_on.isoformat())
    return " · ".join(parts)


def _source_description(session: WorkshopSession, plan: Plan) -> str:
    scenario = plan.scenario(session.scenario_key)
    about = f"Comments, statements and notes of session {session.code} of “{plan.title}”"
    if scenario is not None:
        about += f", on the scenario “{scenario.title}”"
    return about + ". Each is coded with the stage it was made under."


def _project_description(sessions: list[WorkshopSession], plan: Plan) -> str:
    codes = ", ".join(s.code for s in sessions)
    return (
        f"Exported from the {APP_NAME}: plan “{plan.title}”, session(s) {codes}. One text "
        "source per session holds every comment, statement and note, each coded with the "
        "stage it was made under: traffic-light stages under “Tests”, feature rating stages "
        "under “Features”, the rest under “Other stages”. Participants are cases named by "
        "their per-session pseudonym, with Sector, Table and Session as variables; display "
        "names appear only where the participant agreed. Withdrawn participants are absent."
    )
