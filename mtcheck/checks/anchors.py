"""Literal text that every match of a regular expression must contain, found by parsing it.

The lexicon packs hold about a thousand patterns; running each over every document would cost
more than all other checks together. A pattern whose required literals ("carpet" or "rug" for
``feet (caught )?in the (carpet|rug)``) are absent from the lowercased text cannot match, so
it is neither run nor even compiled.
"""

from __future__ import annotations

import re
from re import _constants as sre_c  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

_ZERO_WIDTH = (sre_c.ASSERT, sre_c.ASSERT_NOT, sre_c.AT)
_REPEATS = (sre_c.MAX_REPEAT, sre_c.MIN_REPEAT, sre_c.POSSESSIVE_REPEAT)
MIN_LENGTH = 3  # shorter literals ("a", "in") are in nearly every text: no use as a filter


Anchors = tuple[frozenset[str], ...]


def required_literals(pattern: str, flags: int = re.IGNORECASE) -> Anchors | None:
    """Sets of lowercase strings such that every match contains a member of each set (the
    pattern "feet in the (carpet|rug)" gives {"feet in the "} and {"carpet", "rug"}), or None
    when none is known."""
    try:
        parsed = sre_parse.parse(pattern, flags)
    except re.error:
        return None
    return _required(list(parsed)) or None


def may_match(anchors: Anchors | None, lowered: str) -> bool:
    if anchors is None:
        return True
    # Plain loops: this runs for every candidate pattern of every window of a text, and
    # generator expressions cost more than the substring searches they drive.
    for options in anchors:
        for a in options:
            if a in lowered:
                break
        else:
            return False
    return True


def _required(seq: list[tuple[Any, Any]]) -> Anchors:
    found: list[frozenset[str]] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            found.append(frozenset({"".join(run).lower()}))
            run.clear()

    for op, arg in seq:
        if op is sre_c.LITERAL:
            run.append(chr(arg))
            continue
        if op in _ZERO_WIDTH:
            continue  # consumes nothing; \b and lookarounds split no literal
        flush()
        if op is sre_c.SUBPATTERN:
            found.extend(_required(list(arg[-1])))
        elif op is sre_c.BRANCH:
            # One set per alternative would need all of them: keep each alternative's
            # strongest set, and require one of their members.
            parts = [_required(list(b)) for b in arg[1]]
            if all(parts):
                found.append(frozenset().union(*(max(p, key=strength) for p in parts)))
        elif op in _REPEATS and arg[0] >= 1:
            found.extend(_required(list(arg[2])))
    flush()
    return tuple(dict.fromkeys(f for f in found if min(len(o) for o in f) >= MIN_LENGTH))


def strength(options: frozenset[str]) -> tuple[int, int]:
    """A better filter: its shortest option is longer, and it has fewer options."""
    return (min(len(o) for o in options), -len(options))
