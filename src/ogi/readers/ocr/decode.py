"""The recogniser's per-frame probabilities → text, confidence, and the other texts it may be.

PP-OCR's recogniser is a CTC model: for every horizontal frame of the text line it gives a
probability for each character and for "no character" (blank). The text is the best class of
each frame with repeats and blanks removed. Where the model hesitates over a digit, the texts it
hesitated towards are kept as alternatives, so that the table's identities can choose among them
(see :mod:`ogi.extract.readings`):

- another digit it gave real probability to at the same frame (0/6/8/9, 1/7, 3/8 …);
- for a digit it is not sure of, the digits printed shapes are usually confused with;
- a digit or dot that may not be there at all (a stray dot or stroke, a ruling's edge);
- a digit it nearly saw between two others (a faint or broken stroke).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import combinations

import numpy as np

CONFUSIONS = {
    "0": "689",
    "1": "7",
    "3": "8",
    "5": "6",
    "6": "058",
    "7": "1",
    "8": "0369",
    "9": "08",
}
"""Digits that printed, scanned or photographed shapes are commonly misread as one another."""
SECOND_CHOICE = 0.01
"""Another class with at least this probability at a digit's frame is an alternative."""
SURE = 0.9
"""A digit read with less confidence than this also gets the digits it is confused with. Higher,
every faint 0 of a noisy scan gets 6, 8 and 9, the combinations outgrow the solver's budget and
whole tables end uncertain; a misread above it that breaks an identity still ends uncertain, with
the value that balances it."""
MAY_BE_STRAY = 0.05
"""A digit or dot whose frame gives "nothing here" this much probability may be a stray mark."""
NEARLY_SEEN = 0.1
"""A blank frame giving a digit this much probability may hide a faint digit."""
MAX_ALTERNATIVES = 12
NUMERIC = re.compile(r"^[+\-−]?\d[\d.,]*[^\d]{0,3}$")
LOOK_ALIKE = {"O": "0", "o": "0", "D": "0", "Q": "0", "l": "1", "I": "1", "|": "1"}
"""Letters a recogniser reads for digits in some fonts (a round 0 read as O). A report's number
cells hold no Latin letters, so a text made only of digits and these is a number."""


@dataclass(frozen=True, slots=True)
class Text:
    text: str
    confidence: float
    """The lowest probability of any character of the text (0 for no text)."""
    alternatives: tuple[str, ...] = ()
    """Other texts the recogniser considers possible, most likely first; only for numbers."""


@dataclass(frozen=True, slots=True)
class _Edit:
    at: int
    """Index into the text; an insertion goes before this index."""
    replace: str
    """The replacement ('' deletes); with ``insert`` the text inserted."""
    weight: float
    insert: bool = False


def decode(probs: np.ndarray, charset: list[str]) -> Text:
    """Greedy CTC decoding of one line's ``(frames, classes)`` probabilities; class 0 is blank."""
    best = probs.argmax(axis=1)
    chars: list[str] = []
    peaks: list[int] = []
    prev = 0
    for t, c in enumerate(best):
        if c != 0 and c != prev:
            chars.append(charset[c])
            peaks.append(t)
        elif c != 0 and probs[t, c] > probs[peaks[-1], c]:
            peaks[-1] = t
        prev = c
    chars = _look_alikes_as_digits(chars)
    text = "".join(chars)
    if not text:
        return Text("", 0.0)
    confidences = [float(probs[t, best[t]]) for t in peaks]
    confidence = min(confidences)
    stripped = text.strip()
    if not NUMERIC.match(stripped):
        return Text(stripped, round(confidence, 4))
    edits = _edits(probs, best, chars, peaks, charset)
    return Text(stripped, round(confidence, 4), _alternatives(text, edits))


def _look_alikes_as_digits(chars: list[str]) -> list[str]:
    if not chars or not all(c.isdigit() or c in LOOK_ALIKE or c in ".," for c in chars):
        return chars
    if all(c in _STROKES or c in ".," for c in chars):
        return chars  # strokes alone are as likely a piece of ruling left in a blank cell as a 1
    return [LOOK_ALIKE.get(c, c) for c in chars]


_STROKES = {c for c, digit in LOOK_ALIKE.items() if digit == "1"}


def _digit_classes(charset: list[str]) -> dict[str, int]:
    return {ch: i for i, ch in enumerate(charset) if ch.isdigit() and ch.isascii()}


def _edits(probs: np.ndarray, best: np.ndarray, chars: list[str], peaks: list[int], charset: list[str]) -> list[_Edit]:
    digits = _digit_classes(charset)
    edits: list[_Edit] = []
    for i, (ch, t) in enumerate(zip(chars, peaks, strict=True)):
        if not (ch.isdigit() or ch in ".,"):
            continue
        p = float(probs[t, best[t]])
        if ch.isdigit():
            seen = set()
            for other, c in digits.items():
                q = float(probs[t, c])
                if other != ch and q >= SECOND_CHOICE:
                    edits.append(_Edit(i, other, q / p))
                    seen.add(other)
            if p < SURE:
                edits.extend(_Edit(i, other, (1 - p) / 4) for other in CONFUSIONS.get(ch, "") if other not in seen)
        blank = float(probs[t, 0])
        if blank >= MAY_BE_STRAY or (ch in ".," and p < SURE):
            edits.append(_Edit(i, "", max(blank, 1 - p) / p))
    # Frames between characters where "nothing" won but a digit came close.
    emitted = 0
    for t in range(len(best)):
        while emitted < len(peaks) and peaks[emitted] < t:
            emitted += 1
        if best[t] != 0:
            continue
        for d, c in digits.items():
            q = float(probs[t, c])
            # Probability at the edge of the same digit's own frames is that digit, not another.
            beside = {int(best[t - 1]) if t > 0 else 0, int(best[t + 1]) if t + 1 < len(best) else 0}
            if q >= NEARLY_SEEN and 0 < emitted <= len(chars) and c not in beside:
                edits.append(_Edit(emitted, d, q, insert=True))
    return _dedupe(edits)


def _dedupe(edits: list[_Edit]) -> list[_Edit]:
    best: dict[tuple[int, str, bool], _Edit] = {}
    for e in edits:
        key = (e.at, e.replace, e.insert)
        if key not in best or e.weight > best[key].weight:
            best[key] = e
    return sorted(best.values(), key=lambda e: -e.weight)


def _apply(text: str, edits: tuple[_Edit, ...]) -> str:
    out = text
    for e in sorted(edits, key=lambda e: (e.at, e.insert), reverse=True):
        out = out[: e.at] + e.replace + out[e.at :] if e.insert else out[: e.at] + e.replace + out[e.at + 1 :]
    return out


def _alternatives(text: str, edits: list[_Edit]) -> tuple[str, ...]:
    """Texts after one edit, then after two at different places, most likely first; each must
    still read as a number."""
    scored: list[tuple[float, str]] = [(e.weight, _apply(text, (e,))) for e in edits]
    for a, b in combinations(edits[:6], 2):
        if a.at != b.at:
            scored.append((a.weight * b.weight, _apply(text, (a, b))))
    out: list[str] = []
    for _, alt in sorted(scored, key=lambda s: -s[0]):
        alt = alt.strip()
        if alt != text.strip() and alt not in out and NUMERIC.match(alt) and not _leading_zero(alt):
            out.append(alt)
        if len(out) == MAX_ALTERNATIVES:
            break
    return tuple(out)


def _leading_zero(text: str) -> bool:
    digits = text.lstrip("+-−")
    return len(digits) > 1 and digits[0] == "0" and digits[1].isdigit()
