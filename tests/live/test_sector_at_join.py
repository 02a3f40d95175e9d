"""The sector is asked once: the sector chosen on the join form is the participant's answer to
every sector stage of the plan (an ``answer.submitted`` in the join's transaction), so the
stage's results, the phone, the responses export, the report and a replay of the log all
count it; a later answer at the stage changes it, and a withdrawal removes it."""

from __future__ import annotations

import re

from sqlalchemy import select

from facilitation.extensions import socketio
from facilitation.models import Answer, Event, Participant, WorkshopSession
from facilitation.workshop.projection import replay
from tests.exports.conftest import login, read_csv
from tests.factories import Client, client_id
from tests.support.live import joined as joined_as_phone

SECTORS = ["Health", "Health", "Health", "Housing", "Housing", "Housing"]


def join_through_the_form(workshop, sector: str) -> Client:
    http = workshop.app.test_client()
    response = http.post(f"/j/{workshop.code}", data={"sector": sector, "consent": "on"})
    assert joined_as_phone(response, workshop.code), response.get_data(as_text=True)
    phone = Client(workshop.app, socketio, {"code": workshop.code, "role": "participant"}, http)
    workshop.clients.append(phone)
    with workshop.db() as db:  # the one who just joined
        phone.participant_id = db.scalar(
            select(Participant.id)
            .where(Participant.session_id == workshop.session_id)
            .order_by(Participant.id.desc())
            .limit(1)
        )
    return phone


def at_the_sector_stage(workshop) -> tuple[Client, list[Client]]:
    phones = [join_through_the_form(workshop, sector) for sector in SECTORS]
    facilitator = workshop.facilitator()
    assert facilitator.emit("goto", {"index": workshop.stage_index("sector")})["ok"]
    return facilitator, phones


def spread(results: dict) -> dict[str, int]:
    return {o["key"]: o["count"] for o in results["results"]["options"] if o["count"]}


def sector_answers(workshop) -> dict[int, str]:
    with workshop.db() as db:
        rows = db.execute(
            select(Answer.participant_id, Answer.value).where(
                Answer.session_id == workshop.session_id, Answer.stage_key == "sector"
            )
        )
        return dict(rows.all())


def test_the_join_forms_sector_is_the_answer_at_the_sector_stage(workshop):
    facilitator, phones = at_the_sector_stage(workshop)

    results = facilitator.emit("sync")["results"]
    assert results["answered"] == len(SECTORS)
    assert spread(results) == {"Health": 3, "Housing": 3}
    # The phone gets its own answer with the stage: pre-answered, never an open question.
    me = phones[3].emit("sync")["me"]
    assert me["answers"]["sector"] == {"sector": "Housing"}
    # In the log, as any answer is: the transcript and a replay see it.
    with workshop.db() as db:
        logged = db.scalars(
            select(Event).where(
                Event.session_id == workshop.session_id,
                Event.type == "answer.submitted",
                Event.stage_key == "sector",
            )
        ).all()
    assert sorted(e.payload["value"]["sector"] for e in logged) == sorted(SECTORS)


def test_the_exports_and_the_report_count_everyone_who_gave_a_sector(workshop, app):
    at_the_sector_stage(workshop)
    reader, _ = login(app)
    base = f"/facilitator/sessions/{workshop.code}/export"

    rows = read_csv(reader.get(f"{base}/responses.csv").get_data(as_text=True))
    given = sorted(r["value"] for r in rows if r["stage"] == "sector")
    assert given == sorted(SECTORS)

    report = reader.get(f"{base}/report.html").get_data(as_text=True)
    stage = r'<section class="stage"[^>]*data-stage="sector">(.*?)</section>'
    section = re.search(stage, report, re.S)
    answered = re.search(r'<p class="answered">(.*?)</p>', section.group(1), re.S).group(1)
    assert " ".join(answered.split()) == f"{len(SECTORS)} people answered"


def test_answering_at_the_stage_changes_the_answer_and_the_participants_sector(workshop):
    facilitator, phones = at_the_sector_stage(workshop)
    assert facilitator.emit("open_input")["ok"]
    mover = phones[0]

    ack = mover.emit(
        "answer", {"stage": "sector", "client_id": client_id(), "value": {"sector": "Welfare"}}
    )

    assert ack["ok"], ack
    assert sector_answers(workshop)[mover.participant_id] == '{"sector":"Welfare"}'
    with workshop.db() as db:
        assert db.get(Participant, mover.participant_id).sector == "Welfare"
    results = facilitator.emit("sync")["results"]
    assert results["answered"] == len(SECTORS)
    assert spread(results) == {"Health": 2, "Housing": 3, "Welfare": 1}


def test_a_withdrawal_removes_the_sector_answer_and_a_replay_agrees(workshop):
    facilitator, phones = at_the_sector_stage(workshop)
    leaver = phones[0]

    assert leaver.emit("withdraw")["ok"]

    assert leaver.participant_id not in sector_answers(workshop)
    assert facilitator.emit("sync")["results"]["answered"] == len(SECTORS) - 1
    before = sector_answers(workshop)
    with workshop.db() as db:
        replay(db, db.get(WorkshopSession, workshop.session_id))
        db.commit()
    assert sector_answers(workshop) == before
