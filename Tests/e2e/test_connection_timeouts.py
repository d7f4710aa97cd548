"""Idle and slow connections are closed, so a crowd of idle sockets cannot hold the connection cap."""
import socket
import time

from api import call, order_body, place
from conftest import Floodgate

CAP = 20
KEPT_ALIVE = 10
SILENT = 50


def read_answer(sock) -> bytes:
    answer = b""
    while not answer.endswith(b"ok"):
        chunk = sock.recv(4096)
        assert chunk, f"closed before answering: {answer!r}"
        answer += chunk
    return answer


def closed_by_server(sock, timeout: float) -> bool:
    sock.settimeout(max(0.1, timeout))
    try:
        return sock.recv(1) == b""
    except ConnectionResetError:
        return True
    except socket.timeout:
        return False


def test_idle_sockets_past_the_cap_do_not_keep_a_buyer_out(data_dir):
    env = {"FLOODGATE_HTTP_CONNECTIONS_MAX": str(CAP), "FLOODGATE_HTTP_IDLE_TIMEOUT": "2", "FLOODGATE_HTTP_HEAD_TIMEOUT": "2"}
    fg = Floodgate(data_dir, env=env).start()
    sockets = []
    try:
        products = [p["id"] for p in call(fg.base, "GET", "/api/v1/stores/petals/products").json if p["available"]]
        # The last listed window: the first may reach its cut-off while the test runs.
        window = call(fg.base, "GET", "/api/v1/stores/petals/delivery-windows").json[-1]["id"]

        # Kept alive after one answer each, then silent.
        for _ in range(KEPT_ALIVE):
            sock = socket.create_connection(("127.0.0.1", fg.port), timeout=10)
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            assert read_answer(sock).startswith(b"HTTP/1.1 200")
            sockets.append(sock)
        # Connected and saying nothing: with the others, three times the cap; those past it wait in the kernel's
        # backlog, ahead of the buyer.
        for _ in range(SILENT):
            sockets.append(socket.create_connection(("127.0.0.1", fg.port), timeout=10))

        started = time.monotonic()
        placed = place(fg.base, order_body(window, products[0]), timeout=30)
        waited = time.monotonic() - started
        assert placed.status == 201, placed.body
        # It had to wait for idle sockets to be closed (the cap was full), and no longer than the timeouts allow.
        assert 1.0 < waited < 15, f"the order took {waited:.1f} s"

        deadline = time.monotonic() + 20
        still_open = [i for i, sock in enumerate(sockets) if not closed_by_server(sock, deadline - time.monotonic())]
        assert still_open == [], f"sockets the server did not close: {still_open}"
    finally:
        for sock in sockets:
            sock.close()
        fg.stop()
