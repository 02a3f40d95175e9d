"""First-load benchmark: a phone opens the QR link on slow 3G, joins, and waits for its first
answer control, in headless Chromium.

    .venv/bin/python bench/first_load.py [--repeat 3] [--no-throttle] [--stage KEY]
    .venv/bin/python bench/first_load.py --url http://127.0.0.1:5000 \
        --database-url sqlite:////path/to/facilitation.db [--email E --password P]

1. Starts the real server (``python -m facilitation``, gevent, through tests/support/server.py's
   ``start_live_app``) in a temporary folder with SQLite, or uses the one at ``--url``.
2. Opens a session of the built-in plan with the CLI, logs a facilitator in through the login
   form, goes to ``--stage`` (the rating ``feature-outcomes``) and opens input over Socket.IO,
   so a phone that joins is shown answer controls.
3. One unmeasured warm-up join without throttling (the server's templates, Chromium's start).
4. Each run: a fresh browser context (an empty cache: a phone that never opened the app),
   390x844, mobile, touch; CDP ``Network.emulateNetworkConditions`` (400 ms latency,
   400 kbit/s each way). It opens /j/CODE (the address the projector's QR code holds),
   chooses a sector, ticks the consent, taps Join, and waits until the stage's first answer
   control is visible and enabled. Then it reloads the phone page (a warm cache) and waits
   for the control again. The service worker is blocked unless ``--service-workers allow``:
   its fetches escape the emulation, and would serve the page modules it fetched first.
5. Prints one line of key=value figures per run; with ``--repeat`` a last line of medians.

The figures come from the page's own clocks (navigation timing, ``performance.now()``) and
from the Network domain of the page's CDP session; what each means is in bench/README.md.
Every wait is bounded (``--timeout``); the server started is stopped at the end.
"""

from __future__ import annotations

import argparse
import secrets
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PLAN_SLUG = "data-for-public-benefit"
STAGE_KEY = "feature-outcomes"
SECTOR = "Housing"
CHROMIUM = "/usr/bin/chromium"
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
# A cache-control max-age this long or longer counts as cached (the target: a year).
LONG_MAX_AGE = 365 * 24 * 3600

# The stage's first answer control, visible (a box; opacity 0 counts, as for a person the
# styled label around it is what shows) and enabled; the moment it was found, as epoch ms.
FIND_CONTROL = """() => {
  const activity = document.querySelector("#stage-view .activity");
  if (!activity) return false;
  const controls = activity.querySelectorAll(
    "input:not([type=hidden]), button, select, textarea, [role=radio], [role=button]");
  for (const control of controls) {
    if (control.disabled || control.getAttribute("aria-disabled") === "true") continue;
    const box = control.getBoundingClientRect();
    if (box.width > 0 && box.height > 0 && getComputedStyle(control).visibility !== "hidden") {
      return performance.timeOrigin + performance.now();
    }
  }
  return false;
}"""

# Set on the join page before the Join tap: the submit event's time, as epoch ms, kept in
# the tab's sessionStorage for the phone page to read.
MARK_SUBMIT = """() => {
  document.querySelector("form.join-form").addEventListener("submit", () => {
    sessionStorage.setItem("bench.submit", String(performance.timeOrigin + performance.now()));
  });
  const navigation = performance.getEntriesByType("navigation")[0];
  return {origin: performance.timeOrigin, load: navigation.loadEventEnd};
}"""


# The network, as the page's CDP session saw it -------------------------------------------


