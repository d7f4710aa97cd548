"""Real peers for end-to-end tests: the cash register simulator (`floodgate cashier-sim`) and an SMTP server."""
import json
import subprocess
import threading
import time
from email import message_from_bytes

from aiosmtpd.controller import Controller

from api import call
from conftest import free_port


class CashierSim:
    """`floodgate cashier-sim` on a loopback port."""

    def __init__(self, binary, log_dir, *args):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(log_dir / "cashier-sim.log", "ab")
        self.process = subprocess.Popen([binary, "cashier-sim", "--port", str(self.port), *args], stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                if call(self.url, "GET", "/receipts", timeout=1).status == 200:
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("cashier-sim did not start")

    def receipts(self):
        return call(self.url, "GET", "/receipts").json

    def set_mode(self, **mode):
        answer = call(self.url, "POST", "/_sim/mode", mode, {"Content-Type": "application/json"})
        assert answer.status == 200, answer.body

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


class SMTPSink:
    """aiosmtpd on a loopback port, keeping every message it accepts."""

    def __init__(self):
        self.messages = []
        self.lock = threading.Lock()
        self.port = free_port()
        self.url = f"smtp://127.0.0.1:{self.port}"
        sink = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                with sink.lock:
                    sink.messages.append(message_from_bytes(envelope.content))
                return "250 OK"

        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def message_ids(self):
        with self.lock:
            return [m["Message-ID"] for m in self.messages]

    def stop(self):
        self.controller.stop()


def wait_until(predicate, timeout, interval=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return predicate()


def cli_json(binary, *args, cwd):
    out = subprocess.run([binary, *args, "--json"], cwd=cwd, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)
