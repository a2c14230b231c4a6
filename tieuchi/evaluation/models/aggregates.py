"""Materialised sums and verdicts of the ratio indicators, per unit, indicator and period.

An aggregate *set* is (catalog, as_of): every unit valid on that day that has sub-units (or is a
root), every ratio measure of the catalog the batch path judges, and the 17 periods of the day's
year ("2023", "2023-Q1"…"2023-Q4", "2023-01"…"2023-12"). A full rebuild writes the set
(`evaluation/aggregates.py`), and each saved figure then updates the ≤ 4 rows on its path
(`evaluation/aggregates_upkeep.py`). The columns are those of `batch.State`: what a unit's
sub-units add up to, its own figure, whether it reports the measure itself, and the verdict.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tieuchi.catalog.models import Catalog, Measure
from tieuchi.evaluation.batch import Link
from tieuchi.evaluation.batch.state import NO_OWN, OWN_COMPLETE, OWN_INCOMPLETE
from tieuchi.evaluation.models.results import Verdict
from tieuchi.orgs.models import AdminUnit


class MeasureAggregate(models.Model):
    class Own(models.IntegerChoices):
        NONE = NO_OWN, _("Không có số liệu riêng")
        COMPLETE = OWN_COMPLETE, _("Có số liệu riêng")
        INCOMPLETE = OWN_INCOMPLETE, _("Số liệu riêng chưa đủ")

    catalog = models.ForeignKey(Catalog, on_delete=models.CASCADE, related_name="+")
    as_of = models.DateField(_("tính đến ngày"))
    unit = models.ForeignKey(AdminUnit, on_delete=models.CASCADE, related_name="+")
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="+")
    period = models.CharField(_("kỳ"), max_length=10)
    # Σ over the sub-units' effective parts (complete figures only) and the reporter counts.
    below_num = models.BigIntegerField(default=0)
    below_den = models.BigIntegerField(default=0)
    below_reported = models.IntegerField(default=0)
    below_expected = models.IntegerField(default=0)
    # The unit's own figure (it hides the sub-units' sums), if any.
    own_num = models.BigIntegerField(default=0)
    own_den = models.BigIntegerField(default=0)
    own_state = models.PositiveSmallIntegerField(choices=Own, default=Own.NONE)
    reporter = models.BooleanField(default=False)
    verdict = models.CharField(_("kết quả"), max_length=10, choices=Verdict)
    updated_at = models.DateTimeField(_("cập nhật lúc"))

    class Meta:
        verbose_name = _("tổng hợp theo kỳ")
        verbose_name_plural = _("tổng hợp theo kỳ")
        constraints = [
            models.UniqueConstraint(
                fields=["catalog", "as_of", "unit", "measure", "period"],
                name="one_aggregate_per_cell",
            )
        ]
        indexes = [
            # one indicator and period across units (drill-down, API)
            models.Index(fields=["catalog", "as_of", "measure", "period"], name="aggregate_cell"),
            # one unit's rows (the monthly page, the upkeep's path)
            models.Index(fields=["unit", "catalog", "as_of"], name="aggregate_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.measure_id} {self.period}: {self.verdict}"

    def link(self) -> Link:
        """The row as the batch path's `Link`, for `propagate` and the effective part."""
        below = (self.below_num, self.below_den, self.below_reported, self.below_expected)
        return Link(below, own_link(self.own_num, self.own_den, self.own_state), self.reporter)

    def set_link(self, link: Link) -> None:
        self.below_num, self.below_den, self.below_reported, self.below_expected = link.below
        self.own_num, self.own_den, self.own_state = own_columns(link.own)

    @property
    def part(self) -> tuple[int, int, int, int]:
        """(Σnum, Σden, reported, expected) the unit is judged on and passes up."""
        return self.link().effective()


def own_link(own_num: int, own_den: int, own_state: int):
    """`Link.own` of the own_* columns: None, (num, den), or (None, None) when incomplete."""
    if own_state == OWN_COMPLETE:
        return (int(own_num), int(own_den))
    if own_state == OWN_INCOMPLETE:
        return (None, None)
    return None


def own_columns(own) -> tuple[int, int, int]:
    """(own_num, own_den, own_state) of a `Link.own` value."""
    if own is None:
        return 0, 0, NO_OWN
    if own[0] is None or own[1] is None:
        return 0, 0, OWN_INCOMPLETE
    return int(own[0]), int(own[1]), OWN_COMPLETE
