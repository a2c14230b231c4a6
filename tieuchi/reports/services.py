"""Giving an official document its number: the register of outgoing documents (sổ văn bản đi).

`issue()` is what the report page and `tieuchi render_report --register` call: it generates the
document with its number and writes it into the issuer's register (`register_document()`, one
transaction, one audit record). Asking again for a document already registered (same issuer,
year and number, same kind, unit and round) gives the stored number, date and signer back
instead of a new number. The numbering rule is in `tieuchi.reports.models`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, replace

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from tieuchi.accounts import audit
from tieuchi.accounts.models import AuditEvent
from tieuchi.accounts.roles import EDITOR_ROLES, Role
from tieuchi.core.nd30.names import running_name
from tieuchi.orgs.models import AdminUnit
from tieuchi.orgs.scope import can_act_on_unit
from tieuchi.plans.models import EvaluationRound
from tieuchi.reports.generate import build_and_render
from tieuchi.reports.models import IssuedDocument
from tieuchi.reports.request import ReportRequest, issuing_unit

# Who may take a number from an issuer's register: its editors and, for district-issued kinds
# (biên bản thẩm tra, quyết định), also the district's inspectors. An inspector never numbers
# the ward's own documents.
DISTRICT_REGISTRAR_ROLES = EDITOR_ROLES | {Role.DISTRICT_INSPECTOR}


class RegisterError(ValueError):
    """The document cannot be registered; the message says why, in Vietnamese."""


class RegisterForbidden(RegisterError):
    """The user may not take numbers from this issuer's register."""


@dataclass(frozen=True)
class Issued:
    record: IssuedDocument
    data: bytes  # the .docx
    file_name: str
    created: bool  # False: the document was already registered and is given back as it was


def next_number(issuer: AdminUnit, year: int) -> int:
    """The largest number of the issuer's year plus one (1 for the first of the year)."""
    return next_numbers([(issuer.pk, year)])[(issuer.pk, year)]


def next_numbers(pairs: list[tuple[int, int]]) -> dict[tuple[int, int], int]:
    """Next free number of each (issuer id, year), in one query (for the report page)."""
    found = dict.fromkeys(pairs, 0)
    if pairs:
        largest = (
            IssuedDocument.objects.filter(
                issuer_id__in={issuer for issuer, _year in pairs},
                year__in={year for _issuer, year in pairs},
            )
            .values("issuer_id", "year")
            .annotate(largest=Max("number"))
        )
        for row in largest:
            if (row["issuer_id"], row["year"]) in found:
                found[(row["issuer_id"], row["year"])] = row["largest"]
    return {pair: largest + 1 for pair, largest in found.items()}


def taken_message(earlier: IssuedDocument) -> str:
    """ "Số 12/BC-UBND năm 2023 đã cấp cho văn bản “…” ngày 05/06/2023; số tiếp theo còn trống
    là 13." """
    return _(
        "Số %(number)s năm %(year)s đã cấp cho văn bản “%(summary)s” ngày %(day)s; "
        "số tiếp theo còn trống là %(next)s."
    ) % {
        "number": earlier.number_symbol,
        "year": earlier.year,
        "summary": earlier.summary,
        "day": f"{earlier.date:%d/%m/%Y}",
        "next": next_number(earlier.issuer, earlier.year),
    }


def register_document(
    actor,
    *,
    issuer: AdminUnit,
    unit: AdminUnit,
    kind: str,
    number: int,
    symbol: str,
    date: dt.date,
    summary: str,
    signer_name: str,
    round: EvaluationRound | None,
    as_of: dt.date,
    sha256: str,
    channel: str = AuditEvent.Channel.WEB,
) -> IssuedDocument:
    """Write one line of the issuer's register, or refuse a number already given that year."""
    with transaction.atomic():
        earlier = _holder(issuer, date.year, number)
        if earlier is not None:
            raise RegisterError(taken_message(earlier))
        try:
            with transaction.atomic():  # a savepoint: a lost race leaves the outer one usable
                record = IssuedDocument.objects.create(
                    issuer=issuer,
                    unit=unit,
                    kind=kind,
                    number=number,
                    symbol=symbol,
                    year=date.year,
                    date=date,
                    summary=summary[:500],
                    signer_name=signer_name,
                    round=round,
                    as_of=as_of,
                    sha256=sha256,
                    generated_by=actor if getattr(actor, "pk", None) else None,
                )
        except IntegrityError as exc:  # another user took the number between check and insert
            earlier = _holder(issuer, date.year, number)
            raise RegisterError(taken_message(earlier) if earlier else str(exc)) from exc
        audit.record(actor, "register", record, after=_state(record), channel=channel)
    return record


