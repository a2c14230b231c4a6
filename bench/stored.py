"""The materialised aggregates as database rows, updated like the product would on a value change.

One row per (kept unit, indicator, period) in an SQLite table (the embedded default database;
PostgreSQL takes the same statements). A change reads the ≤ 4 rows on the path to the root,
runs `tieuchi.evaluation.batch.propagate` on them, writes back the rows that changed and their
new verdicts, and commits: one transaction per change.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np

from tieuchi.evaluation.batch import Link, State, propagate
from tieuchi.evaluation.batch.state import NO_OWN, OWN_COMPLETE

COLUMNS = "below_num, below_den, below_rep, below_exp, own_num, own_den, own_state"


class StoredAggregates:
    def __init__(self, path: Path, state: State):
        self.state = state  # for the unit tree, indexes and thresholds only
        self.db = sqlite3.connect(path, isolation_level=None)
        self.db.execute("PRAGMA journal_mode = WAL")
        self.db.execute("PRAGMA synchronous = NORMAL")
        self.db.execute(
            "CREATE TABLE aggregate (unit INTEGER, measure INTEGER, period INTEGER, "
            f"{COLUMNS}, reporter INTEGER, verdict INTEGER, "
            "PRIMARY KEY (unit, measure, period)) WITHOUT ROWID"
        )
        u, m, p = np.indices(state.verdict.shape).reshape(3, -1)
        columns = [
            u,
            m,
            p,
            *state.below.reshape(4, -1),
            *state.own.reshape(2, -1),
            state.own_state.ravel(),
            np.broadcast_to(state.reporter[:, :, None], state.verdict.shape).ravel(),
            state.verdict.ravel(),
        ]
        self.db.execute("BEGIN")
        self.db.executemany(
            f"INSERT INTO aggregate VALUES ({', '.join('?' * len(columns))})",
            zip(*(c.tolist() for c in columns), strict=True),
        )
        self.db.execute("COMMIT")

    def apply(self, unit_id: int, measure: str, period: str, new, old=None) -> int:
        """One transaction: read the path, propagate, write the changed rows and verdicts."""
        state = self.state
        m, p = state.index(measure, period)
        route = state.route(unit_id, new, old)
        if route is None:
            return 0
        chain, delta, own = route
        db = self.db
        db.execute("BEGIN IMMEDIATE")
        marks = ", ".join("?" * len(chain))
        rows = {
            row[0]: row[1:]
            for row in db.execute(
                f"SELECT unit, {COLUMNS}, reporter FROM aggregate "
                f"WHERE measure = ? AND period = ? AND unit IN ({marks})",
                (m, p, *chain),
            )
        }
        links = [_link(rows[u]) for u in chain]
        moved = []
        for i, link, changed in propagate(links, delta, own):
            own_num, own_den, own_state = _own_columns(link)
            db.execute(
                "UPDATE aggregate SET below_num = ?, below_den = ?, below_rep = ?, "
                "below_exp = ?, own_num = ?, own_den = ?, own_state = ? "
                "WHERE unit = ? AND measure = ? AND period = ?",
                (*link.below, own_num, own_den, own_state, chain[i], m, p),
            )
            if changed:
                moved.append((chain[i], link.effective()))
        if moved:
            verdicts = state.judge_parts([u for u, _ in moved], m, [part for _, part in moved])
            db.executemany(
                "UPDATE aggregate SET verdict = ? WHERE unit = ? AND measure = ? AND period = ?",
                [(int(v), u, m, p) for (u, _), v in zip(moved, verdicts, strict=True)],
            )
        db.execute("COMMIT")
        return len(moved)

    def matches(self, state: State) -> bool:
        """Whether the stored rows equal the in-memory state (after the same changes)."""
        found = np.array(
            self.db.execute(
                f"SELECT {COLUMNS}, verdict FROM aggregate ORDER BY unit, measure, period"
            ).fetchall(),
            dtype=np.int64,
        ).reshape(-1, 8)
        expected = np.concatenate(
            [
                state.below.reshape(4, -1),
                state.own.reshape(2, -1),
                state.own_state.reshape(1, -1),
                state.verdict.reshape(1, -1),
            ]
        ).T
        return np.array_equal(found, expected)

    def close(self) -> None:
        self.db.close()


def _link(row) -> Link:
    below_num, below_den, below_rep, below_exp, own_num, own_den, own_state, reporter = row
    own = None
    if own_state != NO_OWN:
        own = (own_num, own_den) if own_state == OWN_COMPLETE else (None, None)
    return Link((below_num, below_den, below_rep, below_exp), own, bool(reporter))


def _own_columns(link: Link) -> tuple[int, int, int]:
    if link.own is None:
        return 0, 0, NO_OWN
    if link.own[0] is None or link.own[1] is None:
        return 0, 0, 2
    return int(link.own[0]), int(link.own[1]), OWN_COMPLETE
