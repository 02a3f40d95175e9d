"""Every page of the app as every kind of visitor: the GET routes of ``app.url_map`` (a new
route is walked without editing this file), asked by an anonymous visitor, a participant,
a note-taker, a projector (its key), a facilitator and a researcher with a grant."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import select

from facilitation.db import database
from facilitation.models import Facilitator, Participant, Series, WorkshopSession
from facilitation.privacy import grants
from facilitation.workshop.identity import (
    notes_key,
    notetaker_cookie_name,
    notetaker_token,
    participant_cookie_name,
    participant_token,
    screen_key,
)
from tests.factories import session_of
from tests.privacy.test_researchers import account, login_as, url_for_rule

# Not pages: files served as they are.
SKIPPED = {"static", "health.plotly_js"}


@dataclass
class Page:
    who: str
    url: str
    endpoint: str
    status: int
    headers: dict
    text: str

    @property
    def is_html(self) -> bool:
        return self.headers.get("Content-Type", "").startswith("text/html")

    @property
    def is_download(self) -> bool:
        return self.headers.get("Content-Disposition", "").startswith("attachment")


def a_series(app, code: str) -> int:
    with database(app).sessionmaker() as db:
        row = Series(title="Walked series", description="Every page.")
        db.add(row)
        db.flush()
        db.scalar(select(WorkshopSession).where(WorkshopSession.code == code)).series_id = row.id
        db.commit()
        return row.id


def visitors(app, code: str, participant: Participant, series_id: int) -> dict:
    """A test client for each kind of visitor, and the query string it adds to pages."""
    with app.test_request_context():
        phone_token = participant_token(participant, code)
        session = session_of(app, code)
        scribe_token = notetaker_token(session, "Scribe")
        keys = {"screen": screen_key(session), "notes": notes_key(session)}
    phone = app.test_client()
    phone.set_cookie(participant_cookie_name(code), phone_token)
    scribe = app.test_client()
    scribe.set_cookie(notetaker_cookie_name(code), scribe_token)
    researcher = login_as(app, "researcher")
    with database(app).sessionmaker() as db:
        grants.grant_series(db, db.get(Facilitator, researcher.account.id), series_id)
    return {
        "anonymous": app.test_client(),
        "participant": phone,
        "note-taker": scribe,
        "projector": app.test_client(),
        "researcher": researcher,
        "facilitator": login_as(app, "facilitator"),
    }, keys


def walk(app, code: str, participant: Participant) -> Iterator[Page]:
    """Every GET page for every visitor (downloads included: callers skip what they want)."""
    series_id = a_series(app, code)
    clients, keys = visitors(app, code, participant, series_id)
    target = account(app, "researcher")
    rules = [
        rule
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods and rule.endpoint not in SKIPPED
    ]
    for who, client in clients.items():
        for rule in rules:
            url = url_for_rule(rule, code, series_id, target.id)
            if rule.endpoint == "screen.show":
                url += f"?key={keys['screen']}"
            elif rule.endpoint == "notes.take_notes":
                url += f"?key={keys['notes']}"
            response = client.get(url)
            text = response.get_data(as_text=True)
            response.close()
            yield Page(who, url, rule.endpoint, response.status_code, dict(response.headers), text)
