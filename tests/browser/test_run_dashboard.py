"""A self-paced run from the facilitator's side in a real browser: published through the
dashboard's form in the browser's own time zone, its dashboard at 1366x768 and 1920x1080,
the numbers refreshing by themselves as a person answers over Socket.IO, and a comment
approved from the moderation queue."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from facilitation.plans import load_plan
from tests.accessibility.axe import Audit
from tests.conftest import BUILTIN_PLAN
from tests.support.live import LiveSocket, client_id, join
from tests.support.pages import box_of, log_in

PLAN = load_plan(BUILTIN_PLAN)
ZONE = "Europe/Paris"  # the browser's zone: the form must read its times in it


def test_publish_a_run_and_follow_it(
    live_server, desktop_context, projector_context, artifacts_dir, sockets
):
    page = desktop_context(timezone_id=ZONE).new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, live_server)

    card = page.locator(".plan-card").filter(has_text=PLAN.title)
    card.get_by_text("Self-paced run (online consultation)").click()
    form = card.locator("form.run-form")
    # The script put the browser's zone in the form and says so.
    expect(form.locator(".run-zone-note")).to_contain_text(ZONE)
    assert form.locator("input[name=zone]").input_value() == ZONE
    # Open from ten minutes ago (Paris time) for a week; no results after answering.
    paris = datetime.now(ZoneInfo(ZONE))
    opens, closes = paris - timedelta(minutes=10), paris + timedelta(days=7)
    form.get_by_label("Date").first.fill(opens.date().isoformat())
    form.get_by_label("Time").first.fill(opens.strftime("%H:%M"))
    form.get_by_label("Date").nth(1).fill(closes.date().isoformat())
    form.get_by_label("Time").nth(1).fill(closes.strftime("%H:%M"))
    form.get_by_label("Show a stage’s results after the person answers it").uncheck()
    page.screenshot(path=artifacts_dir / "run-publish-1366.png", full_page=True)
    for field in (form.get_by_label("Date").first, form.get_by_label("Time").first):
        assert box_of(field)["height"] >= 44  # styled like a text field, a touch target
    audit = Audit()
    audit.check(page, "dashboard with the run form open")
    # A closing date left out: the form comes back open, saying why, as it was filled in.
    form.get_by_label("Date").nth(1).fill("")
    form.get_by_role("button", name="Publish run").click()
    expect(form.locator(".error-summary")).to_contain_text("Enter a date.")
    expect(form.locator(".run-moment.has-error")).to_have_count(1)
    assert form.locator("input[name=zone]").input_value() == ZONE
    expect(form.locator(".run-zone-note")).to_contain_text(ZONE)
    assert form.get_by_label("Time").first.input_value() == opens.strftime("%H:%M")
    assert not form.get_by_label("Show a stage’s results after the person answers it").is_checked()
    page.screenshot(path=artifacts_dir / "run-publish-error-1366.png", full_page=True)
    audit.check(page, "dashboard with the run form's errors")
    form.get_by_label("Date").nth(1).fill(closes.date().isoformat())
    form.get_by_role("button", name="Publish run").click()

    expect(page).to_have_url(re.compile(r"/facilitator/runs/[A-Z0-9]{6}$"))
    code = page.url.rsplit("/", 1)[1]
    expect(page.locator(".run-summary .status-badge")).to_have_text("Open")
    utc_closes = closes.astimezone(UTC).strftime("%H:%M")
    expect(page.locator(".run-dates")).to_contain_text(f"{utc_closes} UTC")
    expect(page.locator(".run-dates")).to_contain_text("Results not shown")
    expect(page.locator(".run-qr img")).to_be_visible()
    qr = page.request.get(page.locator(".run-qr img").evaluate("img => img.src"))
    assert qr.status == 200 and qr.headers["content-type"].startswith("image/svg+xml")
    assert page.locator(".run-qr img").evaluate("img => img.complete && img.width") >= 200
    expect(page.locator("#timeline-chart .main-svg").first).to_be_visible()

    # A person joins and answers the first test, with a comment: the numbers refresh by
    # themselves, without a reload.
    phone = LiveSocket(
        live_server.url, join(live_server.url, code, "Health"), code, role="participant"
    )
    sockets.append(phone)
    target = PLAN.stage_index("purposeful")
    for index in range(1, target + 1):
        assert phone.emit("pace", {"index": index})["ok"]
    value = {"lights": {"purposeful": "partly"}}
    assert phone.emit("answer", {"stage": "purposeful", "client_id": client_id(), "value": value})[
        "ok"
    ]
    text = "Who <em>checks</em> the purpose?"
    assert phone.emit("comment", {"stage": "purposeful", "client_id": client_id(), "text": text})[
        "ok"
    ]
    stats = page.locator(".run-numbers")
    expect(stats.locator('[data-stat="joined"]')).to_have_text("1", timeout=40_000)
    expect(stats.locator('[data-stat="awaiting"]')).to_have_text("1")
    row = page.locator(f'tr[data-stage="{target}"]')
    expect(row.locator('[data-cell="answered"]')).to_have_text("1")
    expect(row.locator(".share-text")).to_have_text("100 %")
    expect(page.locator(".run-queue-news")).to_be_visible()
    # The profile, fetched into its section once the page has loaded.
    expect(page.locator("#profile .run-profile")).to_contain_text("Test 1: Purposeful")
    expect(page.locator("#profile-chart .main-svg").first).to_be_visible()
    page.screenshot(path=artifacts_dir / "run-dashboard-1366.png")
    audit.check(page, "run dashboard")
    page.screenshot(path=artifacts_dir / "run-dashboard-1366-full.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366

    # The queue after a reload: the comment as text, approved with one press.
    page.reload()
    queue = page.locator("#moderation .queue-item")
    expect(queue).to_have_count(1)
    expect(queue.locator(".queue-text")).to_have_text(text)
    expect(queue.locator(".queue-meta")).to_contain_text("Test 1: Purposeful")
    queue.get_by_role("button", name=re.compile("^Approve")).click()
    expect(page.locator(".flash")).to_contain_text("Comment approved")
    expect(page.locator("#moderation .queue-item")).to_have_count(0)
    comments = phone.emit("sync")["comments"]["comments"]
    assert [c.get("awaiting") for c in comments if c["text"] == text] in ([False], [None])

    big = projector_context().new_page()
    big.on("pageerror", lambda error: errors.append(str(error)))
    log_in(big, live_server)
    big.goto(f"{live_server.url}/facilitator/runs/{code}")
    expect(big.locator("#timeline-chart .main-svg").first).to_be_visible()
    big.screenshot(path=artifacts_dir / "run-dashboard-1920.png")
    big.screenshot(path=artifacts_dir / "run-dashboard-1920-full.png", full_page=True)
    assert big.evaluate("document.documentElement.scrollWidth") <= 1920
    audit.assert_clean()
    assert errors == []


def test_invitations_sheet_prints_twelve_to_an_a4_page(live_server, desktop_context, artifacts_dir):
    page = desktop_context().new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, live_server)
    card = page.locator(".plan-card").filter(has_text=PLAN.title)
    card.get_by_text("Self-paced run (online consultation)").click()
    form = card.locator("form.run-form")
    form.get_by_label("Invitation codes only (you make them on the run’s dashboard)").check()
    form.get_by_role("button", name="Publish run").click()
    expect(page.locator(".run-dates")).to_contain_text("Invitation codes only")

    # A number field is a 44 px target, level with its button (not the browser's 20 px box).
    count = box_of(page.get_by_label("How many to make"))
    button = box_of(page.get_by_role("button", name="Make invitations"))
    assert count["height"] >= 44
    assert abs((count["y"] + count["height"]) - (button["y"] + button["height"])) <= 1
    page.locator("#invitations").screenshot(path=artifacts_dir / "run-invite-form-1366.png")
    page.get_by_label("How many to make").fill("14")
    page.get_by_role("button", name="Make invitations").click()
    expect(page.locator(".flash")).to_contain_text("14 invitations made")
    expect(page.locator("#invitations")).to_contain_text("Made: 14 · used: 0")
    sheet_url = page.get_by_role("link", name="Printable sheet of unused codes (QR)").get_attribute(
        "href"
    )
    page.goto(f"{live_server.url}{sheet_url}")
    cards = page.locator(".invitation-card")
    expect(cards).to_have_count(14)
    expect(cards.first.locator(".card-code")).to_have_text(re.compile(r"^[A-Z0-9]{5} [A-Z0-9]{5}$"))
    expect(cards.first.locator("svg")).to_be_visible()
    page.screenshot(path=artifacts_dir / "run-invitations-1366.png")
    audit = Audit()
    audit.check(page, "invitations sheet")
    audit.assert_clean()
    page.emulate_media(media="print")
    page.screenshot(path=artifacts_dir / "run-invitations-print.png", full_page=True)
    pdf = page.pdf(format="A4", prefer_css_page_size=True, print_background=True)
    (artifacts_dir / "run-invitations.pdf").write_bytes(pdf)
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert pages == 2, pages  # twelve cards, then two
    assert errors == []
