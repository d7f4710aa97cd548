"""Pages answered from memory on the connection keep HTTP/1.1's order: pipelined requests, some answered by
the router and some from memory, come back in the order they were sent, each whole."""
import json
import socket
import urllib.request

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Chrome/120"


def read_response(stream):
    """One HTTP/1.1 response from a buffered socket file: (status, headers, body)."""
    status = int(stream.readline().split()[1])
    headers = {}
    while (line := stream.readline().decode().strip()) != "":
        name, value = line.split(":", 1)
        headers[name.strip().lower()] = value.strip()
    if "content-length" in headers:
        body = stream.read(int(headers["content-length"]))
    else:  # chunked
        body = b""
        while (size := int(stream.readline().strip(), 16)) != 0:
            body += stream.read(size)
            stream.readline()
        stream.readline()
    return status, headers, body


def test_pipelined_requests_come_back_in_order(server):
    products = json.load(urllib.request.urlopen(server.base + "/api/v1/stores/petals/products"))
    product = next(p["id"] for p in products if p["available"])
    page = f"/s/petals/products/{product}"
    # Into memory first (the router renders it once).
    urllib.request.urlopen(urllib.request.Request(server.base + page, headers={"User-Agent": BROWSER})).read()

    paths = ["/api/v1/stores/petals/products", page, page, "/api/v1/stores/petals/delivery-windows", page, "/healthz"]
    requests = "".join(f"GET {p} HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: {BROWSER}\r\n\r\n" for p in paths)
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as connection:
        connection.sendall(requests.encode())  # all at once: pipelined
        stream = connection.makefile("rb")
        answers = [read_response(stream) for _ in paths]
    for path, (status, headers, body) in zip(paths, answers):
        assert status == 200, (path, status)
        if path == page:
            assert headers["content-type"].startswith("text/html") and b"</html>" in body, path
            assert headers.get("etag") and headers.get("date")
        elif path.startswith("/api/"):
            assert headers["content-type"].startswith("application/json"), path
            json.loads(body)
    assert answers[1][2] == answers[2][2] == answers[4][2], "the same page each time"
    assert answers[5][2].strip() == b"ok"
