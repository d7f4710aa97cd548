"""Deferred work from outside: receipts and emails through an outage and a crash, scheduled ticks across
worker processes, and a runaway task quarantined — all with the real binary and real peers."""
import signal
import subprocess
import threading
import time
import sqlite3

from api import call, order_body, place
from conftest import Floodgate
from peers import CashierSim, SMTPSink, cli_json, wait_until

FAST_JOBS = {"FLOODGATE_JOBS_RETRY_BASE_MS": "200", "FLOODGATE_JOBS_BREAKER_COOLDOWN_MS": "500", "FLOODGATE_JOBS_LEASE_MS": "2000"}


def start(data_dir, *args, env=None):
    return Floodgate(data_dir, args, env=env).start()


class Orders:
    """Places good orders, spread over the open windows so none fills up."""

    def __init__(self, base):
        self.base = base
        self.windows = [w["id"] for w in call(base, "GET", "/api/v1/stores/petals/delivery-windows").json if w["remaining"] > 0]
        self.product = next(p["id"] for p in call(base, "GET", "/api/v1/stores/petals/products").json if p["available"])
        self.count = 0
        self.lock = threading.Lock()

    def place(self):
        with self.lock:
            window = self.windows[self.count % len(self.windows)]
            self.count += 1
        answer = place(self.base, order_body(window, self.product))
        assert answer.status == 201, answer.body
        return answer.json["number"]


def all_jobs_done(fg):
    stats = cli_json(fg.binary, "jobs", "stats", "--data", str(fg.data_dir), cwd=fg.data_dir)
    counts = stats["counts"]
    busy = sum(counts.get(state, 0) for state in ("queued", "running", "retrying"))
    return busy == 0 and counts.get("done", 0) > 0 and stats


def test_cashier_down_during_a_stream_of_orders_loses_nothing_and_doubles_nothing(data_dir):
    binary = Floodgate(data_dir).binary
    cashier, smtp = CashierSim(binary, data_dir), SMTPSink()
    fg = start(data_dir, "--cashier-url", cashier.url, "--smtp-url", smtp.url, env=FAST_JOBS)
    try:
        orders = Orders(fg.base)
        numbers, lock = [], threading.Lock()

        def customer(count):
            for _ in range(count):
                number = orders.place()
                with lock:
                    numbers.append(number)
                time.sleep(0.05)

        threads = [threading.Thread(target=customer, args=(15,)) for _ in range(4)]
        for t in threads:
            t.start()
        wait_until(lambda: len(numbers) >= 10, 30)
        cashier.set_mode(down=True)  # the register goes away mid-stream …
        wait_until(lambda: len(numbers) >= 45, 60)
        time.sleep(1)
        cashier.set_mode(down=False)  # … and comes back.
        for t in threads:
            t.join(timeout=60)
        assert len(numbers) == 60

        stats = wait_until(lambda: all_jobs_done(fg), 90, interval=1)
        assert stats, "every job finished"
        assert stats["counts"].get("dead", 0) == 0

        receipts = cashier.receipts()
        external_ids = [r["external_id"] for r in receipts]
        assert sorted(external_ids) == sorted(f"{n}-sell" for n in numbers), "exactly one receipt per order"
        confirmations = [m for m in smtp.message_ids() if "-confirmation@" in m]
        assert sorted(confirmations) == sorted(f"<order-{n}-confirmation@petals.floodgate>" for n in numbers), "exactly one email per order"
        log = fg.log_path.read_text()
        assert "circuit open" in log and "circuit closed" in log, "the breaker opened during the outage and closed after it"
    finally:
        fg.stop()
        cashier.stop()
        smtp.stop()


