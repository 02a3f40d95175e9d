"""The registry of export formats: one entry per downloadable file.

Each entry names the file, its media type and its producer, ``produce(db, sessions)`` ->
an iterator of ``str`` or ``bytes`` chunks, where ``sessions`` is a list of
``WorkshopSession`` (a session export is a list of one; a series export is its sessions in
the order they were held). The download views, the CLI and the zip all read this registry,
so adding a format is one entry here.

Producers are named as ``"module:function"`` inside this package and imported when first
used, so a format whose module is not there (yet) is simply not offered.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from sqlalchemy.orm import Session

from ..models import WorkshopSession
from ..text import writable

Producer = Callable[[Session, list[WorkshopSession]], Iterator[str | bytes]]

CSV = "text/csv; charset=utf-8"


@dataclass(frozen=True)
class Format:
    name: str  # what the CLI's --format takes
    filename: str  # the file's name inside an export folder or the zip
    mimetype: str
    producer: str  # "module:function" in facilitation.exports
    label: str  # what the download link says
    in_bundle: bool = True  # part of "Everything (zip)"
    # "module:function", (db, sessions) -> bool: whether these sessions have anything for
    # this file; offered and zipped only then. None: every export has it.
    only_if: str | None = None

    def load(self) -> Producer | None:
        """The producer function, or None when its module does not exist."""
        module_name, _, function = self.producer.partition(":")
        qualified = f"{__package__}.{module_name}"
        try:
            module = importlib.import_module(qualified)
        except ModuleNotFoundError as missing:
            if missing.name == qualified:
                return None
            raise
        return getattr(module, function, None)

    @property
    def available(self) -> bool:
        return self.load() is not None

    def holds_data(self, db: Session | None, sessions) -> bool:
        """Whether an export of ``sessions`` has this file (None: sessions not known)."""
        if self.only_if is None:
            return True
        if db is None or sessions is None:
            return False
        from .common import as_sessions

        module_name, _, function = self.only_if.partition(":")
        module = importlib.import_module(f"{__package__}.{module_name}")
        return bool(getattr(module, function)(db, as_sessions(sessions)))

    def produce(self, db: Session, sessions) -> Iterator[str | bytes]:
        from .common import as_sessions

        producer = self.load()
        if producer is None:
            raise LookupError(f"The {self.name} export is not available.")
        return _writable(producer(db, as_sessions(sessions)))


def _writable(chunks: Iterator[str | bytes]) -> Iterator[str | bytes]:
    """Every text chunk as a file can hold it: rows stored before text was checked on the
    way in may hold a lone surrogate (which no UTF-8 file can: the download stopped
    half-way) or control characters; ``text.writable`` replaces them with U+FFFD. Every
    download, the zip's files and ``flask export`` come through here. (Zips are bytes:
    the qdpx writes only XML-safe text, and the export zip's files come through here.)"""
    try:
        for chunk in chunks:
            yield writable(chunk) if isinstance(chunk, str) else chunk
    finally:
        close = getattr(chunks, "close", None)
        if close is not None:  # a download broken off ends the producer now, not at GC
            close()


_ENTRIES = (
    Format(
        "transcript-csv", "transcript.csv", CSV, "transcript:transcript_csv", "Transcript (CSV)"
    ),
    Format(
        "transcript-json",
        "transcript.json",
        "application/json",
        "transcript:transcript_json",
        "Transcript (JSON)",
    ),
    Format("participants", "participants.csv", CSV, "csv_files:participants_csv", "Participants"),
    Format("stages", "stages.csv", CSV, "csv_files:stages_csv", "Stages"),
    Format("responses", "responses.csv", CSV, "csv_files:responses_csv", "Responses"),
    Format("comments", "comments.csv", CSV, "csv_files:comments_csv", "Comments and statements"),
    Format("notes", "notes.csv", CSV, "csv_files:notes_csv", "Notes"),
    Format(
        "profile",
        "profile.csv",
        CSV,
        "profile_csv:profile_csv",
        "Framework profile",
        # Only a plan with a framework has tests, features and an acceptability score.
        only_if="profile_csv:has_profile",
    ),
    Format(
        "opinion-groups",
        "opinion_groups.csv",
        CSV,
        "opinion_csv:opinion_groups_csv",
        "Opinion groups",
        # Only statements stages with opinion groups on, in sessions with their votes kept.
        only_if="opinion_csv:has_opinion_groups",
    ),
    Format(
        "opinion-statements",
        "opinion_statements.csv",
        CSV,
        "opinion_csv:opinion_statements_csv",
        "Opinion groups' statements",
        only_if="opinion_csv:has_opinion_groups",
    ),
    Format(
        "slides",
        "slides.csv",
        CSV,
        "slides_csv:slides_csv",
        "Slide pages",
        # Only plans with a slides stage: each page's text and whether it was shown.
        only_if="slides_csv:has_slides",
    ),
    Format(
        "datapackage",
        "datapackage.json",
        "application/json",
        "datapackage:datapackage_json",
        "Data Package",
    ),
    Format(
        "report", "report.html", "text/html; charset=utf-8", "report:report_html", "Report (HTML)"
    ),
    Format(
        "qdpx", "project.qdpx", "application/zip", "qdpx:project_qdpx", "REFI-QDA project (.qdpx)"
    ),
    Format(
        "kept-aggregates",
        "kept_aggregates.csv",
        CSV,
        "kept:kept_aggregates_csv",
        "Kept aggregate counts (after a purge)",
        # Before a purge it would be an empty file: offered only where counts were kept.
        only_if="kept:has_kept_aggregates",
    ),
    Format(
        "zip",
        "export.zip",
        "application/zip",
        "bundle:bundle_zip",
        "Everything (zip)",
        in_bundle=False,
    ),
)
REGISTRY: dict[str, Format] = {entry.name: entry for entry in _ENTRIES}


def formats(db: Session | None = None, sessions=None) -> list[Format]:
    """The formats that can be produced now, in the order downloads are listed: for an
    export of ``sessions``, with the files only some sessions have (kept aggregates) where
    they have them; without sessions, the files every export has."""
    return [
        entry for entry in REGISTRY.values() if entry.available and entry.holds_data(db, sessions)
    ]


def find(name_or_filename: str) -> Format | None:
    """A format by its name ("responses") or its file name ("responses.csv"), if available."""
    entry = REGISTRY.get(name_or_filename) or next(
        (e for e in REGISTRY.values() if e.filename == name_or_filename), None
    )
    return entry if entry is not None and entry.available else None


def bundled(db: Session | None = None, sessions=None) -> list[Format]:
    """The formats the zip holds (for ``sessions``, as ``formats`` says)."""
    return [entry for entry in formats(db, sessions) if entry.in_bundle]


def write_export(db: Session, sessions, directory, names=None) -> list:
    """Write formats into ``directory`` (created if missing); returns the paths written.

    ``names``: format names or file names; by default every file the zip holds (the zip
    itself only when named). Raises LookupError naming an unknown or unavailable format.
    """
    from pathlib import Path

    if names:
        chosen = []
        for name in names:
            entry = find(name)
            if entry is None:
                known = ", ".join(e.name for e in formats())
                raise LookupError(f"No export format {name!r}; choose from: {known}.")
            if entry not in chosen:
                chosen.append(entry)
    else:
        chosen = bundled(db, sessions)
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for entry in chosen:
        path = folder / entry.filename
        with path.open("wb") as handle:
            for chunk in entry.produce(db, sessions):
                handle.write(chunk.encode("utf-8") if isinstance(chunk, str) else chunk)
        paths.append(path)
    return paths
