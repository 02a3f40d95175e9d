"""Counting the words of a word cloud."""

from __future__ import annotations

from facilitation.workshop.words import STOP_WORDS, content_words, count_words


def test_words_are_lower_cased_stripped_of_punctuation_and_stop_words():
    assert content_words("The DATA, of the people!") == ["data", "people"]
    assert content_words("“Trust” — and… fairness?") == ["trust", "fairness"]


def test_apostrophes_and_hyphens_inside_words_are_kept():
    assert content_words("Well-being isn't optional") == ["well-being", "optional"]
    # A curly apostrophe is the same word as a straight one (and "don't" is a stop-word).
    assert content_words("Don’t share people’s records") == ["share", "people's", "records"]


def test_each_answer_counts_a_word_once():
    assert content_words("data data Data") == ["data"]
    assert count_words([("data data data", 1), ("data", 1)]) == [{"word": "data", "count": 2}]


def test_single_letters_are_dropped_but_numbers_kept():
    assert content_words("a b c 5 GDPR 2018") == ["5", "gdpr", "2018"]


def test_other_alphabets_count_as_words():
    assert content_words("Données santé") == ["données", "santé"]


def test_counts_use_how_many_gave_each_answer_and_sort_stably():
    ranked = count_words([("trust privacy", 3), ("privacy", 2), ("speed", 2), ("zeal", 1)])
    assert ranked == [
        {"word": "privacy", "count": 5},
        {"word": "trust", "count": 3},
        {"word": "speed", "count": 2},
        {"word": "zeal", "count": 1},
    ]


def test_only_the_top_words_are_kept():
    answers = [(f"word{i:03d}", 100 - i) for i in range(80)]
    ranked = count_words(answers)
    assert len(ranked) == 60 and ranked[0]["word"] == "word000"
    assert count_words(answers, top=5)[-1] == {"word": "word004", "count": 96}


def test_nothing_but_stop_words_gives_nothing():
    assert count_words([("and the of", 4)]) == []
    assert {"the", "and", "of", "is", "we", "it's"} <= STOP_WORDS
