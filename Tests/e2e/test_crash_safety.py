"""An acknowledged order survives SIGKILL: the 201 is only sent after a durable commit."""
import queue
import sqlite3
import threading
import uuid

from api import call, order_body, place
from conftest import Floodgate

TOTAL = 320
KILL_AFTER = 150
WORKERS = 12


def test_acknowledged_orders_survive_sigkill(data_dir):
    fg = Floodgate(data_dir).start()
    products = [p["id"] for p in call(fg.base, "GET", "/api/v1/stores/petals/products").json if p["available"]]
    windows = [w["id"] for w in call(fg.base, "GET", "/api/v1/stores/petals/delivery-windows").json if w["remaining"] > 0]
    assert len(windows) > 20

    jobs = queue.Queue()
    for i in range(TOTAL):
        body = order_body(windows[i % len(windows)], products[i % len(products)], quantity=1 + i % 3, note=f"order {i}")
        jobs.put((str(uuid.uuid4()), body))

    acknowledged = {}   # key -> (body, 201 document)
    unknown = {}        # key -> body: sent, but no answer before the kill
    refused = []
    lock = threading.Lock()
    killed = threading.Event()

    def worker():
        while not killed.is_set():
            try:
                key, body = jobs.get_nowait()
            except queue.Empty:
                return
            try:
                answer = place(fg.base, body, key=key, timeout=20)
            except OSError:
                with lock:
                    unknown[key] = body
                continue
            with lock:
                if answer.status == 201:
                    acknowledged[key] = (body, answer.json)
                else:
                    refused.append(answer.status)
                if len(acknowledged) >= KILL_AFTER and not killed.is_set():
                    killed.set()
                    fg.kill()

    threads = [threading.Thread(target=worker) for _ in range(WORKERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert killed.is_set(), "the server was never killed: too few orders were acknowledged"
    assert len(acknowledged) >= KILL_AFTER
    assert not jobs.empty(), "the kill did not come mid-stream"
    assert all(status == 409 for status in refused), refused  # only full windows may refuse a good order
    print(f"killed after {len(acknowledged)} acknowledged, {len(unknown)} without answer, {jobs.qsize()} never sent")

    # Start again on the same data.
    fg.start()
    try:
        for key, (body, document) in acknowledged.items():
            number, token = document["number"], document["token"]
            read = call(fg.base, "GET", f"/api/v1/stores/petals/orders/{number}?token={token}")
            assert read.status == 200, f"acknowledged order {number} is gone"
            assert read.json == document, f"order {number} changed across the crash"
            assert read.json["lines"][0]["quantity"] == body["items"][0]["quantity"]
            assert read.json["cardMessage"] == body["cardMessage"]

        # A client that got no answer retries with the same key: it gets exactly one order either way.
        for key, body in unknown.items():
            retry = place(fg.base, body, key=key)
            assert retry.status in (201, 409), retry.body
            again = place(fg.base, body, key=key)
            assert again.status == retry.status
            if retry.status == 201:
                assert again.json["number"] == retry.json["number"]
                assert again.headers.get("Idempotent-Replayed") == "true"
    finally:
        fg.stop()

    db = sqlite3.connect(data_dir / "floodgate.sqlite")
    orders = db.execute("SELECT COUNT(*) FROM orders").fetchone()[0]
    assert len({document["number"] for _, document in acknowledged.values()}) == len(acknowledged), "no number given twice"
    keyed = db.execute("SELECT COUNT(*) FROM idempotency_keys WHERE order_id IS NOT NULL").fetchone()[0]
    assert keyed == orders, "every order belongs to exactly one idempotency key"
    twice = db.execute("SELECT COUNT(*) FROM (SELECT order_id FROM idempotency_keys GROUP BY order_id HAVING COUNT(*) > 1)").fetchone()[0]
    assert twice == 0
    assert orders >= len(acknowledged)
    assert orders <= len(acknowledged) + len(unknown)
    lines = db.execute("SELECT COUNT(*) FROM orders o WHERE NOT EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = o.id)").fetchone()[0]
    assert lines == 0, "no order lost its lines"
    mismatched = db.execute(
        "SELECT COUNT(*) FROM delivery_windows w WHERE reserved != (SELECT COUNT(*) FROM orders o WHERE o.window_id = w.id)"
    ).fetchone()[0]
    assert mismatched == 0, "reserved places match the orders that hold them"
