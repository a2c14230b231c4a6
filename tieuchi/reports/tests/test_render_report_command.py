"""`tieuchi render_report`: every kind to a file, and clear Vietnamese errors."""

import pytest
from django.core.management import CommandError, call_command

from tieuchi.core.nd30.docx_readback import read_docx
from tieuchi.plans.models import EvaluationRound
from tieuchi.reports.kinds import all_kinds
from tieuchi.reports.tests.nd30 import assert_nd30_layout

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("render_report", *args, stdout=out)
    return out.getvalue()


def test_it_writes_the_report_for_a_round_with_the_number_and_date_given(tmp_path):
    evaluation_round = EvaluationRound.objects.get(plan__unit__official_code="00121", number=1)
    output = tmp_path / "bao-cao.docx"
    message = run(
        "bao-cao-ket-qua",
        "--unit=00121",
        f"--round={evaluation_round.pk}",
        "--number=12",
        "--date=05/06/2023",
        f"--output={output}",
    )
    assert str(output) in message
    back = read_docx(output.read_bytes())
    assert back.tables[0].rows[1] == ["Số: 12/BC-UBND", "Giang Biên, ngày 05 tháng 6 năm 2023"]


@pytest.mark.parametrize("slug", ["bao-cao-ket-qua", "tu-danh-gia", "ke-hoach"])
def test_the_wards_kinds_render_for_the_demo_with_defaults_only(slug, tmp_path):
    kind = all_kinds()[slug]
    output = tmp_path / f"{slug}.docx"
    run(slug, "--unit=00121", f"--output={output}")
    back = read_docx(output.read_bytes())
    assert back.tables[0].rows[1][0].endswith(f"/{kind.symbol}")
    if kind.needs_round:
        assert_nd30_layout(back, symbol=kind.symbol, place="Giang Biên", day=_round_two_day())


@pytest.mark.parametrize("slug", sorted(all_kinds()))
def test_every_registered_kind_gives_a_document_or_a_vietnamese_reason(slug, tmp_path):
    """Some kinds need data the demo may not hold yet (a decision, an inspection record)."""
    kind = all_kinds()[slug]
    unit = "00121" if not kind.unit_levels or "commune" in kind.unit_levels else "004"
    output = tmp_path / f"{slug}.docx"
    try:
        run(slug, f"--unit={unit}", f"--output={output}")
    except CommandError as error:
        assert not output.exists()
        assert str(error).isascii() is False  # a sentence in Vietnamese, not a traceback
        return
    assert read_docx(output.read_bytes()).fonts == {"Times New Roman"}


def _round_two_day():
    return EvaluationRound.objects.get(plan__unit__official_code="00121", number=2).judged_on


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["bao-cao-tuan", "--unit=00121"], "Không có loại văn bản 'bao-cao-tuan'. Các loại:"),
        (["tu-danh-gia", "--unit=99999"], "Không có đơn vị hành chính mã '99999'"),
        (["tu-danh-gia", "--unit=00121", "--round=9999"], "Không có đợt đánh giá số '9999'"),
        (["tu-danh-gia", "--unit=00121", "--date=31/02/2023"], "--date: ngày '31/02/2023'"),
        (["tu-danh-gia", "--unit=00121", "--as-of=hôm qua"], "--as-of: ngày 'hôm qua'"),
    ],
)
def test_bad_input_stops_with_a_vietnamese_message_and_writes_nothing(args, message, tmp_path):
    output = tmp_path / "x.docx"
    with pytest.raises(CommandError, match=message):
        run(*args, f"--output={output}")
    assert not output.exists()


def test_a_round_of_another_ward_is_refused(tmp_path):
    evaluation_round = EvaluationRound.objects.get(plan__unit__official_code="00121", number=1)
    with pytest.raises(CommandError, match="không thuộc kế hoạch của phường Phúc Lợi"):
        run(
            "tu-danh-gia",
            "--unit=00136",
            f"--round={evaluation_round.pk}",
            f"--output={tmp_path}/x",
        )


def test_pdf_without_libreoffice_says_how_to_install_it(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # no soffice on this PATH
    output = tmp_path / "bao-cao.pdf"
    with pytest.raises(
        CommandError, match="apt-get install libreoffice-writer-nogui fonts-liberation"
    ):
        run("bao-cao-ket-qua", "--unit=00121", "--pdf", f"--output={output}")
    assert not output.exists()


def test_the_exit_status_is_not_zero_on_error(tmp_path):
    """`tieuchi render_report` exits 1 on a CommandError (what scripts check)."""
    from django.core.management import ManagementUtility

    utility = ManagementUtility(["tieuchi", "render_report", "nope", "--unit=00121", "--output=x"])
    with pytest.raises(SystemExit) as stopped:
        utility.execute()
    assert stopped.value.code == 1
