"""What a document builder receives: the unit, the user, the round, the day, and the header.

`resolve_request()` is the one place that fills the defaults (number, date, signer, "Kính gửi",
"Nơi nhận", place) from the data, then applies what the user typed. `tieuchi render_report` and
the report page both call it, so the command and the download produce the same document.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from functools import cached_property

from tieuchi.catalog.services import latest_catalog
from tieuchi.core.nd30.document import OfficialDocument, Signer
from tieuchi.core.nd30.names import committee_name, issuer_lines, running_name
from tieuchi.evaluation.models import EvaluationRun
from tieuchi.evaluation.queries_scorecard import Scorecard, current_run, scorecard
from tieuchi.orgs.models import AdminUnit, Organisation, Person
from tieuchi.plans.docx_export import RECIPIENTS as PLAN_RECIPIENTS
from tieuchi.plans.models import EvaluationRound, Plan
from tieuchi.reports.kinds import ReportKind

# The fields of `DocumentHeader` a user may change before generating (form fields, CLI options).
EDITABLE_FIELDS = (
    "number",
    "date",
    "signer_name",
    "signer_position",
    "signer_authority",
    "addressees",
    "recipients",
)


@dataclass(frozen=True)
class DocumentHeader:
    """The parts of an official document that are not computed from results."""

    issuing_body: str  # "ỦY BAN NHÂN DÂN PHƯỜNG GIANG BIÊN"
    parent_body: str  # "UBND QUẬN LONG BIÊN" ("" for a district or city issuer)
    place: str  # "Giang Biên"
    number: str = ""  # "" leaves "Số:      /BC-UBND" to be written by hand
    date: dt.date | None = None
    signer_name: str = ""
    signer_position: str = "CHỦ TỊCH"
    signer_authority: str = "TM. ỦY BAN NHÂN DÂN"
    addressees: tuple[str, ...] = ()
    recipients: tuple[str, ...] = ()

    @property
    def signer(self) -> Signer:
        return Signer(
            authority=self.signer_authority.strip(),
            position=self.signer_position.strip(),
            name=self.signer_name.strip(),
        )

    def document(self, *, symbol: str, **content) -> OfficialDocument:
        """The document with this header: every kind fills the same header fields this way and
        passes only its own content (kind_title, summary, blocks, file_name, appendix…)."""
        content.setdefault("addressees", self.addressees)
        return OfficialDocument(
            parent_body=self.parent_body,
            issuing_body=self.issuing_body,
            number=self.number,
            symbol=symbol,
            place=self.place,
            date=self.date,
            recipients=self.recipients,
            signer=self.signer,
            **content,
        )


@dataclass
class ReportRequest:
    """Everything a `ReportKind.build` needs; the run, plan and scorecard are read on first use."""

    kind: ReportKind
    unit: AdminUnit  # the unit the document is about (the ward, even for district-issued kinds)
    user: object | None  # None: the command line, acting as the system
    round: EvaluationRound | None
    as_of: dt.date
    header: DocumentHeader
    catalog_key: str | None = None  # None: the unit's newest result of any criteria set

    @cached_property
    def run(self) -> EvaluationRun | None:
        """The stored result the document reports: the round's run, or the newest up to as_of."""
        catalog = latest_catalog(self.catalog_key) if self.catalog_key else None
        if self.round is not None:
            return current_run(self.unit, catalog, round=self.round)
        return current_run(self.unit, catalog, as_of=self.as_of)

    @cached_property
    def plan(self) -> Plan | None:
        if self.round is not None:
            return self.round.plan
        if self.run is not None and self.run.plan_id:
            return Plan.objects.select_related("legal_document", "unit").get(pk=self.run.plan_id)
        return unit_plan(self.unit)

    @cached_property
    def scorecard(self) -> Scorecard | None:
        """The same figures the scorecard page shows for this run."""
        return scorecard(self.run, self.plan) if self.run else None


class ReportInputError(ValueError):
    """A request that cannot be built: unknown unit, round of another unit, bad date."""


# --- defaults from the data -------------------------------------------------------------------


def unit_plan(unit: AdminUnit) -> Plan | None:
    """The unit's newest plan (active first)."""
    plans = Plan.objects.filter(unit=unit).select_related("legal_document", "unit", "catalog")
    return plans.order_by("status", "-period_start", "-pk").first()


def default_round(unit: AdminUnit) -> EvaluationRound | None:
    """The newest round of the unit's plans that already has a stored result, else the newest."""
    rounds = EvaluationRound.objects.filter(plan__unit=unit).select_related("plan")
    evaluated = rounds.filter(runs__is_current=True, runs__unit=unit).distinct()
    return (
        evaluated.order_by("-scheduled_month", "-pk").first()
        or rounds.order_by("-scheduled_month", "-pk").first()
    )


