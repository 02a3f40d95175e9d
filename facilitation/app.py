"""``create_app``: the only place the app is assembled."""

from __future__ import annotations

from flask import Flask

from . import (
    auth,
    db,
    i18n,
    limits,
    outage,
    page_compression,
    proxy,
    request_size,
    security,
    static_assets,
)
from . import config as config_module
from .cli import register_commands
from .exports.views import bp as exports_bp
from .extensions import csrf, socketio
from .facilitator.auth_views import bp as auth_bp
from .facilitator.researchers_views import bp as researchers_bp
from .facilitator.run_views import bp as runs_bp
from .facilitator.views import bp as facilitator_bp
from .health import bp as health_bp
from .live import (
    cluster_presence,
    countdown_closer,
    event_guard,
    events,
    login_sweep,
    packet_json,
    pinned,
    run_closer,
    socket_rooms,
)
from .live.answer_writer import answer_writer
from .live.broadcast import broadcaster
from .notes.views import bp as notes_bp
from .participant.offline import bp as phone_offline_bp
from .participant.views import bp as participant_bp
from .plans.views import bp as plans_bp
from .privacy.views import research_bp, retention_bp
from .screen.views import bp as screen_bp
from .series.views import bp as series_bp
from .slides.images import bp as slides_bp
from .whole_numbers import IdConverter

BLUEPRINTS = (
    health_bp,
    auth_bp,
    facilitator_bp,
    runs_bp,
    participant_bp,
    phone_offline_bp,
    screen_bp,
    exports_bp,
    notes_bp,
    plans_bp,
    researchers_bp,
    research_bp,
    retention_bp,
    series_bp,
    slides_bp,
)


def create_app(overrides: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        template_folder=str(config_module.ROOT / "templates"),
        static_folder=str(config_module.ROOT / "static"),
        instance_path=config_module.instance_dir().as_posix(),
    )
    app.config.from_mapping(config_module.from_environment())
    app.config.update(overrides or {})
    # Before any route: every <int:...> is an id the database can hold (else a 404).
    app.url_map.converters["int"] = IdConverter

    # First: its after_request runs last, once every other has had the page as text.
    page_compression.init_app(app)
    db.init_app(app)
    outage.init_app(app)
    request_size.init_app(app)
    security.init_app(app)
    static_assets.init_app(app)
    limits.init_app(app)
    i18n.init_app(app)
    auth.init_app(app)
    csrf.init_app(app)
    _init_socketio(app)
    proxy.init_app(app)  # after socketio.init_app: it wraps Socket.IO's middleware too

    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    register_commands(app)
    _init_background(app)
    return app


def _init_socketio(app: Flask) -> None:
    """A Socket.IO server for ``app`` (one per app: tests make many), with its events."""
    socketio.init_app(
        app,
        async_mode=app.config["SOCKETIO_ASYNC_MODE"],
        message_queue=app.config["SOCKETIO_MESSAGE_QUEUE"],
        # Cookies of the page are all the identity a connection needs, so only this site's
        # own pages may connect: None checks Origin against the Host ([] would not check).
        cors_allowed_origins=None,
        max_http_buffer_size=64 * 1024,
        ping_interval=20,
        ping_timeout=20,
        # Socket.IO's own manager (Redis with a message queue, on the channel) with an index
        # of each connection's rooms: a disconnect costs O(1), not O(connections).
        client_manager=socket_rooms.client_manager(
            app.config["SOCKETIO_MESSAGE_QUEUE"], app.config["SOCKETIO_CHANNEL"]
        ),
    )
    event_guard.guard(socketio.server)  # reserved and unknown event names go no further
    # Socket.IO's packets only: the server's `json` option would give engine.io's packets
    # this reader too, and engine.io expects its own ValueError (packet_json.py).
    socketio.server.packet_class.json = packet_json
    events.register(socketio)  # the event table, on this app's server


def _init_background(app: Flask) -> None:
    """The background work of a running app, driven by the broadcaster's loop: coalesced
    pushes (to pinned projectors too), the answer writer, presence shared across workers,
    countdowns that close input, and sockets whose login ended."""
    broadcaster.init_app(app)
    pinned.init_app(app)
    answer_writer.init_app(app)
    cluster_presence.init_app(app)
    countdown_closer.init_app(app)
    login_sweep.init_app(app)
    run_closer.init_app(app)
