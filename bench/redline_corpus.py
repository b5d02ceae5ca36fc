"""A generated corpus of policy revisions, and how close the redline comes to the minimal edit.

Each case is a policy of 5,000+ words (nested sections, Markdown paragraphs with emphasis,
autolinks and links whose URLs hold parentheses, Markdown lists, term bullets, YAML tables and
pipe tables) and a revision of it made by random edits: words replaced, inserted and deleted,
sections moved, sections renamed (new id and title, body slightly edited), link targets changed,
list items added and removed, table cells edited, a bulleted subsection added.

:func:`measure` diffs the two versions and compares, section by section, the words the redline
marks with the minimal word-level edit (computed here by an independent LCS), and checks that
the redline covers every changed word (unchanged + deleted words give the old text back,
unchanged + inserted the new one) and reports every changed link target. Used by
``tests/unit/test_diff_corpus.py`` and ``bench/bench_redline.py``.
"""

from __future__ import annotations

import copy
import random
from dataclasses import dataclass, field
from typing import Any

from policyforge.history.diff import diff_policies
from policyforge.source.model import Policy
from policyforge.source.reader_text import section_blocks

__all__ = ["Case", "Result", "lcs_length", "make_case", "measure"]

_WORDS = (
    "data personal information process processing purpose controller processor consent legal basis "
    "interest legitimate contract retention period storage transfer third party country adequacy "
    "safeguard clause right access rectification erasure restriction portability object complaint "
    "authority supervisory officer protection security measure encryption account profile usage "
    "analytics cookie device browser address email name payment billing support request service "
    "product feature improvement marketing newsletter preference partner vendor provider recipient "
    "category source law regulation obligation fraud prevention audit log backup deletion anonymised "
    "aggregated statistics research children age parent guardian notice update change version "
    "we you our your the a an and or of to in for with by on at from as is are may will can not "
    "when where which that this these those all any each other such only also where necessary"
)
_VOCAB = tuple(_WORDS.split())


@dataclass
class Case:
    """Two versions of one generated policy and what the edits did."""

    old: dict[str, Any]
    new: dict[str, Any]
    renamed: dict[str, str] = field(default_factory=dict)  # old id -> new id
    links: set[tuple[str, str]] = field(default_factory=set)  # (old href, new href)


@dataclass
class Result:
    """Figures of one case."""

    words: int
    minimal: int
    marked: int
    complete: bool
    links_expected: int
    links_found: int
    renames_expected: int
    renames_found: int


def _sentence(rnd: random.Random, n: int) -> str:
    words = [rnd.choice(_VOCAB) for _ in range(n)]
    words[0] = words[0].capitalize()
    if rnd.random() < 0.3:
        i = rnd.randrange(len(words))
        words[i] = f"*{words[i]}*"
    return " ".join(words) + "."


def _link(rnd: random.Random, n: int) -> str:
    text = " ".join(rnd.choice(_VOCAB) for _ in range(rnd.randint(1, 3)))
    if rnd.random() < 0.3:
        return f"<https://example.org/ref/{n}>"
    return f"[{text}](https://example.org/docs/statement(v{n}).pdf)"


def _paragraph(rnd: random.Random, counter: list[int]) -> str:
    parts = [_sentence(rnd, rnd.randint(8, 20)) for _ in range(rnd.randint(2, 4))]
    if rnd.random() < 0.6:
        counter[0] += 1
        parts.insert(rnd.randrange(len(parts) + 1), f"See {_link(rnd, counter[0])} for details.")
    return " ".join(parts)


def _section(rnd: random.Random, sid: str, counter: list[int], depth: int = 0) -> dict[str, Any]:
    sec: dict[str, Any] = {"id": sid, "title": " ".join(rnd.choice(_VOCAB) for _ in range(3)).title()}
    paragraphs = [_paragraph(rnd, counter) for _ in range(rnd.randint(1, 3))]
    if rnd.random() < 0.4:
        paragraphs.append("\n".join(f"- {_sentence(rnd, rnd.randint(4, 9))}" for _ in range(rnd.randint(2, 5))))
    if rnd.random() < 0.15:
        rows = [f"| {' | '.join(rnd.choice(_VOCAB) for _ in range(3))} |" for _ in range(rnd.randint(2, 4))]
        paragraphs.append("| Category | Source | Recipient |\n|---|---|---|\n" + "\n".join(rows))
    sec["text"] = "\n\n".join(paragraphs)
    if rnd.random() < 0.4:
        sec["items"] = [
            {"term": rnd.choice(_VOCAB).title(), "text": _sentence(rnd, rnd.randint(5, 12))}
            if rnd.random() < 0.5
            else _sentence(rnd, rnd.randint(5, 12))
            for _ in range(rnd.randint(2, 5))
        ]
    if rnd.random() < 0.2:
        sec["table"] = {
            "columns": ["Data", "Purpose", "Retention"],
            "rows": [
                [rnd.choice(_VOCAB), _sentence(rnd, 4), f"{rnd.randint(1, 36)} months"]
                for _ in range(rnd.randint(2, 5))
            ],
        }
    if depth == 0 and rnd.random() < 0.3:
        sec["sections"] = [_section(rnd, f"{sid}-sub{i}", counter, 1) for i in range(rnd.randint(1, 3))]
    return sec