@dataclass
class Request:
    """One HTTP request of the page (a redirect's hops are one request each)."""

    request_id: str
    url: str
    kind: str  # CDP resource type: Document, Stylesheet, Script, Fetch, Other...
    sent: float  # CDP monotonic seconds
    initiator: dict
    finished: float | None = None
    bytes: int = 0  # encodedDataLength: headers and body as received
    status: int = 0
    headers: dict = field(default_factory=dict)
    failed: bool = False
    cached: bool = False  # answered by the browser's cache or the service worker
    depth: int | None = None  # round trips after the page's HTML (None: not a link)
    parent: Request | None = None

    @property
    def path(self) -> str:
        return urlparse(self.url).path

    @property
    def static(self) -> bool:
        return self.path.startswith("/static/")

    @property
    def socket(self) -> bool:
        return self.path.startswith("/socket.io/")

    @property
    def header_bytes(self) -> int:
        """The response's status line and headers (CDP gives the headers, not their bytes)."""
        return 17 + sum(len(k) + len(v) + 4 for k, v in self.headers.items()) if self.status else 0

    def header(self, name: str) -> str:
        return next((v for k, v in self.headers.items() if k.lower() == name), "")


@dataclass
class Frame:
    at: float
    sent: bool  # by the phone
    size: int  # on the wire: payload and frame header
    socket: str = ""  # the WebSocket's CDP request id


class Network:
    """Records the page's requests and WebSocket frames from CDP Network events."""

    def __init__(self, cdp):
        self.requests: list[Request] = []
        self.by_id: dict[str, Request] = {}
        self.frames: list[Frame] = []
        self.sockets: list[Request] = []  # WebSocket handshakes, as requests
        self.wall_offset: float | None = None  # epoch seconds - CDP monotonic seconds
        self._initiators: dict[str, dict] = {}  # WebSockets, until their handshake
        self._socket_urls: dict[str, str] = {}
        handlers = {
            "Network.requestWillBeSent": self._sent,
            "Network.responseReceived": self._response,
            "Network.requestServedFromCache": self._from_cache,
            "Network.loadingFinished": self._finished,
            "Network.loadingFailed": self._failed,
            "Network.webSocketCreated": self._socket_created,
            "Network.webSocketWillSendHandshakeRequest": self._socket_request,
            "Network.webSocketHandshakeResponseReceived": self._socket_response,
            "Network.webSocketFrameSent": lambda event: self._frame(event, sent=True),
            "Network.webSocketFrameReceived": lambda event: self._frame(event, sent=False),
        }
        for name, handler in handlers.items():
            cdp.on(name, handler)

    def _sent(self, event: dict) -> None:
        if self.wall_offset is None:
            self.wall_offset = event["wallTime"] - event["timestamp"]
        redirect = event.get("redirectResponse")
        previous = self.by_id.get(event["requestId"])
        if redirect and previous is not None:
            # The hop before: its response ends here (CDP reuses the id for the next hop).
            previous.status = redirect["status"]
            previous.headers = redirect.get("headers", {})
            previous.bytes = int(redirect.get("encodedDataLength", 0))
            previous.finished = event["timestamp"]
        request = Request(
            request_id=event["requestId"],
            url=event["request"]["url"],
            kind=event.get("type", "Other"),
            sent=event["timestamp"],
            initiator=event.get("initiator", {}),
        )
        if previous is not None and redirect:
            request.parent = previous
        self.requests.append(request)
        self.by_id[event["requestId"]] = request

    def _response(self, event: dict) -> None:
        request = self.by_id.get(event["requestId"])
        if request is not None:
            response = event["response"]
            request.status = response["status"]
            request.headers = response.get("headers", {})
            if response.get("fromDiskCache") or response.get("fromServiceWorker"):
                request.cached = True

    def _from_cache(self, event: dict) -> None:
        request = self.by_id.get(event["requestId"])
        if request is not None:
            request.cached = True

    def _finished(self, event: dict) -> None:
        request = self.by_id.get(event["requestId"])
        if request is not None:
            request.finished = event["timestamp"]
            request.bytes = int(event.get("encodedDataLength", 0))

    def _failed(self, event: dict) -> None:
        request = self.by_id.get(event["requestId"])
        if request is not None:
            request.finished = event["timestamp"]
            request.failed = True

    def _socket_created(self, event: dict) -> None:
        self._initiators[event["requestId"]] = event.get("initiator", {})
        self._socket_urls[event["requestId"]] = event.get("url", "")

    def _socket_request(self, event: dict) -> None:
        headers = event["request"].get("headers", {})
        request = Request(
            request_id="ws:" + event["requestId"],
            url=self._socket_urls.get(event["requestId"], ""),
            kind="WebSocket",
            sent=event["timestamp"],
            initiator=self._initiators.get(event["requestId"], {}),
        )
        # The handshake's request line and headers (CDP gives the headers, not their bytes).
        request.bytes = 40 + sum(len(k) + len(v) + 4 for k, v in headers.items())
        self.sockets.append(request)
        self.by_id["ws:" + event["requestId"]] = request

    def _socket_response(self, event: dict) -> None:
        request = self.by_id.get("ws:" + event["requestId"])
        if request is not None:
            headers = event["response"].get("headers", {})
            request.bytes += 36 + sum(len(k) + len(v) + 4 for k, v in headers.items())
            request.status = event["response"]["status"]
            request.finished = event["timestamp"]

    def _frame(self, event: dict, *, sent: bool) -> None:
        response = event["response"]
        payload = response.get("payloadData", "")
        # Text frames (opcode 1) carry the text; binary ones (2) base64.
        size = len(payload.encode()) if response.get("opcode") != 2 else len(payload) * 3 // 4
        header = 2 + (2 if size >= 126 else 0) + (6 if size >= 65536 else 0) + (4 if sent else 0)
        frame = Frame(at=event["timestamp"], sent=sent, size=size + header)
        frame.socket = "ws:" + event["requestId"]
        self.frames.append(frame)

    def monotonic(self, epoch_ms: float) -> float:
        """CDP monotonic seconds of an epoch time in ms (the page's clock)."""
        return epoch_ms / 1000 - (self.wall_offset or 0.0)

    def unfinished(self, before: float, after: float = 0.0) -> int:
        return sum(1 for r in self.requests if after <= r.sent <= before and r.finished is None)


