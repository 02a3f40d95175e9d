"""Group letters stay with the same people from one update to the next, and the number of
groups changes only when another number is clearly and lastingly better."""

import numpy as np

from facilitation.opinion.compute import compute
from facilitation.opinion.groups import (
    HYSTERESIS,
    SWITCH_AT_ONCE,
    Choice,
    Grouping,
    Settings,
    _choose_k,
    find_groups,
)
from facilitation.opinion.matrix import VoteMatrix

from .rooms import THREE_GROUPS, planted_room, rows_of


def letters(grouping):
    return dict(zip(grouping.placed, grouping.labels, strict=True))


def planted_letter(room, grouping):
    """Planted group index -> the letter most of its members got."""
    found = {}
    for pid, label in letters(grouping).items():
        found.setdefault(room.group[pid], []).append(label)
    return {g: max(set(ls), key=ls.count) for g, ls in found.items()}


def test_a_few_more_votes_and_people_keep_everyone_in_their_letter():
    room = planted_room(1)
    before = compute(room.matrix).grouping
    last = max(planted_letter(room, before).items(), key=lambda item: item[1])[0]
    rng = np.random.default_rng(7)
    rows = rows_of(room.matrix)
    # A few more votes from people already there: their planted view on statements unseen.
    unseen = np.argwhere(~room.matrix.seen)
    for i, j in unseen[rng.choice(len(unseen), size=15, replace=False)]:
        pid = room.matrix.participants[i]
        rows.append((pid, room.matrix.statements[j], int(room.preferences[room.group[pid], j])))
    # Four newcomers who think like the group with the last letter, making it the largest.
    newcomers = [1, 2, 3, 4]
    for pid in newcomers:
        rows += [
            (pid, sid, int(v))
            for sid, v in zip(room.statement_ids, room.preferences[last], strict=True)
        ]
    matrix = VoteMatrix.from_rows(rows, statements=room.statement_ids)

    after = compute(matrix, previous=before).grouping
    old, new = letters(before), letters(after)
    assert all(new[pid] == old[pid] for pid in old)
    last_letter = planted_letter(room, before)[last]
    assert {new[pid] for pid in newcomers} == {last_letter}
    # Without the previous grouping the now-largest group would have been renamed "A":
    # the test above is not passing by chance.
    assert last_letter != "A"
    assert letters(compute(matrix).grouping)[newcomers[0]] == "A"


def test_letters_follow_members_not_sizes():
    room = planted_room(2, size=[20, 15, 10])
    first = find_groups(room.matrix)
    assert first.sizes == {"A": 20, "B": 15, "C": 10}  # first time: by size
    renamed = {"A": "C", "B": "A", "C": "B"}
    previous = Grouping(
        "formed",
        first.placed,
        first.positions,
        tuple(renamed[g] for g in first.labels),
        first.k,
        first.silhouette,
        first.explained,
        {renamed[g]: xy for g, xy in first.centres.items()},
    )
    again = find_groups(room.matrix, previous=previous)
    assert again.labels == previous.labels
    assert again.sizes == {"A": 15, "B": 10, "C": 20}


def test_a_new_group_takes_the_lowest_free_letter():
    room = planted_room(3)
    first = find_groups(room.matrix)
    planted = np.array([room.group[p] for p in first.placed])
    two = planted < 2  # before, only the people of two planted groups were placed
    previous = Grouping(
        "formed",
        tuple(np.array(first.placed)[two]),
        first.positions[two],
        tuple("B" if g == 0 else "A" for g in planted[two]),
        2,
        0.5,
        first.explained,
        {},
    )
    after = find_groups(room.matrix, previous=previous)
    assert planted_letter(room, after) == {0: "B", 1: "A", 2: "C"}


def test_the_previous_number_of_groups_stays_while_nearly_as_good():
    previous = Grouping("formed", (), np.zeros((0, 2)), k=3)
    assignment = np.zeros(10, dtype=int)
    assert _choose_k(
        {2: (assignment, 0.50), 3: (assignment, 0.58), 4: (assignment, 0.60)}, previous
    ) == Choice(3)
    # Better by more than HYSTERESIS but less than SWITCH_AT_ONCE: 4 has won once, 3 stays.
    assert _choose_k(
        {2: (assignment, 0.50), 3: (assignment, 0.56), 4: (assignment, 0.60)}, previous
    ) == Choice(3, 4, 1)
    assert _choose_k(
        {2: (assignment, 0.50), 3: (assignment, 0.56), 4: (assignment, 0.60)}, None
    ) == Choice(4)
    # A tie goes to fewer groups.
    assert _choose_k({2: (assignment, 0.6), 4: (assignment, 0.6)}, None) == Choice(2)


def shown_k(silhouettes, first_k=2):
    """The number of groups shown after each computation, given each computation's
    silhouettes per k, threading each result into the next as the live side does."""
    previous = Grouping("formed", (), np.zeros((0, 2)), k=first_k)
    shown = []
    for scores in silhouettes:
        choice = _choose_k({k: (None, s) for k, s in scores.items()}, previous)
        previous = Grouping(
            "formed",
            (),
            np.zeros((0, 2)),
            k=choice.k,
            candidate=choice.candidate,
            candidate_wins=choice.candidate_wins,
        )
        shown.append(choice.k)
    return shown


