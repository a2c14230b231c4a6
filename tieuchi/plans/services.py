"""Load plan data files: the plan, its rows with recognised owners, targets and rounds."""

import hashlib
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from tieuchi.accounts import audit
from tieuchi.accounts.models import AuditEvent
from tieuchi.catalog.models import Measure
from tieuchi.catalog.services import latest_catalog
from tieuchi.core.yamlfile import DataFileError, Problem, line_of, read_yaml
from tieuchi.orgs.models import AdminUnit, Organisation, Person
from tieuchi.orgs.services import upsert_legal_document
from tieuchi.plans.cascade_service import link_plan_cascade
from tieuchi.plans.deadlines import parse_deadline
from tieuchi.plans.models import EvaluationRound, Plan, PlanRow, PlanRowParty, Target, TaskUpdate
from tieuchi.plans.parties import PartyIndex
from tieuchi.plans.tasks_service import has_tasks, sync_tasks
from tieuchi.plans.validation import PlanSpec, RowSpec, validate_plan


def load_plan(path: Path | str, *, actor=None, channel: str = "system") -> tuple[Plan, bool]:
    """Load or reload a plan file. A second load updates rows in place instead of duplicating."""
    path = Path(path)
    data = read_yaml(path)
    spec, problems = validate_plan(data)
    if problems:
        raise DataFileError(str(path), problems)
    catalog = latest_catalog(spec.catalog)
    unit = AdminUnit.objects.filter(official_code=spec.unit).order_by("-valid_from").first()
    problems = []
    if catalog is None:
        problems.append(
            Problem(line_of(data, "catalog"), "catalog", f"chưa nạp bộ tiêu chí '{spec.catalog}'")
        )
    if unit is None:
        problems.append(Problem(line_of(data, "unit"), "unit", f"không có đơn vị mã '{spec.unit}'"))
    if problems:
        raise DataFileError(str(path), problems)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    existing = Plan.objects.filter(key=spec.key).first()
    if existing and existing.source_file == f"{path.name}#{digest}":
        return existing, False
    with transaction.atomic():
        plan = _save_plan(spec, catalog, unit, existing, f"{path.name}#{digest}", actor, channel)
        index = _sync_parties(spec, unit)
        row_problems = _sync_rows(plan, spec, index)
        row_problems += _sync_targets(plan, spec)
        if row_problems:
            raise DataFileError(str(path), row_problems)
        _sync_rounds(plan, spec)
        cascade = link_plan_cascade(plan, record=False)
        # Tasks are generated on demand (demo, `generate_tasks`); once a plan has them, a reload
        # makes them follow the rows again.
        tasks = sync_tasks(plan) if has_tasks(plan) else None
        audit.record(
            actor,
            "load" if existing is None else "reload",
            plan,
            after={
                "key": plan.key,
                "rows": len(spec.rows),
                "sha256": digest,
                "cascade": cascade.as_dict(),
                "tasks": tasks.as_dict() if tasks else None,
            },
            channel=channel,
        )
    return plan, True


def _save_plan(spec: PlanSpec, catalog, unit, existing, source, actor, channel) -> Plan:
    plan = existing or Plan(key=spec.key)
    plan.name = spec.name
    plan.catalog = catalog
    plan.unit = unit
    plan.legal_document = upsert_legal_document(spec.legal_document, actor=actor, channel=channel)
    plan.parent_document = (
        upsert_legal_document(spec.parent_document, actor=actor, channel=channel)
        if spec.parent_document
        else None
    )
    plan.period_start = spec.period_start
    plan.period_end = spec.period_end
    plan.school_year_end = spec.school_year_end
    plan.source_file = source
    plan.save()
    return plan


def _sync_parties(spec: PlanSpec, unit: AdminUnit) -> PartyIndex:
    """Make sure every body and official the plan names exists in the unit; return the lookup."""
    committee = Organisation.objects.filter(
        admin_unit=unit, kind=Organisation.Kind.PEOPLES_COMMITTEE
    ).first()
    if committee is None:
        committee = Organisation.objects.create(
            admin_unit=unit,
            kind=Organisation.Kind.PEOPLES_COMMITTEE,
            name=f"UBND {unit}",
            short_name="UBND",
        )
    for org in spec.organisations:
        found = Organisation.objects.filter(admin_unit=unit, name=org.name).first()
        if found is None:
            found = Organisation(admin_unit=unit, name=org.name)
        found.short_name = org.short_name or found.short_name
        found.kind = org.kind
        found.aliases = sorted(set(found.aliases) | set(org.aliases))
        found.save()
    people = []
    for person_spec in spec.people:
        person, _ = Person.objects.update_or_create(
            organisation__admin_unit=unit,
            short_name=person_spec.short_name,
            defaults={
                "full_name": person_spec.full_name,
                "title": person_spec.title,
                "title_short": person_spec.title_short,
                "organisation": committee,
                "aliases": person_spec.aliases,
            },
        )
        people.append(person)
    organisations = Organisation.objects.filter(admin_unit=unit)
    return PartyIndex(organisations, people)


