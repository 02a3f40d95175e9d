"""Text people type: what may be stored, checked where it comes in, and stored text made
safe to write out.

Every free text a participant, note-taker or facilitator sends (comments, notes, word-cloud
answers, display names, note-taker labels, table names, series titles, places, plan text)
goes through ``clean_text`` before anything is stored. It refuses, with a message a person
can read:

- text that cannot be encoded as UTF-8 (a lone UTF-16 surrogate, ``"\\ud800"`` in JSON,
  half of a broken emoji) and Unicode noncharacters (U+FFFE...): a file written from them
  cannot be read back (a CSV download would stop with an error, XML cannot hold them);
- control characters: NUL, escape, the C1 range... Line breaks and tabs are whitespace
  (kept as line breaks only in texts with lines, such as notes); PostgreSQL refuses NUL;
- bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069): they
  turn the text around them backwards on the projector and in reports ("Trojan Source");
- text made only of invisible characters (zero-width spaces and joiners, BOM, word joiner,
  soft hyphen, variation selectors, combining marks, blank "letters"), so an "empty"
  comment is never shown.

Kept: every script and letter (Welsh ŵ and ŷ, Arabic with its direction marks, CJK),
emoji sequences with their zero-width joiners and variation selectors, flags with their
tag characters. The text is NFC-normalised (w + combining circumflex becomes ŵ), so equal
texts are stored alike.

``writable`` is the other side: exports also read rows stored before these checks existed,
and replace what a file cannot hold with U+FFFD instead of failing half-way.
"""

from __future__ import annotations

import re
import unicodedata

from .errors import Refused

REPLACEMENT = "\ufffd"

# Single literals, listed in participant/phone_text.py's SERVER_MESSAGES for translation.
UNENCODABLE = "This text has a broken character that cannot be saved; please type it again."
CONTROL = "This text has a hidden control character; please type it again."
DIRECTION = "This text has a hidden character that reverses its direction; please type it again."
INVISIBLE = "This text has only invisible characters; please type something people can read."

_SURROGATES = "\ud800-\udfff"
_NONCHARACTERS = "\ufdd0-\ufdef\ufffe\uffff" + "".join(
    f"{chr(plane << 16 | 0xFFFE)}{chr(plane << 16 | 0xFFFF)}" for plane in range(1, 17)
)
# C0 and C1 controls and DEL, but tab, line feed and carriage return: whitespace.
_CONTROLS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
# Embeddings, overrides, isolates, the deprecated format characters (which switch shaping
# and digit forms), and interlinear annotations (which hide the text they annotate). The
# direction MARKS (U+200E, U+200F, U+061C) stay: right-to-left writing needs them.
_DIRECTION = "\u202a-\u202e\u2066-\u2069\u206a-\u206f\ufff9-\ufffb"

_UNENCODABLE_RE = re.compile(f"[{_SURROGATES}{_NONCHARACTERS}]")
_CONTROL_RE = re.compile(f"[{_CONTROLS}]")
_DIRECTION_RE = re.compile(f"[{_DIRECTION}]")
_UNWRITABLE_RE = re.compile(f"[{_SURROGATES}{_NONCHARACTERS}{_CONTROLS}{_DIRECTION}]")

# Characters that draw nothing on their own: format characters (zero-width space, joiners,
# BOM, soft hyphen, tags...), combining and enclosing marks (variation selectors among
# them), separators; and the "letters" and symbols that are drawn as a blank.
_INVISIBLE_CATEGORIES = frozenset({"Cf", "Mn", "Me", "Zs", "Zl", "Zp", "Cc"})
_BLANK = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def clean_text(text: str, *, lines: bool = False) -> str:
    """``text`` as it is stored: checked, NFC-normalised, whitespace tidied; or ``Refused``.

    One line (``lines`` False): every run of whitespace, line breaks too, is one space.
    With ``lines``: line breaks are kept (``\\r\\n`` and ``\\r`` become ``\\n``), each line's
    runs of whitespace are one space, and at most one blank line separates paragraphs.
    Empty (or only whitespace) gives ``""``: whether that is allowed is the caller's say.
    """
    if _UNENCODABLE_RE.search(text):
        raise Refused(UNENCODABLE)
    if _CONTROL_RE.search(text):
        raise Refused(CONTROL)
    if _DIRECTION_RE.search(text):
        raise Refused(DIRECTION)
    text = unicodedata.normalize("NFC", text)
    if lines:
        rows = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        text = re.sub(r"\n{3,}", "\n\n", "\n".join(" ".join(row.split()) for row in rows))
        text = text.strip()
    else:
        text = " ".join(text.split())
    if text and not any(_visible(char) for char in text):
        raise Refused(INVISIBLE)
    return text


