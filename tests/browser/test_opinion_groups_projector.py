"""Opinion groups on a real projector and console: the built-in plan
"Data sharing safeguards" (sessions/data-sharing-safeguards.yaml), its statements stage
voted on by eighteen people over Socket.IO in three planted camps that cut across
sectors (each camp three people of one sector and three of another).

Before seven people have voted on three statements the projector, set "By opinion group",
says why there are no groups yet over the ranking. Once they form it shows the map (a
Plotly scatter, one dot per person placed, each group labelled "A · 6"), a card per group
with its size and a statement that sets it apart, what every group agrees on and the
groups by sector, all inside the screen in type no smaller than the projector's smallest,
at 1920x1080, 1366x768 and 1024x768. The console's "By opinion group" button sets it and
its preview sums the groups up. Screenshots: tests/artifacts/opinion-projector-*.png.
"""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import Page, expect

from tests.support.live import LiveSocket, client_id, join, started_session
from tests.support.pages import box_of, log_in, projector_url

SLUG = "data-sharing-safeguards"
STAGE = "safeguards"

# Statement -> each camp's vote (+1 agree, -1 disagree): two every camp agrees with, two
# that set each camp apart (it alone agrees), one every camp rejects.
CONSENSUS = (
    "Tell tenants before their names are sent to the GP.",
    "Share only what the GP needs to offer help.",
)
SETS_APART = (
    ("A GP should hear about rent arrears early.", "Early help is worth sharing names for."),
    ("Tenants must be asked first, every time.", "Only anonymised figures should be shared."),
    ("Arrears should never leave the council.", "Debt advice is the council's job, not the GP's."),
)
REJECTED = "Sharing personal data is always wrong."
STATEMENTS = [*CONSENSUS, *(text for pair in SETS_APART for text in pair), REJECTED]
# Each camp: three people of one sector, three of another; every sector in two camps.
CAMP_SECTORS = (("Health", "Housing"), ("Housing", "Welfare"), ("Welfare", "Health"))
PER_CAMP = 6
PEOPLE = PER_CAMP * len(CAMP_SECTORS)


def camp_vote(camp: int, text: str) -> str:
    if text in CONSENSUS:
        return "agree"
    if text == REJECTED:
        return "disagree"
    return "agree" if text in SETS_APART[camp] else "disagree"


def ok(ack: dict) -> dict:
    assert ack["ok"], ack
    return ack


