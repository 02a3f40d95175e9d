"""``create_app``: the only place the app is assembled."""

from __future__ import annotations

from flask import Flask

from . import config as config_module
from . import db, security
from .extensions import csrf, login_manager, socketio


def create_app(overrides: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        template_folder=str(config_module.ROOT / "templates"),
        static_folder=str(config_module.ROOT / "static"),
        instance_path=config_module.instance_dir().as_posix(),
    )
    app.config.from_mapping(config_module.from_environment())
    app.config.update(overrides or {})

    # Handlers must be registered before the first init_app, which hands them to each
    # new Socket.IO server (one per app, as tests make many apps).
    from .live import events  # noqa: F401

    db.init_app(app)
    security.init_app(app)
    login_manager.init_app(app)
    csrf.init_app(app)
    socketio.init_app(
        app,
        async_mode=app.config["SOCKETIO_ASYNC_MODE"],
        message_queue=app.config["SOCKETIO_MESSAGE_QUEUE"],
        # Cookies of the page are all the identity a connection needs; no CORS.
        cors_allowed_origins=[],
        max_http_buffer_size=64 * 1024,
        ping_interval=20,
        ping_timeout=20,
    )

    from . import auth  # noqa: F401  (registers the user loader)
    from .cli import register_commands
    from .exports.views import bp as exports_bp
    from .facilitator.auth_views import bp as auth_bp
    from .facilitator.views import bp as facilitator_bp
    from .health import bp as health_bp
    from .live.broadcast import broadcaster
    from .notes.views import bp as notes_bp
    from .participant.views import bp as participant_bp
    from .screen.views import bp as screen_bp

    for blueprint in (health_bp, auth_bp, facilitator_bp, participant_bp, screen_bp, exports_bp):
        app.register_blueprint(blueprint)
    app.register_blueprint(notes_bp)
    from .plans.views import bp as plans_bp

    app.register_blueprint(plans_bp)
    from .facilitator.researchers_views import bp as researchers_bp
    from .privacy.views import research_bp, retention_bp

    for blueprint in (researchers_bp, research_bp, retention_bp):
        app.register_blueprint(blueprint)
    from .series.views import bp as series_bp

    app.register_blueprint(series_bp)
    register_commands(app)
    broadcaster.init_app(app)
    return app
