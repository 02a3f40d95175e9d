"""Fixtures for the language tests: compiled catalogues and the bilingual test plan."""

from __future__ import annotations

from pathlib import Path

import pytest

from facilitation.extensions import socketio
from tests.factories import Workshop
from tests.i18n.catalogues import ensure_compiled

BILINGUAL_PLAN = Path(__file__).parent / "data" / "bilingual.yaml"


@pytest.fixture(scope="session", autouse=True)
def compiled_catalogues() -> None:
    ensure_compiled()


@pytest.fixture
def bilingual(app) -> Workshop:
    """A live session of a plan with its text in English and Welsh."""
    workshop = Workshop(app, socketio, BILINGUAL_PLAN)
    yield workshop
    workshop.close()
