"""Fixtures for the deck tests: LibreOffice when the machine has it."""

from __future__ import annotations

import os

import pytest

from facilitation.slides.convert import office_program


@pytest.fixture
def soffice() -> str:
    """LibreOffice's program; outside CI a skip without it, in CI (CI=true) a failure."""
    program = office_program()
    if program is None:
        if os.environ.get("CI") == "true":
            pytest.fail(
                "soffice is missing in CI (.ci/run installs it: apt-get install "
                "libreoffice-impress)"
            )
        pytest.skip("LibreOffice not installed: apt-get install libreoffice-impress")
    return program
