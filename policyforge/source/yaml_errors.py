"""YAML syntax errors in words a legal editor can act on, at the line that causes them.

PyYAML reports where it *noticed* a problem, often many lines after its cause, in parser
terms (``expected <block end>, but found '<scalar>'``). This module finds the cause where it
can (a quote or bracket opened and never closed is reported at the line where it opens) and
always puts a plain sentence first; the parser's own words follow in parentheses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from ..errors import Problem

__all__ = ["syntax_problem"]

# A line that looks like YAML structure (a key or a list item), not like the middle of a text.
_STRUCTURE = re.compile(r"^\s*(?:-\s|-$|[A-Za-z_][\w-]*:(?:\s|$)|\{)")
_NEAR = 3  # lines between the end of a swallowing span and the parser's error
_TOKEN_WORDS = {
    "'<scalar>'": "text",
    "'<block mapping start>'": "a new key",
    "'<block sequence start>'": "a list",
    "'<block entry>'": "a list item ('- ')",
    "'<block end>'": "the end of a block",
    "'?'": "a new key",
    "'{'": "a '{'",
    "'['": "a '['",
    "':'": "a ':'",
    "','": "a ','",
}


@dataclass(frozen=True)
class _Open:
    """A quote or bracket that was opened on one line and closed on a later one (or never)."""

    char: str
    line: int  # 1-based
    column: int  # 1-based
    end: int  # 1-based line where it closed; 0 = never


def _spans(lines: list[str]) -> list[_Open]:
    """Quotes and flow brackets that stay open past the end of their line, in order of opening.

    A small scanner that follows YAML just far enough: a quote starts a scalar only where a value
    can start (so the apostrophe in ``don't`` is text), comments end a line, block scalars
    (``>-``, ``|``) are skipped, ``\\"`` and ``''`` are escapes.
    """
    out: list[_Open] = []
    quote: list[int | str] = []  # [char, line, column] while inside a quoted scalar
    brackets: list[tuple[str, int, int]] = []
    block_indent = -1
    for number, line in enumerate(lines, 1):
        indent = len(line) - len(line.lstrip(" "))
        if block_indent >= 0 and not quote:
            if not line.strip() or indent > block_indent:
                continue
            block_indent = -1
        i, start = 0, not quote  # ``start``: a value may begin here
        while i < len(line):
            ch = line[i]
            if quote:
                if ch == "\\" and quote[0] == '"':
                    i += 2
                    continue
                if ch == quote[0]:
                    if ch == "'" and line[i + 1 : i + 2] == "'":
                        i += 2
                        continue
                    if int(quote[1]) != number:
                        out.append(_Open(str(quote[0]), int(quote[1]), int(quote[2]), number))
                    quote = []
                i += 1
                continue
            if ch in " \t":
                i += 1
                continue
            if ch == "#" and (i == 0 or line[i - 1] in " \t"):
                break
            if start and ch in "\"'":
                quote = [ch, number, i + 1]
            elif start and ch in "|>" and not brackets:
                block_indent = indent
                break
            elif ch in "[{":
                brackets.append((ch, number, i + 1))
                start = True
                i += 1
                continue
            elif ch in "]}" and brackets:
                opened = brackets.pop()
                if opened[1] != number:
                    out.append(_Open(opened[0], opened[1], opened[2], number))
            start = (
                (ch == "-" and line[i + 1 : i + 2] in ("", " "))
                or (ch == ":" and line[i + 1 : i + 2] in ("", " "))
                or (ch == "," and bool(brackets))
                or (ch == "?" and line[i + 1 : i + 2] in ("", " "))
            )
            i += 1
    if quote:
        out.append(_Open(str(quote[0]), int(quote[1]), int(quote[2]), 0))
    out += [_Open(c, n, col, 0) for c, n, col in brackets]
    # On one line, an open quote is the cause and an open bracket around it the consequence.
    return sorted(out, key=lambda o: (o.line, o.char in "[{", o.column))


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _runaway(lines: list[str], error_line: int) -> _Open | None:
    """The first quote or bracket, opened before the error, that swallowed YAML structure.

    Swallowed means: a line inside it looks like a key or list item at the indentation of the
    opening line or less (a sibling or parent, not a continuation), and the parser failed where
    the span ends (a stray quote or bracket further on closes it, and what follows is garbage).
    A quote or bracket that legitimately spans lines and closes long before the error is left alone.
    """
    for span in _spans(lines):
        if span.line > error_line:
            break
        if span.end and error_line - span.end > _NEAR:
            continue
        opening = _indent(lines[span.line - 1])
        last = min(span.end or len(lines), error_line, len(lines))
        if any(
            _STRUCTURE.match(lines[n - 1]) and _indent(lines[n - 1]) <= opening for n in range(span.line + 1, last + 1)
        ):
            return span
    return None


def _closing(char: str) -> str:
    return {"[": "]", "{": "}"}.get(char, char)


def _jargon(exc: yaml.MarkedYAMLError) -> str:
    return " ".join(p for p in (exc.context, exc.problem) if p)


def _plain(exc: yaml.MarkedYAMLError) -> str:
    """A plain sentence for the parser's message."""
    problem = exc.problem or ""
    found = re.search(r"found ('[^']*'|'.')$", problem)
    thing = _TOKEN_WORDS.get(found.group(1), found.group(1)) if found else "something"
    if "mapping values are not allowed" in problem:
        return (
            "a ': ' appears where no new key can start: text that contains ': ' must be in quotes "
            '(text: "Questions: ask us"), or this line is indented too far'
        )
    if "'\\t'" in problem:
        return "this line contains a tab: indent with spaces only"
    bad = re.search(r"character '(.+?)' that cannot start", problem)
    if bad:
        return f"a value cannot start with {bad.group(1)!r}: put the whole text in quotes"
    in_list = (exc.context or "").startswith("while parsing a block collection")
    if "expected <block end>" in problem and in_list and thing == "a new key":
        return (
            "a key appears among the items of a list: start the line with '- ' to make it an item, or indent "
            "it like the keys of the item it belongs to"
        )
    if "expected <block end>" in problem or "did not find expected key" in problem:
        return (
            f"{thing} appears where YAML expected the next key or list item at the indentation of the lines "
            "above: check this line's indentation, and that any quote before it is closed"
        )
    if "could not find expected ':'" in problem:
        return (
            "a line of text has no 'key: ' before it: text that continues on the next lines must be in quotes, "
            "or written after '>-' and indented"
        )
    if "did not find expected '-' indicator" in problem:
        return "a line inside a list does not start with '- ' like the items before it"
    if "undefined alias" in problem:
        return "text that starts with '*' must be in quotes ('*' refers to a YAML anchor)"
    if "expected a comment or a line break" in problem:
        return "there is more text after a closing quote: put the whole value in quotes, or remove the extra text"
    if "expected alphabetic or numeric character" in problem:
        return "text that starts with '&' or '*' must be in quotes"
    if "unexpected end of stream" in problem:
        return "the file ends inside a quoted text: a quote was opened and never closed"
    return "the file is not valid YAML here"


def syntax_problem(file: str, text: str, exc: yaml.MarkedYAMLError) -> Problem:
    """The problem to report for a YAML syntax error in ``text``: at its cause, in plain words."""
    mark = exc.problem_mark or exc.context_mark
    error_line = mark.line + 1 if mark else 1
    jargon = _jargon(exc)
    lines = text.splitlines()
    span = _runaway(lines, error_line)
    if span is not None:
        what = "quote " if span.char in "\"'" else ""
        read_on = (
            f"so everything up to line {span.end} was read as part of it"
            if span.end
            else "so the lines after it were read as part of it"
        )
        return Problem(
            file,
            span.line,
            "",
            (
                f"the {what}{span.char} opened at column {span.column} is not closed on this line, {read_on}: "
                f"add the closing {_closing(span.char)}"
                + (' (to write a quote inside double-quoted text, type \\")' if span.char == '"' else "")
                + f" (the YAML parser noticed it at line {error_line}: {jargon})"
            ),
        )
    context = exc.context or ""
    if context.startswith(("while parsing a flow mapping", "while parsing a flow sequence")) and exc.context_mark:
        char = "{" if "mapping" in context else "["
        opened = exc.context_mark
        return Problem(
            file,
            opened.line + 1,
            "",
            (
                f"the {char} opened at column {opened.column + 1} is not closed, or a ',' is missing between its "
                f"entries: write {char}…{_closing(char)} on one line with ', ' between entries "
                f"(the YAML parser noticed it at line {error_line}: {jargon})"
            ),
        )
    if "unexpected end of stream" in (exc.problem or "") and exc.context_mark:
        opened = exc.context_mark
        return Problem(
            file,
            opened.line + 1,
            "",
            (
                f"the quote opened at column {opened.column + 1} is never closed: add the closing quote "
                f"(YAML parser: {jargon})"
            ),
        )
    column = f"column {mark.column + 1}; " if mark else ""
    return Problem(file, error_line, "", f"{_plain(exc)} ({column}YAML parser: {jargon})")