def chain(requests: list[Request], root: Request) -> Request | None:
    """Give every request of a page after ROOT (its HTML) its round trips after the HTML;
    return the deepest.

    A request the HTML's parser started (stylesheets, scripts, preloads) is one; a module a
    module imports is one more than its importer; a request a running script started (the
    WebSocket, a fetch) is one more than the deepest script loaded before it was sent, since
    a module's code runs only once all it imports is loaded. Requests the browser starts by
    itself (initiator ``other``: the favicon) are not links of the chain, and one the
    browser's cache answered costs no round trip (it adds nothing to its parent's).
    Exchanges on a WebSocket (``exchanges``), when given, are links after its handshake,
    one after another: a request a script started on a message is one more than them."""
    root.depth = 0
    loaded: dict[str, Request] = {root.url: root}
    deepest = None
    for request in sorted(requests, key=lambda r: r.sent):
        if request is root or request.sent < root.sent:
            continue
        initiator = request.initiator
        kind = initiator.get("type")
        if kind in ("parser", "preload"):
            request.parent = root
        elif kind == "script" and "stack" not in initiator and initiator.get("url") in loaded:
            request.parent = loaded[initiator["url"]]  # a static import
        elif kind == "script":
            done = [
                r
                for r in requests
                if r.depth is not None
                and r.kind in ("Script", "WebSocket", "Exchange")
                and r.finished is not None
                and r.finished <= request.sent
            ]
            request.parent = max(done, key=lambda r: r.depth, default=root)
        elif kind == "exchange" and request.parent is not None and request.parent.depth is not None:
            pass  # after the handshake or the exchange before it
        else:
            continue
        request.depth = request.parent.depth + (0 if request.cached else 1)
        if request.kind != "WebSocket":
            loaded.setdefault(request.url, request)
        if deepest is None or request.depth > deepest.depth:
            deepest = request
    return deepest


