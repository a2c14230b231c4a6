"""Build and render one document: what the command and the download view both call."""

from __future__ import annotations

from django.utils import translation

from tieuchi.reports.docx_render import render_docx
from tieuchi.reports.request import ReportRequest


def generate(request: ReportRequest) -> tuple[bytes, str]:
    """(.docx bytes, file name). Raises ReportInputError when the data cannot make the document."""
    with translation.override("vi"):  # official documents are Vietnamese in any interface language
        document = request.kind.build(request)
    return render_docx(document), document.file_name
