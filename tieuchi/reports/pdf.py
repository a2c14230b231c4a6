"""PDF through LibreOffice (`soffice --headless --convert-to pdf`), when it is installed.

LibreOffice is optional: the .docx is always produced; PDF needs `soffice` on the PATH and
metric-compatible fonts (fonts-liberation) so the page breaks match Word's. Each conversion
uses its own LibreOffice profile directory, because two conversions sharing the default profile
block each other (two users downloading at the same time, or the tests beside a desktop session).
Pure: no Django.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

CONVERT_TIMEOUT_SECONDS = 120
INSTALL_HINT = "apt-get install libreoffice-writer-nogui fonts-liberation"


class PdfUnavailable(RuntimeError):
    """LibreOffice is not installed, or it could not convert the document."""


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def pdf_available() -> bool:
    return soffice_path() is not None


def not_installed_message() -> str:
    return (
        "Máy chủ chưa cài LibreOffice nên không tạo được tệp PDF; "
        f"hãy tải tệp .docx, hoặc cài LibreOffice: {INSTALL_HINT}"
    )


def docx_to_pdf(docx: bytes) -> bytes:
    soffice = soffice_path()
    if soffice is None:
        raise PdfUnavailable(not_installed_message())
    with tempfile.TemporaryDirectory(prefix="tieuchi-pdf-") as work:
        folder = Path(work)
        source = folder / "van-ban.docx"
        source.write_bytes(docx)
        command = [
            soffice,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(source),
        ]
        try:
            subprocess.run(
                command, capture_output=True, timeout=CONVERT_TIMEOUT_SECONDS, check=False
            )
        except subprocess.TimeoutExpired as exc:
            raise PdfUnavailable(
                "LibreOffice không chuyển xong tệp sang PDF trong thời hạn."
            ) from exc
        target = folder / "van-ban.pdf"
        if not target.exists():
            raise PdfUnavailable("LibreOffice không chuyển được tệp sang PDF.")
        return target.read_bytes()
