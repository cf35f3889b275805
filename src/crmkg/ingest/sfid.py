"""Salesforce record ids: 15-character (case-sensitive) and 18-character (case-safe) forms.

Salesforce appends three check characters to the 15-character id. Each encodes, for one block of
five characters, which of them are upper-case letters (bit i set = character i is A–Z), as an index
into ``A…Z0…5``. Normalising every id to 18 characters makes both forms mint the same IRI; the
suffix also lets us restore the case of an id that a spreadsheet lower-cased.
"""

from __future__ import annotations

import re
from functools import lru_cache

_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"
_SHAPE = re.compile(r"[0-9A-Za-z]{15}(?:[0-9A-Za-z]{3})?")


class InvalidSalesforceId(ValueError):
    """The text is not a 15- or 18-character Salesforce id (or its check suffix is wrong)."""


# Upper-case letters → "1", everything else → "0" (str.translate runs in C: ids are hot).
_UPPER_BITS = str.maketrans(
    {**{chr(c): "1" for c in range(65, 91)}, **dict.fromkeys("0123456789abcdefghijklmnopqrstuvwxyz", "0")}
)


# A block's flags as written ("10010": characters 0 and 3 upper-case) → its check character;
# character i of a block is bit i, so the flag string is the binary number read right to left.
_CHECK = {format(n, "05b")[::-1]: _ALPHABET[n] for n in range(32)}


def _suffix(id15: str) -> str:
    bits = id15.translate(_UPPER_BITS)
    return _CHECK[bits[0:5]] + _CHECK[bits[5:10]] + _CHECK[bits[10:15]]


def _restore_case(id15: str, suffix: str) -> str:
    """Re-apply the upper/lower case that the check suffix records."""
    out = []
    for block in range(3):
        bits = _ALPHABET.index(suffix[block].upper())
        for i, ch in enumerate(id15[block * 5 : block * 5 + 5]):
            upper = bool(bits & (1 << i))
            if ch.isalpha():
                out.append(ch.upper() if upper else ch.lower())
            elif upper:
                raise InvalidSalesforceId("check suffix marks a digit as upper-case")
            else:
                out.append(ch)
    return "".join(out)


@lru_cache(maxsize=1 << 18)
def to_id18(text: str) -> str:
    """The canonical 18-character form of a 15- or 18-character id.

    >>> to_id18("001A000001XyZab")
    '001A000001XyZabIAF'
    """
    value = text.strip()
    if not _SHAPE.fullmatch(value):
        raise InvalidSalesforceId(f"not a 15- or 18-character Salesforce id: {text!r}")
    if len(value) == 15:
        return value + _suffix(value)
    head, suffix = value[:15], value[15:]
    computed = _suffix(head)
    if computed == suffix.upper():
        return head + computed
    try:
        head = _restore_case(head, suffix)
    except ValueError as exc:  # includes a suffix character outside the alphabet
        raise InvalidSalesforceId(f"check suffix of {text!r} is not valid") from exc
    return head + _suffix(head)
