"""Moderation: highlighting comments, the plan's word limit and its strong-language filter."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from facilitation.extensions import socketio
from facilitation.live import moderation
from facilitation.live.errors import Refused
from facilitation.models import Comment, Event
from facilitation.plans.model import Moderation
from tests.conftest import BUILTIN_PLAN
from tests.factories import Workshop, client_id


def plan_file(tmp_path, extra: str) -> object:
    path = tmp_path / "moderated.yaml"
    path.write_text(BUILTIN_PLAN.read_text() + "\n" + extra)
    return path


def open_change_stage(workshop, facilitator) -> None:
    assert facilitator.emit("goto", {"index": workshop.stage_index("change")})["ok"]
    assert facilitator.emit("open_input")["ok"]


def comment(phone, text: str) -> dict:
    return phone.emit("comment", {"stage": "change", "client_id": client_id(), "text": text})


def stored_comments(workshop) -> int:
    with workshop.db() as db:
        return db.scalar(select(func.count()).select_from(Comment))


# The filter itself ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "This is shit",
        "SHIT.",
        "what the fuck",
        "Fucking pointless",
        "sh1t idea",
        "$hit",
        "f u c k this is fine, but fuuuuck is not",
        "you absolute wankers",
        "Bullshit!",
        "a load of bollocks",
    ],
)
def test_strong_language_is_caught(text):
    assert moderation.has_strong_language(text)


@pytest.mark.parametrize(
    "text",
    [
        "I live in Scunthorpe",
        "An assessment of the class",
        "A cocktail of risks",
        "Damn, that is a hard one",
        "What the hell is proportionate?",
        "Shiitake mushrooms",
        "Therapist, analyst, assistant",
        "The grassroots view: pass",
        "",
    ],
)
def test_ordinary_words_pass(text):
    assert not moderation.has_strong_language(text)


def test_check_text_messages():
    with pytest.raises(Refused) as refused:
        moderation.check_text(Moderation(word_limit=40), " ".join(["word"] * 52))
    assert refused.value.message == "Please keep it to 40 words (you wrote 52)."
    with pytest.raises(Refused) as refused:
        moderation.check_text(Moderation(), "total shit")
    assert refused.value.message == "Please rephrase without strong language."
    moderation.check_text(Moderation(profanity_filter=False), "total shit")  # allowed
    moderation.check_text(Moderation(word_limit=2), "two words")
    moderation.check_text(None, "fine words")


# Through the live events -------------------------------------------------------------------


def test_the_default_plan_filters_strong_language_and_stores_nothing(workshop):
    facilitator, phone = workshop.facilitator(), workshop.phone()
    open_change_stage(workshop, facilitator)
    refused = comment(phone, "This is bullshit")
    assert refused == {"ok": False, "error": "Please rephrase without strong language."}
    assert stored_comments(workshop) == 0
    with workshop.db() as db:
        assert db.scalar(select(func.count()).where(Event.type == "comment.posted")) == 0
    assert comment(phone, "This needs an independent review board")["ok"]


def test_a_word_limit_refuses_long_comments(app, tmp_path):
    path = plan_file(tmp_path, "moderation:\n  word_limit: 40\n")
    workshop = Workshop(app, socketio, path)
    try:
        facilitator, phone = workshop.facilitator(), workshop.phone()
        open_change_stage(workshop, facilitator)
        refused = comment(phone, " ".join(["many"] * 52))
        assert refused == {"ok": False, "error": "Please keep it to 40 words (you wrote 52)."}
        assert stored_comments(workshop) == 0
        assert comment(phone, " ".join(["fits"] * 40))["ok"]
    finally:
        workshop.close()


def test_a_plan_may_turn_the_filter_off(app, tmp_path):
    path = plan_file(tmp_path, "moderation:\n  profanity_filter: false\n")
    workshop = Workshop(app, socketio, path)
    try:
        facilitator, phone = workshop.facilitator(), workshop.phone()
        open_change_stage(workshop, facilitator)
        assert comment(phone, "This is bullshit")["ok"]
    finally:
        workshop.close()


# Highlighting ------------------------------------------------------------------------------


def test_highlighted_comments_are_pinned_first_and_marked(workshop):
    facilitator, phone, screen = workshop.facilitator(), workshop.phone(), workshop.screen()
    other = workshop.phone("Housing")
    open_change_stage(workshop, facilitator)
    first = comment(phone, "Publish the data protection impact assessment")["comment_id"]
    second = comment(other, "Let residents sit on the oversight board")["comment_id"]
    other.emit("react", {"comment_id": first, "client_id": client_id(), "reaction": "agree"})

    assert facilitator.emit("highlight_comment", {"comment_id": second})["ok"]
    wall = screen.received("comments")[-1]["comments"]
    assert [c["id"] for c in wall] == [second, first]
    assert [c["highlighted"] for c in wall] == [True, False]
    assert phone.emit("sync")["comments"]["comments"][0]["highlighted"] is True

    assert facilitator.emit("unhighlight_comment", {"comment_id": second})["ok"]
    wall = screen.received("comments")[-1]["comments"]
    assert [c["id"] for c in wall] == [first, second]  # back to most agreed first
    with workshop.db() as db:
        types = db.scalars(
            select(Event.type).where(Event.type.like("comment.%highlighted")).order_by(Event.seq)
        ).all()
    assert types == ["comment.highlighted", "comment.unhighlighted"]


def test_highlighting_checks_role_payload_and_comment(workshop):
    facilitator, phone, screen = workshop.facilitator(), workshop.phone(), workshop.screen()
    open_change_stage(workshop, facilitator)
    mine = comment(phone, "Keep a public register of data sharing")["comment_id"]
    for client in (phone, screen):
        ack = client.emit("highlight_comment", {"comment_id": mine})
        assert ack == {"ok": False, "error": "Only a facilitator can do that."}
    assert not facilitator.emit("highlight_comment", {"comment_id": "1"})["ok"]
    assert not facilitator.emit("highlight_comment", {})["ok"]
    missing = facilitator.emit("highlight_comment", {"comment_id": 9999})
    assert missing == {"ok": False, "error": "That comment does not exist."}
    facilitator.emit("hide_comment", {"comment_id": mine})
    hidden = facilitator.emit("highlight_comment", {"comment_id": mine})
    assert not hidden["ok"] and "restore it" in hidden["error"]