def exchanges(sockets: list[Request], frames: list[Frame]) -> list[Request]:
    """Each WebSocket's exchanges, as links of a chain: from a frame the phone sent to the
    first frame it received after (Socket.IO's connect, an event and its ack)."""
    links = []
    for socket in sockets:
        previous, started = socket, None
        for frame in (f for f in frames if f.socket == socket.request_id):
            if frame.sent and started is None:
                started = frame.at
            elif not frame.sent and started is not None:
                link = Request(
                    request_id=socket.request_id,
                    url=socket.url,
                    kind="Exchange",
                    sent=started,
                    initiator={"type": "exchange"},
                    finished=frame.at,
                    parent=previous,
                )
                links.append(link)
                previous, started = link, None
    return links


def chain_names(request: Request | None) -> str:
    names = []
    while request is not None and request.depth:
        name = "exchange" if request.kind == "Exchange" else Path(request.path).name
        names.append(name or request.path)
        request = request.parent
    return ">".join(reversed(names)) or "na"


def long_cached(request: Request) -> bool:
    for part in request.header("cache-control").lower().split(","):
        name, _, value = part.strip().partition("=")
        if name == "max-age" and value.isdigit() and int(value) >= LONG_MAX_AGE:
            return True
    return False


# Setting up: server, session, facilitator -------------------------------------------------


@dataclass
class Setup:
    url: str
    code: str
    stop: object = None  # stops the server we started (or None)
    output: object = None  # what that server printed, for a run that failed


def set_up(args, folder: Path) -> Setup:
    from tests.support.server import app_environment, create_facilitator, start_live_app

    stop = output = None
    if args.url:
        url = args.url.rstrip("/")
        if urlparse(url).hostname != "127.0.0.1":
            raise SystemExit("--url must be on 127.0.0.1")
        if not args.database_url:
            raise SystemExit("--url needs --database-url (the CLI opens the session there)")
        env = app_environment(folder, port=urlparse(url).port or 80, database_url=args.database_url)
        env.pop("SECRET_KEY")  # the CLI signs nothing; the server keeps its own
        email, password = args.email, args.password
        if not email:
            email, password = f"bench-{secrets.token_hex(4)}@localhost", secrets.token_urlsafe(16)
            create_facilitator(env, email, password)
    else:
        live = start_live_app(folder, health_timeout=30)
        url, env, email, password, stop = live.url, live.env, live.email, live.password, live.stop
        output = live.server.output
    try:
        code = open_session(args, env, url, email, password)
    except BaseException:
        if stop is not None:
            stop()
        raise
    return Setup(url=url, code=code, stop=stop, output=output)


def open_session(args, env: dict, url: str, email: str, password: str) -> str:
    """Open a session of the plan, go to the stage and open input (as the console would)."""
    from tests.support.live import FacilitatorSocket, login
    from tests.support.server import flask_cli

    code = flask_cli(env, "session", "open", PLAN_SLUG).strip().splitlines()[-1].strip()
    facilitator = FacilitatorSocket(url, login(url, email, password), code, timeout=30)
    try:
        synced = facilitator.emit("sync")
        index = next((s["index"] for s in synced["stages"] if s["key"] == args.stage), None)
        if index is None:
            raise SystemExit(f"no stage {args.stage} in {PLAN_SLUG}")
        controls = [("goto", {"index": index}), ("open_input", {})]
        if synced["state"].get("status") == "draft":
            controls.insert(0, ("start_session", {}))
        for event, payload in controls:
            ack = facilitator.emit(event, payload)
            if not ack.get("ok"):
                raise SystemExit(f"{event} refused: {ack}")
        state = facilitator.emit("sync")["state"]
        if state["stage"]["key"] != args.stage or not state["input_open"]:
            raise SystemExit(f"not on {args.stage} with input open")
    finally:
        facilitator.close()
    return code


# One phone ---------------------------------------------------------------------------------


