"""Run the real `tieuchi` server and a headless Chromium, for browser tests and README screenshots.

The server is started exactly as a user starts it (`tieuchi demo --no-server`, then
`tieuchi runserver`), with production settings (TIEUCHI_DEBUG=0: hashed static files served by
WhiteNoise) over plain HTTP, on a free port, with its own temporary data directory and SQLite
database. Nothing is shared with the developer's own `var/` or with a PostgreSQL test database.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEMO_PASSWORD = "tieuchi-demo"  # tieuchi.demo.users.DEMO_PASSWORD, without importing Django here
# Officials' browsers ask for Vietnamese (the app ignores Accept-Language; this keeps dates local).
VIETNAMESE = {"locale": "vi-VN", "timezone_id": "Asia/Ho_Chi_Minh"}
PHONE = {
    **VIETNAMESE,
    "viewport": {"width": 375, "height": 812},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
DESKTOP = {**VIETNAMESE, "viewport": {"width": 1366, "height": 900}}


def _tieuchi() -> str:
    """The `tieuchi` console script of the interpreter running us (the project's venv)."""
    script = Path(sys.executable).parent / "tieuchi"
    return str(script) if script.exists() else shutil.which("tieuchi") or "tieuchi"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class DemoServer:
    url: str
    data_dir: Path
    log: Path

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(encoding="utf-8").splitlines()[-lines:])
        except OSError:
            return ""


def _run(args: list[str], env: dict[str, str], log: Path) -> None:
    with log.open("a", encoding="utf-8") as out:
        out.write(f"\n$ {' '.join(args)}\n")
        out.flush()
        result = subprocess.run(
            args, cwd=env["TIEUCHI_DATA_DIR"], env=env, stdout=out, stderr=subprocess.STDOUT
        )
    if result.returncode:
        tail = "\n".join(log.read_text(encoding="utf-8").splitlines()[-30:])
        raise RuntimeError(f"{' '.join(args)} exited with {result.returncode}:\n{tail}")


def _wait_until_healthy(url: str, process: subprocess.Popen, log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"tieuchi runserver exited with {process.returncode}:\n"
                + log.read_text(encoding="utf-8")[-3000:]
            )
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    raise RuntimeError(f"tieuchi runserver did not answer {url}/healthz within {timeout:.0f} s")


@contextlib.contextmanager
def start_demo_server(timeout: float = 30) -> Iterator[DemoServer]:
    """Yield a running demo server on 127.0.0.1:<free port>; stop it and delete its data after."""
    data_dir = Path(tempfile.mkdtemp(prefix="tieuchi-browser-"))
    log = data_dir / "server.log"
    env = {key: value for key, value in os.environ.items() if not key.startswith("TIEUCHI_")}
    env.update(
        TIEUCHI_DATA_DIR=str(data_dir),
        TIEUCHI_DATABASE_URL=f"sqlite:///{data_dir / 'tieuchi.sqlite3'}",
        TIEUCHI_DEBUG="0",
        TIEUCHI_HTTPS="0",
        TIEUCHI_LANGUAGE="vi",
        DJANGO_SETTINGS_MODULE="tieuchi.settings",
        PYTHONUNBUFFERED="1",
    )
    process = None
    try:
        _run([_tieuchi(), "demo", "--no-server"], env, log)
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        with log.open("a", encoding="utf-8") as out:
            process = subprocess.Popen(
                [_tieuchi(), "runserver", f"127.0.0.1:{port}", "--noreload"],
                cwd=data_dir,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        _wait_until_healthy(url, process, log, timeout)
        yield DemoServer(url=url, data_dir=data_dir, log=log)
    finally:
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)
        shutil.rmtree(data_dir, ignore_errors=True)


@contextlib.contextmanager
def chromium() -> Iterator:
    """Yield a headless Debian Chromium driven by Playwright (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def log_in(page, base_url: str, username: str, password: str = DEMO_PASSWORD) -> None:
    """Fill in the login form like a user and wait for the page it leads to."""
    page.goto(f"{base_url}/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Đăng nhập").click()
