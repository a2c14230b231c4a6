"""Incremental re-evaluation: one changed figure updates only the sums on its path to the root.

Each kept unit stores, per (measure, period), the *below* sums of its sub-units (Σnum, Σden,
reported, expected) and its *own* figure if it has one. What it passes up (its effective part)
is its own figure if present, else nothing but one missing reporter if it reports the measure
itself, else its below sums. A change therefore adds (new − old) to the parent's below sums and
walks up while the effective part changes: at most the depth of the tree (TDP → commune →
province → nation), whatever the size of the data.

`propagate` is plain Python over the few stored rows of that path, so the same arithmetic can
run on rows read with SELECT … FOR UPDATE in the transaction that saves the value.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

Part = tuple[int, int, int, int]  # (Σnumerator, Σdenominator, reported, expected)
Figure = tuple[int | None, int | None] | None  # (numerator, denominator); None: no figure
ZERO: Part = (0, 0, 0, 0)
KEEP = object()  # own figure unchanged


def leaf_part(figure: Figure) -> Part:
    """What a reporting unit contributes: its figure, or one expected reporter without data."""
    if figure is None or figure[0] is None or figure[1] is None:
        return (0, 0, 0, 1)
    return (int(figure[0]), int(figure[1]), 1, 1)


def add(a: Part, b: Part, sign: int = 1) -> Part:
    return (a[0] + sign * b[0], a[1] + sign * b[1], a[2] + sign * b[2], a[3] + sign * b[3])


@dataclass(frozen=True)
class Link:
    """One kept unit's stored row for a (measure, period)."""

    below: Part
    own: Figure  # the unit's own figure, None if it has none
    reporter: bool  # reports the measure itself (its sub-units' figures are not used)

    def effective(self) -> Part:
        if self.own is not None:
            return leaf_part(self.own)
        if self.reporter:
            return (0, 0, 0, 1)
        return self.below


def propagate(
    links: list[Link], delta: Part | None = None, own: object = KEEP
) -> list[tuple[int, Link, bool]]:
    """Apply a change along `links` (a unit, then its parent, … up to the root).

    Either `delta` (a sub-unit's effective part changed by this much: it is added to links[0]'s
    below sums) or `own` (links[0]'s own figure is replaced; None removes it). Returns
    (index, new link, effective part changed) for every link that must be written back.
    """
    updates = []
    for i, link in enumerate(links):
        before = link.effective()
        if i == 0 and own is not KEEP:
            new = replace(link, own=own)  # type: ignore[arg-type]
        elif delta is not None:
            new = replace(link, below=add(link.below, delta))
        else:
            break
        after = new.effective()
        changed = after != before
        updates.append((i, new, changed))
        if not changed:
            break
        delta = add(after, before, -1)
    return updates


def below_of(parts) -> Part:
    """The below sums of a unit: the sum of its sub-units' effective parts (leaves: `leaf_part`)."""
    total = ZERO
    for part in parts:
        total = add(total, part)
    return total


def refresh(links: list[Link], below: Part, own: Figure) -> list[tuple[int, Link, bool]]:
    """links[0]'s below sums and own figure read again from its sub-units and figures.

    Unlike a (new − old) delta this is idempotent: applying it twice, or after a full rebuild that
    already saw the change, gives the same rows. Whatever moved in links[0]'s effective part then
    walks up with `propagate`. Returns what `propagate` returns, links[0] included when it changed.
    """
    first = replace(links[0], below=below, own=own)
    if first == links[0]:
        return []
    before, after = links[0].effective(), first.effective()
    updates = [(0, first, after != before)]
    if after != before and len(links) > 1:
        moved = propagate(links[1:], add(after, before, -1))
        updates += [(i + 1, link, changed) for i, link, changed in moved]
    return updates
