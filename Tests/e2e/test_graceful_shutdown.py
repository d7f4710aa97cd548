"""SIGTERM: the server stops taking new connections, finishes the checkout in flight, then exits."""
import json
import signal
import socket
import time
import uuid

from api import call, order_body
from conftest import Floodgate


def test_sigterm_finishes_the_checkout_in_flight_then_exits(data_dir):
    fg = Floodgate(data_dir).start()
    try:
        product = next(p for p in call(fg.base, "GET", "/api/v1/stores/petals/products").json if p["available"])
        window = next(w for w in call(fg.base, "GET", "/api/v1/stores/petals/delivery-windows").json if w["remaining"] > 0)
        body = json.dumps(order_body(window["id"], product["id"], note="Sent while the server stops")).encode()
        key = str(uuid.uuid4())
        # A checkout is under way: its head is in, half its body still on the wire.
        sock = socket.create_connection(("127.0.0.1", fg.port))
        sock.sendall(
            f"POST /api/v1/stores/petals/orders HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            f"Idempotency-Key: {key}\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode() + body[:40]
        )
        time.sleep(0.5)
        fg.process.send_signal(signal.SIGTERM)
        time.sleep(0.5)
        assert fg.process.poll() is None, "the server waits for the checkout in flight"
        # New visitors are no longer taken.
        refused = False
        try:
            socket.create_connection(("127.0.0.1", fg.port), timeout=2).close()
        except OSError:
            refused = True
        assert refused, "the listening socket is closed once shutdown begins"
        sock.sendall(body[40:])
        sock.settimeout(10)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
        sock.close()
        head, _, payload = answer.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 201"), answer[:500]
        placed = json.loads(payload)
        number, token = placed["number"], placed["token"]
        assert fg.process.wait(timeout=15) == 0
        # The order is there after a restart.
        fg.start()
        stored = call(fg.base, "GET", f"/api/v1/stores/petals/orders/{number}?token={token}")
        assert stored.status == 200 and stored.json["cardMessage"] == "Sent while the server stops"
    finally:
        fg.stop()
