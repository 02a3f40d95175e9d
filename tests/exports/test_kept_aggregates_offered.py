"""The kept aggregate counts are a file only after a purge kept some: before that it would
be an empty table, so it is neither offered (console, dashboard, the CLI's default) nor
zipped; after a purge with --keep-aggregates it is both. (A purge without kept counts
leaves nothing for it either.)"""

from __future__ import annotations

import io
import zipfile

import pytest

from facilitation import clock
from facilitation.exports import formats
from facilitation.models import WorkshopSession
from facilitation.privacy import retention
from tests.exports.conftest import login

KEPT = "kept_aggregates.csv"


@pytest.fixture
def facilitator(app):
    return login(app)[0]


def _purge(workshop, *, keep_aggregates: bool) -> None:
    with workshop.db() as db:
        session = db.get(WorkshopSession, workshop.session_id)
        retention.purge_session(db, session, now=clock.now(), keep_aggregates=keep_aggregates)


def _zip_names(client, code: str) -> list[str]:
    response = client.get(f"/facilitator/sessions/{code}/export/export.zip")
    return zipfile.ZipFile(io.BytesIO(response.data)).namelist()


def _offered(client, code: str) -> dict[str, bool]:
    console = client.get(f"/facilitator/sessions/{code}").get_data(as_text=True)
    dashboard = client.get("/facilitator/").get_data(as_text=True)
    link = f"/facilitator/sessions/{code}/export/{KEPT}"
    return {"console": link in console, "dashboard": link in dashboard}


def _with_kept(workshop) -> list[str]:
    with workshop.db() as db:
        session = db.get(WorkshopSession, workshop.session_id)
        return [entry.filename for entry in formats.bundled(db, [session])]


def test_a_session_never_purged_has_no_kept_aggregates_file(played, facilitator):
    assert KEPT not in _zip_names(facilitator, played.code)
    assert _offered(facilitator, played.code) == {"console": False, "dashboard": False}
    assert KEPT not in _with_kept(played.workshop)


def test_a_purge_without_kept_counts_has_no_kept_aggregates_file(played, facilitator):
    _purge(played.workshop, keep_aggregates=False)
    assert KEPT not in _zip_names(facilitator, played.code)
    assert _offered(facilitator, played.code) == {"console": False, "dashboard": False}


def test_a_purge_that_kept_counts_offers_and_zips_them(played, facilitator):
    _purge(played.workshop, keep_aggregates=True)
    names = _zip_names(facilitator, played.code)
    assert KEPT in names
    assert _offered(facilitator, played.code) == {"console": True, "dashboard": True}
    archive = zipfile.ZipFile(
        io.BytesIO(facilitator.get(f"/facilitator/sessions/{played.code}/export/export.zip").data)
    )
    rows = archive.read(KEPT).decode("utf-8").splitlines()
    assert len(rows) > 1  # the header and a row per kept stage