def issue(report: ReportRequest, actor, *, channel: str = AuditEvent.Channel.WEB) -> Issued:
    """Generate the document with a number from the register and record it there.

    The number is the one in the header, or the next free one when blank; the date is required
    (the year picks the sequence). Raises RegisterError, or ReportInputError from the builder.
    """
    header = report.header
    issuer = issuing_unit(report.kind, report.unit)
    roles = DISTRICT_REGISTRAR_ROLES if report.kind.issued_by_district else EDITOR_ROLES
    if actor is not None and not can_act_on_unit(actor, issuer, roles):
        raise RegisterForbidden(
            _("Bạn không có quyền cấp số văn bản của %(issuer)s.")
            % {"issuer": running_name(issuer)}
        )
    if header.date is None:
        raise RegisterError(_("Văn bản đăng ký vào sổ văn bản đi phải có ngày ban hành."))
    if header.number.strip():
        number = int(header.number)
        earlier = _holder(issuer, header.date.year, number)
    else:  # no number asked: the document's own line if it has one, else the next free number
        earlier = registered_for(report, issuer, header.date.year)
        number = earlier.number if earlier else next_number(issuer, header.date.year)
    if number < 1:
        raise RegisterError(_("Số văn bản phải từ 1 trở lên."))
    if earlier is not None and _same_document(earlier, report):
        again = replace(
            report,
            header=replace(
                header,
                number=str(earlier.number),
                date=earlier.date,
                signer_name=earlier.signer_name,
            ),
        )
        document, data = build_and_render(again)
        return Issued(earlier, data, document.file_name, created=False)
    if earlier is not None:
        raise RegisterError(taken_message(earlier))
    numbered = replace(report, header=replace(header, number=str(number)))
    document, data = build_and_render(numbered)
    record = register_document(
        actor,
        issuer=issuer,
        unit=report.unit,
        kind=report.kind.slug,
        number=number,
        symbol=document.symbol,
        date=header.date,
        summary=document.summary,
        signer_name=header.signer_name.strip(),
        round=report.round,
        as_of=report.as_of,
        sha256=hashlib.sha256(data).hexdigest(),
        channel=channel,
    )
    return Issued(record, data, document.file_name, created=True)


def registered_for(report: ReportRequest, issuer: AdminUnit, year: int) -> IssuedDocument | None:
    """The newest register line of this very document (kind, unit, round) in `year`."""
    lines = IssuedDocument.objects.filter(
        issuer=issuer, year=year, kind=report.kind.slug, unit=report.unit, round=report.round
    )
    return lines.select_related("issuer").order_by("-number").first()


def registered_numbers(unit: AdminUnit, round: EvaluationRound | None) -> dict[tuple, int]:
    """{(kind slug, issuer id, year): number} of the documents about `unit` for `round`, in one
    query: the report page proposes these again, so registering twice gives the same document."""
    lines = IssuedDocument.objects.filter(unit=unit, round=round).order_by("number")
    return {
        (kind, issuer_id, year): number
        for kind, issuer_id, year, number in lines.values_list(
            "kind", "issuer_id", "year", "number"
        )
    }


def _holder(issuer: AdminUnit, year: int, number: int) -> IssuedDocument | None:
    return (
        IssuedDocument.objects.filter(issuer=issuer, year=year, number=number)
        .select_related("issuer")
        .first()
    )


def _same_document(earlier: IssuedDocument, report: ReportRequest) -> bool:
    round_id = report.round.pk if report.round is not None else None
    return (
        earlier.kind == report.kind.slug
        and earlier.unit_id == report.unit.pk
        and earlier.round_id == round_id
    )


def _state(record: IssuedDocument) -> dict:
    return {
        "number": record.number_symbol,
        "year": record.year,
        "date": record.date.isoformat(),
        "kind": record.kind,
        "unit_id": record.unit_id,
        "summary": record.summary,
        "signer_name": record.signer_name,
        "sha256": record.sha256,
    }
