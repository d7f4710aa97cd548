"""A customer buys a bouquet in real headless Chromium; each page is kept as a screenshot in artifacts/."""
import base64
import shutil
from urllib.parse import parse_qs, urlparse

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from api import call


def chromium_binary():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    raise RuntimeError("Chromium is not installed (apt-get install chromium chromium-driver)")


def chromium():
    """A new headless Chromium under chromedriver, with its own cookies; quit it when done."""
    options = webdriver.ChromeOptions()
    options.binary_location = chromium_binary()
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=412,915"):
        options.add_argument(flag)
    # The console, for console_errors(): a script, style or image the Content-Security-Policy refused is an error there.
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
    driver.set_page_load_timeout(30)
    return driver


@pytest.fixture
def browser():
    driver = chromium()
    yield driver
    driver.quit()


def fill_checkout(driver, fields):
    """Types `fields` (name → value) into the checkout form and picks its first delivery slot."""
    for field, value in fields.items():
        element = driver.find_element(By.NAME, field)
        element.clear()
        element.send_keys(value)
    slot = driver.find_element(By.CSS_SELECTOR, ".slot")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", slot)
    slot.click()


def console_errors(driver, statuses=()):
    """The errors in the browser's console since the last call: a script, style or image refused by the
    Content-Security-Policy, a script that failed, a resource that did not load. A page the shop answers on purpose
    with one of `statuses` (422: a form to correct; 503: the waiting room) has its own status logged as an error:
    that one is not counted."""
    return [
        entry["message"] for entry in driver.get_log("browser")
        if entry["level"] == "SEVERE" and not any(f"status of {status} " in entry["message"] for status in statuses)
    ]


def snapshot(driver, folder, name):
    """A full-page PNG, as a customer scrolling on a phone would see it."""
    width, height = driver.execute_script("return [window.innerWidth, document.documentElement.scrollHeight]")
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": True})
    png = driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png"})
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    (folder / f"{name}.png").write_bytes(base64.b64decode(png["data"]))


def arrive(driver, path):
    """Waits for a navigation (a form post and its redirect) to land on `path`."""
    try:
        WebDriverWait(driver, 15).until(EC.url_contains(path))
    except Exception:
        raise AssertionError(f"expected {path}, still at {driver.current_url}: " + driver.find_element(By.TAG_NAME, "main").text[:1500])
    WebDriverWait(driver, 15).until(lambda d: d.execute_script("return document.readyState") == "complete")


def test_customer_buys_a_bouquet_in_chromium(server, browser, artifacts):
    browser.get(server.base + "/")
    browser.find_element(By.CSS_SELECTOR, "a.store-card[href=\"/s/petals/\"]").click()
    arrive(browser, "/s/petals/")
    cards = browser.find_elements(By.CSS_SELECTOR, ".grid .card")
    assert len(cards) >= 25
    # Every photo on the page can be loaded (they are lazy, so fetch them), and those in view have drawn.
    photos_ok = browser.execute_async_script(
        "const done = arguments[0];"
        "Promise.all([...document.images].map(i => fetch(i.src).then(r => r.ok))).then(all => done(all.every(Boolean)));"
    )
    assert photos_ok
    assert browser.execute_script("return document.images[0].complete && document.images[0].naturalWidth > 0")
    snapshot(browser, artifacts, "1-catalog")

    browser.find_element(By.CSS_SELECTOR, ".grid .card:not(.card-off) a").click()
    name = browser.find_element(By.CSS_SELECTOR, ".product h1").text
    assert browser.find_elements(By.CSS_SELECTOR, ".composition li")
    snapshot(browser, artifacts, "2-product")

    Select(browser.find_element(By.ID, "quantity")).select_by_value("2")
    browser.find_element(By.CSS_SELECTOR, ".add-form button").click()
    arrive(browser, "/s/petals/cart")
    assert browser.find_element(By.CSS_SELECTOR, "[data-testid=cart-count]").text == "2"
    quantity = browser.find_element(By.CSS_SELECTOR, ".line input[type=number]")
    quantity.clear()
    quantity.send_keys("3")
    browser.find_element(By.CSS_SELECTOR, "#cart-form .cart-actions button").click()
    # The form posts and comes back to the same address: wait for the new page's badge (the old one goes stale).
    WebDriverWait(browser, 15).until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, "[data-testid=cart-count]"), "3"))
    assert browser.find_element(By.CSS_SELECTOR, "[data-testid=cart-count]").text == "3"
    snapshot(browser, artifacts, "3-cart")

    browser.find_element(By.LINK_TEXT, "Go to checkout").click()
    arrive(browser, "/s/petals/checkout")
    snapshot(browser, artifacts, "4-checkout")
    # Submitting an empty form re-shows it with messages, without any JavaScript.
    browser.find_element(By.CSS_SELECTOR, ".checkout-form button[type=submit]").click()
    WebDriverWait(browser, 15).until(EC.text_to_be_present_in_element((By.TAG_NAME, "main"), "Please check the highlighted fields."))
    assert len(browser.find_elements(By.CSS_SELECTOR, ".field-error")) >= 5
    fields = {
        "customer_name": "Anna Petrova", "customer_phone": "+7 495 123-45-67", "customer_email": "anna@example.com",
        "recipient_name": "Olga Ivanova", "recipient_phone": "+7 916 555-12-34",
        "address": "Tverskaya 7, flat 12\nEntrance 2, floor 5", "card_message": "Happy birthday, Olga! Love, Anna",
    }
    fill_checkout(browser, fields)
    assert browser.find_element(By.CSS_SELECTOR, ".slot input").is_selected()
    snapshot(browser, artifacts, "5-checkout-corrected")

    browser.find_element(By.CSS_SELECTOR, ".checkout-form button[type=submit]").click()
    arrive(browser, "/s/petals/orders/")
    number = browser.find_element(By.CSS_SELECTOR, "[data-testid=order-number]").text
    assert number.startswith("PE-")
    assert "Thank you! Your order is placed." in browser.page_source
    assert "Happy birthday, Olga!" in browser.page_source
    snapshot(browser, artifacts, "6-confirmation")

    # The order the browser saw is the one stored, with the quantity the customer chose.
    url = urlparse(browser.current_url)
    token = parse_qs(url.query)["token"][0]
    order = call(server.base, "GET", f"/api/v1/stores/petals/orders/{number}?token={token}").json
    assert order["lines"][0]["name"] == name
    assert order["lines"][0]["quantity"] == 3
    assert order["recipient"]["address"] == fields["address"]

    # Back to the shop, the cart is empty again.
    browser.get(server.base + "/s/petals/cart")
    assert "Your cart is empty" in browser.page_source