def check_text(text: str, *, lines: bool = False) -> str | None:
    """Why ``text`` could not be stored, or None: for places that report problems rather
    than store the cleaned text (the plan loader keeps a plan's text as written)."""
    try:
        clean_text(text, lines=lines)
    except Refused as refused:
        return refused.message
    return None


def writable(text: str) -> str:
    """``text`` with every character ``clean_text`` refuses replaced by U+FFFD: what an
    export writes of a row stored before the checks (any file format can hold the rest)."""
    return _UNWRITABLE_RE.sub(REPLACEMENT, text)


def _visible(char: str) -> bool:
    return char not in _BLANK and unicodedata.category(char) not in _INVISIBLE_CATEGORIES


# Folding: what a text looks like, for comparing, never for storing -----------------------
# The strong-language filter (workshop/moderation.py) and the note-taker label check
# (workshop/identity.py) compare what a reader SEES: "ｆｕｃｋ", "f\u200buck", "fuсk" with a
# Cyrillic "с", "𝐟𝐮𝐜𝐤", "ⓕⓤⓒⓚ" and "ꜰᴜᴄᴋ" all read as "fuck" on the projector.

# Letters drawn like a Latin letter but which Unicode does not decompose to one: Cyrillic
# and Greek look-alikes (upper and lower case, mapped before case folding because Greek
# "Η" looks like H and "η" like n), small capitals, and the enclosed letters without a
# compatibility decomposition (negative circled and squared, regional indicators).
_CONFUSABLES: dict[str, str] = {}
for _looks, _latin in (
    # Cyrillic
    ("аАвВсСԁеЕһнНіІӏӀјЈкКмМоОрРԛѕЅтТуУԝԜхХѡ", "aabbccdeehhhiilljjkkmmooppqssttyywwxxw"),
    # Greek
    ("αΑβΒϲϹεΕΖΗηιΙϳκΚΜνΝοΟρΡτΤυΥχΧγωμ", "aabbcceezhniijkkmvnooppttuyxxywu"),
    # Latin letters with hooks or strokes that NFKD keeps as they are
    ("ƒıȷłøđħŧ", "fijlodht"),
    # Small capitals
    ("ᴀʙᴄᴅᴇꜰɢʜɪᴊᴋʟᴍɴᴏᴘꞯʀꜱᴛᴜᴠᴡʏᴢ", "abcdefghijklmnopqrstuvwyz"),
):
    _CONFUSABLES.update(zip(_looks, _latin, strict=True))
for _first, _count in ((0x1F150, 26), (0x1F170, 26), (0x1F1E6, 26), (0x249C, 26)):
    # 🅐, 🅰, regional indicators 🇦, and "⒜" (whose decomposition is "(a)")
    _CONFUSABLES.update({chr(_first + i): chr(ord("a") + i) for i in range(_count)})
_CONFUSABLE_TABLE = str.maketrans(_CONFUSABLES)
# Dropped: format characters (zero-width space and joiners, soft hyphen, BOM...) and marks
# (accents, variation selectors, enclosing circles), which a reader looks through.
_DROPPED_CATEGORIES = frozenset({"Cf", "Mn", "Me"})


def fold(text: str) -> str:
    """``text`` as a reader sees it, for comparing: compatibility forms (fullwidth,
    mathematical, circled, superscript letters) decomposed, invisible characters and
    accents dropped, look-alike letters mapped to Latin ones, case folded, runs of
    whitespace one space. Welsh "ŵ" folds to "w": folding is never for storing."""
    text = unicodedata.normalize("NFKD", text.translate(_CONFUSABLE_TABLE))
    text = "".join(c for c in text if unicodedata.category(c) not in _DROPPED_CATEGORIES)
    text = unicodedata.normalize("NFKC", text.translate(_CONFUSABLE_TABLE)).casefold()
    return " ".join(text.split())
