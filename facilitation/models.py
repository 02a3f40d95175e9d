"""Tables. The event log is the record of a session; the other session tables are
projections of it, written in the same transaction as the event they follow from."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    ForeignKey,
    Index,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from . import clock

# Every table's ids are never reused. Without AUTOINCREMENT SQLite gives a new row max(id) + 1,
# so after the highest row is deleted (a withdrawal, a purge, a deleted account) its id goes
# to the next row, and whatever still names it (comment.hidden events left in the log, a
# login cookie) names someone else's. PostgreSQL's sequences never go back by themselves.
NEVER_REUSED = {"sqlite_autoincrement": True}


class Base(DeclarativeBase):
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )
    # Every moment is stored with its zone (SQLite drops it: ``clock.aware`` puts it back).
    type_annotation_map = {datetime: DateTime(timezone=True)}


# Columns that many tables have, declared once.
Id = Annotated[int, mapped_column(primary_key=True)]
Created = Annotated[datetime, mapped_column(default=clock.now)]


class Facilitator(Base):
    __tablename__ = "facilitator"
    __table_args__ = NEVER_REUSED

    id: Mapped[Id]
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    # facilitator: runs sessions and sees everything; researcher: reads only the sessions
    # and series granted to them (Grant), and their exports.
    role: Mapped[str] = mapped_column(String(16), default="facilitator")
    created_at: Mapped[Created]

    # Flask-Login's user interface.
    is_authenticated = True
    is_active = True
    is_anonymous = False

    def get_id(self) -> str:
        return str(self.id)


class LoginSession(Base):
    """One login of an account in one browser, live until it ends (logout; or a new
    password, a changed role or a deleted account, which end every login of the account).

    The Flask session cookie carries a random key; only its SHA-256 is stored, so a copy of
    the database opens no browser's login. Flask-Login accepts the cookie only while its row
    is live and the account still has the role it logged in with (logins.py).
    """

    __tablename__ = "login_session"
    __table_args__ = NEVER_REUSED

    id: Mapped[Id]
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("facilitator.id"), index=True)
    role: Mapped[str] = mapped_column(String(16))  # the account's role when it logged in
    created_at: Mapped[Created]
    ended_at: Mapped[datetime | None]


class Series(Base):
    """Sessions run from the same plan for one programme, compared side by side."""

    __tablename__ = "series"
    __table_args__ = NEVER_REUSED

    id: Mapped[Id]
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("facilitator.id"))
    created_at: Mapped[Created]


class WorkshopSession(Base):
    """A live run of a plan. Its state columns are a projection of its control events."""

    __tablename__ = "workshop_session"
    __table_args__ = NEVER_REUSED

    id: Mapped[Id]
    code: Mapped[str] = mapped_column(String(6), unique=True)
    plan_slug: Mapped[str] = mapped_column(String(80))
    plan_title: Mapped[str] = mapped_column(String(200))
    # The plan as it was when the session opened: editing the file cannot change a session.
    plan_source: Mapped[str] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("facilitator.id"))
    created_at: Mapped[Created]
    ended_at: Mapped[datetime | None]
    last_seq: Mapped[int] = mapped_column(default=0)
    # draft | live | paused | ended | archived
    status: Mapped[str] = mapped_column(String(16), default="live")
    scenario_key: Mapped[str | None] = mapped_column(String(80))
    stage_index: Mapped[int] = mapped_column(default=0)
    input_open: Mapped[bool] = mapped_column(default=False)
    revealed: Mapped[bool] = mapped_column(default=False)
    # The session's own breakout tables; None means the plan's list.
    tables: Mapped[list | None] = mapped_column(JSON)
    # How results are broken down on the projector: room | sector | table.
    breakdown: Mapped[str] = mapped_column(String(16), default="room")
    # What the projectors that follow the facilitator show: auto | join | question |
    # results | wall | notes ("auto" picks from the stage and the reveal state).
    screen_mode: Mapped[str] = mapped_column(String(16), default="auto")
    # The stage's countdown: running until timer_ends_at, or paused with ms left.
    timer_ends_at: Mapped[datetime | None]
    timer_remaining_ms: Mapped[int | None]
    timer_auto_close: Mapped[bool] = mapped_column(default=False)
    # A series groups the sessions of one programme (e.g. six workshops in six areas).
    series_id: Mapped[int | None] = mapped_column(ForeignKey("series.id"), index=True)
    place: Mapped[str | None] = mapped_column(String(200))
    held_on: Mapped[date | None] = mapped_column(Date)
    # Days raw data is kept after the session ends; None means the plan's retention_days.
    retention_days: Mapped[int | None]
    purged_at: Mapped[datetime | None]
    # Generations of the console's projector link and note-taker link (workshop/identity.py):
    # a key or note-taker cookie of an older generation opens nothing (link.reissued).
    screen_key_version: Mapped[int] = mapped_column(default=0)
    notes_key_version: Mapped[int] = mapped_column(default=0)
    # live: a facilitator steps the room through the stages; self: a self-paced run (a
    # public consultation, workshop/runs.py): each person at their own pace between
    # opens_at and closes_at, with the run's settings (``runs.RunSettings``) as plain data.
    pace: Mapped[str] = mapped_column(String(8), default="live")
    opens_at: Mapped[datetime | None]
    closes_at: Mapped[datetime | None]
    run_settings: Mapped[dict | None] = mapped_column(JSON)
    # On a slides stage: which of the stage's pages the room sees (0 = its first page).
    page_index: Mapped[int] = mapped_column(default=0)


class Participant(Base):
    __tablename__ = "participant"
    __table_args__ = (UniqueConstraint("session_id", "pseudonym"), NEVER_REUSED)

    id: Mapped[Id]
    session_id: Mapped[int] = mapped_column(ForeignKey("workshop_session.id"), index=True)
    pseudonym: Mapped[str] = mapped_column(String(16))
    display_name: Mapped[str | None] = mapped_column(String(60))
    sector: Mapped[str | None] = mapped_column(String(80))
    table_key: Mapped[str | None] = mapped_column(String(80))  # breakout table
    # Whether the participant allowed their display name in research exports.
    name_consent: Mapped[bool] = mapped_column(default=False)
    joined_at: Mapped[Created]
    withdrawn_at: Mapped[datetime | None]
    # A self-paced run's person: the stage they are on and the furthest they reached.
    stage_index: Mapped[int] = mapped_column(default=0)
    furthest_index: Mapped[int] = mapped_column(default=0)


class Event(Base):
    """One entry of a session's ordered log: the transcript."""

    __tablename__ = "event"
    __table_args__ = (
        UniqueConstraint("session_id", "seq"),
        # A retried submission carries the same client id and is stored once. The key is
        # the sender's (actor: a participant's pseudonym, unique in the session,
        # "facilitator" or "notetaker:<label>"), so another phone reusing that client id is
        # stored as its own. Not participant_id: it is NULL for notes, and NULLs never
        # collide in a unique constraint.
        UniqueConstraint("session_id", "actor", "client_id", name="uq_event_sender_client"),
        NEVER_REUSED,
    )

    id: Mapped[Id]
    session_id: Mapped[int] = mapped_column(ForeignKey("workshop_session.id"))
    seq: Mapped[int]
    at: Mapped[Created]
    actor: Mapped[str] = mapped_column(String(32))  # a pseudonym, "facilitator" or "system"
    participant_id: Mapped[int | None] = mapped_column(ForeignKey("participant.id"), index=True)
    type: Mapped[str] = mapped_column(String(40))
    stage_key: Mapped[str | None] = mapped_column(String(80))
    client_id: Mapped[str | None] = mapped_column(String(64))
    payload: Mapped[dict] = mapped_column(JSON, default=dict)


