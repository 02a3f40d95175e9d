"""A deck in a room, end to end: a plan with a six-page deck shown as two slides stages
(pages 1-4, then 5-6) with a rating between them. The facilitator pages with the keyboard
on the console (1366x768); the projector (1920x1080) and a phone (390x844) follow, each
showing the page's image with its text as the text alternative.

The deck is put in the server's database as the plan editor's upload would leave it (a
``Deck`` with rendered pages, a ``PlanDeck`` naming it for the stored plan): rendering a
PDF is tests/slides/'s business. The pictures go to tests/artifacts/docs/; `make
screenshots` copies them to docs/images/ (docs/development.md, "Screenshots").
"""

from __future__ import annotations

import hashlib
import io
import re

from PIL import Image, ImageDraw, ImageFont
from playwright.sync_api import Page, expect
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from facilitation import clock
from facilitation.models import Deck, DeckPage, PlanDeck, StoredPlan
from tests.accessibility.axe import Audit
from tests.slides.factories import DECK, PLAN
from tests.support.live import FacilitatorSocket, login
from tests.support.pages import join_by_code, log_in, projector_url
from tests.support.server import flask_cli

SLUG = "slides-room"
# Each page: a title and its points, drawn on the image and given as its text layer.
PAGES = (
    ("Data for public benefit", ["Three tests", "Five features", "One scenario"]),
    ("Test 1: Purposeful", ["Is the purpose clear?", "Is it a public benefit?"]),
    ("Test 2: Proportionate", ["Is the data needed?", "Is there a less intrusive way?"]),
    ("Test 3: Responsible", ["Who is accountable?", "Can people find out?"]),
    ("Five features", ["Outcomes", "Wellbeing", "Evidence", "Trust", "Fairness"]),
    ("What happens next", ["Your answers stay pseudonymous", "The report follows"]),
)
COLOURS = ("#1d4f91", "#2e7d32", "#6a1b9a", "#ad1457", "#00695c", "#37474f")


def text_of(number: int) -> str:
    title, points = PAGES[number - 1]
    return "\n".join([title, *points])


def slide(number: int, width: int, height: int) -> bytes:
    """A page as a deck renders it: a coloured title band and the points below."""
    title, points = PAGES[number - 1]
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    unit = height / 1080
    draw.rectangle((0, 0, width, int(230 * unit)), fill=COLOURS[number - 1])
    big = ImageFont.load_default(size=int(96 * unit))
    small = ImageFont.load_default(size=int(64 * unit))
    draw.text((int(100 * unit), int(60 * unit)), title, fill="white", font=big)
    for line, point in enumerate(points):
        y = int((330 + line * 120) * unit)
        draw.text((int(120 * unit), y), f"- {point}", fill="#111", font=small)
    draw.text(
        (width - int(260 * unit), height - int(100 * unit)),
        f"{number} / {len(PAGES)}",
        fill="#555",
        font=small,
    )
    buffer = io.BytesIO()
    image.save(buffer, "WEBP", quality=80)
    return buffer.getvalue()


def store_plan_and_deck(env: dict, slug: str = SLUG, source: str = PLAN) -> None:
    """The stored plan and its deck, as an upload in the plan editor leaves them."""
    engine = create_engine(env["DATABASE_URL"])
    with Session(engine) as db:
        now = clock.now()
        db.add(StoredPlan(slug=slug, source=source, created_at=now, updated_at=now))
        deck = Deck(sha256=hashlib.sha256(slug.encode()).hexdigest(), page_count=len(PAGES))
        db.add(deck)
        db.flush()
        for number in range(1, len(PAGES) + 1):
            db.add(
                DeckPage(
                    deck_id=deck.id,
                    number=number,
                    text=text_of(number),
                    projector=slide(number, 1920, 1080),
                    projector_width=1920,
                    projector_height=1080,
                    phone=slide(number, 800, 450),
                    phone_width=800,
                    phone_height=450,
                )
            )
        db.add(PlanDeck(plan_slug=slug, name=DECK, deck_id=deck.id))
        db.commit()
    engine.dispose()


def shoot(page: Page, artifacts, name: str) -> None:
    page.wait_for_timeout(300)
    folder = artifacts / "docs"
    folder.mkdir(exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), scale="css")


