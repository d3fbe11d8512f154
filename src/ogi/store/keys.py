"""Cell keys across templates: one order and one reviewer's label for every key the store holds."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from ogi.model.template import TEMPLATE_IDS, get_template


@cache
def template_keys() -> tuple[str, ...]:
    """The 2021 template's keys in table order, then the 2019 template's others."""
    return tuple(dict.fromkeys(k for t in reversed(TEMPLATE_IDS) for k in get_template(t).keys))


def ordered(keys: Iterable[str]) -> list[str]:
    """``keys`` in table order; local extension keys after the template's, alphabetically."""
    rank = {k: i for i, k in enumerate(template_keys())}
    return sorted(set(keys), key=lambda k: (rank.get(k, len(rank)), k))


def cell_labels(keys: Iterable[str]) -> dict[str, str]:
    """A unique label per key: the 2021 template's wording, else the 2019 one's; a label two keys
    would share gets the key appended."""
    labels: dict[str, str] = {}
    taken: set[str] = set()
    for key in keys:
        template = next((t for t in reversed(TEMPLATE_IDS) if key in get_template(t).kinds), TEMPLATE_IDS[-1])
        label = get_template(template).label_of(key)
        labels[key] = label if label not in taken else f"{label}（{key}）"
        taken.add(labels[key])
    return labels