class Answer(Base):
    """A participant's current answer to a stage (the latest answer.submitted)."""

    __tablename__ = "answer"
    __table_args__ = (
        UniqueConstraint("session_id", "stage_key", "participant_id"),
        Index("ix_answer_session_stage", "session_id", "stage_key"),
        NEVER_REUSED,
    )

    id: Mapped[Id]
    session_id: Mapped[int] = mapped_column(ForeignKey("workshop_session.id"))
    stage_key: Mapped[str] = mapped_column(String(80))
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id"))
    # Canonical JSON text (sorted keys), so equal answers group together in one query.
    value: Mapped[str] = mapped_column(Text)
    seq: Mapped[int]


class Comment(Base):
    __tablename__ = "comment"
    __table_args__ = (Index("ix_comment_session_stage", "session_id", "stage_key"), NEVER_REUSED)

    id: Mapped[Id]
    session_id: Mapped[int] = mapped_column(ForeignKey("workshop_session.id"))
    stage_key: Mapped[str] = mapped_column(String(80))
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id"))
    text: Mapped[str] = mapped_column(Text)
    hidden: Mapped[bool] = mapped_column(default=False)
    highlighted: Mapped[bool] = mapped_column(default=False)  # pinned on screens
    agree: Mapped[int] = mapped_column(default=0)
    disagree: Mapped[int] = mapped_column(default=0)
    passes: Mapped[int] = mapped_column(default=0)  # statements: "pass" votes
    # Waiting for a moderator's approval (a self-paced run that moderates before showing):
    # hidden from everyone but its author until approved.
    awaiting: Mapped[bool] = mapped_column(default=False)
    seq: Mapped[int]
    created_at: Mapped[Created]