def test_sigkill_in_the_middle_of_job_processing(data_dir):
    binary = Floodgate(data_dir).binary
    # Slow answers keep sells in flight when the process dies.
    cashier = CashierSim(binary, data_dir, "--delay-ms", "300")
    args = ("--cashier-url", cashier.url)
    fg = start(data_dir, *args, env=FAST_JOBS)
    try:
        orders = Orders(fg.base)
        numbers = [orders.place() for _ in range(30)]
        assert wait_until(lambda: len(cashier.receipts()) >= 5, 60)
        fg.kill()
        registered_before = len(cashier.receipts())
        assert registered_before < 30, "the kill came while receipts were still being registered"

        fg = start(data_dir, *args, env=FAST_JOBS)
        assert wait_until(lambda: all_jobs_done(fg), 90, interval=1), "every job finished after the restart"

        receipts = cashier.receipts()
        assert sorted(r["external_id"] for r in receipts) == sorted(f"{n}-sell" for n in numbers), "one receipt per order, none twice"
        ours = cli_json(binary, "jobs", "stats", "--data", str(data_dir), cwd=data_dir)
        assert ours["counts"].get("dead", 0) == 0
        with sqlite3.connect(data_dir / "floodgate.sqlite") as db:
            rows = db.execute("SELECT external_id, cashier_uuid FROM receipts").fetchall()
        by_external = {r["external_id"]: r["uuid"] for r in receipts}
        assert len(rows) == 30 and all(by_external[e] == u for e, u in rows), "our record matches the register's receipt"
    finally:
        fg.stop()
        cashier.stop()


def test_two_worker_processes_run_each_tick_once(data_dir):
    binary = Floodgate(data_dir).binary
    subprocess.run([binary, "migrate", "--data", str(data_dir)], check=True, capture_output=True, timeout=60)
    out = subprocess.run([binary, "tasks", "set", "prune", "--schedule", "* * * * * *", "--data", str(data_dir)], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    workers = [
        subprocess.Popen([binary, "worker", "--data", str(data_dir)], stdout=open(data_dir / f"worker{i}.log", "ab"), stderr=subprocess.STDOUT)
        for i in range(2)
    ]
    time.sleep(6)
    for w in workers:
        w.send_signal(signal.SIGTERM)
    for w in workers:
        assert w.wait(timeout=20) == 0
    runs = cli_json(binary, "tasks", "runs", "--task", "prune", "--limit", "100", "--data", str(data_dir), cwd=data_dir)
    ticks = [r["tick"] for r in runs]
    assert len(ticks) >= 3
    assert len(set(ticks)) == len(ticks), "no tick ran twice"
    assert all(r["outcome"] == "ok" for r in runs)


def test_runaway_task_is_cancelled_paused_and_logged(data_dir):
    fg = start(data_dir, "--faults", "runaway-task", "--admin-token", "drill-admin-token-0123456789abcdef01234567")
    try:
        binary = fg.binary

        def paused():
            tasks = {t["name"]: t for t in cli_json(binary, "tasks", "--data", str(data_dir), cwd=data_dir)}
            return tasks["runaway"]["pausedAt"] is not None and tasks["runaway"]

        runaway = wait_until(paused, 60, interval=1)
        assert runaway, "the runaway task was quarantined"
        assert "Quarantined: 3 runs in a row broke the budget" in runaway["pausedReason"]
        runs = cli_json(binary, "tasks", "runs", "--task", "runaway", "--data", str(data_dir), cwd=data_dir)
        assert [r["outcome"] for r in runs] == ["budget"] * 3
        assert all(r["queries"] == 2001 for r in runs), "each run was stopped at its budget of 2000 queries"
        assert "task quarantined" in fg.log_path.read_text()

        # The owner sees it: in the operator table and the admin API; the shop kept serving.
        table = subprocess.run([binary, "tasks", "--data", str(data_dir)], capture_output=True, text=True, timeout=60).stdout
        assert "runaway" in table and "paused" in table and "Quarantined" in table
        admin = call(fg.base, "GET", "/api/v1/admin/tasks", headers={"Authorization": "Bearer drill-admin-token-0123456789abcdef01234567"})
        assert next(t for t in admin.json if t["name"] == "runaway")["status"] == "paused"
        assert call(fg.base, "GET", "/s/petals/").status == 200
        time.sleep(3)
        assert len(cli_json(binary, "tasks", "runs", "--task", "runaway", "--data", str(data_dir), cwd=data_dir)) == 3, "paused means no more runs"
    finally:
        fg.stop()