def throttle(cdp, args) -> None:
    if args.no_throttle:
        return
    rate = args.kbps * 1000 / 8  # bytes a second
    cdp.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": args.latency_ms,
            "downloadThroughput": rate,
            "uploadThroughput": rate,
        },
    )


def settle(page, network: Network, before: float, after: float, seconds: float) -> None:
    """Wait (at most SECONDS) until the requests sent in [AFTER, BEFORE] have finished."""
    deadline = time.monotonic() + seconds
    while network.unfinished(before, after) and time.monotonic() < deadline:
        page.wait_for_timeout(50)


def one_phone(browser, setup: Setup, args, *, measure: bool = True) -> dict:
    timeout_ms = args.timeout * 1000
    context = browser.new_context(**PHONE, service_workers=args.service_workers)
    try:
        context.set_default_timeout(timeout_ms)
        worker_requests = []
        context.on(
            "requestfinished",
            lambda r: worker_requests.append(r) if r.service_worker is not None else None,
        )
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        network = Network(cdp)
        # For the events; Chromium 156 throttles with or without it (checked: a 135 KB
        # page took 3.2 s either way).
        cdp.send("Network.enable")
        if measure:
            throttle(cdp, args)

        page.goto(f"{setup.url}/j/{setup.code}", timeout=timeout_ms)
        join = page.evaluate(MARK_SUBMIT)
        page.get_by_label("Your sector").select_option(SECTOR)
        page.get_by_label("I have read this and want to take part").check()
        page.get_by_role("button", name="Join").click(no_wait_after=True)
        page.wait_for_url(f"**/p/{setup.code}", wait_until="commit", timeout=timeout_ms)
        shown = page.wait_for_function(FIND_CONTROL, polling="raf", timeout=timeout_ms)
        control_at = float(shown.json_value())
        submitted = float(page.evaluate("Number(sessionStorage.getItem('bench.submit'))"))
        if not (submitted and join["load"]):
            raise SystemExit("the join page's load or the form's submit was not timed")
        if not measure:
            return {}
        control = network.monotonic(control_at)
        submit = network.monotonic(submitted)
        settle(page, network, control, 0.0, args.settle)
        figures = flow_figures(network, control, submit, args.verbose)
        to_control = join["load"] / 1000 + (control_at - submitted) / 1000
        # CDP delays a WebSocket's handshake but not its frames: each exchange on the
        # socket before the control would take a round trip more on a slow link.
        latency = 0 if args.no_throttle else args.latency_ms / 1000
        figures = {
            "time_to_control_s": round(to_control, 2),
            "time_to_control_ws_s": round(to_control + figures["socket_round_trips"] * latency, 2),
            "join_page_s": round(join["load"] / 1000, 2),
            "phone_page_s": round((control_at - submitted) / 1000, 2),
            "taps_s": round((submitted - join["origin"] - join["load"]) / 1000, 2),
            **figures,
        }
        # The worker's own fetches (its install keeps the page's files) are another
        # target's, which the page's CDP session neither sees nor throttles: Playwright's.
        page.wait_for_timeout(args.settle * 1000)
        figures["worker_requests"] = len(worker_requests)
        figures["bytes_worker"] = sum(request_bytes(r) for r in worker_requests)
        if args.reload:
            figures.update(reload_figures(page, network, worker_requests, args))
        return figures
    finally:
        context.close()


def show_requests(title: str, requests: list[Request], frames: list[Frame]) -> None:
    """Every request on stderr: sent and finished (s from the first), bytes, round trips."""
    if not requests:
        return
    start = min(r.sent for r in requests)
    print(f"--- {title}: sent finished bytes status depth cached encoding path", file=sys.stderr)
    for r in sorted(requests, key=lambda r: r.sent):
        finished = f"{r.finished - start:7.3f}" if r.finished is not None else "      -"
        print(
            f"{r.sent - start:7.3f} {finished} {r.bytes:7d} {r.status:3d}"
            f" {'-' if r.depth is None else r.depth} {'cached' if r.cached else '-'}"
            f" {r.header('content-encoding') or '-'} {r.kind} {r.path}",
            file=sys.stderr,
        )
    for f in frames:
        print(
            f"{f.at - start:7.3f} frame {'sent' if f.sent else 'received'} {f.size}",
            file=sys.stderr,
        )


