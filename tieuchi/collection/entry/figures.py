"""Figure checks and wording: filled or not, percentages, description, `figure_problem`
(refused) and `unusual` (far from the unit's history, to be confirmed)."""

from decimal import Decimal

from django.utils.translation import gettext as _

from tieuchi.catalog.models import Measure
from tieuchi.collection.models import (
    Observation,
)
from tieuchi.core.formatting import vn_number

# "Far outside the unit's own history": more than 3× or less than 1/3 of the last period, or a
# percentage that moved by more than 30 points.
UNUSUAL_FACTOR = Decimal(3)
UNUSUAL_POINTS = Decimal(30)
HUNDRED = Decimal(100)


def is_filled(mode: str, observation: Observation | None) -> bool:
    if observation is None:
        return False
    if mode == "ratio":
        return observation.numerator is not None and observation.denominator is not None
    if mode == "boolean":
        return observation.boolean_value is not None
    if mode == "level":
        return bool(observation.level)
    return observation.value is not None


def percent(numerator, denominator) -> Decimal | None:
    if numerator is None or not denominator:
        return None
    return Decimal(numerator) * HUNDRED / Decimal(denominator)


def describe(mode: str, observation: Observation | None, unit_of_measure: str = "") -> str:
    """A figure in words: "700/760 (92,1 %)", "Đạt", "mức độ 3", "74.400.000 VND/người/năm"."""
    if observation is None:
        return ""
    if mode == "ratio" or (mode == "value" and observation.denominator is not None):
        if observation.numerator is None and observation.denominator is None:
            return vn_number(observation.value)
        share = percent(observation.numerator, observation.denominator)
        shown = f"{vn_number(observation.numerator)}/{vn_number(observation.denominator)}"
        return f"{shown} ({vn_number(share, 1)} %)" if share is not None else shown
    if mode == "boolean" or observation.boolean_value is not None:
        if observation.boolean_value is None:
            return ""
        return _("Đạt") if observation.boolean_value else _("Chưa đạt")
    if mode == "level" or observation.level:
        return observation.level
    if observation.value is None:
        return ""
    return f"{vn_number(observation.value)} {unit_of_measure}".strip()


def figure_problem(mode: str, measure: Measure, values: dict) -> tuple[str, str] | None:
    """Entry and submission checks beyond the number format: (field, reason) or None."""
    if mode == "ratio":
        numerator, denominator = values.get("numerator"), values.get("denominator")
        if numerator is None and denominator is not None:
            return "numerator", _("Cần nhập cả tử số.")
        if denominator is None and numerator is not None:
            return "denominator", _("Cần nhập cả mẫu số.")
        if numerator is None:
            return None
        if numerator < 0:
            return "numerator", _("Tử số không được âm.")
        if denominator < 0:
            return "denominator", _("Mẫu số không được âm.")
        if numerator > denominator:
            return "numerator", _("Tử số không được lớn hơn mẫu số.")
    elif mode == "value":
        value = values.get("value")
        if value is not None and value < 0:
            return "value", _("Giá trị không được âm.")
        if value is not None and measure.unit_of_measure == "%" and value > HUNDRED:
            return "value", _("Tỷ lệ không được lớn hơn 100 %.")
    elif mode == "level":
        scale = measure.config.get("scale") or []
        level = values.get("level") or ""
        if level and scale and level not in scale:
            return "level", _("Mức '%(level)s' không có trong thang: %(scale)s.") % {
                "level": level,
                "scale": ", ".join(scale),
            }
    return None


def unusual(mode: str, measure: Measure, values: dict, previous: Observation | None) -> str | None:
    """Why a figure looks far outside the unit's own history (to be confirmed, never refused)."""
    if previous is None:
        return None
    if mode == "ratio":
        new = percent(values.get("numerator"), values.get("denominator"))
        old = percent(previous.numerator, previous.denominator)
        if new is not None and old is not None and abs(new - old) > UNUSUAL_POINTS:
            return _moved(vn_number(new, 1), vn_number(old, 1))
        return _far(_("Mẫu số"), values.get("denominator"), previous.denominator, unit="")
    if mode == "value":
        new, old = values.get("value"), previous.value
        if new is None or old is None:
            return None
        if measure.unit_of_measure == "%":
            if abs(new - old) > UNUSUAL_POINTS:
                return _moved(vn_number(new), vn_number(old))
            return None
        return _far(_("Giá trị"), new, old, unit=measure.unit_of_measure)
    return None


def _moved(new: str, old: str) -> str:
    return _("Tỷ lệ %(new)s %% lệch hơn %(points)s điểm so với kỳ trước (%(old)s %%).") % {
        "new": new,
        "old": old,
        "points": vn_number(UNUSUAL_POINTS),
    }


def _far(what: str, new, old, *, unit: str) -> str | None:
    if new is None or old is None or old <= 0:
        return None
    if new > old * UNUSUAL_FACTOR or new < old / UNUSUAL_FACTOR:
        unit_text = f" {unit}" if unit else ""
        return _(
            "%(what)s %(new)s khác xa kỳ trước (%(old)s): gấp hơn 3 lần hoặc chưa bằng 1/3."
        ) % {
            "what": what,
            "new": f"{vn_number(new)}{unit_text}",
            "old": f"{vn_number(old)}{unit_text}",
        }
    return None


def observation_values(mode: str, observation: Observation | None) -> dict:
    """The figure's fields that the form shows, as Decimal/bool/str."""
    if observation is None:
        return {}
    return {
        "numerator": observation.numerator,
        "denominator": observation.denominator,
        "value": observation.value,
        "boolean_value": observation.boolean_value,
        "level": observation.level,
    }
