"""Issue 22, in a real browser on both engines: no spelling of a back-office address shows a stranger anything
but the sign-in form, and another site's page cannot post the shop's forms in a visitor's name."""
import http.server
import os
import subprocess
import threading
import uuid

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from api import call, order_body, place
from conftest import Floodgate, free_port
from test_back_office import add_staff, second_step, submit_password
from test_browser_purchase import arrive, browser, console_errors  # noqa: F401  (fixture)

CUSTOMER = "Secret Customer Zhukova"
POSTGRES = os.environ.get("FLOODGATE_TEST_POSTGRES_URL")
ENGINES = ["sqlite"] + (["postgres"] if POSTGRES else [])


def start_on(engine, data_dir, prefix):
    """The shop on `engine`: SQLite in `data_dir`, or a PostgreSQL database of its own; `database_args` says which."""
    args = []
    if engine == "postgres":
        name = prefix + "_" + uuid.uuid4().hex[:8]
        subprocess.run(["psql", "-q", POSTGRES, "-c", f"CREATE DATABASE {name}"], check=True, timeout=30)
        args = ["--database", POSTGRES.rsplit("/", 1)[0] + "/" + name]
    fg = Floodgate(data_dir, extra_args=args).start()
    fg.database_args = args
    return fg


@pytest.fixture(params=ENGINES)
def shop(request, data_dir):
    fg = start_on(request.param, data_dir, "e2e_security")
    windows = call(fg.base, "GET", "/api/v1/stores/petals/delivery-windows").json
    products = call(fg.base, "GET", "/api/v1/stores/petals/products").json
    window = next(w["id"] for w in windows if w["remaining"] > 0)
    product = next(p["id"] for p in products if p["available"])
    body = order_body(window, product)
    body["customer"]["name"] = CUSTOMER
    assert place(fg.base, body).status == 201
    yield fg
    fg.stop()


SPELLINGS = [
    "//admin/petals/orders", "/admin//petals/orders", "/./admin/petals/orders", "/admin/./petals/orders",
    "/%61dmin/petals/orders", "/ADMIN/petals/orders", "/admin/petals/../petals/orders", "/admin/petals/orders/",
    "/admin%2Fpetals%2Forders", "/admin/petals/days/2030-01-01/sheets",
]


def test_a_stranger_sees_only_the_sign_in_form_however_the_address_is_spelled(shop, browser):
    for path in SPELLINGS:
        browser.delete_all_cookies()
        browser.get(shop.base + path)
        WebDriverWait(browser, 10).until(lambda d: "/admin/login" in d.current_url)
        assert browser.find_elements(By.ID, "password"), path
        assert CUSTOMER not in browser.page_source, path
    # The same browser, signed in (password, then the owner's second step), sees the orders: what turned it away
    # was the guard.
    add_owner(shop)
    browser.get(shop.base + "/admin/login?next=/admin/petals/orders")
    submit_password(browser, "olga@shop.example")
    # Half signed in, the back-office still shows nothing but the second step.
    assert "/admin/second-factor" in browser.current_url, browser.current_url
    browser.get(shop.base + "/admin/petals/orders")
    WebDriverWait(browser, 10).until(lambda d: "/admin/second-factor" in d.current_url)
    assert CUSTOMER not in browser.page_source
    assert second_step(browser, shop, "olga@shop.example")
    arrive(browser, "/admin/petals/orders")
    assert CUSTOMER in browser.page_source
    assert console_errors(browser) == []


def add_owner(shop):
    """`floodgate staff add` on the shop's own database (SQLite or PostgreSQL: `shop.database_args`)."""
    add_staff(shop, "olga@shop.example", "Olga Owner", "owner")


def test_another_sites_page_cannot_fill_a_visitors_cart(shop, browser, data_dir):
    product = next(p["id"] for p in call(shop.base, "GET", "/api/v1/stores/petals/products").json if p["available"])
    # Another site (another origin: localhost, not 127.0.0.1) whose page posts the shop's cart form by itself.
    page = f"""<!doctype html><form id=f method=post action="{shop.base}/s/petals/cart/items">
<input name=product value={product}><input name=quantity value=3></form><script>document.getElementById('f').submit()</script>"""
    (data_dir / "evil").mkdir()
    (data_dir / "evil" / "index.html").write_text(page)
    handler = lambda *a, **k: http.server.SimpleHTTPRequestHandler(*a, directory=str(data_dir / "evil"), **k)  # noqa: E731
    evil = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    threading.Thread(target=evil.serve_forever, daemon=True).start()
    try:
        browser.get(shop.base + "/s/petals/")  # the visitor has been to the shop
        browser.get(f"http://localhost:{evil.server_address[1]}/index.html")
        WebDriverWait(browser, 10).until(lambda d: "/s/petals/cart/items" in d.current_url)
        assert "another site" in browser.page_source
        assert not [c for c in browser.get_cookies() if c["name"] == "cart_petals"]
        # The shop's own page posts the same form as before.
        browser.get(shop.base + f"/s/petals/products/{product}")
        browser.find_element(By.CSS_SELECTOR, "form.add-form button[type=submit]").click()
        WebDriverWait(browser, 10).until(lambda d: [c for c in d.get_cookies() if c["name"] == "cart_petals"])
    finally:
        evil.shutdown()
