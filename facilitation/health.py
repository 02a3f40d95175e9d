"""Health check and the assets served from installed Python packages."""

from __future__ import annotations

from pathlib import Path

import plotly
from flask import Blueprint, jsonify, send_from_directory
from sqlalchemy import text

from .db import get_db
from .version import __version__

bp = Blueprint("health", __name__)

PLOTLY_JS_DIR = Path(plotly.__file__).parent / "package_data"


@bp.get("/healthz")
def healthz():
    try:
        get_db().execute(text("SELECT 1"))
        database = "ok"
    except Exception as error:  # noqa: BLE001  (any failure means "not reachable")
        database = f"unreachable: {type(error).__name__}"
    status = 200 if database == "ok" else 503
    return jsonify(
        status="ok" if status == 200 else "error", database=database, version=__version__
    ), status


@bp.get("/vendor/plotly.min.js")
def plotly_js():
    # plotly.js comes from the installed Python plotly package: no CDN.
    return send_from_directory(PLOTLY_JS_DIR, "plotly.min.js", max_age=86400)
