"""The word cloud: a few words from each person, counted across the room.

Answer: ``{"text": "a few words"}``: 1 to ``activity.max_words`` words, at most
``WORD_CLOUD_MAX_CHARS`` characters, without strong language unless the plan turns the
filter off (the words go up on the projector). ``workshop/words.py`` splits and counts.
"""

from __future__ import annotations

from flask_babel import lazy_gettext

from ..errors import Refused
from ..series import charts as series_charts
from ..text import clean_text
from ..workshop.moderation import STRONG_LANGUAGE, has_strong_language
from ..workshop.words import count_words, split_words
from .answers import only
from .base import ActivityType, Table

# The whole room reads the projector: a word cloud shows at most this many characters.
WORD_CLOUD_MAX_CHARS = 80


# A series' figure compares the sessions on the words used most across them all.
SERIES_WORDS_SHOWN = 10


class WordCloud(ActivityType):
    name = "word_cloud"
    label = lazy_gettext("Word cloud")
    editor_hint = "A few words each; the room sees the most frequent words."
    plan_fields = ("max_words",)
    shows_words = True
    export_value = "the words typed (item 'words')"
    answerable = True

    def stage_view(self, activity) -> dict:
        return {"max_words": activity.max_words, "max_chars": WORD_CLOUD_MAX_CHARS}

    def clean(self, activity, plan, value: dict) -> dict:
        text = only(value, "text", "a few words")
        if not isinstance(text, str):
            raise Refused("Type a few words.")
        text = " ".join(split_words(clean_text(text)))
        most = activity.max_words
        if not text:
            raise Refused("Type at least one word.")
        if len(split_words(text)) > most:
            raise Refused(f"Use at most {most} word{'' if most == 1 else 's'}.")
        if len(text) > WORD_CLOUD_MAX_CHARS:
            raise Refused(f"Keep it to {WORD_CLOUD_MAX_CHARS} characters ({len(text)} sent).")
        moderation = getattr(plan, "moderation", None)
        if (moderation is None or moderation.profanity_filter) and has_strong_language(text):
            raise Refused(STRONG_LANGUAGE)
        return {"text": text}

    def summarise(self, activity, plan, counts) -> dict:
        return {
            "words": count_words((value["text"], n) for value, n in counts),
            "voters": sum(n for _, n in counts),
            "max_words": activity.max_words,
        }

    def kept(self, results: dict, min_group_size: int) -> dict:
        # A word fewer people typed is one person's text, not a count.
        words = [word for word in results["words"] if word["count"] >= min_group_size]
        return {**results, "words": words}

    def table(self, stage, results: dict) -> Table:
        return Table(
            "Words used, most used first",
            ["Word", "People"],
            [[word["word"], word["count"]] for word in results.get("words", ())],
            [False, True],
        )

    def read_plan(self, reader, fields) -> dict:
        return {"max_words": reader.integer(fields, "max_words", 3, 1, 10)}

    def series_figure(self, stage, entries) -> dict:
        """The series' most used words, how many answers in each session used them."""
        totals: dict[str, int] = {}
        for entry in entries:
            for word in (entry.results or {}).get("words", []):
                totals[word["word"]] = totals.get(word["word"], 0) + word["count"]
        top = sorted(totals, key=lambda w: (-totals[w], w))[:SERIES_WORDS_SHOWN]

        def value(results, key):
            count = next((w["count"] for w in results.get("words", []) if w["word"] == key), 0)
            voters = results.get("voters", 0)
            share = series_charts.percent(count, voters)
            return share, str(count) if count else "", f"{count} of {voters} answers"

        return series_charts.per_item_figure(
            stage,
            entries,
            [(w, w) for w in top],
            value,
            y_title="Share of answers using the word (%)",
            ticksuffix="%",
        ).to_plotly_json()

    def export_items(self, activity, value: dict) -> list[tuple[str, str, object]]:
        return [("words", "Words", value.get("text"))]


TYPE = WordCloud()
