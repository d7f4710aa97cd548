"""The `floodgate` command: configuration from flags, environment and .env; migrate; graceful stop."""
import os
import signal
import sqlite3
import subprocess
import time
import urllib.request

from api import call, order_body, place
from conftest import Floodgate, free_port


def run(binary, *args, cwd, env=None):
    return subprocess.run([binary, *args], cwd=cwd, env={**os.environ, **(env or {})}, capture_output=True, text=True, timeout=60)


def wait_for(url, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=1):
                return True
        except OSError:
            time.sleep(0.1)
    return False


def test_configuration_comes_from_flags_then_environment_then_dotenv(data_dir):
    binary = Floodgate(data_dir).binary
    env_port, dotenv_port = free_port(), free_port()
    (data_dir / ".env").write_text(f"FLOODGATE_PORT={dotenv_port}\nFLOODGATE_DATA=from-dotenv\nFLOODGATE_DEMO=false\n")

    # .env alone: its port, its data folder, no demo.
    process = subprocess.Popen([binary, "serve"], cwd=data_dir, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        assert wait_for(f"http://127.0.0.1:{dotenv_port}/healthz")
        assert call(f"http://127.0.0.1:{dotenv_port}", "GET", "/api/v1/stores").json == []
        assert (data_dir / "from-dotenv" / "floodgate.sqlite").exists()
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=15) == 0, "SIGTERM is a clean stop"

    # The environment beats .env; a flag beats the environment.
    flag_data = data_dir / "from-flag"
    process = subprocess.Popen(
        [binary, "serve", "--data", str(flag_data)], cwd=data_dir, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
        env={**os.environ, "FLOODGATE_PORT": str(env_port), "FLOODGATE_DATA": "from-env", "FLOODGATE_DEMO": "true"},
    )
    try:
        assert wait_for(f"http://127.0.0.1:{env_port}/healthz")
        stores = call(f"http://127.0.0.1:{env_port}", "GET", "/api/v1/stores").json
        assert [s["slug"] for s in stores] == ["petals", "greenbox"]
        assert (flag_data / "floodgate.sqlite").exists()
        assert not (data_dir / "from-env").exists()
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=15)


def test_bad_configuration_fails_at_start_with_a_clear_message(data_dir):
    binary = Floodgate(data_dir).binary
    result = run(binary, "serve", "--database", "mysql://nope", cwd=data_dir)
    assert result.returncode != 0
    assert "use sqlite:PATH or postgres://" in result.stderr + result.stdout
    result = run(binary, "serve", "--port", "99999", cwd=data_dir)
    assert result.returncode != 0
    assert "0 to 65535" in result.stderr + result.stdout
    # A wrong value in the environment is an error too, never a silent fallback to the default.
    result = run(binary, "serve", cwd=data_dir, env={"FLOODGATE_PORT": "80a"})
    assert result.returncode != 0
    assert "'port' = '80a' is not valid" in result.stderr + result.stdout
    result = run(binary, "serve", cwd=data_dir, env={"FLOODGATE_DEMO": "maybe"})
    assert result.returncode != 0
    assert "'demo' = 'maybe' is not valid" in result.stderr + result.stdout


def test_migrate_brings_an_empty_database_up_to_date_once(data_dir):
    binary = Floodgate(data_dir).binary
    first = run(binary, "migrate", "--data", str(data_dir), cwd=data_dir)
    assert first.returncode == 0, first.stderr
    assert "Applied migrations 1, 2, 3, 4, 5" in first.stdout
    second = run(binary, "migrate", "--data", str(data_dir), cwd=data_dir)
    assert "up to date at version 5" in second.stdout
    tables = {r[0] for r in sqlite3.connect(data_dir / "floodgate.sqlite").execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"stores", "products", "delivery_windows", "orders", "order_lines", "idempotency_keys", "jobs", "receipts",
            "scheduled_tasks", "task_runs", "staff_grants", "staff_sessions", "staff_recovery_codes", "api_tokens",
            "audit_log", "audit_head", "audit_checkpoints"} <= tables


def test_sigterm_lets_an_accepted_order_finish(data_dir):
    fg = Floodgate(data_dir).start()
    products = [p["id"] for p in call(fg.base, "GET", "/api/v1/stores/petals/products").json if p["available"]]
    # The last listed window: the first may reach its cut-off while the test runs.
    window = call(fg.base, "GET", "/api/v1/stores/petals/delivery-windows").json[-1]["id"]
    placed = place(fg.base, order_body(window, products[0]))
    assert placed.status == 201
    fg.process.send_signal(signal.SIGTERM)
    assert fg.process.wait(timeout=15) == 0
    fg.start()
    try:
        number, token = placed.json["number"], placed.json["token"]
        assert call(fg.base, "GET", f"/api/v1/stores/petals/orders/{number}?token={token}").status == 200
        # A restart does not load the demo twice.
        assert len(call(fg.base, "GET", "/api/v1/stores").json) == 2
    finally:
        fg.stop()


def test_worker_process_and_jobs_commands(data_dir):
    binary = Floodgate(data_dir).binary
    stats = run(binary, "jobs", "stats", "--json", "--data", str(data_dir), cwd=data_dir)
    assert stats.returncode == 0, stats.stderr
    assert '"counts" : {' in stats.stdout
    dead = run(binary, "jobs", "dead", "--data", str(data_dir), cwd=data_dir)
    assert "No dead jobs." in dead.stdout
    missing = run(binary, "jobs", "retry", "42", "--data", str(data_dir), cwd=data_dir)
    assert missing.returncode != 0
    assert "There is no dead job 42." in missing.stderr + missing.stdout

    # A worker-only process starts without a web server and stops cleanly on SIGTERM.
    log = open(data_dir / "worker.log", "wb")
    worker = subprocess.Popen([binary, "worker", "--data", str(data_dir)], cwd=data_dir, stdout=log, stderr=subprocess.STDOUT)
    time.sleep(1.5)
    assert worker.poll() is None, (data_dir / "worker.log").read_text()
    worker.send_signal(signal.SIGTERM)
    assert worker.wait(timeout=15) == 0
    text = (data_dir / "worker.log").read_text()
    assert "worker started" in text and "worker stopped" in text
