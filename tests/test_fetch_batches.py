"""A backlog is fetched in groups bounded by bytes as well as by count."""

from __future__ import annotations

from mailflow.mailbox import BATCH, FETCH_BYTES, _by_bytes

MB = 1024 * 1024


def test_groups_hold_at_most_a_few_megabytes_of_bodies() -> None:
    sizes = {uid: (3 * MB if uid % 3 == 0 else 200 * 1024) for uid in range(1, 200)}
    groups = list(_by_bytes(list(sizes), sizes, max_bytes=10 * MB))
    assert [u for g in groups for u in g] == list(sizes)  # every message, in order
    for group in groups:
        assert len(group) <= BATCH
        assert len(group) == 1 or sum(sizes[u] for u in group) <= FETCH_BYTES


def test_small_messages_go_fifty_at_a_time_and_a_huge_one_alone() -> None:
    sizes = {uid: 2_000 for uid in range(1, 121)}
    sizes[60] = 9 * MB  # under the size limit but over a group's bytes
    groups = list(_by_bytes(list(sizes), sizes, max_bytes=10 * MB))
    assert [60] in groups
    assert max(len(g) for g in groups) == BATCH


def test_messages_over_the_limit_count_only_a_header() -> None:
    sizes = {uid: 50 * MB for uid in range(1, 11)}  # only their headers are fetched
    assert list(_by_bytes(list(sizes), sizes, max_bytes=10 * MB)) == [list(range(1, 11))]
