"""Every regular expression in the code must run in linear time (part of `make lint`).

Two checks over every pattern literal that regexploit's parser finds in the code:

- regexploit's own analysis, which finds cubic and exponential backtracking
  (nested quantifiers such as ``(a+)+``);
- a check for the quadratic case regexploit leaves out by design: two unbounded
  quantifiers in a row that can match the same character, with nothing between
  them that must match (``\\s*.*?\\s*`` read ``"1" + " " * 16000 + "x"`` in 8.9 s).

Exit 1 and the pattern's place when either finds something.
"""

from __future__ import annotations

import ast
import re
import sys
import warnings
from pathlib import Path
from re import _constants as sre
from re import _parser as sre_parse

from regexploit.ast.sre import SreOpParser
from regexploit.languages.python_node_visitor import PythonNodeVisitor
from regexploit.redos import find

# Characters to compare what two quantifiers can match: ASCII, the spaces people type,
# Swedish letters and a non-Latin digit.
SAMPLE = frozenset([chr(i) for i in range(32, 127)] + list("\t\n\u00a0\u202f\u2009åäöÅÄÖé٣"))
CATEGORIES = {
    sre.CATEGORY_DIGIT: r"\d",
    sre.CATEGORY_NOT_DIGIT: r"\D",
    sre.CATEGORY_SPACE: r"\s",
    sre.CATEGORY_NOT_SPACE: r"\S",
    sre.CATEGORY_WORD: r"\w",
    sre.CATEGORY_NOT_WORD: r"\W",
}
UNBOUNDED = (sre.MAX_REPEAT, sre.MIN_REPEAT)


def _category(code) -> frozenset[str]:
    pattern = re.compile(CATEGORIES.get(code, r"[\s\S]"))
    return frozenset(char for char in SAMPLE if pattern.fullmatch(char))


def first_chars(items, flags: int) -> frozenset[str]:
    """The sample characters a sequence of parsed items can begin with."""
    found: set[str] = set()
    for op, av in items:
        chars, may_be_empty = _item_first(op, av, flags)
        found |= chars
        if not may_be_empty:
            break
    return frozenset(found)


def _item_first(op, av, flags: int) -> tuple[frozenset[str], bool]:
    if op is sre.LITERAL:
        char = chr(av)
        return frozenset({char, char.lower(), char.upper()} & SAMPLE or {char}), False
    if op is sre.NOT_LITERAL:
        return SAMPLE - {chr(av)}, False
    if op is sre.ANY:
        return SAMPLE if flags & re.DOTALL else SAMPLE - {"\n"}, False
    if op is sre.IN:
        chars: set[str] = set()
        negate = False
        for member_op, member_av in av:
            if member_op is sre.NEGATE:
                negate = True
            elif member_op is sre.LITERAL:
                chars.add(chr(member_av))
            elif member_op is sre.RANGE:
                chars |= {c for c in SAMPLE if member_av[0] <= ord(c) <= member_av[1]}
            elif member_op is sre.CATEGORY:
                chars |= _category(member_av)
        return (SAMPLE - chars if negate else frozenset(chars)), False
    if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
        return frozenset(), True
    if op is sre.SUBPATTERN:
        items = av[-1]
        return first_chars(items, flags), _may_be_empty(items)
    if op is sre.BRANCH:
        branches = av[1]
        return (
            frozenset().union(*(first_chars(b, flags) for b in branches)),
            any(_may_be_empty(b) for b in branches),
        )
    if op in (*UNBOUNDED, sre.POSSESSIVE_REPEAT):
        low, _high, body = av
        return first_chars(body, flags), low == 0 or _may_be_empty(body)
    if op is sre.ATOMIC_GROUP:
        return first_chars(av, flags), _may_be_empty(av)
    return SAMPLE, False  # anything else: assume the worst


def _may_be_empty(items) -> bool:
    return all(_item_first(op, av, 0)[1] for op, av in items)


def quadratic_pairs(items, flags: int) -> list[str]:
    """Unbounded quantifiers in a row (only optional items between) that overlap."""
    problems = []
    items = [_unwrap(op, av) for op, av in items]
    for index, (op, av) in enumerate(items):
        if op is sre.SUBPATTERN:
            problems += quadratic_pairs(av[-1], flags)
        elif op is sre.BRANCH:
            for branch in av[1]:
                problems += quadratic_pairs(branch, flags)
        elif op in (*UNBOUNDED, sre.POSSESSIVE_REPEAT):
            problems += quadratic_pairs(av[2], flags)
        if not _unbounded(op, av):
            continue
        mine = first_chars(av[2], flags)
        for later_op, later_av in items[index + 1 :]:
            if _unbounded(later_op, later_av) and mine & first_chars(later_av[2], flags):
                problems.append("two unbounded quantifiers in a row match the same characters")
                break
            if not _item_first(later_op, later_av, flags)[1]:
                break
    return problems


def _unbounded(op, av) -> bool:
    return op in UNBOUNDED and av[1] == sre.MAXREPEAT


def _unwrap(op, av):
    while op is sre.SUBPATTERN and len(av[-1]) == 1:
        op, av = av[-1][0]
    return op, av


def check_pattern(pattern: str, flags: int) -> list[str]:
    try:
        parsed = sre_parse.parse(pattern, flags)
    except re.error:
        return []  # a string that is not a pattern
    problems = quadratic_pairs(list(parsed), flags)
    try:
        for redos in find(SreOpParser().parse_sre(pattern, flags)):
            if redos.starriness > 2:
                problems.append(f"backtracking of degree {redos.starriness} (regexploit)")
    except Exception as error:  # regexploit cannot read every pattern; say so
        problems.append(f"regexploit could not analyse it: {error}")
    return problems


def main(folders: list[str]) -> int:
    found = patterns = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for folder in folders:
            for path in sorted(Path(folder).rglob("*.py")):
                visitor = PythonNodeVisitor()
                visitor.visit(ast.parse(path.read_bytes()))
                for regex in visitor.patterns:
                    patterns += 1
                    for problem in check_pattern(regex.pattern, regex.flags):
                        found += 1
                        print(f"{path}:{regex.lineno}: {regex.pattern!r}: {problem}")
    print(f"check_regexes: {patterns} patterns, {found} that could take more than linear time")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["grants"]))
