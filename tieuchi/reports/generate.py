"""Build and render one document: what the command and the download view both call."""

from __future__ import annotations

from django.utils import translation

from tieuchi.core.nd30.document import OfficialDocument
from tieuchi.core.nd30.docx_render import render_docx
from tieuchi.reports.request import ReportRequest


def build_and_render(request: ReportRequest) -> tuple[OfficialDocument, bytes]:
    """The document (its summary and symbol go into the register) and its .docx bytes."""
    with translation.override("vi"):  # official documents are Vietnamese in any interface language
        document = request.kind.build(request)
    return document, render_docx(document)


def generate(request: ReportRequest) -> tuple[bytes, str]:
    """(.docx bytes, file name). Raises ReportInputError when the data cannot make the document."""
    document, data = build_and_render(request)
    return data, document.file_name
