"""A minimal word-level diff: Myers' O(ND) algorithm on sequences of words.

:class:`difflib.SequenceMatcher` matches the longest common block first, which is fast but can
mark more words than needed when a policy repeats its vocabulary (and every policy does).
Myers' algorithm finds a shortest edit script, so a redline marks exactly the words that have
to change. The common prefix and suffix are trimmed first; when the two texts are so different
that the exact search would be slow (more than ``MAX_EDITS`` edits), the fast matcher is used
for that pair: a rewritten text is marked almost wholly either way.
"""

from __future__ import annotations

from collections.abc import Sequence
from difflib import SequenceMatcher
from typing import Literal

__all__ = ["MAX_EDITS", "Opcode", "opcodes"]

MAX_EDITS = 4000
Tag = Literal["equal", "delete", "insert", "replace"]
Opcode = tuple[Tag, int, int, int, int]


def _myers(a: Sequence[str], b: Sequence[str]) -> list[tuple[int, int]] | None:
    """Matched index pairs of a longest common subsequence, or None past ``MAX_EDITS`` edits."""
    n, m = len(a), len(b)
    offset = n + m + 1
    v = [0] * (2 * offset + 1)
    trace: list[list[int]] = []
    for d in range(min(n + m, MAX_EDITS) + 1):
        trace.append(v[offset - d - 1 : offset + d + 2])
        for k in range(-d, d + 1, 2):
            if k == -d or (k != d and v[offset + k - 1] < v[offset + k + 1]):
                x = v[offset + k + 1]
            else:
                x = v[offset + k - 1] + 1
            y = x - k
            while x < n and y < m and a[x] == b[y]:
                x, y = x + 1, y + 1
            v[offset + k] = x
            if x >= n and y >= m:
                return _backtrack(trace, a, b, d, n, m)
    return None


def _backtrack(
    trace: list[list[int]], a: Sequence[str], b: Sequence[str], d_end: int, n: int, m: int
) -> list[tuple[int, int]]:
    """Walk the saved frontiers back from (n, m); ``trace[d]`` holds V before step d, from k = -d - 1."""
    pairs: list[tuple[int, int]] = []
    x, y = n, m
    for d in range(d_end, 0, -1):
        saved = trace[d]
        k = x - y
        down = k == -d or (k != d and saved[k - 1 + d + 1] < saved[k + 1 + d + 1])
        prev_k = k + 1 if down else k - 1
        prev_x = saved[prev_k + d + 1]
        prev_y = prev_x - prev_k
        while x > prev_x and y > prev_y:
            x, y = x - 1, y - 1
            pairs.append((x, y))
        x, y = prev_x, prev_y
    while x > 0 and y > 0:
        x, y = x - 1, y - 1
        pairs.append((x, y))
    pairs.reverse()
    return pairs


def _pairs_to_opcodes(pairs: list[tuple[int, int]], n: int, m: int) -> list[Opcode]:
    ops: list[Opcode] = []
    i = j = 0
    for x, y in [*pairs, (n, m)]:
        if x > i or y > j:
            tag: Tag = "replace" if x > i and y > j else "delete" if x > i else "insert"
            ops.append((tag, i, x, j, y))
        if (x, y) != (n, m):
            if ops and ops[-1][0] == "equal" and ops[-1][2] == x and ops[-1][4] == y:
                ops[-1] = ("equal", ops[-1][1], x + 1, ops[-1][3], y + 1)
            else:
                ops.append(("equal", x, x + 1, y, y + 1))
        i, j = x + 1, y + 1
    return ops


def opcodes(a: Sequence[str], b: Sequence[str]) -> list[Opcode]:
    """Opcodes like :meth:`difflib.SequenceMatcher.get_opcodes`, but of a shortest edit script."""
    start = 0
    while start < len(a) and start < len(b) and a[start] == b[start]:
        start += 1
    end = 0
    while end < len(a) - start and end < len(b) - start and a[-1 - end] == b[-1 - end]:
        end += 1
    mid_a, mid_b = a[start : len(a) - end], b[start : len(b) - end]
    pairs = _myers(mid_a, mid_b)
    if pairs is None:
        middle: list[Opcode] = [
            (tag, i1, i2, j1, j2)
            for tag, i1, i2, j1, j2 in SequenceMatcher(None, mid_a, mid_b, autojunk=False).get_opcodes()
        ]
    else:
        middle = _pairs_to_opcodes(pairs, len(mid_a), len(mid_b))
    out: list[Opcode] = [("equal", 0, start, 0, start)] if start else []
    out += [(tag, i1 + start, i2 + start, j1 + start, j2 + start) for tag, i1, i2, j1, j2 in middle]
    if end:
        out.append(("equal", len(a) - end, len(a), len(b) - end, len(b)))
    return out
