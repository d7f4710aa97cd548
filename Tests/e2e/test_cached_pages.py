"""Pages answered from memory on the connection keep HTTP/1.1's order: pipelined requests, some answered by
the router and some from memory, come back in the order they were sent, each whole."""
import json
import socket
import urllib.request

from api import call
from conftest import Floodgate

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


def test_one_connection_changing_its_user_agent_is_classed_each_time(data_dir):
    """The connection remembers its last user agent's verdict; a different agent on the same connection is
    judged anew: a crawler or no agent goes to the router (admission's budget), a browser is answered here."""
    fg = Floodgate(data_dir, env={"FLOODGATE_ADMIN_TOKEN": "s3cret-admin-token-0123456789abcdef0123"}).start()
    try:
        def early():
            return call(fg.base, "GET", "/api/v1/admin/admission", headers={"Authorization": "Bearer s3cret-admin-token-0123456789abcdef0123"}).json["pagesAnsweredAtConnection"]

        products = call(fg.base, "GET", "/api/v1/stores/petals/products").json
        page = f"/s/petals/products/{next(p['id'] for p in products if p['available'])}"
        assert call(fg.base, "GET", page, headers={"User-Agent": BROWSER}).status == 200  # into memory
        before = early()
        agents = [BROWSER, "Mozilla/5.0 (compatible; Googlebot/2.1)", BROWSER, None, BROWSER + " Edge/120"]
        with socket.create_connection(("127.0.0.1", fg.port), timeout=10) as connection:
            stream = connection.makefile("rb")
            for agent in agents:  # one at a time: each is answered before the next is sent
                line = f"User-Agent: {agent}\r\n" if agent else ""
                connection.sendall(f"GET {page} HTTP/1.1\r\nHost: 127.0.0.1\r\n{line}\r\n".encode())
                status, _, _ = read_response(stream)
                assert status == 200, agent
        assert early() - before == 3, "the three browser requests, not the crawler's nor the one without an agent"
    finally:
        fg.stop()
