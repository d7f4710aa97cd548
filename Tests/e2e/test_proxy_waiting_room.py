"""The shop behind HAProxy (bench/haproxy.cfg), as PostgreSQL's N shops run: when the proxy's queue is deep, a
new browser gets the shop's own waiting room in real headless Chromium (not HAProxy's bare 503), a checkout
still goes first, and the page gets the visitor in by itself once the crowd is gone."""
import shutil
import subprocess
import threading
import time
import urllib.request

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from api import call, order_body, place
from conftest import ROOT, Floodgate, free_port
from test_browser_purchase import browser, snapshot  # noqa: F401  (fixture)
from test_waiting_room import PlaceHolder, stats

BROWSER = {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/120"}


def start_haproxy(shop_port, data_dir, **settings):
    binary = shutil.which("haproxy") or shutil.which("haproxy", path="/usr/sbin:/usr/local/sbin")
    assert binary, "HAProxy is missing: apt-get install haproxy (scripts/test installs it as root)"
    port = free_port()
    # The settings not given keep their defaults in bench/haproxy.cfg.
    env = {"FRONT_PORT": str(port), "SHOP_PORT": str(shop_port), **settings}
    log = open(data_dir / "haproxy.log", "ab")
    process = subprocess.Popen([binary, "-db", "-f", str(ROOT / "bench" / "haproxy.cfg")], stdout=log, stderr=subprocess.STDOUT, env=env)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        assert process.poll() is None, (data_dir / "haproxy.log").read_text()
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                return process, f"http://127.0.0.1:{port}", port
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise AssertionError("HAProxy did not answer: " + (data_dir / "haproxy.log").read_text())


def test_behind_haproxy_a_deep_crowd_gets_the_shops_waiting_room_and_checkouts_go_first(data_dir, browser, artifacts):
    fg = Floodgate(data_dir, env={"FLOODGATE_ADMIN_TOKEN": "e2e-admin-token-0123456789abcdef012345", "FLOODGATE_HTTP_TRUST_FORWARDED": "127.0.0.1"}).start()
    # One place at the shop, and a crowd of one waiting at the proxy is already "deep".
    proxy, front, front_port = start_haproxy(fg.port, data_dir, SHOP_MAXCONN="1", BROWSE_QUEUE_MAX="1", CART_QUEUE_MAX="100")
    holders = []
    try:
        product = next(p for p in call(fg.base, "GET", "/api/v1/stores/petals/products").json if p["available"])
        window = call(fg.base, "GET", "/api/v1/stores/petals/delivery-windows").json[-1]
        page = f"/s/petals/products/{product['id']}"
        assert call(front, "GET", page, headers=BROWSER).status == 200, "with nobody waiting, the page is served"

        # The crowd: one form post holds the shop's only place, a second one waits at the proxy.
        admitted = stats(fg)["gate"]["admitted"]["cart"]
        holders.append(PlaceHolder(front_port))
        polling = WebDriverWait(browser, 10, poll_frequency=0.05)
        polling.until(lambda _: stats(fg)["gate"]["admitted"]["cart"] > admitted, "the first holder reached the shop")
        holders.append(PlaceHolder(front_port))
        def refused_now(_):
            answer = call(front, "GET", page, headers=BROWSER)
            return answer if answer.status == 503 else None
        refused = polling.until(refused_now, "a new browser is refused once one request waits at the proxy")
        assert refused.headers["Retry-After"] == "5" and refused.headers["Cache-Control"] == "no-store"
        assert b'data-testid="waiting-room"' in refused.body, "the shop's waiting room, not HAProxy's page"
        assert stats(fg)["gate"]["shed"]["browse"] >= 1, "the shop counts the proxy's refusals with its own"

        browser.get(front + page)
        room = browser.find_element(By.CSS_SELECTOR, "[data-testid=waiting-room]")
        assert "You are in line" in room.text
        assert browser.find_element(By.CSS_SELECTOR, "[data-testid=countdown]").text in {"5", "4", "3"}
        assert browser.find_element(By.CSS_SELECTOR, "[data-testid=open-windows]").text.startswith("Still free")
        snapshot(browser, artifacts, "proxy-waiting-room")

        # A checkout waits at the proxy rather than being refused, and goes before the holder queued ahead of it.
        answers = {}
        order = threading.Thread(target=lambda: answers.setdefault("order", place(front, order_body(window["id"], product["id"]))))
        order.start()
        time.sleep(0.5)
        holders.pop(0).close()
        order.join(timeout=15)
        assert "order" in answers, "the checkout was not let in before the holder queued ahead of it"
        assert answers["order"].status == 201, answers["order"].body
        polling.until(lambda _: stats(fg)["gate"]["admitted"]["cart"] >= admitted + 2, "the second holder reached the shop after the checkout")

        # The crowd goes; the waiting room gets the visitor in by itself.
        holders.pop(0).close()
        WebDriverWait(browser, 15, poll_frequency=0.2).until(lambda d: d.find_elements(By.CSS_SELECTOR, "form.add-form"))
        assert product["name"] in browser.find_element(By.TAG_NAME, "h1").text
        assert stats(fg)["gate"]["shed"]["checkout"] == 0
    finally:
        for holder in holders:
            holder.close()
        proxy.terminate()
        proxy.wait(timeout=10)
        fg.stop()