def loaded(image) -> None:
    """The image was fetched and decoded (not a broken-image icon with its alt)."""
    expect(image).to_be_visible()
    image.page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
    )


def shows_page(screen: Page, phone: Page, console: Page, stage: str, index: int, page: int):
    """Every screen shows ``page`` of the deck, at ``index`` of ``stage``."""
    on_screen = screen.locator(".slide-view .slide-image")
    expect(on_screen).to_have_attribute("src", re.compile(f"/slides/{stage}/{index}/projector"))
    expect(on_screen).to_have_attribute("alt", text_of(page))
    loaded(on_screen)
    on_phone = phone.locator(".slides-card .slide-image")
    phone_src = f"/s/{code_of(phone)}/slides/{stage}/{index}/phone.webp"
    expect(on_phone).to_have_attribute("src", phone_src)
    expect(on_phone).to_have_attribute("alt", text_of(page))
    loaded(on_phone)
    loaded(console.locator(".slide-now .slide-thumb"))


def code_of(page: Page) -> str:
    return page.evaluate("document.body.dataset.code")


def test_a_deck_with_a_rating_between_its_pages(
    live_server, phone_context, desktop_context, projector_context, artifacts_dir, sockets
):
    url = live_server.url
    store_plan_and_deck(live_server.env)
    code = flask_cli(live_server.env, "session", "open", SLUG).strip().splitlines()[-1]
    facilitator = FacilitatorSocket(url, login(url, live_server.email, live_server.password), code)
    sockets.append(facilitator)
    if facilitator.emit("sync")["state"]["status"] == "draft":
        assert facilitator.emit("start_session")["ok"]

    errors: list[str] = []
    console = desktop_context().new_page()
    console.on("pageerror", lambda error: errors.append(f"console: {error}"))
    log_in(console, live_server)
    console.goto(f"{url}/facilitator/sessions/{code}")
    expect(console.locator("#connection")).to_have_text("Live")
    screen = projector_context().new_page()
    screen.on("pageerror", lambda error: errors.append(f"projector: {error}"))
    screen.goto(projector_url(console))
    expect(screen.locator("#connection")).to_have_text("Live")
    phone = phone_context().new_page()
    phone.on("pageerror", lambda error: errors.append(f"phone: {error}"))
    join_by_code(phone, url, code, "Health")

    # The session opens on the deck's first page, the join badge under it.
    shows_page(screen, phone, console, "intro", 0, 1)
    # Nobody but the console reads ahead: page 2 is not the phone's to see yet.
    assert phone.request.get(f"{url}/s/{code}/slides/intro/1/phone.webp").status == 404
    expect(screen.locator(".slide-strip .join-badge")).to_contain_text(code)
    expect(phone.locator(".slide-look")).to_have_text("Look at the screen")
    button = console.locator("#next-press")
    expect(button).to_contain_text("Show page 2")

    def key(name: str) -> None:
        console.locator("body").click(position={"x": 5, "y": 5})  # no field has focus
        console.keyboard.press(name)

    # Page Down, Right and Space each turn a page.
    for name, page in (("PageDown", 2), ("ArrowRight", 3)):
        key(name)
        shows_page(screen, phone, console, "intro", page - 1, page)
    expect(console.locator(".slide-position")).to_have_text("Page 3 of 4")
    expect(console.locator(".slide-next .slide-thumb")).to_have_attribute(
        "src", re.compile("/slides/intro/3/projector")
    )
    shoot(console, artifacts_dir, "console-slides")
    shoot(screen, artifacts_dir, "projector-slides")
    shoot(phone, artifacts_dir, "phone-slides")
    # No serious or critical WCAG violation on any of the three (axe-core).
    audit = Audit()
    for page, where in ((console, "console"), (screen, "projector"), (phone, "phone")):
        audit.check(page, f"{where}: a slides stage")

    # The phone's page opens full screen and closes with one tap.
    phone.get_by_role("button", name="Zoom in").click()
    zoom = phone.locator("dialog.slide-zoom")
    expect(zoom).to_be_visible()
    loaded(zoom.locator(".slide-zoom-image"))
    expect(zoom.locator(".slide-zoom-image")).to_have_attribute("alt", text_of(3))
    audit.check(phone, "phone: a page zoomed in")
    audit.assert_clean()
    zoom.get_by_role("button", name="Close").click()
    expect(zoom).to_be_hidden()

    key(" ")
    shows_page(screen, phone, console, "intro", 3, 4)
    expect(console.locator(".slide-next")).to_contain_text("goes on to the next stage")
    expect(button).to_contain_text("Go to How clear was that?")
    key("PageDown")  # on to the rating, between the deck's two parts
    expect(screen.locator(".slide-view")).to_have_count(0)
    expect(phone.locator(".slides-card")).to_have_count(0)
    assert facilitator.emit("sync")["state"]["stage"]["key"] == "rate"
    if facilitator.emit("sync")["state"]["input_open"] is not True:
        assert facilitator.emit("open_input")["ok"]
    phone.get_by_role("radio", name="4", exact=True).check()
    assert facilitator.emit("goto", {"index": 2})["ok"]  # the rest of the deck: pages 5-6
    shows_page(screen, phone, console, "more", 0, 5)
    expect(console.locator(".slide-position")).to_have_text("Page 1 of 2")
    key("PageDown")
    shows_page(screen, phone, console, "more", 1, 6)

    # Back: a page back, then the rating, then into the first part on its last page.
    key("PageUp")
    shows_page(screen, phone, console, "more", 0, 5)
    key("ArrowLeft")
    expect(screen.locator(".slide-view")).to_have_count(0)
    key("ArrowLeft")
    shows_page(screen, phone, console, "intro", 3, 4)

    assert errors == []