def flow_figures(network: Network, control: float, submit: float, verbose: bool) -> dict:
    """Bytes, requests and round trips of the requests sent before the control showed."""
    flow = [r for r in network.requests if r.sent <= control]
    sockets = [s for s in network.sockets if s.sent <= control]
    frames = [f for f in network.frames if f.at <= control]
    documents = [r for r in flow if r.kind == "Document"]
    join_html = next((r for r in documents if r.sent < submit), None)
    phone_html = next((r for r in documents if r.sent >= submit and r.status == 200), None)
    if join_html is None or phone_html is None:
        raise SystemExit("the join page or the phone page's HTML was not seen")
    join_page = [r for r in flow if r.sent < submit]
    phone_page = [r for r in flow if r.sent >= submit] + sockets
    join_deepest = chain(join_page, join_html)
    phone_deepest = chain(phone_page, phone_html)
    chain_after_html, after_html = chain_names(phone_deepest), depth(phone_deepest)
    # Again with the socket's exchanges as links: the stage (and the modules it needs) come
    # on a message, so this chain ends at the control.
    links = exchanges(sockets, frames)
    to_control = chain(phone_page + links, phone_html)
    fetched = [r for r in flow if not r.cached]  # the browser's cache answered the others
    static = [r for r in fetched if r.static and not r.failed]
    http_bytes = sum(r.bytes for r in flow)
    socket_bytes = sum(r.bytes for r in flow if r.socket) + sum(s.bytes for s in sockets)
    socket_bytes += sum(f.size for f in frames)
    if verbose:
        show_requests("first load", network.requests + network.sockets, network.frames)
    return {
        "bytes_total": http_bytes + sum(s.bytes for s in sockets) + sum(f.size for f in frames),
        "bytes_html": sum(r.bytes for r in documents),
        "bytes_static": sum(r.bytes for r in static),
        "bytes_socket": socket_bytes,
        "bytes_headers": sum(r.header_bytes for r in fetched),
        "requests": len(fetched),
        "static_requests": len(static),
        "round_trips_after_html": after_html,
        "round_trips_join_page": depth(join_deepest),
        "round_trips_phone_page": after_html,
        "socket_round_trips": len(links),
        "round_trips_to_control": depth(to_control),
        "uncached_static": sum(1 for r in static if not long_cached(r)),
        "compressed_static": sum(1 for r in static if r.header("content-encoding")),
        "compressed_html": sum(1 for r in documents if r.header("content-encoding")),
        "unfinished": network.unfinished(control),
        "chain_phone_page": chain_after_html,
        "chain_to_control": chain_names(to_control),
    }


def depth(request: Request | None) -> int:
    return request.depth if request is not None else 0


def reload_figures(page, network: Network, worker: list, args) -> dict:
    """Reload the phone page (its files in the cache) and wait for the control again."""
    mark = (len(network.requests), len(network.sockets), len(network.frames), len(worker))
    page.reload(wait_until="commit", timeout=args.timeout * 1000)
    shown = page.wait_for_function(FIND_CONTROL, polling="raf", timeout=args.timeout * 1000)
    control_at = float(shown.json_value())
    origin = float(page.evaluate("performance.timeOrigin"))
    control = network.monotonic(control_at)
    first = network.requests[mark[0]].sent if len(network.requests) > mark[0] else control
    settle(page, network, control, first, args.settle)
    requests = [r for r in network.requests[mark[0] :] if r.sent <= control]
    sockets = [s for s in network.sockets[mark[1] :] if s.sent <= control]
    frames = [f for f in network.frames[mark[2] :] if f.at <= control]
    if args.verbose:
        show_requests("reload", requests + sockets, frames)
    # A page its worker answers from the network: that fetch is the worker's, not the page's.
    worker_bytes = sum(request_bytes(r) for r in worker[mark[3] :])
    return {
        "reload_s": round((control_at - origin) / 1000, 2),
        "reload_bytes": sum(r.bytes for r in requests)
        + sum(s.bytes for s in sockets)
        + sum(f.size for f in frames)
        + worker_bytes,
        "reload_requests": sum(1 for r in requests if not r.cached) + len(worker) - mark[3],
        "reload_cached": sum(1 for r in requests if r.cached),
    }


