"""LibreOffice opens the generated documents and converts them to PDF (skipped where absent)."""

import shutil
import subprocess

import pytest

from tieuchi.reports.generate import generate
from tieuchi.reports.kinds import all_kinds
from tieuchi.reports.pdf import docx_to_pdf, pdf_available
from tieuchi.reports.request import resolve_request
from tieuchi.reports.tests.nd30 import demo_ward

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not pdf_available(), reason="LibreOffice (soffice) chưa được cài"),
]


@pytest.mark.parametrize("slug", ["bao-cao-ket-qua", "ke-hoach"])
def test_libreoffice_converts_the_document_to_a_pdf_with_the_motto(slug):
    data, _name = generate(resolve_request(all_kinds()[slug], demo_ward()))
    pdf = docx_to_pdf(data)
    assert pdf.startswith(b"%PDF")
    if shutil.which("pdftotext") is None:
        return
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
