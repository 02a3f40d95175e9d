"""The Welsh catalogue is complete for everything a participant sees, and the phone's
script and the server agree on its phrases.

The msgids are extracted afresh from the participant templates and code (as ``make
messages`` would), so new English text without Welsh fails here, not in front of a room.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir

from facilitation.participant.phone_text import PHONE_TEXT, SERVER_MESSAGES
from tests.i18n.catalogues import read_catalogue

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w+\}")
PARTICIPANT_TEMPLATES = ("participant/", "errors/", "base.html")


def extracted(folder: Path, method: str, pattern: str) -> set:
    """The msgids (a string, or a (singular, plural) pair) used under ``folder``."""
    found = set()
    for filename, _line, message, _comments, _context in extract_from_dir(
        folder, [(pattern, method)], keywords=KEYWORDS
    ):
        # Participants see the participant templates, base.html and the error pages.
        if folder.name != "templates" or filename.startswith(PARTICIPANT_TEMPLATES):
            found.add(message)
    return found


def participant_msgids() -> set:
    """Every piece of interface text on a participant's pages and phone."""
    return extracted(ROOT / "templates", "jinja2", "**.html") | extracted(
        ROOT / "facilitation" / "participant", "python", "**.py"
    )


def test_the_participant_pages_use_translatable_text():
    msgids = participant_msgids()
    # The extraction itself works: a known phrase of each kind of source is there.
    assert "Join a workshop" in msgids  # a template
    assert "Please choose the sector you work in." in msgids  # the join form's checks
    assert "Saved ✓" in msgids  # the phone's script, via phone_text.py
    assert len(msgids) > 150


def test_every_participant_msgid_has_welsh():
    catalogue = read_catalogue("cy")
    missing = []
    for msgid in sorted(participant_msgids(), key=str):
        message = catalogue.get(msgid[0] if isinstance(msgid, tuple) else msgid)
        strings = message.string if message else None
        if isinstance(strings, str):
            strings = (strings,)
        if not message or message.fuzzy or not strings or not all(s.strip() for s in strings):
            missing.append(msgid)
    assert not missing, f"no Welsh (or fuzzy) in cy/messages.po for: {missing}"


@pytest.mark.parametrize("language", ["en", "cy"])
def test_translations_keep_every_placeholder(language):
    """A translation that drops %(code)s or {n} would show a wrong or broken sentence."""
    catalogue = read_catalogue(language)
    wrong = []
    for message in catalogue:
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(PLACEHOLDER.findall(ids[-1]))
        for string in strings:
            if string and set(PLACEHOLDER.findall(string)) != wanted:
                wrong.append((message.id, string))
    assert not wrong


def test_welsh_catalogue_is_not_just_english():
    catalogue = read_catalogue("cy")
    same = [m.id for m in catalogue if m.id and m.string == m.id]
    # A few words are the same in both languages; a copied catalogue would have hundreds.
    assert set(same) <= {"Data", "Borda {score}"}


def phrases_in_scripts() -> set[str]:
    """The English phrases the phone's scripts pass to t(), tn() or translate()."""
    literal = r'"((?:[^"\\]|\\.)*)"'
    calls = [
        re.compile(rf"\bt\(\s*{literal}"),
        re.compile(rf"\btranslate\(\s*{literal}"),
        re.compile(rf"\btn\(\s*[^,()]+,\s*{literal},\s*{literal}", re.S),
    ]
    found = set()
    scripts = ROOT / "static" / "js"
    for path in [
        *sorted(scripts.glob("phone*.js")),
        *sorted(scripts.glob("activities/inputs/*.js")),
        scripts / "live.js",
        *sorted(scripts.glob("activities/results/*.js")),
    ]:
        text = path.read_text(encoding="utf-8")
        for call in calls:
            for match in call.finditer(text):
                found.update(json.loads(f'"{group}"') for group in match.groups())
    return found


def test_the_phone_scripts_and_the_server_list_the_same_phrases():
    in_scripts = phrases_in_scripts()
    assert "Saved ✓" in in_scripts and "Connecting…" in in_scripts
    assert in_scripts - set(PHONE_TEXT) == set(), "phrases the server never translates"
    assert set(PHONE_TEXT) - in_scripts == set(), "phrases no script uses any more"


def test_the_refusals_listed_for_translation_are_still_worded_so():
    """SERVER_MESSAGES translate the server's own words; a rewording there must show here."""
    sources = "\n".join(
        path.read_text(encoding="utf-8")
        for path in [
            *(ROOT / "facilitation").rglob("*.py"),
            ROOT / "static" / "js" / "live.js",
        ]
        if path.name != "phone_text.py"  # the list itself proves nothing
    )
    stale = [message for message in SERVER_MESSAGES if f'"{message}"' not in sources]
    assert not stale