# A plan that ends on a deck: its last page is the end of the plan, not of a stage.
ENDS_ON_SLIDES = f"""\
title: Ends on slides
description: A rating, then the deck's last two pages.
privacy_notice: We keep your answers for 90 days.
sectors: [Health]
stages:
  - {{key: rate, title: Clarity, prompt: Rate it, type: rating, items: [Clarity]}}
  - key: last
    title: The end
    prompt: Look at the screen.
    type: slides
    deck: {DECK}
    pages: 5-6
"""


def test_the_console_says_the_plan_ends_on_the_last_page_of_the_last_stage(
    live_server, desktop_context, phone_context, sockets
):
    url = live_server.url
    store_plan_and_deck(live_server.env, "ends-on-slides", ENDS_ON_SLIDES)
    code = flask_cli(live_server.env, "session", "open", "ends-on-slides").strip().splitlines()[-1]
    facilitator = FacilitatorSocket(url, login(url, live_server.email, live_server.password), code)
    sockets.append(facilitator)
    if facilitator.emit("sync")["state"]["status"] == "draft":
        assert facilitator.emit("start_session")["ok"]
    assert facilitator.emit("goto", {"index": 1})["ok"]
    console = desktop_context().new_page()
    log_in(console, live_server)
    console.goto(f"{url}/facilitator/sessions/{code}")
    expect(console.locator("#connection")).to_have_text("Live")
    following = console.locator(".slide-next")
    expect(following).to_contain_text("Next page")
    console.locator("body").click(position={"x": 5, "y": 5})
    console.keyboard.press("PageDown")
    expect(console.locator(".slide-position")).to_have_text("Page 2 of 2")
    expect(following.locator(".slide-end")).to_have_text("Last page of the plan")
    expect(following.locator("figcaption")).to_have_text("The plan ends here")
    expect(console.locator("#next-press")).to_contain_text("End of plan")
    # A page back by mouse or touch, not only by the back key; none on a stage's first page.
    console.get_by_role("button", name="← Previous page").click()
    expect(console.locator(".slide-position")).to_have_text("Page 1 of 2")
    expect(console.locator(".slide-back")).to_have_count(0)
    assert facilitator.emit("sync")["state"]["stage"]["key"] == "last"
    # The page shows from the state push, which comes just before the Previous page
    # press's ack; until the ack the console takes no press (one at a time, console.js
    # `act`) and its press button says so. A person sees it; the test waits for it.
    expect(console.locator("#next-press")).to_be_enabled()
    console.keyboard.press("PageDown")
    expect(console.locator(".slide-position")).to_have_text("Page 2 of 2")

    # The prompt already says "Look at the screen": the phone says it once, not twice.
    phone = phone_context().new_page()
    join_by_code(phone, url, code, "Health")
    loaded(phone.locator(".slides-card .slide-image"))
    expect(phone.locator(".stage-prompt")).to_have_text("Look at the screen.")
    expect(phone.locator(".slide-look")).to_have_count(0)
