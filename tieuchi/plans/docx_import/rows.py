"""Turn raw appendix rows into reviewed plan rows, and save them into a plan."""

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction

from tieuchi.accounts import audit
from tieuchi.catalog.models import CatalogNode
from tieuchi.orgs.models import Organisation, Person
from tieuchi.plans.cascade_service import link_plan_cascade
from tieuchi.plans.deadlines import parse_deadline
from tieuchi.plans.docx_import.matching import (
    REVIEW_THRESHOLD,
    CatalogMatcher,
    Match,
    Node,
    split_number,
)
from tieuchi.plans.docx_import.reader import RawDocument, RawRow
from tieuchi.plans.models import Plan
from tieuchi.plans.parties import PartyIndex
from tieuchi.plans.services import save_row
from tieuchi.plans.tasks_service import GenerateResult, has_tasks, sync_tasks
from tieuchi.plans.validation import RowSpec


@dataclass
class ImportedRow:
    raw: RawRow
    match: Match
    leader: str
    leader_person: str | None
    implementing_units: list[dict]
    coordinating_units: list[dict]
    deadline: dict
    flags: list[str] = field(default_factory=list)

    @property
    def criterion_code(self) -> str | None:
        return self.match.code

    @property
    def needs_review(self) -> bool:
        return self.match.code is None or self.match.confidence < REVIEW_THRESHOLD

    @property
    def due(self) -> dt.date | None:
        """The normalised last day, as a date for the review screen (dd/mm/yyyy)."""
        return dt.date.fromisoformat(self.deadline["due"]) if self.deadline.get("due") else None

    def to_dict(self) -> dict:
        return {
            "index": self.raw.index,
            "criterion_code": self.match.code,
            "confidence": self.match.confidence,
            "match_method": self.match.method,
            "criterion": self.raw.content,
            "solution": self.raw.solution,
            "leader": self.leader,
            "leader_recognised": self.leader_person,
            "implementing_units": [unit["text"] for unit in self.implementing_units],
            "coordinating_units": [unit["text"] for unit in self.coordinating_units],
            "implementing_units_resolved": [u["resolved"] for u in self.implementing_units],
            "coordinating_units_resolved": [u["resolved"] for u in self.coordinating_units],
            "deadline_text": self.raw.deadline,
            "deadline": self.deadline,
            "flags": self.flags,
        }


def catalog_matcher(catalog) -> CatalogMatcher:
    nodes = list(CatalogNode.objects.filter(catalog=catalog).select_related("parent"))
    by_id = {node.pk: node for node in nodes}

    def top(node):
        while node.parent_id and by_id[node.parent_id].parent_id:
            node = by_id[node.parent_id]
        return by_id[node.parent_id].code if node.parent_id else ""

    criteria = [
        Node(n.code, n.name, short_name=n.short_name)
        for n in nodes
        if n.node_type == CatalogNode.NodeType.CRITERION
    ]
    leaves = [Node(n.code, n.name, top(n), n.short_name) for n in nodes if n.is_leaf]
    return CatalogMatcher(criteria, leaves)


def party_index(unit) -> PartyIndex:
    return PartyIndex(
        Organisation.objects.filter(admin_unit=unit),
        Person.objects.filter(organisation__admin_unit=unit),
    )


def analyse(document: RawDocument, plan: Plan, overrides: dict[int, str] | None = None):
    """Every row of the document with its match, recognised parties, deadline and flags."""
    matcher = catalog_matcher(plan.catalog)
    index = party_index(plan.unit)
    day, month = (int(part) for part in plan.school_year_end.split("/"))
    overrides = overrides or {}
    seen: dict[str, int] = {}
    result = []
    for raw in document.rows:
        match = matcher.match(raw.group, raw.content)
        if raw.index in overrides:
            code = overrides[raw.index] or None
            if code is not None and code not in matcher.leaves:
                code = None
            match = Match(code, 1.0 if code else 0.0, "manual" if code else "none")
        flags = list(match.flags)
        if match.code and match.code in seen:
            flags.append(f"Trùng tiêu chí {match.code} với dòng {seen[match.code]}")
        elif match.code:
            seen[match.code] = raw.index
        person = index.person(raw.leader) if raw.leader else None
        if raw.leader and person is None:
            flags.append(f"Chưa nhận ra lãnh đạo phụ trách '{raw.leader}'")
        units = {}
        for role, text in (("implementing", raw.implementing), ("coordinating", raw.coordinating)):
            units[role] = []
            for party in index.parties(text):
                resolved = party.organisation or party.person
                if resolved is None:
                    flags.append(f"Chưa nhận ra đơn vị '{party.text}'")
                units[role].append(
                    {"text": party.text, "resolved": str(resolved) if resolved else None}
                )
        deadline = parse_deadline(
            raw.deadline,
            plan_start=plan.period_start,
            plan_end=plan.period_end,
            school_year_end=(day, month),
        )
        flags.extend(deadline.flags)
        result.append(
            ImportedRow(
                raw=raw,
                match=match,
                leader=raw.leader,
                leader_person=person.short_name if person else None,
                implementing_units=units["implementing"],
                coordinating_units=units["coordinating"],
                deadline=deadline.to_dict(),
                flags=flags,
            )
        )
    return result


def save_import(plan: Plan, rows: list[ImportedRow], *, actor=None, channel="system", source=""):
    """Write the matched rows into the plan, updating rows in place by criterion code.

    Rows without a match (or repeating an earlier row's criterion) are skipped and counted. Rows of
    the plan the document does not mention are kept. The rows are linked to the district plan
    and, if the plan has tasks, the tasks follow the new rows (reported ones are closed, never
    deleted). One transaction, one audit record.
    """
    nodes = {node.code: node for node in plan.catalog.nodes.all()}
    created = updated = skipped = 0
    with transaction.atomic():
        index = party_index(plan.unit)
        existing = {row.criterion_code: row for row in plan.rows.all()}
        done = set()
        for row in rows:
            code = row.criterion_code
            node = nodes.get(code) if code else None
            if node is None or not node.is_leaf or code in done:
                skipped += 1
                continue
            done.add(code)
            current = existing.get(code)
            spec = RowSpec(
                line=row.raw.index,
                criterion=code,
                criterion_text=_strip_number(row.raw.content) or node.name,
                solution=row.raw.solution,
                leader=row.raw.leader,
                implementing=row.raw.implementing,
                coordinating=row.raw.coordinating,
                deadline=row.raw.deadline,
                note=current.note if current else "",
            )
            position = current.position if current else node.position
            save_row(plan, spec, node, index, position=position, row=current)
            if current:
                updated += 1
            else:
                created += 1
        cascade = link_plan_cascade(plan, record=False)
        tasks = sync_tasks(plan) if has_tasks(plan) else GenerateResult()
        summary = {
            "created": created,
            "updated": updated,
            "skipped": skipped,
            "source": source,
            "tasks": tasks.as_dict(),
            "cascade": cascade.as_dict(),
        }
        audit.record(actor, "import_docx", plan, after=summary, channel=channel)
    return summary


def _strip_number(text: str) -> str:
    return split_number(text)[1].strip()


def choose_plan(unit, year: int | None, key: str | None = None) -> Plan | None:
    """The plan to import into: `key` if given, else the unit's plan covering the document's year."""
    plans = Plan.objects.filter(unit=unit).select_related("catalog", "unit")
    if key:
        return plans.filter(key=key).first()
    if year:
        plans = plans.filter(period_start__year__lte=year, period_end__year__gte=year)
    return plans.order_by("-period_start").first()
