"""The district dashboard's board (heat map, ranking, chart), rendered once and reused while
nothing it shows has changed.

Why: the board of a district is the same HTML for every reader with the same scope until a ward is
re-evaluated, and building it (seven queries, 9 cells per ward) costs ~100 times a trivial page.
Only the board is cached; the page around it (menu, user's name, CSRF token) is rendered per
request. An entry's key holds everything the board depends on:

- the page asked: the unit id, the raw `catalog` and `as_of` parameters, today's date (the day
  shown when there are no results yet, and the day memberships are valid on), the language;
- the reader's scope: the SQL `tieuchi.orgs.scope.visible_unit_ids` builds for them (all units for
  a system administrator, else the units below their active memberships' paths), read on every
  request: two readers share an entry only when they see the same units, and a revoked membership
  takes effect at once;
- the results version: the id and time of the newest stored evaluation run (one query on the
  primary key). Runs are only ever added: every evaluation, re-evaluation or round stores a new run
  (`evaluation.services.store_run`), so new results show on the next request;
- the register generation: a token in the cache renewed whenever a unit, a membership, a legal
  document or a catalog is saved or deleted (`bump_register_generation`, connected in apps.py).

Entries also expire after `TTL_SECONDS`: the backstop for register writes that bypass the model
signals (bulk updates) or that happen in another server process whose cache is not shared (the
default cache is in-process memory; the results version, read from the database, needs no such
sharing). The body is stored zlib-compressed: a district of 100 wards is ~400 KB of HTML.
"""

import hashlib
import uuid
import zlib

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import transaction
from django.utils import timezone, translation

from tieuchi.evaluation.models import EvaluationRun
from tieuchi.evaluation.queries_scorecard import cached_visible_unit_ids

TTL_SECONDS = 300
GENERATION_KEY = "dashboards:register-generation"
# The apps whose rows the board shows besides results: units, memberships, legal documents, catalogs.
REGISTER_APPS = frozenset({"orgs", "catalog"})


def scope_signature(user) -> str:
    """The SQL selecting the units the user may see, with its parameters (their memberships'
    unit paths): equal for two users exactly when they see the same units. Worked out with the
    queries the board itself needs (`cached_visible_unit_ids` keeps the set on the user)."""
    try:
        sql, params = cached_visible_unit_ids(user).query.sql_with_params()
    except EmptyResultSet:  # no membership: no unit at all
        return "nothing"
    return repr((sql, params))


def results_version() -> str:
    newest = EvaluationRun.objects.order_by("-pk").values_list("pk", "computed_at").first()
    return f"{newest[0]}@{newest[1].isoformat()}" if newest else "none"


def register_generation() -> str:
    # get_or_set: an evicted token becomes a new one, never an old one seen again.
    return cache.get_or_set(GENERATION_KEY, lambda: uuid.uuid4().hex, None)


def bump_register_generation(sender, **kwargs) -> None:
    """Signal receiver: a register row changed, so every cached board is out of date.

    Renewed at once (a page read inside the same transaction must not reuse an entry) and again
    after commit (a page computed meanwhile from the old rows must not be reused afterwards).
    """
    if sender._meta.app_label not in REGISTER_APPS:
        return

    def renew() -> None:
        cache.set(GENERATION_KEY, uuid.uuid4().hex, None)

    renew()
    transaction.on_commit(renew)


def board_key(request, unit_id: int) -> str:
    """The cache key of the board this request asks for; the versions are read before the board."""
    parts = [
        str(unit_id),
        request.GET.get("catalog", ""),
        request.GET.get("as_of", ""),
        timezone.localdate().isoformat(),
        translation.get_language() or "",
        scope_signature(request.user),
        results_version(),
        register_generation(),
    ]
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
    return f"dashboards:district:{digest}"


def cached_board(key: str) -> dict | None:
    """The entry {"title", "charts", "body"} stored under `key`, or None."""
    entry = cache.get(key)
    if entry is None:
        return None
    return {**entry, "body": zlib.decompress(entry["body"]).decode()}


def store_board(key: str, entry: dict) -> dict:
    cache.set(key, {**entry, "body": zlib.compress(entry["body"].encode(), 1)}, TTL_SECONDS)
    return entry
