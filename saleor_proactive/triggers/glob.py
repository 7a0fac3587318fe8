"""URL patterns: `*` is any run of characters, everything else is literal and case-sensitive.

Matched by finding the literal pieces in order (leftmost first), which is linear in the URL
for each piece; a regular expression with many `.*` could backtrack for a very long time.
"""

from __future__ import annotations

from collections.abc import Callable


def compile_glob(pattern: str) -> Callable[[str], bool]:
    pieces = pattern.split("*")
    if len(pieces) == 1:
        return lambda url: url == pattern
    head, middle, tail = pieces[0], [p for p in pieces[1:-1] if p], pieces[-1]
    fixed = len(head) + len(tail)

    def matches(url: str) -> bool:
        if len(url) < fixed or not url.startswith(head) or not url.endswith(tail):
            return False
        position, end = len(head), len(url) - len(tail)
        for piece in middle:
            found = url.find(piece, position, end)
            if found < 0:
                return False
            position = found + len(piece)
        return True

    return matches