class Reaction(Base):
    """A participant's agreement (+1), disagreement (-1) or pass (0) on a comment or
    statement."""

    __tablename__ = "reaction"

    comment_id: Mapped[int] = mapped_column(ForeignKey("comment.id"), primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id"), primary_key=True)
    value: Mapped[int]


class Note(Base):
    """What a note-taker heard a table say, tagged with the stage and table."""

    __tablename__ = "note"
    __table_args__ = (Index("ix_note_session_stage", "session_id", "stage_key"), NEVER_REUSED)

    id: Mapped[Id]
    session_id: Mapped[int] = mapped_column(ForeignKey("workshop_session.id"))
    stage_key: Mapped[str | None] = mapped_column(String(80))
    table_key: Mapped[str | None] = mapped_column(String(80))
    author: Mapped[str] = mapped_column(String(60))  # the note-taker's chosen label
    text: Mapped[str] = mapped_column(Text)
    shown: Mapped[bool] = mapped_column(default=False)  # on the projector
    seq: Mapped[int]
    created_at: Mapped[Created]


class Invitation(Base):
    """A single-use code that lets one person into a self-paced run open by invitation.

    Access control, not part of the transcript (like a login): the log records only that a
    participant joined by invitation, never the code; and nothing records which person used
    which code, so whoever handed the codes out cannot tell whose answers are whose.
    """

    __tablename__ = "invitation"
    __table_args__ = NEVER_REUSED

    id: Mapped[Id]
    session_id: Mapped[int] = mapped_column(ForeignKey("workshop_session.id"), index=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    created_at: Mapped[Created]
    # Whether it was used; not when: the moment would match the participant's join in the
    # transcript and tell whose answers are whose.
    used: Mapped[bool] = mapped_column(default=False)


class StoredPlan(Base):
    """A plan written or imported in the app (the files in PLANS_DIR are read-only)."""

    __tablename__ = "stored_plan"
    __table_args__ = NEVER_REUSED

    id: Mapped[Id]
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    source: Mapped[str] = mapped_column(Text)  # the YAML text, as a file would hold it
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("facilitator.id"))
    created_at: Mapped[Created]
    updated_at: Mapped[Created]


class Grant(Base):
    """A researcher's read-only access to one session or one whole series."""

    __tablename__ = "access_grant"
    __table_args__ = NEVER_REUSED

    id: Mapped[Id]
    researcher_id: Mapped[int] = mapped_column(ForeignKey("facilitator.id"), index=True)
    session_id: Mapped[int | None] = mapped_column(ForeignKey("workshop_session.id"))
    series_id: Mapped[int | None] = mapped_column(ForeignKey("series.id"))
    created_at: Mapped[Created]


class KeptAggregate(Base):
    """A stage's aggregate counts, kept (if chosen) when a session's raw data is purged."""

    __tablename__ = "kept_aggregate"
    __table_args__ = (UniqueConstraint("session_id", "stage_key"), NEVER_REUSED)

    id: Mapped[Id]
    session_id: Mapped[int] = mapped_column(ForeignKey("workshop_session.id"))
    stage_key: Mapped[str] = mapped_column(String(80))
    results: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[Created]


class Deck(Base):
    """A slide deck, as rendered: its pages' images and text (facilitation/slides/).

    Kept by content: the same file uploaded twice is one deck. The file itself is never kept
    or served; only what was rendered from it in a separate, limited process.
    """

    __tablename__ = "deck"
    __table_args__ = NEVER_REUSED

    id: Mapped[Id]
    # Of the file as uploaded: the PDF, or the .pptx/.odp before its conversion to PDF.
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    page_count: Mapped[int]
    created_at: Mapped[Created]


class DeckPage(Base):
    """One page of a deck: an image sized for the projector, a smaller one for phones (WebP),
    and the page's text layer (its text alternative, and what the transcript records)."""

    __tablename__ = "deck_page"
    __table_args__ = (UniqueConstraint("deck_id", "number"), NEVER_REUSED)

    id: Mapped[Id]
    deck_id: Mapped[int] = mapped_column(ForeignKey("deck.id"), index=True)
    number: Mapped[int]  # 1-based, as the PDF counts its pages
    text: Mapped[str] = mapped_column(Text, default="")
    projector: Mapped[bytes] = mapped_column(LargeBinary)
    projector_width: Mapped[int]
    projector_height: Mapped[int]
    phone: Mapped[bytes] = mapped_column(LargeBinary)
    phone_width: Mapped[int]
    phone_height: Mapped[int]


class PlanDeck(Base):
    """A deck a stored plan names: the plan's ``deck:`` file name -> the deck uploaded as it."""

    __tablename__ = "plan_deck"
    __table_args__ = (UniqueConstraint("plan_slug", "name"), NEVER_REUSED)

    id: Mapped[Id]
    plan_slug: Mapped[str] = mapped_column(String(80), index=True)
    name: Mapped[str] = mapped_column(String(120))  # e.g. "framework.pdf"
    deck_id: Mapped[int] = mapped_column(ForeignKey("deck.id"))
    created_at: Mapped[Created]


class SessionDeck(Base):
    """The decks a session's plan named when it opened (copied from ``PlanDeck``), as the
    session keeps its own copy of the plan's source: later uploads cannot change it."""

    __tablename__ = "session_deck"
    __table_args__ = (UniqueConstraint("session_id", "name"), NEVER_REUSED)

    id: Mapped[Id]
    session_id: Mapped[int] = mapped_column(ForeignKey("workshop_session.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    deck_id: Mapped[int] = mapped_column(ForeignKey("deck.id"))