def request_bytes(request) -> int:
    """Headers and body of a Playwright request's response, as received (a response from
    the HTTP cache reports minus its headers as its body: nothing received)."""
    sizes = request.sizes()
    return max(0, sizes["responseBodySize"] + sizes["responseHeadersSize"])


# The runs ----------------------------------------------------------------------------------


def run(args) -> list[dict]:
    from playwright.sync_api import sync_playwright

    from tests.support.playwright_session import LAUNCH_ARGS

    runs = []
    with tempfile.TemporaryDirectory(prefix="bench-first-load-") as folder:
        setup = set_up(args, Path(folder))
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS
                )
                try:
                    one_phone(browser, setup, args, measure=False)  # the warm-up
                    for number in range(1, args.repeat + 1):
                        figures = one_phone(browser, setup, args)
                        figures = {
                            "run": number,
                            "throttle": "none" if args.no_throttle else network_name(args),
                            "stage": args.stage,
                            **figures,
                        }
                        runs.append(figures)
                        print(_line(figures), flush=True)
                finally:
                    browser.close()
        except BaseException:
            if setup.output is not None:
                print(setup.output(), file=sys.stderr)
            raise
        finally:
            if setup.stop is not None:
                setup.stop()
    return runs


def network_name(args) -> str:
    return f"{args.latency_ms}ms/{args.kbps}kbit"


def medians(lines: list[dict]) -> dict:
    """Each figure's median over the runs (a word the same in every run, as it is)."""
    median = {"median_of_runs": len(lines)}
    for key in lines[0]:
        values = [f.get(key) for f in lines]
        if not isinstance(values[0], int | float):
            if len(set(values)) == 1:
                median[key] = values[0]
            continue
        median[key] = _number(statistics.median(float(v) for v in values))
    median.pop("run", None)
    return median


def _number(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:.2f}"


def _line(figures: dict) -> str:
    return " ".join(f"{k}={v}" for k, v in figures.items())


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="What every figure means: bench/README.md.",
    )
    parser.add_argument("--repeat", type=int, default=1, help="runs (a fresh phone each)")
    parser.add_argument("--stage", default=STAGE_KEY, help="the stage the phone joins on")
    parser.add_argument("--no-throttle", action="store_true", help="no network emulation")
    parser.add_argument("--latency-ms", type=int, default=400, help="added to each request")
    parser.add_argument("--kbps", type=int, default=400, help="kbit/s down and up")
    parser.add_argument(
        "--service-workers",
        choices=("allow", "block"),
        default="block",
        help="the phone page's service worker (allow: as on HTTPS, but unthrottled)",
    )
    parser.add_argument("--no-reload", dest="reload", action="store_false")
    parser.add_argument(
        "--settle", type=float, default=3.0, help="seconds to let late responses finish"
    )
    parser.add_argument("--timeout", type=float, default=90.0, help="seconds for each wait")
    parser.add_argument("--verbose", action="store_true", help="every request on stderr")
    parser.add_argument("--url", help="an already running server on 127.0.0.1")
    parser.add_argument("--database-url", help="with --url: the server's DATABASE_URL")
    parser.add_argument("--email", help="with --url: a facilitator (default: create one)")
    parser.add_argument("--password")
    args = parser.parse_args()
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    runs = run(args)
    if len(runs) > 1:
        print(_line(medians(runs)), flush=True)


if __name__ == "__main__":
    main()
