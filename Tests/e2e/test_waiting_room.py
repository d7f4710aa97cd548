"""The waiting room in real headless Chromium: a full shop answers 503 with a page that keeps the cart,
estimates the wait, names the full delivery windows, and gets the visitor in by itself once there is room."""
import socket
import time
import uuid

from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from api import call, order_body
from conftest import Floodgate
from test_browser_purchase import arrive, browser, console_errors, snapshot  # noqa: F401  (fixture)


class PlaceHolder:
    """A form post whose body never finishes: once admitted it holds a place until closed."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.sock.sendall(
            b"POST /s/petals/cart/items HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: Mozilla/5.0 Chrome/120\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 500\r\n\r\nproduct=1"
        )

    def close(self):
        self.sock.close()


def stats(fg):
    return call(fg.base, "GET", "/api/v1/admin/admission", headers={"Authorization": "Bearer e2e-admin-token-0123456789abcdef012345"}).json


def hold_the_place(fg):
    """A PlaceHolder the gate admitted: its own admission is waited for, not just any request in flight, since
    another request may hold the one place for a moment and a holder arriving then is refused. Then it tries again."""
    for _ in range(20):
        before = stats(fg)["gate"]
        holder = PlaceHolder(fg.port)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            now = stats(fg)["gate"]
            if now["admitted"]["cart"] > before["admitted"]["cart"] and now["inFlight"] >= 1:
                return holder
            if now["shed"]["cart"] > before["shed"]["cart"]:
                break
            time.sleep(0.05)
        holder.close()
        time.sleep(0.2)
    raise AssertionError(f"the place-holding request was never admitted: {stats(fg)['gate']}")


def wait_for_waiting_room(browser, fg):
    """The waiting room on screen, or a failure that says what the browser and the gate saw instead."""
    try:
        WebDriverWait(browser, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "[data-testid=waiting-room]"))
    except TimeoutException:
        gate = stats(fg)["gate"]
        raise AssertionError(
            f"no waiting room at {browser.current_url} ({browser.title!r}); gate: limit {gate['limit']}, in flight "
            f"{gate['inFlight']}, admitted {gate['admitted']}, shed {gate['shed']}; log: {fg.log_path.read_text()[-1500:]}"
        ) from None


def test_waiting_room_keeps_the_cart_names_full_windows_and_lets_the_visitor_in(data_dir, browser, artifacts):
    # One place, no queue: a second visitor at the same moment is sent to the waiting room.
    fg = Floodgate(data_dir, env={
        "FLOODGATE_ADMISSION_LIMIT_MAX": "1", "FLOODGATE_ADMISSION_QUEUE": "0", "FLOODGATE_ADMIN_TOKEN": "e2e-admin-token-0123456789abcdef012345",
        "FLOODGATE_CATALOG_CACHE_MS": "200",
    }).start()
    try:
        product = next(p for p in call(fg.base, "GET", "/api/v1/stores/petals/products").json if p["available"])
        # The customer puts a bouquet in the cart.
        browser.get(f"{fg.base}/s/petals/products/{product['id']}")
        browser.find_element(By.CSS_SELECTOR, "form.add-form button").click()
        arrive(browser, "/s/petals/cart")
        assert browser.find_element(By.CSS_SELECTOR, "[data-testid=cart-count]").text == "1"
        # A delivery window fills up: one of tomorrow's, as today's first may reach its cut-off mid-test.
        windows = call(fg.base, "GET", "/api/v1/stores/petals/delivery-windows").json
        window = next(w for w in windows if w["date"] != windows[0]["date"])
        for _ in range(window["remaining"]):
            placed = call(fg.base, "POST", "/api/v1/stores/petals/orders", order_body(window["id"], product["id"]),
                          {"Content-Type": "application/json", "Idempotency-Key": str(uuid.uuid4())})
            assert placed.status == 201, placed.body
        time.sleep(0.5)

        holder = hold_the_place(fg)
        try:
            # An API client is told the same, as problem+json.
            api = call(fg.base, "GET", "/api/v1/stores/petals/products")
            assert api.status == 503 and api.content_type == "application/problem+json"
            assert api.json["type"] == "urn:floodgate:problem:overloaded" and int(api.headers["Retry-After"]) >= 1

            browser.get(f"{fg.base}/s/petals/products/{product['id']}")
            room = browser.find_element(By.CSS_SELECTOR, "[data-testid=waiting-room]")
            assert "You are in line" in room.text
            assert browser.find_element(By.CSS_SELECTOR, "[data-testid=estimated-wait]").text.startswith("about ")
            assert int(browser.find_element(By.CSS_SELECTOR, "[data-testid=countdown]").text) >= 1
            assert "cart is kept" in room.text
            assert browser.find_element(By.CSS_SELECTOR, "[data-testid=cart-count]").text == "1", "the cart badge is still there"
            full = browser.find_element(By.CSS_SELECTOR, "[data-testid=full-windows]").text
            assert window["from"] in full and window["to"] in full, full
            snapshot(browser, artifacts, "waiting-room")
            # A visitor with a cart is served as "cart", before people only looking.
            refusals = stats(fg)["gate"]["shed"]["cart"]
            # Still full: the page keeps trying by itself (each try is another refusal)…
            WebDriverWait(browser, 10, poll_frequency=0.2).until(lambda _: stats(fg)["gate"]["shed"]["cart"] > refusals + 1)
            assert browser.find_elements(By.CSS_SELECTOR, "[data-testid=waiting-room]")
            # The operator sees it in the log: one line a second while shedding, with the counts.
            WebDriverWait(browser, 5, poll_frequency=0.2).until(lambda _: "shedding load" in fg.log_path.read_text())
            line = next(l for l in fg.log_path.read_text().splitlines() if "shedding load" in l)
            assert "shed_cart=" in line and "limit=1" in line, line
        finally:
            holder.close()
        # …and once there is room it lands on the page it asked for, with the cart intact.
        WebDriverWait(browser, 15, poll_frequency=0.2).until(lambda d: d.find_elements(By.CSS_SELECTOR, "form.add-form"))
        assert product["name"] in browser.find_element(By.TAG_NAME, "h1").text
        assert browser.find_element(By.CSS_SELECTOR, "[data-testid=cart-count]").text == "1"
        snapshot(browser, artifacts, "waiting-room-let-in")
        # Its countdown is a script file the Content-Security-Policy allows: nothing was refused on the way.
        assert not console_errors(browser, statuses=(503,))
        cart = call(fg.base, "GET", "/s/petals/cart", headers={"User-Agent": "Mozilla/5.0 Chrome/120"})
        assert cart.status == 200
    finally:
        fg.stop()


def test_a_refused_form_is_posted_again_by_itself(data_dir, browser, artifacts):
    fg = Floodgate(data_dir, env={
        "FLOODGATE_ADMISSION_LIMIT_MAX": "1", "FLOODGATE_ADMISSION_QUEUE": "0", "FLOODGATE_ADMIN_TOKEN": "e2e-admin-token-0123456789abcdef012345",
    }).start()
    try:
        product = next(p for p in call(fg.base, "GET", "/api/v1/stores/petals/products").json if p["available"])
        browser.get(f"{fg.base}/s/petals/products/{product['id']}")
        holder = hold_the_place(fg)
        try:
            browser.find_element(By.CSS_SELECTOR, "form.add-form button").click()
            wait_for_waiting_room(browser, fg)
            assert browser.find_element(By.ID, "retry-form").get_attribute("action").endswith("/s/petals/cart/items")
            snapshot(browser, artifacts, "waiting-room-form")
        finally:
            holder.close()
        # Room again: the same form goes through by itself and the bouquet is in the cart.
        WebDriverWait(browser, 15, poll_frequency=0.2).until(lambda d: d.find_elements(By.CSS_SELECTOR, "[data-testid=cart-count]"))
        assert browser.current_url.endswith("/s/petals/cart")
        assert browser.find_element(By.CSS_SELECTOR, "[data-testid=cart-count]").text == "1"
        assert product["name"] in browser.find_element(By.TAG_NAME, "main").text
        assert not console_errors(browser, statuses=(503,))
    finally:
        fg.stop()
