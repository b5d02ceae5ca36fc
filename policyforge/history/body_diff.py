"""The word diff of one section's body: runs of words in their blocks, and link targets that changed.

Bodies are the words a reader sees (:mod:`policyforge.source.reader_text`). The diff is a
shortest edit script (:mod:`.worddiff`) on the words' text; words that stayed but whose link
target changed are reported as :class:`LinkChange`. Every run of words keeps the block it is
in (paragraph, list item, table cell): a run deleted from a block that survives is placed in
that block of the new version, a block deleted whole keeps its place in the surviving lists
and tables, so the redlines can show lists as lists and tables as tables.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Literal

from ..source.reader_text import Block, Frame, Word
from .worddiff import Opcode, opcodes

__all__ = ["LinkChange", "OpKind", "WordOp", "body_diff", "by_block"]

OpKind = Literal["equal", "insert", "delete"]


@dataclass(frozen=True)
class WordOp:
    """A run of words that is unchanged, inserted or deleted, all in one block of the layout."""

    kind: OpKind
    words: tuple[str, ...]
    block: Block | None = None

    @property
    def text(self) -> str:
        return " ".join(self.words)


@dataclass(frozen=True)
class LinkChange:
    """Link text whose target changed (``old`` None: it became a link; ``new`` None: it stopped being one)."""

    text: str
    old: str | None
    new: str | None


def _frame_map(pairs: list[tuple[Word, Word]]) -> tuple[dict[str, Block], dict[str, Frame]]:
    """Old block uid → new block, old frame uid → new frame, from the words both versions share."""
    blocks: dict[str, Block] = {}
    frames: dict[str, Frame] = {}
    for old, new in pairs:
        blocks.setdefault(old.block.uid, new.block)
        for fo, fn in zip(old.block.frames, new.block.frames, strict=False):
            if fo.tag != fn.tag:
                break
            frames.setdefault(fo.uid, fn)
    return blocks, frames


def body_diff(a: tuple[Word, ...], b: tuple[Word, ...]) -> tuple[tuple[WordOp, ...], tuple[LinkChange, ...]]:
    """Shortest word diff of two bodies, each run in one block, and the link targets that changed."""
    codes = opcodes([w.text for w in a], [w.text for w in b])
    pairs = [(a[i1 + n], b[j1 + n]) for tag, i1, i2, j1, _ in codes if tag == "equal" for n in range(i2 - i1)]
    if all(tag == "equal" for tag, *_ in codes):  # most bodies of a release did not change: one run per block
        runs = itertools.groupby(b, key=lambda w: w.block)  # Block compares by identity
        return tuple(WordOp("equal", tuple(w.text for w in run), block) for block, run in runs), _link_changes(pairs)
    blocks, frames = _frame_map(pairs)
    _pair_rewritten(codes, a, b, blocks, frames)
    moved_blocks: dict[str, Block] = {}

    def old_block(block: Block) -> Block:
        if block.uid in blocks:
            return blocks[block.uid]
        if block.uid not in moved_blocks:
            mapped = tuple(frames.get(f.uid, f) for f in block.frames)
            moved_blocks[block.uid] = Block(block.leaf, mapped, block.uid, block.bare)
        return moved_blocks[block.uid]

    flat: list[tuple[OpKind, str, Block]] = []
    for tag, i1, i2, j1, j2 in codes:
        if tag == "equal":
            flat += [("equal", w.text, w.block) for w in b[j1:j2]]
            continue
        flat += [("delete", w.text, old_block(w.block)) for w in a[i1:i2]]
        flat += [("insert", w.text, w.block) for w in b[j1:j2]]
    ops: list[WordOp] = []
    for kind, word, block in flat:
        if ops and ops[-1].kind == kind and ops[-1].block is block:
            ops[-1] = WordOp(kind, (*ops[-1].words, word), block)
        else:
            ops.append(WordOp(kind, (word,), block))
    return tuple(ops), _link_changes(pairs)


def _pair_rewritten(
    codes: list[Opcode], a: tuple[Word, ...], b: tuple[Word, ...], blocks: dict[str, Block], frames: dict[str, Frame]
) -> None:
    """A block whose words were all replaced stays one block: a table cell or paragraph rewritten in place.

    Within one replacement, old blocks that share no word with the new text are matched in order
    with new blocks that took no old words, when both are the same kind in the same place (same
    table row, same list item, or both at the top of the section).
    """
    taken = {blk.uid for blk in blocks.values()}
    for tag, i1, i2, j1, j2 in codes:
        if tag != "replace":
            continue
        old = list(dict.fromkeys(w.block for w in a[i1:i2] if w.block.uid not in blocks))
        new = [blk for blk in dict.fromkeys(w.block for w in b[j1:j2]) if blk.uid not in taken]
        for was, now in zip(old, new, strict=False):
            same_place = [frames.get(f.uid, f).uid for f in was.frames] == [f.uid for f in now.frames]
            if was.leaf == now.leaf and was.bare == now.bare and same_place:
                blocks[was.uid] = now
                taken.add(now.uid)


def _link_changes(pairs: list[tuple[Word, Word]]) -> tuple[LinkChange, ...]:
    out: list[LinkChange] = []
    seen: set[tuple[str | None, str | None]] = set()
    run: list[str] = []
    for n, (old, new) in enumerate(pairs):
        if old.href == new.href:
            continue
        run.append(new.text)
        nxt = pairs[n + 1] if n + 1 < len(pairs) else None
        if nxt is not None and (nxt[0].href, nxt[1].href) == (old.href, new.href) and nxt[1].block is new.block:
            continue
        if (old.href, new.href) not in seen:
            seen.add((old.href, new.href))
            out.append(LinkChange(" ".join(run), old.href, new.href))
        run = []
    return tuple(out)


def by_block(ops: tuple[WordOp, ...]) -> list[tuple[Block, tuple[WordOp, ...]]]:
    """The runs of a section grouped by the block they are in, in reading order."""
    out: list[tuple[Block, tuple[WordOp, ...]]] = []
    for op in ops:
        if op.block is None:
            continue
        if out and out[-1][0] is op.block:
            out[-1] = (op.block, (*out[-1][1], op))
        else:
            out.append((op.block, (op,)))
    return out