def chairperson(issuer: AdminUnit) -> Person | None:
    """The Chủ tịch of the unit's People's Committee, when the data knows them."""
    people = Person.objects.filter(
        organisation__admin_unit=issuer,
        organisation__kind=Organisation.Kind.PEOPLES_COMMITTEE,
        title__istartswith="Chủ tịch",
    )
    return people.order_by("-valid_from", "pk").first()


def issuing_unit(kind: ReportKind, unit: AdminUnit) -> AdminUnit:
    """District-issued kinds (biên bản thẩm tra, quyết định) come from the unit's parent."""
    if kind.issued_by_district and unit.parent_id:
        return unit.parent
    return unit


def default_addressees(kind: ReportKind, unit: AdminUnit) -> tuple[str, ...]:
    """Reports and proposals go up to the parent's People's Committee ("Kính gửi")."""
    if kind.addressees is not None:
        return tuple(line.format(**_names(unit)) for line in kind.addressees)
    if kind.symbol.split("-")[0] in ("BC", "TTr") and unit.parent_id:
        return (committee_name(unit.parent),)
    return ()


def default_recipients(kind: ReportKind, unit: AdminUnit) -> tuple[str, ...]:
    """ "Nơi nhận", ending with the archive line (NĐ 30 ô 9b)."""
    if kind.recipients is not None:
        return tuple(line.format(**_names(unit)) for line in kind.recipients)
    prefix = kind.symbol.split("-")[0]
    if prefix in ("BC", "TTr"):
        return ("Như trên;", "TT Đảng ủy, HĐND phường;", "Lưu: VT.")
    if prefix == "KH":
        return PLAN_RECIPIENTS
    return (f"UBND {running_name(unit)};", "Lưu: VT.")


def _names(unit: AdminUnit) -> dict[str, str]:
    parent = unit.parent if unit.parent_id else None
    return {
        "unit": running_name(unit),
        "parent": running_name(parent) if parent else "",
        "unit_committee": committee_name(unit),
        "parent_committee": committee_name(parent) if parent else "",
    }


def default_header(
    kind: ReportKind, unit: AdminUnit, as_of: dt.date, plan: Plan | None = None
) -> DocumentHeader:
    issuer = issuing_unit(kind, unit)
    parent_body, issuing_body = issuer_lines(issuer)
    chair = chairperson(issuer)
    signer_name = chair.full_name if chair else ""
    if not signer_name and plan is not None and plan.unit_id == issuer.pk:
        signer_name = plan.legal_document.signer
    header = DocumentHeader(
        issuing_body=issuing_body,
        parent_body=parent_body,
        place=issuer.name,
        date=as_of,
        signer_name=signer_name,
        addressees=default_addressees(kind, unit),
        recipients=default_recipients(kind, unit),
    )
    if kind.header_defaults is not None:  # e.g. the plan's own number and date for ke-hoach
        header = replace(header, **kind.header_defaults(unit, plan))
    return header


# --- what the command and the page call -------------------------------------------------------


def resolve_request(
    kind: ReportKind,
    unit: AdminUnit,
    user=None,
    *,
    round: EvaluationRound | None = None,
    as_of: dt.date | None = None,
    overrides: dict | None = None,
) -> ReportRequest:
    """Fill in the round, the day and the header from the data, then apply `overrides`.

    `overrides` holds EDITABLE_FIELDS: None keeps the default (an option not given on the
    command line); anything else replaces it, "" included (the page's form is prefilled with the
    defaults, so an emptied field means "leave it blank", e.g. a number written by hand).
    """
    if round is not None and round.plan.unit_id != unit.pk:
        raise ReportInputError(
            f"Đợt đánh giá {round.pk} không thuộc kế hoạch của {running_name(unit)}."
        )
    if round is None and kind.needs_round:
        round = default_round(unit)
    as_of = as_of or (round.judged_on if round else dt.date.today())
    plan = round.plan if round else unit_plan(unit)
    header = default_header(kind, unit, as_of, plan)
    changes = {
        name: value
        for name, value in (overrides or {}).items()
        if name in EDITABLE_FIELDS and value is not None
    }
    if changes.get("date") == "":  # blanked on the form: "ngày … tháng … năm …" by hand
        changes["date"] = None
    for name in ("addressees", "recipients"):
        if isinstance(changes.get(name), str):
            changes[name] = split_lines(changes[name])
    return ReportRequest(
        kind=kind,
        unit=unit,
        user=user,
        round=round,
        as_of=as_of,
        header=replace(header, **changes),
        catalog_key=kind.catalog_key,
    )


def split_lines(text: str) -> tuple[str, ...]:
    """One recipient per line; a leading "- " is dropped (the renderer writes it)."""
    lines = (line.strip() for line in text.replace("\r", "").split("\n"))
    return tuple(line.removeprefix("-").strip() for line in lines if line.strip("- "))
