"""The console's "People and tables" list follows a participant who changes sector at the
plan's sector stage (an answer there sets Participant.sector), without a reload."""

from __future__ import annotations

from tests.factories import client_id


def sector_answer(sector: str) -> dict:
    return {"stage": "sector", "client_id": client_id(), "value": {"sector": sector}}


def test_a_sector_answer_pushes_the_people_list_to_facilitators(workshop):
    facilitator, phone = workshop.facilitator(), workshop.phone("Housing")
    facilitator.emit("goto", {"index": workshop.stage_index("sector")})
    assert facilitator.emit("open_input")["ok"]
    facilitator.received(), phone.received()

    assert phone.emit("answer", sector_answer("Welfare"))["ok"]

    people = facilitator.received("people")
    assert people, "the facilitator heard nothing about the change"
    assert [p["sector"] for p in people[-1]["people"]] == ["Welfare"]
    assert not phone.received("people")


def test_other_answers_do_not_push_the_people_list(workshop):
    facilitator, phone = workshop.facilitator(), workshop.phone("Housing")
    facilitator.emit("goto", {"index": workshop.stage_index("purposeful")})
    assert facilitator.emit("open_input")["ok"]
    facilitator.received()
    answer = {
        "stage": "purposeful",
        "client_id": client_id(),
        "value": {"lights": {"purposeful": "met"}},
    }
    assert phone.emit("answer", answer)["ok"]
    assert facilitator.received("results") and not facilitator.received("people")