def _sync_rows(plan: Plan, spec: PlanSpec, index: PartyIndex) -> list[Problem]:
    nodes = {node.code: node for node in plan.catalog.nodes.all()}
    existing = {row.criterion_code: row for row in plan.rows.all()}
    problems = []
    for position, row_spec in enumerate(spec.rows, start=1):
        node = nodes.get(row_spec.criterion)
        if node is None or not node.is_leaf:
            problems.append(
                Problem(
                    row_spec.line,
                    "criterion",
                    f"'{row_spec.criterion}' không phải nội dung nào của bộ tiêu chí {plan.catalog.key}",
                )
            )
            continue
        row = existing.pop(row_spec.criterion, None)
        save_row(plan, row_spec, node, index, position=position, row=row)
    reported = set(
        TaskUpdate.objects.filter(task__row__in=list(existing.values())).values_list(
            "task__row__criterion_code", flat=True
        )
    )
    for code, stale in existing.items():
        if code in reported:  # never lose progress reports: the row must stay
            problems.append(
                Problem(
                    0,
                    "rows",
                    f"dòng {code} đã có báo cáo tiến độ nên không thể bỏ khỏi kế hoạch; "
                    "hãy giữ dòng này trong tệp",
                )
            )
        else:
            stale.delete()
    return problems


def save_row(
    plan: Plan,
    row_spec: RowSpec,
    node,
    index: PartyIndex,
    *,
    position: int,
    row: PlanRow | None = None,
) -> PlanRow:
    """Write one plan row from its spec: leader, parties and deadline recognised, flags set.

    Shared by the YAML loader and the Word import, so both read a row the same way.
    """
    day, month = (int(part) for part in plan.school_year_end.split("/"))
    deadline = parse_deadline(
        row_spec.deadline,
        plan_start=plan.period_start,
        plan_end=plan.period_end,
        school_year_end=(day, month),
    )
    leader = index.person(row_spec.leader) if row_spec.leader else None
    flags = list(deadline.flags)
    if row_spec.leader and leader is None:
        flags.append(f"Chưa nhận ra lãnh đạo phụ trách '{row_spec.leader}'")
    row = row or PlanRow(plan=plan, criterion_code=row_spec.criterion)
    row.node = node
    row.position = position
    row.criterion_text = row_spec.criterion_text or node.name
    row.solution = row_spec.solution
    row.lead_person = leader
    row.leader_text = row_spec.leader
    row.deadline_text = row_spec.deadline
    row.deadline_kind = deadline.kind
    row.deadline_due = deadline.due
    row.deadline = deadline.to_dict()
    row.note = row_spec.note
    row.save()
    row.parties.all().delete()
    parties = []
    for role, text in (
        (PlanRowParty.Role.IMPLEMENTING, row_spec.implementing),
        (PlanRowParty.Role.COORDINATING, row_spec.coordinating),
    ):
        for order, match in enumerate(index.parties(text)):
            if not match.recognised:
                flags.append(f"Chưa nhận ra đơn vị '{match.text}'")
            parties.append(
                PlanRowParty(
                    row=row,
                    role=role,
                    text=match.text,
                    position=order,
                    organisation=match.organisation,
                    person=match.person,
                )
            )
    PlanRowParty.objects.bulk_create(parties)
    row.flags = flags
    row.save(update_fields=["flags"])
    return row


def _sync_targets(plan: Plan, spec: PlanSpec) -> list[Problem]:
    nodes = {node.code: node for node in plan.catalog.nodes.all()}
    measures = {(m.node_id, m.code): m for m in Measure.objects.filter(node__catalog=plan.catalog)}
    plan.targets.all().delete()
    problems, targets = [], []
    for target in spec.targets:
        node = nodes.get(target.criterion)
        if node is None:
            problems.append(
                Problem(target.line, "criterion", f"không có tiêu chí '{target.criterion}'")
            )
            continue
        measure = measures.get((node.pk, target.measure)) if target.measure else None
        if target.measure and measure is None:
            problems.append(
                Problem(
                    target.line,
                    "measure",
                    f"tiêu chí '{target.criterion}' không có chỉ số đo '{target.measure}'",
                )
            )
            continue
        targets.append(
            Target(
                plan=plan,
                node=node,
                measure=measure,
                layer=target.layer,
                comparator=target.comparator,
                value=target.value,
                value_max=target.value_max,
                unit_of_measure=target.unit,
                text=target.text,
                source_ref=target.source_ref,
                note=target.note,
            )
        )
    Target.objects.bulk_create(targets)
    return problems


