"""Comparators that are not plain numbers: yes/no, zero events, grades and titles held."""

from __future__ import annotations

import datetime as dt

from .explain import date_vn, join_names, num
from .judge import Judgement, no_data, verdict_of
from .observe import Context, boolean, level, period_label, scale_position
from .types import EventRecord, MeasureDef, ThresholdDef, TitleRecord, Verdict


def judge_boolean(ctx: Context, measure: MeasureDef, evidence_required: bool) -> Judgement:
    """Met iff every reporting unit confirmed it; missing evidence is reported, not judged."""
    obs = boolean(ctx, measure, evidence_required)
    if not obs.known:
        return no_data(obs)
    text = obs.shown
    if obs.detail:
        text += f": {obs.detail}"
    sources = obs.figures.get("sources") or []
    if sources:
        text += f" (nguồn: {'; '.join(sources)})"
    return Judgement(verdict_of(bool(obs.boolean)), text, dict(obs.figures), notes=obs.notes)


def _event_line(event: EventRecord, unit_names: dict[int, str], root_id: int) -> str:
    parts = [date_vn(event.occurred_on)]
    if event.unit_id != root_id and event.unit_id in unit_names:
        parts.append(unit_names[event.unit_id])
    line = " – ".join(parts)
    if event.description:
        line += f": {event.description}"
    if event.cases is not None:
        line += f" ({event.cases} người)"
    if event.source:
        line += f" [nguồn: {event.source}]"
    return line


def judge_zero_events(ctx: Context, measure: MeasureDef) -> Judgement:
    """Met iff nothing counting happened in the year and the unit confirmed it (a figure of 0).

    With config min_cases (food poisoning ≥ 30 people) smaller events are listed but not counted;
    an event whose size is unknown cannot be judged either way.
    """
    inp, tree = ctx.inp, ctx.tree
    ids = tree.subtree_ids()
    year = inp.as_of.year
    events = sorted(
        (
            event
            for event in inp.events
            if event.measure_code == measure.code
            and event.unit_id in ids
            and event.occurred_on.year == year
            and event.occurred_on <= inp.as_of
        ),
        key=lambda event: event.occurred_on,
    )
    min_cases = measure.config.get("min_cases")
    counting = [
        e for e in events if min_cases is None or (e.cases is not None and e.cases >= min_cases)
    ]
    unknown = [e for e in events if min_cases is not None and e.cases is None]
    below = [e for e in events if e not in counting and e not in unknown]
    names = {unit_id: unit.name for unit_id, unit in tree.by_id.items()}
    noun = measure.unit or "vụ"
    figures = {"events": len(counting), "events_below_threshold": len(below)}
    figures["event_list"] = [
        {"date": e.occurred_on, "description": e.description, "source": e.source, "cases": e.cases}
        for e in events
    ]
    lines = [_event_line(event, names, tree.root.id) for event in counting]
    if counting:
        text = f"xảy ra {len(counting)} {noun} {period_label(str(year))}: " + "; ".join(lines)
        return Judgement(Verdict.NOT_MET, text, figures)
    if unknown:
        listed = "; ".join(_event_line(event, names, tree.root.id) for event in unknown)
        text = f"chưa rõ số người mắc (tính khi từ {min_cases} người): {listed}"
        return Judgement(Verdict.NO_DATA, text, figures)
    gathered = ctx.gathered(measure, ctx.period)
    if not gathered.figures:
        return no_data(f"chưa có báo cáo {period_label(ctx.period)} xác nhận không để xảy ra")
    if gathered.missing:
        missing = tuple(unit.name for unit in gathered.missing)
        return Judgement(Verdict.NO_DATA, f"{join_names(missing)} chưa báo cáo", figures, missing)
    values = [figure.value for _, figure in gathered.figures]
    if any(value is None for value in values):
        return no_data("báo cáo chưa ghi số trường hợp")
    reported = sum(values)
    figures["reported"] = reported
    if reported:
        text = f"báo cáo {num(reported)} {noun} {period_label(ctx.period)}, chưa ghi nhận chi tiết từng {noun}"
        return Judgement(Verdict.NOT_MET, text, figures)
    text = f"không để xảy ra (0 {noun} {period_label(ctx.period)})"
    if below:
        text += f"; {len(below)} {noun} dưới {min_cases} người không tính: " + "; ".join(
            _event_line(event, names, tree.root.id) for event in below
        )
    return Judgement(Verdict.MET, text, figures)


def judge_level(ctx: Context, measure: MeasureDef, threshold: ThresholdDef) -> Judgement:
    """An ordinal grade: met when its position on the scale is at least the required one."""
    obs = level(ctx, measure)
    if not obs.known:
        return no_data(obs)
    scale = obs.figures["scale"]
    required = scale_position(scale, threshold.level)
    if required is None:
        return no_data(f"mức yêu cầu “{threshold.level}” không có trong thang xếp loại")
    ok = obs.figures["position"] >= required
    if ok:
        text = f"xếp loại {obs.shown}, từ “{scale[required]}” trở lên"
    else:
        text = f"xếp loại {obs.shown}, thấp hơn mức yêu cầu “{scale[required]}”"
    return Judgement(verdict_of(ok), text, {**obs.figures, "required": scale[required]})


def _valid_on(record: TitleRecord, day: dt.date) -> bool:
    if record.revoked_on is not None and record.revoked_on <= day:
        return False
    if record.valid_from is not None and record.valid_from > day:
        return False
    return record.valid_to is None or day <= record.valid_to


def _title_figures(record: TitleRecord) -> dict:
    return {
        "title_code": record.title_code,
        "decision": record.decision,
        "valid_from": record.valid_from,
        "valid_to": record.valid_to,
        "revoked_on": record.revoked_on,
    }


def judge_title(ctx: Context, measure: MeasureDef) -> Judgement:
    """Held iff a decision for config["title_code"] is valid on the evaluation date."""
    code = measure.config.get("title_code")
    if not code:
        return no_data("chưa cấu hình mã danh hiệu (config.title_code)")
    day, unit = ctx.inp.as_of, ctx.inp.unit
    records = [t for t in ctx.inp.titles if t.unit_id == unit.id and t.title_code == code]
    valid = [record for record in records if _valid_on(record, day)]
    if valid:
        record = max(valid, key=lambda r: r.valid_from or dt.date.min)
        name = record.title_name or code
        text = f"có danh hiệu “{name}”"
        if record.decision:
            text += f" theo {record.decision}"
        if record.valid_to:
            text += f", hiệu lực đến {date_vn(record.valid_to)}"
        return Judgement(Verdict.MET, text, _title_figures(record))
    if not records:
        return Judgement(
            Verdict.NOT_MET,
            f"chưa có quyết định công nhận “{measure.config.get('title_name') or code}” "
            "còn hiệu lực",
            {"title_code": code},
        )
    record = max(records, key=lambda r: (r.valid_to or dt.date.max, r.valid_from or dt.date.min))
    name = record.title_name or code
    label = f"danh hiệu “{name}”" + (f" ({record.decision})" if record.decision else "")
    if record.revoked_on is not None and record.revoked_on <= day:
        text = f"{label} bị thu hồi ngày {date_vn(record.revoked_on)}"
    elif record.valid_from is not None and record.valid_from > day:
        text = f"{label} chỉ có hiệu lực từ {date_vn(record.valid_from)}"
    else:
        ended = record.valid_to + dt.timedelta(days=1)
        text = f"{label} hết hiệu lực từ {date_vn(ended)} (hiệu lực đến {date_vn(record.valid_to)})"
    return Judgement(Verdict.NOT_MET, text, _title_figures(record))