def test_two_numbers_of_groups_trading_places_by_small_margins_do_not_flicker():
    # A vote burst: k = 3 and k = 2 take turns being best, each time by more than the
    # dead band (so each computation alone would switch) but less than SWITCH_AT_ONCE.
    burst = [
        {2: 0.50, 3: 0.56},
        {2: 0.57, 3: 0.51},
        {2: 0.49, 3: 0.55},
        {2: 0.55, 3: 0.50},
        {2: 0.52, 3: 0.58},
        {2: 0.58, 3: 0.52},
    ] * 3
    margins = [abs(s[2] - s[3]) for s in burst]
    assert all(HYSTERESIS < m < SWITCH_AT_ONCE for m in margins)
    assert shown_k(burst, first_k=2) == [2] * len(burst)
    assert shown_k(burst[1:], first_k=3) == [3] * (len(burst) - 1)
    # Within the dead band a challenger never even starts a run.
    close = [{2: 0.50, 3: 0.52}, {2: 0.50, 3: 0.53}] * 5
    assert shown_k(close) == [2] * len(close)


def test_a_clear_new_split_replaces_the_number_of_groups_after_two_computations():
    lasting = [{2: 0.50, 3: 0.56}, {2: 0.49, 3: 0.57}, {2: 0.50, 3: 0.56}]
    assert shown_k(lasting) == [2, 3, 3]
    # The run must be of the same k, in a row: 3, then 4, then 3 does not switch ...
    changing = [
        {2: 0.50, 3: 0.56, 4: 0.40},
        {2: 0.50, 3: 0.40, 4: 0.56},
        {2: 0.50, 3: 0.56, 4: 0.40},
        {2: 0.55, 3: 0.50, 4: 0.40},
    ]
    assert shown_k(changing) == [2, 2, 2, 2]
    # ... and a computation the kept k wins (or nearly) ends a run.
    interrupted = [{2: 0.50, 3: 0.56}, {2: 0.50, 3: 0.52}, {2: 0.50, 3: 0.56}, {2: 0.50, 3: 0.56}]
    assert shown_k(interrupted) == [2, 2, 2, 3]


def test_a_big_margin_or_a_kept_number_no_longer_admissible_switches_at_once():
    assert shown_k([{2: 0.45, 3: 0.60}]) == [3]
    assert shown_k([{2: 0.50, 3: 0.56}, {2: 0.40, 3: 0.60}]) == [2, 3]
    # The kept k = 4 has a group too small now: not admissible, the best k at once.
    assert shown_k([{2: 0.50, 3: 0.51}], first_k=4) == [3]


def test_the_number_of_groups_is_carried_from_one_computation_to_the_next():
    # A real room: three planted groups, noisy enough that k = 3 beats k = 2 by 0.05.
    room = planted_room(7, noise=0.4)
    two = find_groups(room.matrix, Settings(max_groups=2))
    assert two.k == 2
    fresh = find_groups(room.matrix)
    assert fresh.k == 3 and fresh.candidate == fresh.candidate_wins == 0
    once = find_groups(room.matrix, previous=two)
    assert (once.k, once.candidate, once.candidate_wins) == (2, 3, 1)
    assert once.labels == two.labels
    twice = find_groups(room.matrix, previous=once)
    assert (twice.k, twice.candidate, twice.candidate_wins) == (3, 0, 0)
    assert sorted(twice.sizes) == ["A", "B", "C"]
    # The same inputs, previous included, give the same output.
    again = find_groups(room.matrix, previous=once)
    assert again.labels == twice.labels and again.k == twice.k
    # A split far better than the kept one replaces it in one computation.
    clear = planted_room(0)
    assert (
        find_groups(clear.matrix, previous=find_groups(clear.matrix, Settings(max_groups=2))).k == 3
    )


def test_the_letters_are_always_the_first_k():
    room = planted_room(4, preferences=THREE_GROUPS[:2], size=[12, 10])
    settings = Settings(max_groups=2)
    first = find_groups(room.matrix, settings)
    planted = [room.group[p] for p in first.placed]
    # Planted group 1 cut unevenly: its first 3 members ("few") and the other 7.
    few = [g == 1 and planted[:i].count(1) < 3 for i, g in enumerate(planted)]

    def before(letter_of):
        labels = tuple(letter_of(g, f) for g, f in zip(planted, few, strict=True))
        return Grouping("formed", first.placed, first.positions, labels, len(set(labels)))

    def after(previous):
        return planted_letter(room, find_groups(room.matrix, settings, previous))

    # B, C, D shown; C (the few) merges into D: B goes on as B, D's people take A.
    assert after(before(lambda g, f: "B" if g == 0 else ("C" if f else "D"))) == {0: "B", 1: "A"}
    # A, B, C shown; A (the few) merges into C: B goes on as B, and the merged group takes
    # A, the letter some of its people had, rather than leave the room with B and C.
    assert after(before(lambda g, f: "B" if g == 0 else ("A" if f else "C"))) == {0: "B", 1: "A"}
    # Two groups that go on keep their letters.
    assert after(before(lambda g, f: "B" if g == 0 else "A")) == {0: "B", 1: "A"}


def test_the_map_keeps_its_orientation():
    room = planted_room(0)
    first = find_groups(room.matrix)
    mirrored = Grouping("formed", first.placed, -first.positions, first.labels, first.k)
    again = find_groups(room.matrix, previous=mirrored)
    assert np.allclose(again.positions, -first.positions)
    assert again.labels == first.labels


def test_no_previous_groups_means_letters_by_size():
    room = planted_room(5, size=[10, 25, 15])
    waiting = Grouping("waiting", (), np.zeros((0, 2)))
    grouping = find_groups(room.matrix, Settings(), previous=waiting)
    sizes = list(grouping.sizes.values())
    assert len(sizes) == 3 and sizes == sorted(sizes, reverse=True)
