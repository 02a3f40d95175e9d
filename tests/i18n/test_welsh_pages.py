"""Every participant page in Welsh: no English interface text left on it, the plan's own
Welsh text where the plan has it, and the phone's script given its words in Welsh."""

from __future__ import annotations

import html
import json
import re

import pytest

from facilitation.participant.phone_text import PHONE_TEXT
from facilitation.workshop import operations
from facilitation.workshop.identity import participant_cookie_name, participant_token
from tests.factories import Workshop
from tests.i18n.catalogues import read_catalogue
from tests.support.live import joined as joined_as_phone

WELSH = {"Accept-Language": "cy"}
TAG = re.compile(r"<[^>]+>")
SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.S)
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w+\}")
# Words the two languages share, or names: not a sign of a missing translation.
SAME_IN_BOTH = {"Data", "Borda", "Cymraeg", "English"}


def english_fragments() -> set[str]:
    """Runs of English words from every msgid whose Welsh differs: if one shows on a
    Welsh page, some interface text was not translated."""
    fragments = set()
    for message in read_catalogue("cy"):
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for msgid in ids:
            if not msgid or msgid in strings:
                continue
            for part in PLACEHOLDER.split(TAG.sub(" ", msgid)):
                part = " ".join(part.split()).strip(" .,:;()")
                # Two words at least: single words ("Join") also occur inside Welsh text.
                if len(part.split()) >= 2 and part not in SAME_IN_BOTH:
                    fragments.add(part)
    return fragments


def visible_text(response) -> str:
    """The page as a person reads it: scripts' data blocks and tags removed."""
    page = SCRIPT.sub(" ", response.get_data(as_text=True))
    attributes = " ".join(re.findall(r'(?:aria-label|title|placeholder)="([^"]*)"', page))
    return " ".join(html.unescape(TAG.sub(" ", page) + " " + attributes).split())


def assert_welsh(response, *english_plan_text: str) -> str:
    assert '<html lang="cy">' in response.get_data(as_text=True)
    text = visible_text(response)
    left = sorted(fragment for fragment in english_fragments() if fragment in text)
    assert not left, f"English on a Welsh page: {left}"
    for english in english_plan_text:
        assert english not in text
    return text


@pytest.fixture
def welsh_workshop(bilingual) -> Workshop:
    return bilingual


def test_the_check_finds_english(app):
    """The check itself: the English home page is full of fragments it looks for."""
    text = visible_text(app.test_client().get("/"))
    found = {fragment for fragment in english_fragments() if fragment in text}
    assert {"Join a workshop", "Workshop code", "Skip to content"} <= found


def test_home_and_its_errors(app):
    client = app.test_client()
    text = assert_welsh(client.get("/", headers=WELSH))
    assert "Ymuno â gweithdy" in text and "Cod y gweithdy" in text
    blank = client.get("/?code=+", headers=WELSH)
    assert blank.status_code == 400
    assert "Teipiwch y cod 6 nod sydd ar y sgrin." in assert_welsh(blank)
    unknown = client.get("/?code=ZZZZZ9", headers=WELSH)
    assert unknown.status_code == 404
    assert "Does dim gweithdy gyda'r cod ZZZZZ9" in assert_welsh(unknown)


def test_unknown_code_page(app):
    response = app.test_client().get("/j/ZZZZZ9", headers=WELSH)
    assert response.status_code == 404
    assert "Heb ddod o hyd i'r gweithdy" in assert_welsh(response)


def test_join_page_with_the_plans_welsh_text(app, welsh_workshop):
    response = app.test_client().get(f"/j/{welsh_workshop.code}", headers=WELSH)
    text = assert_welsh(response, "Sharing data well", "We record your sector")
    assert "Rhannu data yn dda" in text  # the plan's title
    assert "Rydyn ni'n cofnodi eich sector" in text  # its privacy notice
    assert "caiff y data crai ei ddileu 30 diwrnod ar ôl y gweithdy" in text
    # Sectors are shown in Welsh but sent as the plan's own names.
    page = response.get_data(as_text=True)
    assert '<option value="Health">Iechyd</option>' in page
    assert '<option value="Housing">Tai</option>' in page


def test_join_form_errors(app, welsh_workshop):
    response = app.test_client().post(
        f"/j/{welsh_workshop.code}", data={"display_name": "x" * 61}, headers=WELSH
    )
    assert response.status_code == 400
    text = assert_welsh(response)
    assert "Gwiriwch y rhain:" in text
    assert "Gall enw arddangos fod hyd at 60 nod (mae gan hwn 61)." in text
    assert "Dewiswch y sector rydych chi'n gweithio ynddo." in text
    assert "Ticiwch y blwch i ddweud eich bod wedi darllen hwn" in text


