"""The translation catalogues as the tests read them, compiled if `make translations`
has not been run (a plain `pytest` must see Welsh pages too)."""

from __future__ import annotations

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from facilitation.i18n import SUPPORTED_LANGUAGES, TRANSLATIONS_DIR


def po_path(language: str):
    return TRANSLATIONS_DIR / language / "LC_MESSAGES" / "messages.po"


def read_catalogue(language: str) -> Catalog:
    with po_path(language).open("rb") as file:
        return read_po(file, locale=language)


def ensure_compiled() -> None:
    """Write each language's .mo from its .po when missing or older, as make would."""
    for language in SUPPORTED_LANGUAGES:
        po = po_path(language)
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with mo.open("wb") as file:
            write_mo(file, read_catalogue(language))
