"""Group letters stay with the same people from one update to the next."""

import numpy as np

from facilitation.opinion.compute import compute
from facilitation.opinion.groups import Grouping, Settings, _choose_k, find_groups
from facilitation.opinion.matrix import VoteMatrix

from .rooms import planted_room, rows_of


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
        rows += [(pid, sid, int(v)) for sid, v in
                 zip(room.statement_ids, room.preferences[last], strict=True)]
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
        "formed", first.placed, first.positions, tuple(renamed[g] for g in first.labels),
        first.k, first.silhouette, first.explained,
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
        "formed", tuple(np.array(first.placed)[two]), first.positions[two],
        tuple("B" if g == 0 else "D" for g in planted[two]), 2, 0.5, first.explained, {},
    )
    after = find_groups(room.matrix, previous=previous)
    assert planted_letter(room, after) == {0: "B", 1: "D", 2: "A"}


def test_the_previous_number_of_groups_stays_while_nearly_as_good():
    previous = Grouping("formed", (), np.zeros((0, 2)), k=3)
    assignment = np.zeros(10, dtype=int)
    assert _choose_k({2: (assignment, 0.50), 3: (assignment, 0.58),
                      4: (assignment, 0.60)}, previous) == 3
    assert _choose_k({2: (assignment, 0.50), 3: (assignment, 0.56),
                      4: (assignment, 0.60)}, previous) == 4
    assert _choose_k({2: (assignment, 0.50), 3: (assignment, 0.56),
                      4: (assignment, 0.60)}, None) == 4
    # A tie goes to fewer groups.
    assert _choose_k({2: (assignment, 0.6), 4: (assignment, 0.6)}, None) == 2


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