def _all_sections(sections: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for sec in sections:
        out.append(sec)
        out += _all_sections(sec.get("sections", []))
    return out


def _edit_words(rnd: random.Random, text: str, edits: int) -> str:
    words = text.split(" ")
    for _ in range(edits):
        i = rnd.randrange(len(words))
        if words[i].startswith(("[", "<", "|", "-", "*", "(")) or "](" in words[i] or "\n" in words[i]:
            continue
        kind = rnd.random()
        if kind < 0.4:
            words[i] = rnd.choice(_VOCAB)
        elif kind < 0.7:
            words.insert(i, rnd.choice(_VOCAB))
        elif len(words) > 3:
            del words[i]
    return " ".join(words)


def make_case(seed: int, sections: int = 40) -> Case:
    """A policy of ``sections`` top-level sections (5,000+ words) and a randomly edited revision."""
    rnd = random.Random(seed)
    counter = [0]
    old = {
        "title": "Privacy Statement",
        "product": "Corpus",
        "controller": {"name": "Corpus Ltd", "email": "privacy@example.org"},
        "sections": [_section(rnd, f"s{i}", counter) for i in range(sections)],
        "consent": {
            "categories": [{"id": "essential", "title": "Essential", "description": "Needed.", "required": True}]
        },
    }
    new = copy.deepcopy(old)
    case = Case(old, new)
    every = _all_sections(new["sections"])
    for sec in rnd.sample(every, k=len(every) // 3):  # word edits
        sec["text"] = _edit_words(rnd, sec["text"], rnd.randint(1, 6))
    for sec in rnd.sample(every, k=4):  # link target changes
        if "](https://example.org/docs/statement(v" in sec["text"]:
            tail = sec["text"].partition("](https://example.org/docs/statement(v")[2]
            number = tail.partition(")")[0]
            old_href = f"https://example.org/docs/statement(v{number}).pdf"
            new_href = f"https://example.org/docs/statement(v{number}-rev).pdf"
            sec["text"] = sec["text"].replace(f"]({old_href})", f"]({new_href})")
            case.links.add((old_href, new_href))
    for sec in rnd.sample([s for s in every if s.get("items")], k=min(3, len([s for s in every if s.get("items")]))):
        items = list(sec["items"])
        items.insert(rnd.randrange(len(items) + 1), _sentence(rnd, rnd.randint(4, 9)))  # list item added
        if len(items) > 2:
            del items[rnd.randrange(len(items))]  # and one removed
        sec["items"] = items
    for sec in [s for s in every if s.get("table")][:2]:  # table cell edits
        rows = [list(r) for r in sec["table"]["rows"]]
        rows[0][1] = _edit_words(rnd, rows[0][1], 2)
        rows[-1][2] = f"{rnd.randint(37, 60)} months"
        sec["table"] = {**sec["table"], "rows": rows}
    top = new["sections"]
    for _ in range(3):  # moves among the top-level sections
        moved = top.pop(rnd.randrange(len(top)))
        top.insert(rnd.randrange(len(top) + 1), moved)
    for sec in rnd.sample([s for s in top if "sections" not in s], k=2):  # renames: new id and title
        case.renamed[sec["id"]] = f"{sec['id']}-renamed"
        sec["id"] = f"{sec['id']}-renamed"
        sec["title"] = sec["title"] + " Renamed"
        sec["text"] = _edit_words(rnd, sec["text"], 2)
    top.insert(
        rnd.randrange(len(top)),
        {
            "id": "new-bullets",
            "title": "New Bulleted Section",
            "text": "We now also process:\n" + "\n".join(f"- {_sentence(rnd, 5)}" for _ in range(4)),
        },
    )
    return case


def lcs_length(a: list[str], b: list[str]) -> int:
    """Length of a longest common subsequence (plain dynamic programming, independent of the diff)."""
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for j, y in enumerate(b):
            cur.append(prev[j] + 1 if x == y else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1]


def _words(policy: Policy) -> dict[str, list[str]]:
    def walk(sections: Any) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for sec in sections:
            out[sec.id] = [w.text for w in section_blocks(sec)]
            out.update(walk(sec.sections))
        return out

    return walk(policy.sections)


def measure(case: Case) -> Result:
    """Diff the case and compare the marked words with the minimal edit, section by section."""
    old, new = Policy.model_validate(case.old), Policy.model_validate(case.new)
    d = diff_policies(old, new)
    a, b = _words(old), _words(new)
    minimal = 0
    for sid, words in a.items():
        target = b.get(case.renamed.get(sid, sid))
        minimal += len(words) if target is None else len(words) + len(target) - 2 * lcs_length(words, target)
    minimal += sum(len(words) for sid, words in b.items() if sid not in a and sid not in case.renamed.values())
    marked = d.words_added + d.words_removed
    complete = True
    for change in d.sections:
        old_words = [w for op in change.ops if op.kind != "insert" for w in op.words]
        new_words = [w for op in change.ops if op.kind != "delete" for w in op.words]
        old_id = change.old.id if change.old else None
        complete &= old_words == (a.get(old_id, []) if old_id else [])
        complete &= new_words == (b.get(change.id, []) if change.new else [])
    found = {(link.old, link.new) for link in d.links}
    renames = {c.old_id for c in d.sections if c.old_id}
    return Result(
        sum(len(w) for w in b.values()),
        minimal,
        marked,
        complete,
        len(case.links),
        len(case.links & found),
        len(case.renamed),
        len(renames & set(case.renamed)),
    )
