"""The join form's "you may include my display name in research exports" box: stored on
the participant and in the join event, rebuilt by replay, wiped by withdrawal."""

from __future__ import annotations

from sqlalchemy import select

from facilitation.models import Event, Participant, WorkshopSession
from facilitation.workshop import operations
from facilitation.workshop.projection import replay
from tests.support.live import joined as joined_as_phone

# Not "my display name": the join form's tests find the name field by "Display name".
BOX = "You may include the name above in research exports (otherwise only a pseudonym is used)"


def joined(workshop) -> tuple[Participant, Event]:
    with workshop.db() as db:
        person = db.scalars(select(Participant).order_by(Participant.id.desc())).first()
        event = db.scalar(
            select(Event).where(
                Event.participant_id == person.id, Event.type == "participant.joined"
            )
        )
        return person, event


def test_the_join_form_offers_the_box_unticked(app, workshop):
    page = app.test_client().get(f"/j/{workshop.code}").get_data(as_text=True)
    assert BOX in page
    assert 'name="name_consent"' in page
    box = page[page.index('id="name_consent"') - 60 : page.index('id="name_consent"') + 120]
    assert "checked" not in box


def test_ticking_the_box_stores_the_consent(app, workshop):
    form = {"sector": "Health", "consent": "yes", "display_name": "Sam", "name_consent": "yes"}
    answer = app.test_client().post(f"/j/{workshop.code}", data=form)
    assert joined_as_phone(answer, workshop.code)
    person, event = joined(workshop)
    assert person.name_consent is True and person.display_name == "Sam"
    assert event.payload["name_consent"] is True


def test_without_the_box_only_the_pseudonym_is_exported(app, workshop):
    form = {"sector": "Health", "consent": "yes", "display_name": "Alex"}
    answer = app.test_client().post(f"/j/{workshop.code}", data=form)
    assert joined_as_phone(answer, workshop.code)
    person, event = joined(workshop)
    assert person.name_consent is False and event.payload["name_consent"] is False


def test_a_form_sent_back_with_an_error_keeps_the_box_ticked(app, workshop):
    form = {"sector": "", "consent": "yes", "display_name": "Sam", "name_consent": "yes"}
    response = app.test_client().post(f"/j/{workshop.code}", data=form)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    box = page[page.index('id="name_consent"') : page.index('id="name_consent"') + 120]
    assert "checked" in box


def test_replay_rebuilds_it_and_withdrawal_wipes_it(workshop):
    with workshop.db() as db:
        person = operations.join(db, workshop.session_id, "Health", "Sam", name_consent=True)
        other = operations.join(db, workshop.session_id, "Housing", "Kim")
        session = db.get(WorkshopSession, workshop.session_id)
        db.get(Participant, person.id).name_consent = False  # replay must set it back
        replay(db, session)
        db.commit()
        assert db.get(Participant, person.id).name_consent is True
        assert db.get(Participant, other.id).name_consent is False

        operations.withdraw(db, workshop.session_id, person.id)
        event = db.scalar(
            select(Event).where(
                Event.participant_id == person.id, Event.type == "participant.joined"
            )
        )
        assert event.payload == {"withdrawn": True}
        replay(db, db.get(WorkshopSession, workshop.session_id))
        db.commit()
        gone = db.get(Participant, person.id)
        assert gone.name_consent is False and gone.display_name is None