def test_joining_in_welsh_stores_the_plans_sector_name(app, welsh_workshop):
    client = app.test_client()
    response = client.post(
        f"/j/{welsh_workshop.code}", data={"sector": "Housing", "consent": "yes"}, headers=WELSH
    )
    assert joined_as_phone(response, welsh_workshop.code)
    assert "Tai" in assert_welsh(response)  # who I am, in the menu
    phone = client.get(f"/p/{welsh_workshop.code}", headers=WELSH)
    assert "Tai" in assert_welsh(phone)


def test_not_started_and_ended_pages(app, welsh_workshop):
    with welsh_workshop.db() as db:
        code = operations.create_session(db, welsh_workshop.plan, None, draft=True).code
    client = app.test_client()
    text = assert_welsh(client.get(f"/j/{code}", headers=WELSH), "Sharing data well")
    assert "Nid yw'r gweithdy hwn wedi dechrau eto" in text
    assert "Mae Rhannu data yn dda (cod" in text
    with welsh_workshop.db() as db:
        operations.end_session(db, welsh_workshop.session_id)
    ended = client.get(f"/j/{welsh_workshop.code}", headers=WELSH)
    assert ended.status_code == 410
    assert "Mae'r gweithdy hwn wedi dod i ben" in assert_welsh(ended, "Sharing data well")


def json_block(response, block_id: str) -> dict:
    page = response.get_data(as_text=True)
    match = re.search(
        rf'<script type="application/json" id="{block_id}">(.*?)</script>', page, re.S
    )
    assert match, f"no #{block_id} block"
    return json.loads(match.group(1))


def phone_page(app, workshop, sector="Health"):
    participant = workshop.join(sector)
    client = app.test_client()
    with app.test_request_context():
        token = participant_token(participant, workshop.code)
    client.set_cookie(participant_cookie_name(workshop.code), token)
    return client.get(f"/p/{workshop.code}", headers=WELSH)


def test_phone_page_gives_its_script_welsh_words(app, welsh_workshop):
    response = phone_page(app, welsh_workshop)
    text = assert_welsh(response, "Sharing data well")
    assert "Wrthi'n cysylltu…" in text and "Dewislen" in text
    words = json_block(response, "interface-text")
    catalogue = read_catalogue("cy")
    assert set(PHONE_TEXT) <= set(words)
    for english in PHONE_TEXT:
        assert words[english] == catalogue.get(english).string
    assert words["Saved ✓"] == "Wedi'i gadw ✓"
    assert words["Stage {number} of {count}"] == "Cam {number} o {count}"


def test_phone_page_carries_the_plans_welsh_text(app, welsh_workshop):
    plan_text = json_block(phone_page(app, welsh_workshop), "plan-text")
    purposeful = plan_text["stages"]["purposeful"]
    assert purposeful["title"] == "Prawf 1: Pwrpasol"
    assert purposeful["items"] == [
        {
            "key": "purposeful",
            "label": "Mae'r pwrpas yn glir",
            "description": "Allwch chi ddweud mewn un frawddeg pam mae'r data'n cael ei rannu?",
        }
    ]
    assert plan_text["stages"]["respect"]["scale"]["max_label"] == "Yn llwyr"
    assert plan_text["stages"]["respect"]["scale"]["max"] == 5  # numbers stay the plan's
    # Left out of the overlay: the plan's own words.
    assert plan_text["stages"]["choose"]["prompt"] == "Pick the one that matters most."
    assert plan_text["scenarios"]["arrears"]["data"] == "Ariannol"
    assert plan_text["sectors"] == {"Health": "Iechyd", "Housing": "Tai"}


def test_english_phone_gets_no_overlay(app, welsh_workshop):
    participant = welsh_workshop.join("Health")
    client = app.test_client()
    with app.test_request_context():
        token = participant_token(participant, welsh_workshop.code)
    client.set_cookie(participant_cookie_name(welsh_workshop.code), token)
    response = client.get(f"/p/{welsh_workshop.code}")
    assert json_block(response, "plan-text") == {}
    words = json_block(response, "interface-text")
    assert all(words[english] == english for english in PHONE_TEXT)
    assert "Sharing data well" in visible_text(response)