class Room:
    """The session and its people: three camps of six who write the statements and vote
    (each person passes on one statement, a different one for each member of a camp, so no
    two of a camp sit on the same dot), and one more who writes the statement every camp
    rejects and votes on nothing."""

    def __init__(self, live_server, sockets: list):
        self.url = live_server.url
        self.code, self.facilitator = started_session(live_server, SLUG)
        sockets.append(self.facilitator)
        stages = {s["key"]: s["index"] for s in self.facilitator.emit("sync")["stages"]}
        ok(self.facilitator.emit("goto", {"index": stages[STAGE]}))
        if self.facilitator.emit("sync")["state"]["input_open"] is not True:
            ok(self.facilitator.emit("open_input"))
        self.camps = [
            [self.person(sectors[i // 3], sockets) for i in range(PER_CAMP)]
            for sectors in CAMP_SECTORS
        ]
        # People write what they hold (an author counts as agreeing with their statement):
        # each camp's first two write what sets it apart, two more the consensus. The
        # statement everyone rejects comes from someone who votes on nothing else, so has
        # too few votes to be placed.
        writers = {
            text: self.camps[camp][i]
            for camp, pair in enumerate(SETS_APART)
            for i, text in enumerate(pair)
        }
        writers[CONSENSUS[0]] = self.camps[0][2]
        writers[CONSENSUS[1]] = self.camps[1][2]
        writers[REJECTED] = self.person("Something else", sockets)
        self.authors = writers
        self.ids = {
            text: ok(
                writers[text].emit(
                    "comment", {"stage": STAGE, "client_id": client_id(), "text": text}
                )
            )["comment_id"]
            for text in STATEMENTS
        }

    def person(self, sector: str, sockets: list) -> LiveSocket:
        socket = LiveSocket(
            self.url, join(self.url, self.code, sector), self.code, role="participant"
        )
        sockets.append(socket)
        return socket

    def vote(self, camp: int, member: int, *, stray: bool = False) -> None:
        """Member MEMBER of CAMP votes their camp's way; with STRAY the last three of a
        camp also agree with one statement of another camp's (a room is never that tidy,
        and the map then shows each person's dot rather than three knots)."""
        socket = self.camps[camp][member]
        passed = STATEMENTS[(member + 2 * camp) % len(STATEMENTS)]
        strayed = None
        if stray and member >= 3:
            strayed = SETS_APART[(camp + 1 + member % 2) % len(SETS_APART)][member % 2]
        for text in STATEMENTS:
            if self.authors[text] is socket:
                continue  # nobody votes on their own statement
            reaction = "pass" if text == passed else camp_vote(camp, text)
            if text == strayed:
                reaction = "agree"
            ok(
                socket.emit(
                    "react",
                    {"comment_id": self.ids[text], "client_id": client_id(), "reaction": reaction},
                )
            )

    def opinion(self) -> dict:
        return (self.facilitator.emit("sync").get("results") or {}).get("opinion") or {}

    def wait_for(self, status: str, placed: int) -> dict:
        """The facilitator's `opinion` once it has STATUS with PLACED people (the groups
        are computed off the event loop, after the votes)."""
        deadline = time.monotonic() + 25
        opinion: dict = {}
        while time.monotonic() < deadline:
            opinion = self.opinion()
            if opinion.get("status") == status and opinion.get("placed") == placed:
                return opinion
            time.sleep(1)  # syncs are rate-limited: 30 a minute
        raise AssertionError(f"no {status} opinion with {placed} placed: {opinion}")


def formed_room(live_server, sockets: list) -> tuple[Room, dict]:
    room = Room(live_server, sockets)
    for camp in range(len(CAMP_SECTORS)):
        for member in range(PER_CAMP):
            room.vote(camp, member)
    return room, room.wait_for("formed", PEOPLE)


def camp_of_label(opinion: dict) -> dict[str, int]:
    """Which planted camp each group letter is: the camp whose two statements the group's
    representative statements are (the groups are found, so their letters are not known)."""
    found = {}
    for group in opinion["groups"]:
        texts = {s["text"] for s in group["representative"] if s["direction"] == "agree"}
        camps = [camp for camp, pair in enumerate(SETS_APART) if texts & set(pair)]
        assert len(camps) == 1, (group["label"], texts)
        found[group["label"]] = camps[0]
    assert sorted(found.values()) == [0, 1, 2], found
    return found


# What a projector must keep: every line of text in the opinion view inside the screen and
# inside its column (a column hides what overflows it), nothing scrolling, no statement
# cut short, and no type smaller than the projector's smallest (--screen-min-type).
FIT = """() => {
  const probe = document.createElement("span");
  probe.style.cssText = "position:absolute;visibility:hidden;font-size:var(--screen-min-type)";
  document.body.append(probe);
  const minType = parseFloat(getComputedStyle(probe).fontSize);
  probe.remove();
  const problems = [];
  const root = document.documentElement;
  if (root.scrollHeight > innerHeight || root.scrollWidth > innerWidth) {
    problems.push(`the page scrolls: ${root.scrollWidth}x${root.scrollHeight}`);
  }
  const view = document.querySelector(".opinion-view");
  for (const column of view.querySelectorAll(".opinion-column")) {
    const [tall, wide] = [column.scrollHeight, column.scrollWidth];
    if (tall > column.clientHeight + 1 || wide > column.clientWidth + 1) {
      problems.push(`a column overflows: ${column.scrollHeight} > ${column.clientHeight}`);
    }
  }
  for (const text of view.querySelectorAll(".opinion-text")) {
    if (text.scrollHeight > text.clientHeight + 1) problems.push(`cut: ${text.textContent}`);
  }
  const walker = document.createTreeWalker(view, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!node.textContent.trim()) continue;
    if (el.closest("svg, .visually-hidden, [aria-hidden=true]")) continue;
    if (!el.getClientRects().length) continue; // not displayed (the short form of a cell)
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < minType - 0.5) problems.push(`${size}px < ${minType}px: ${node.textContent.trim()}`);
    const column = el.closest(".opinion-column").getBoundingClientRect();
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const r of range.getClientRects()) {
      const inside = r.left >= column.left - 1 && r.right <= column.right + 1
        && r.top >= column.top - 1 && r.bottom <= column.bottom + 1
        && r.right <= innerWidth && r.bottom <= innerHeight;
      if (!inside) problems.push(`outside its column: ${node.textContent.trim().slice(0, 40)}`);
    }
  }
  return { minType, problems };
}"""


def assert_fits(page: Page) -> float:
    found = page.evaluate(FIT)
    assert found["problems"] == [], found["problems"]
    return found["minType"]


def map_points(page: Page) -> list[list]:
    """The map's dots as Plotly drew them: [x, y] per marker, from the figure's data."""
    return page.locator(".opinion-map").evaluate(
        """e => e.data.filter(t => t.mode === "markers")
                  .flatMap(t => t.x.map((x, i) => [x, t.y[i], t.name]))"""
    )


def check_projector(
    screen: Page, opinion: dict, camps: dict[str, int], *, every_card: bool = True
) -> None:
    """The formed groups as the projector shows them (any of the three sizes). A small
    screen leaves the later groups' statements off before the first group's (``every_card``
    False: a card may show only its group's name and size)."""
    labels = [group["label"] for group in opinion["groups"]]
    assert labels == ["A", "B", "C"]
    expect(screen.locator(".results-caption")).to_have_text(
        f"By opinion group · {PEOPLE} people in 3 groups · grouped by how they voted"
    )
    # The map: one dot per person placed, each group labelled with its letter and size.
    expect(screen.locator(".opinion-map .scatterlayer .point")).to_have_count(PEOPLE)
    points = map_points(screen)
    assert len(points) == PEOPLE
    assert sorted({name for _, _, name in points}) == [f"Group {label}" for label in labels]
    expect(screen.locator(".opinion-map .annotation-text")).to_have_text(
        [f"{label} · {PER_CAMP}" for label in labels]
    )
    box = box_of(screen.locator(".opinion-map"))
    assert box["width"] >= 240 and box["height"] >= 150, box  # a map, not a thumbnail
    # A card per group: its letter, its size, a statement that sets it apart.
    cards = screen.locator(".group-card")
    expect(cards).to_have_count(3)
    for card, label in zip(cards.all(), labels, strict=True):
        expect(card.locator(".group-card-head")).to_have_text(
            f"{label} Group {label} · {PER_CAMP} people"
        )
        expect(card.locator(".group-badge").first).to_have_text(label)
        if not every_card and card.locator(".opinion-text").count() == 0:
            continue  # left off to fit: the group keeps its name and size
        first = card.locator(".opinion-text").first
        expect(first).to_be_visible()
        assert first.inner_text() in SETS_APART[camps[label]], (label, first.inner_text())
        expect(card.locator(".opinion-figures").first).to_contain_text(
            # Head counts ("5 of 6 in A agree · 0 of 12 others") or shares ("75% of A agree").
            re.compile(
                rf"^(\d+ of \d+ in {label} agree · \d+ of \d+ others"
                rf"|\d+% of {label} agree · \d+% of others)$"
            )
        )
    expect(cards.first.locator(".opinion-text").first).to_be_visible()
    # What every group agrees on: the planted consensus, each group's share.
    consensus = screen.locator(".opinion-consensus")
    expect(consensus.locator(".opinion-heading")).to_have_text("What every group agrees on")
    agreed = consensus.locator(".opinion-text").all_inner_texts()
    assert agreed and set(agreed) <= set(CONSENSUS), agreed
    assert CONSENSUS[0] in agreed or CONSENSUS[1] in agreed
    expect(consensus.locator(".opinion-shares").first).to_contain_text(
        re.compile(r"^Agree: A (\d+%|\d+/\d+) · B (\d+%|\d+/\d+) · C (\d+%|\d+/\d+)$")
    )


def check_sectors(screen: Page, camps: dict[str, int]) -> None:
    """Groups by sector: each group three people of each of its camp's two sectors."""
    table = screen.locator(".sectors-table")
    expect(table).to_be_visible()
    expect(table.locator("thead th")).to_have_text(
        ["Sector", "A Group A", "B Group B", "C Group C"], use_inner_text=False
    )
    rows = table.locator("tbody tr")
    expect(rows.locator("th")).to_have_text(["Health", "Housing", "Welfare"])
    for row, sector in zip(rows.all(), ("Health", "Housing", "Welfare"), strict=True):
        expected = [
            "3" if sector in CAMP_SECTORS[camps[label]] else "0" for label in ("A", "B", "C")
        ]
        expect(row.locator("td")).to_have_text(expected)


@pytest.fixture
def room_and_pages(live_server, desktop_context, projector_context, sockets):
    room = Room(live_server, sockets)
    errors: list[str] = []
    console = desktop_context().new_page()
    console.on("pageerror", lambda error: errors.append(f"console: {error}"))
    log_in(console, live_server)
    console.goto(f"{live_server.url}/facilitator/sessions/{room.code}")
    expect(console.locator("#connection")).to_have_text("Live")
    screen = projector_context().new_page()
    screen.on("pageerror", lambda error: errors.append(f"projector: {error}"))
    screen.goto(projector_url(console))
    expect(screen.locator("#connection")).to_have_text("Live")
    yield room, console, screen, errors


def test_the_projector_shows_the_opinion_groups_and_the_console_sums_them_up(
    room_and_pages, projector_context, artifacts_dir
):
    room, console, screen, errors = room_and_pages
    preview = console.locator("#preview-body")

    # Five people voted: not enough to place seven. The console's switch shows the groups
    # "By opinion group"; the projector says why there are none yet, over the ranking.
    for member in range(5):
        room.vote(0, member)
    room.wait_for("waiting", 5)
    button = console.locator("#breakdown-switch").get_by_role("button", name="By opinion group")
    expect(button).to_have_attribute("data-unavailable", "no")
    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")
    waiting = "Opinion groups form once 7 people have voted on 3 statements each · 5 so far"
    expect(preview.locator(".opinion-summary-status")).to_have_text(waiting)
    expect(console.locator("#breakdown-hint")).to_contain_text(
        "The projector says why opinion groups have not formed yet"
    )
    ok(room.facilitator.emit("reveal"))
    expect(screen.locator(".opinion-status")).to_have_text(waiting)
    expect(screen.locator(".statement-ranking .ranked-statement").first).to_be_visible()
    expect(screen.locator(".opinion-view")).to_have_count(0)
    screen.wait_for_timeout(300)
    screen.screenshot(path=str(artifacts_dir / "opinion-projector-0-waiting.png"))

    # Everyone votes: three groups form, and the projector shows them as they do.
    room.vote(0, 5)
    for camp in (1, 2):
        for member in range(PER_CAMP):
            room.vote(camp, member)
    opinion = room.wait_for("formed", PEOPLE)
    camps = camp_of_label(opinion)
    check_projector(screen, opinion, camps)
    check_sectors(screen, camps)
    screen.wait_for_timeout(500)  # the map is drawn once the page has its size
    assert assert_fits(screen) >= 27.5  # 28px type at 1920x1080
    screen.screenshot(path=str(artifacts_dir / "opinion-projector-1-1920x1080.png"))

    # The console: the preview sums the groups up, the hint says what the room sees.
    summary = preview.locator(".opinion-summary")
    expect(summary.locator(".opinion-summary-status")).to_have_text(
        # The rejected statement's author wrote it but voted on nothing: not among those who
        # voted (nor placed, with one statement).
        f"Opinion groups: 3 groups formed from {PEOPLE} people ({PEOPLE} people voted)"
    )
    items = summary.locator(".opinion-summary-groups li")
    expect(items).to_have_count(3)
    for item, label in zip(items.all(), ("A", "B", "C"), strict=True):
        expect(item).to_contain_text(f"Group {label} {PER_CAMP} people · ")
        assert any(text in item.inner_text() for text in SETS_APART[camps[label]])
    expect(summary.locator(".opinion-summary-counts")).to_have_text(
        re.compile(
            r"^[12] statements? every group agrees on"
            r" · [1-5]( or more)? statements? that split the groups$"
        )
    )
    expect(console.locator("#breakdown-hint")).to_contain_text(
        "The projector shows the opinion groups"
    )
    assert console.evaluate("() => document.documentElement.scrollWidth - innerWidth") <= 0
    console.screenshot(path=str(artifacts_dir / "opinion-projector-2-console.png"))

    # Smaller projectors: the same groups, still inside the screen.
    for width, height, columns in ((1366, 768, 4), (1024, 768, 3)):
        small = projector_context(viewport={"width": width, "height": height}).new_page()
        small.on("pageerror", lambda error, size=width: errors.append(f"{size}: {error}"))
        small.goto(projector_url(console))
        expect(small.locator("#connection")).to_have_text("Live")
        expect(small.locator(".opinion-column")).to_have_count(columns)
        small.wait_for_timeout(500)
        small.screenshot(path=str(artifacts_dir / f"opinion-projector-3-{width}x{height}.png"))
        check_projector(small, opinion, camps, every_card=width > 1024)
        assert assert_fits(small) >= 19.5  # 20px type at 1024x768 and up
        # The groups' letters and sizes stay, whatever is left off to fit.
        expect(small.locator(".group-card-head")).to_have_count(3)

    # Back to the whole room: the ranking, no groups.
    console.locator("#breakdown-switch").get_by_role("button", name="Whole room").click()
    expect(screen.locator(".opinion-view")).to_have_count(0)
    ranking = screen.locator(".statement-ranking .ranked-statement")
    expect(ranking.first).to_be_visible()
    screen.wait_for_timeout(300)  # the fit has settled
    # The most agreed first, as many as fit whole; the caption says how many of them all.
    shown = ranking.count()
    assert shown >= 1
    caption = screen.locator(".ranking-area .results-caption")
    expect(caption).to_contain_text(re.compile(r"most agreed|most agreed first"))
    total = int(re.search(r"(\d+) statements", caption.inner_text()).group(1))
    assert shown <= total
    assert screen.evaluate("() => document.documentElement.scrollHeight <= innerHeight")
    screen.wait_for_timeout(300)
    screen.screenshot(path=str(artifacts_dir / "opinion-projector-4-whole-room.png"))
    assert errors == []
