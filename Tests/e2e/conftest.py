"""Starts the real `floodgate` binary for end-to-end tests: loopback only, own data folder, stopped afterwards."""
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Floodgate:
    """One `floodgate serve` process on a data folder; can be killed and started again on the same data."""

    def __init__(self, data_dir: Path, extra_args=(), env=None):
        self.binary = os.environ.get("FLOODGATE_BIN", str(ROOT / ".build" / "debug" / "floodgate"))
        if not Path(self.binary).exists():
            raise RuntimeError(f"{self.binary} is missing: run `swift build` first (scripts/test does)")
        self.data_dir = data_dir
        self.extra_args = list(extra_args)
        # Every test request comes from 127.0.0.1, one client by address: per-client limits are lifted
        # unless a test sets its own.
        lifted = {"FLOODGATE_ADMISSION_CLIENT_RATE": "100000", "FLOODGATE_ADMISSION_CLIENT_BURST": "1000000"}
        self.env = {**os.environ, **lifted, **(env or {})}
        self.port = free_port()
        self.process = None
        self.log_path = data_dir / "server.log"

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30.0):
        log = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            [self.binary, "serve", "--host", "127.0.0.1", "--port", str(self.port), "--data", str(self.data_dir), *self.extra_args],
            stdout=log, stderr=subprocess.STDOUT, cwd=self.data_dir, env=self.env,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"floodgate exited with {self.process.returncode}: {self.log_path.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=1) as r:
                    if r.status == 200:
                        return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("floodgate did not answer /healthz in time")

    def kill(self):
        """SIGKILL: no shutdown code runs, exactly like a power cut for the process."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def data_dir():
    path = Path(tempfile.mkdtemp(prefix="floodgate-e2e-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def server(data_dir):
    fg = Floodgate(data_dir).start()
    yield fg
    fg.stop()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    path = ARTIFACTS / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path
