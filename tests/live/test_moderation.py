"""Moderation: highlighting comments, the plan's word limit and its strong-language filter."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from facilitation.errors import Refused
from facilitation.extensions import socketio
from facilitation.models import Comment, Event, Participant
from facilitation.plans.model import Moderation
from facilitation.workshop import moderation
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


LOOK_ALIKES = [
    "\uff46\uff55\uff43\uff4b this",  # fullwidth
    "f\u200buck this",  # zero-width space
    "fu\u00adck this",  # soft hyphen
    "fu\u200dck",  # zero-width joiner
    "fu\u0441k",  # Cyrillic es
    "\U0001d41f\U0001d42e\U0001d41c\U0001d424",  # mathematical bold
    "\u24d5\u24e4\u24d2\u24da",  # circled
    "\ua730\u1d1c\u1d04\u1d0b",  # small capitals
    "f\u0301uck",  # a combining accent
    "\u24a1\u24b0\u249e\u24a6",  # parenthesized
    "\U0001f175\U0001f184\U0001f172\U0001f17a",  # negative squared
    "\u0405\u041d\u0406\u0422",  # Cyrillic capitals: SHIT
    "\u0455\u04bb\u0456\u0442 idea",  # Cyrillic small letters
    "\u03c4\u03c9\u03b1\u03c4",  # Greek: twat
    "b\ufe0fullshit",  # a variation selector
    "\uff37\uff21\uff2e\uff2b\uff25\uff32\uff33",  # fullwidth capitals, an ending
    "\u1da0uck",  # modifier (superscript) letter
    "sh\u2060it",  # word joiner
]


@pytest.mark.parametrize("text", LOOK_ALIKES)
def test_look_alike_and_invisible_characters_do_not_hide_a_word(text):
    assert moderation.has_strong_language(text)


@pytest.mark.parametrize(
    "text",
    [
        "\uff33\uff43\uff55\uff4e\uff54\uff48\uff4f\uff52\uff50\uff45",  # Scunthorpe
        "An \u24d0ssessment of the class",
        "A co\u0441ktail of risks",
        "Dw i'n si\u0175r bod angen mwy o dryloywder",  # Welsh, with w circumflex
        "Mae'n bwysig i'r cyhoedd gael llais; diolch yn fawr",
        "Ffydd, gobaith a chariad: Llanfairpwllgwyngyll",
        "Caerffili, Ynys M\u00f4n, Pen-y-bont ar Ogwr",
        "\u0421\u043f\u0430\u0441\u0438\u0431\u043e \u0445\u043e\u0440\u043e\u0448\u043e",  # ru
        "\u039a\u03b1\u03bb\u03b7\u03bc\u03ad\u03c1\u03b1",  # Greek: good morning
        "Shi\u00eftake and d\u00e9j\u00e0 vu",
        "Pen\u00adistone and Cockermouth",
        "Cl\u00e1ssic pass\u00e9 assistant",
    ],
)
def test_folding_does_not_refuse_ordinary_or_welsh_words(text):
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


@pytest.mark.parametrize("text", LOOK_ALIKES[:9])
def test_a_look_alike_comment_is_refused_and_stores_nothing(workshop, text):
    facilitator, phone = workshop.facilitator(), workshop.phone()
    open_change_stage(workshop, facilitator)
    refused = comment(phone, text)
    assert refused == {"ok": False, "error": "Please rephrase without strong language."}
    assert stored_comments(workshop) == 0


def test_an_accepted_comment_is_stored_as_typed_not_folded(workshop):
    facilitator, phone = workshop.facilitator(), workshop.phone()
    open_change_stage(workshop, facilitator)
    typed = "\uff34\uff48\uff41\uff4e\uff4b\uff53: Caerffili sy\u2019n siŵr"
    assert comment(phone, typed)["ok"]
    with workshop.db() as db:
        assert db.scalars(select(Comment.text)).all() == [typed]


# The display name shown next to a comment --------------------------------------------------


@pytest.mark.parametrize("name", ["Fuck Off", "\ua730\u1d1c\u1d04\u1d0b", "Sh\u0456thead"])
def test_a_strong_display_name_is_refused_next_to_the_field(app, workshop, name):
    response = app.test_client().post(
        f"/j/{workshop.code}", data={"display_name": name, "sector": "Housing", "consent": "yes"}
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="display_name-error"' in page
    assert "Please rephrase without strong language." in page
    with workshop.db() as db:
        assert db.scalar(select(func.count()).select_from(Participant)) == 0


def test_a_strong_display_name_is_refused_by_join_itself(workshop):
    """operations.join is the one way in (the form, the CLI, tests): it checks too."""
    with pytest.raises(Refused) as refused:
        workshop.join(display_name="Mr \uff46\uff55\uff43\uff4b")
    assert refused.value.message == "Please rephrase without strong language."
    assert workshop.join(display_name="Sam from Scunthorpe").id


def test_display_names_are_not_filtered_when_the_plan_turns_the_filter_off(app, tmp_path):
    path = plan_file(tmp_path, "moderation:\n  profanity_filter: false\n")
    workshop = Workshop(app, socketio, path)
    try:
        assert workshop.join(display_name="Shithead").id
    finally:
        workshop.close()


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