def _sync_rounds(plan: Plan, spec: PlanSpec) -> None:
    for round_spec in spec.rounds:
        EvaluationRound.objects.update_or_create(
            plan=plan,
            number=round_spec.number,
            defaults={
                "name": round_spec.name,
                "scheduled_month": round_spec.month,
                "kind": round_spec.kind,
                "evaluator": round_spec.evaluator,
            },
        )
    plan.rounds.exclude(number__in=[r.number for r in spec.rounds]).delete()


class StaleEditError(Exception):
    """Someone else saved the row after this form was opened; nothing was written."""

    def __init__(self, row: PlanRow, last_change: AuditEvent | None):
        self.row = row
        self.last_change = last_change
        who = last_change.actor.display_name if last_change and last_change.actor else "người khác"
        when = timezone.localtime(row.updated_at).strftime("%H:%M %d/%m/%Y")
        super().__init__(
            f"Dòng {row.criterion_code} vừa được {who} sửa lúc {when}. Thay đổi của bạn chưa được lưu; "
            "hãy xem nội dung mới rồi sửa lại."
        )


def row_version(row: PlanRow) -> str:
    return row.updated_at.isoformat() if row.updated_at else ""


def row_snapshot(row: PlanRow) -> dict:
    return {
        "solution": row.solution,
        "lead_person": row.lead_person.short_name if row.lead_person else None,
        "implementing": [
            p.text for p in row.parties.all() if p.role == PlanRowParty.Role.IMPLEMENTING
        ],
        "coordinating": [
            p.text for p in row.parties.all() if p.role == PlanRowParty.Role.COORDINATING
        ],
        "deadline_text": row.deadline_text,
        "note": row.note,
    }


def update_plan_row(
    actor, row: PlanRow, data: dict, *, expected_version: str, channel: str = "web"
) -> PlanRow:
    """Amend one row: solution, leader, parties and deadline (re-read), in one audited transaction."""
    with transaction.atomic():
        row = PlanRow.objects.select_for_update(of=("self",)).select_related("plan").get(pk=row.pk)
        if row_version(row) != expected_version:
            last = AuditEvent.objects.filter(
                object_type="plans.planrow", object_id=str(row.pk)
            ).first()
            raise StaleEditError(row, last)
        before = row_snapshot(row)
        plan = row.plan
        index = PartyIndex(
            Organisation.objects.filter(admin_unit=plan.unit),
            Person.objects.filter(organisation__admin_unit=plan.unit),
        )
        day, month = (int(part) for part in plan.school_year_end.split("/"))
        deadline = parse_deadline(
            data["deadline_text"],
            plan_start=plan.period_start,
            plan_end=plan.period_end,
            school_year_end=(day, month),
        )
        row.solution = data["solution"]
        row.lead_person = data["lead_person"]
        row.leader_text = _leader_text(data["lead_person"])
        row.deadline_text = data["deadline_text"]
        row.deadline_kind = deadline.kind
        row.deadline_due = deadline.due
        row.deadline = deadline.to_dict()
        row.note = data["note"]
        flags = list(deadline.flags)
        row.parties.all().delete()
        parties = []
        for role, text in (
            (PlanRowParty.Role.IMPLEMENTING, data["implementing"]),
            (PlanRowParty.Role.COORDINATING, data["coordinating"]),
        ):
            for order, match in enumerate(index.parties(text)):
                if not match.recognised:
                    flags.append(f"Chưa nhận ra đơn vị '{match.text}'")
                parties.append(
                    PlanRowParty(
                        row=row,
                        role=role,
                        text=match.text,
                        position=order,
                        organisation=match.organisation,
                        person=match.person,
                    )
                )
        PlanRowParty.objects.bulk_create(parties)
        row.flags = flags
        row.save()
        # The row's tasks follow its new units, leader and deadline; reported ones are kept.
        row.task_sync = sync_tasks(plan, rows=[row]) if has_tasks(plan) else None
        tasks = row.task_sync.as_dict() if row.task_sync else None
        after = {**row_snapshot(row), "tasks": tasks}
        audit.record(actor, "update", row, before=before, after=after, channel=channel)
    return row


def _leader_text(person: Person | None) -> str:
    if person is None:
        return ""
    return f"{person.short_name} {person.title_short}".strip()
