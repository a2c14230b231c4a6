"""Property tests (hypothesis) for the roll-up arithmetic over TDPs and the verdict combination."""

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from tieuchi.evaluation.engine import Verdict
from tieuchi.evaluation.engine.rollup import combine

from .builders import measure, ratio_fig, run, tdps, th

MEASURE = measure("ratio", th("gte", 80), collected_at="residential_group")

# A TDP report: (numerator, denominator) with 0 ≤ numerator ≤ denominator.
report = st.integers(min_value=0, max_value=5000).flatmap(
    lambda den: st.tuples(st.integers(min_value=0, max_value=den), st.just(den))
)
reports = st.lists(report, min_size=1, max_size=30).filter(lambda rs: sum(d for _, d in rs) > 0)


def evaluate_reports(pairs, order=None):
    units = tdps(len(pairs))
    figures = [ratio_fig(n, d, unit.id) for unit, (n, d) in zip(units, pairs, strict=True)]
    if order is not None:
        figures = [figures[i] for i in order]
        units = tuple(units[i] for i in order)
    return run(MEASURE, units=units, figures=tuple(figures))


@settings(max_examples=200, deadline=None)
@given(reports)
def test_the_ratio_is_the_sum_of_numerators_over_the_sum_of_denominators(pairs):
    result = evaluate_reports(pairs)
    numerator, denominator = sum(n for n, _ in pairs), sum(d for _, d in pairs)
    assert result.figures["numerator"] == numerator
    assert result.figures["denominator"] == denominator
    assert result.figures["value"] == Decimal(numerator) * 100 / Decimal(denominator)
    expected = Verdict.MET if numerator * 100 >= 80 * denominator else Verdict.NOT_MET
    assert result.verdict == expected


@settings(max_examples=100, deadline=None)
@given(reports.flatmap(lambda rs: st.tuples(st.just(rs), st.permutations(range(len(rs))))))
def test_the_order_of_tdps_does_not_matter(pairs_and_order):
    pairs, order = pairs_and_order
    first, shuffled = evaluate_reports(pairs), evaluate_reports(pairs, order)
    assert shuffled.figures["value"] == first.figures["value"]
    assert shuffled.verdict == first.verdict
    assert shuffled.explanation == first.explanation


@settings(max_examples=100, deadline=None)
@given(reports, st.integers(min_value=1, max_value=5))
def test_adding_tdps_with_0_of_0_does_not_change_the_percentage(pairs, empty):
    before = evaluate_reports(pairs)
    after = evaluate_reports([*pairs, *([(0, 0)] * empty)])
    assert after.figures["value"] == before.figures["value"]
    assert after.verdict == before.verdict


@settings(max_examples=100, deadline=None)
@given(
    reports.flatmap(
        lambda rs: st.tuples(st.just(rs), st.sets(st.integers(0, len(rs) - 1), min_size=1))
    )
)
def test_a_missing_tdp_always_gives_no_data_and_is_named(pairs_and_dropped):
    pairs, dropped = pairs_and_dropped
    units = tdps(len(pairs))
    figures = tuple(
        ratio_fig(n, d, unit.id)
        for i, (unit, (n, d)) in enumerate(zip(units, pairs, strict=True))
        if i not in dropped
    )
    result = run(MEASURE, units=units, figures=figures)
    assert result.verdict == Verdict.NO_DATA
    assert result.missing_units == tuple(units[i].name for i in sorted(dropped))


@settings(max_examples=50, deadline=None)
@given(reports, st.integers(0, 100))
def test_the_ward_figure_wins_over_any_tdp_data(pairs, percent):
    units = tdps(len(pairs))
    figures = (
        *(ratio_fig(n, d, u.id) for u, (n, d) in zip(units, pairs, strict=True)),
        ratio_fig(percent, 100, unit_id=1),
    )
    result = run(MEASURE, units=units, figures=figures[1:])  # TDP 1 missing: the ward still wins
    assert result.figures["value"] == percent
    assert result.missing_units == ()


verdicts = st.lists(st.sampled_from(list(Verdict)), max_size=10)


@given(verdicts, st.randoms())
def test_combine_is_all_met_and_order_free(items, random):
    shuffled = list(items)
    random.shuffle(shuffled)
    assert combine(shuffled) == combine(items)
    assert (combine(items) == Verdict.MET) == (bool(items) and set(items) == {Verdict.MET})
    assert (combine(items) == Verdict.NOT_MET) == (Verdict.NOT_MET in items)
