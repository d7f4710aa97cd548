"""Every page of the storefront and the back-office in real headless Chromium under the shop's Content-Security-Policy:
the policy is in force (an inline script is refused), no page logs a console error (nothing of the shop's own is
refused), and the pages still work: the purchase completes, the waiting list takes a name, the print button prints."""
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from api import call, order_body, place
from test_back_office import add_staff, sign_in
from test_browser_purchase import arrive, browser, console_errors, fill_checkout  # noqa: F401  (fixture)


def loaded(driver):
    WebDriverWait(driver, 15).until(lambda d: d.execute_script("return document.readyState") == "complete")


def clean(driver, page, statuses=()):
    """No console error since the last look, but the page's own expected status."""
    loaded(driver)
    errors = console_errors(driver, statuses)
    assert not errors, f"{page}: {errors}"


def visit(driver, base, path, statuses=()):
    driver.get(base + path)
    clean(driver, path, statuses)


def assert_policy_in_force(driver, page):
    """An inline script added to the page does not run: the browser enforces the policy here (so a clean console
    means something). The refusal it logs is taken out of the console."""
    ran = driver.execute_script(
        "window.__inline = 0; const s = document.createElement('script'); s.textContent = 'window.__inline = 1';"
        "document.body.appendChild(s); return window.__inline;"
    )
    assert ran == 0, f"{page}: an inline script ran, so no Content-Security-Policy is in force"
    refusals = console_errors(driver)
    assert any("Content Security Policy" in message for message in refusals), f"{page}: {refusals}"


def submit_and_wait(driver, button):
    """Clicks a form's submit button and waits for the next page."""
    button.click()
    WebDriverWait(driver, 15).until(EC.staleness_of(button))
    loaded(driver)


def test_every_page_runs_under_the_content_security_policy(server, browser):
    base = server.base
    for path in ("/", "/admin/login"):
        policy = call(base, "GET", path).headers["Content-Security-Policy"] or ""
        assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy and "unsafe-inline" not in policy, policy

    # The storefront, as a customer goes through it.
    visit(browser, base, "/")
    assert_policy_in_force(browser, "home")
    visit(browser, base, "/s/petals/")
    product = next(p for p in call(base, "GET", "/api/v1/stores/petals/products").json if p["available"])
    # Twice: the second visit may be answered from memory on the connection, before the router.
    visit(browser, base, f"/s/petals/products/{product['id']}")
    visit(browser, base, f"/s/petals/products/{product['id']}")
    assert_policy_in_force(browser, "product")
    Select(browser.find_element(By.ID, "quantity")).select_by_value("2")
    browser.find_element(By.CSS_SELECTOR, ".add-form button").click()
    arrive(browser, "/s/petals/cart")
    clean(browser, "cart")
    browser.find_element(By.LINK_TEXT, "Go to checkout").click()
    arrive(browser, "/s/petals/checkout")
    clean(browser, "checkout")
    # An empty form comes back with messages (422).
    submit_and_wait(browser, browser.find_element(By.CSS_SELECTOR, ".checkout-form button[type=submit]"))
    clean(browser, "checkout with mistakes", statuses=(422,))
    fields = {
        "customer_name": "Anna Petrova", "customer_phone": "+7 495 123-45-67", "customer_email": "anna@example.com",
        "recipient_name": "Olga Ivanova", "recipient_phone": "+7 916 555-12-34", "address": "Tverskaya 7, flat 12",
    }
    fill_checkout(browser, fields)
    browser.find_element(By.CSS_SELECTOR, ".checkout-form button[type=submit]").click()
    arrive(browser, "/s/petals/orders/")
    number = browser.find_element(By.CSS_SELECTOR, "[data-testid=order-number]").text
    assert number.startswith("PE-") and "Thank you! Your order is placed." in browser.page_source
    clean(browser, "order confirmation")

    # A full delivery's waiting list: the form, and what comes after joining it.
    windows = call(base, "GET", "/api/v1/stores/petals/delivery-windows").json
    later = [w for w in windows if w["date"] != windows[0]["date"] and w["remaining"] > 0]
    window = min(later, key=lambda w: w["remaining"])
    for _ in range(window["remaining"]):
        placed = place(base, order_body(window["id"], product["id"]))
        assert placed.status == 201, placed.body
    visit(browser, base, f"/s/petals/tours/{window['id']}/waitlist")
    for field, value in {"name": "Vera Sokolova", "email": "vera@example.com", "phone": "+7 916 555-00-11"}.items():
        browser.find_element(By.NAME, field).send_keys(value)
    submit_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "main form[method=post] button[type=submit]"))
    clean(browser, "after joining the waiting list")

    # The back-office, as the owner goes through it.
    add_staff(server, "olga@shop.example", "Olga Owner", "owner")
    browser.set_window_size(1280, 900)
    browser.delete_all_cookies()
    visit(browser, base, "/admin/login")
    assert_policy_in_force(browser, "sign-in form")

    def second_step_page(page):
        """Each page of the owner's second step is clean too: the enrolment page (its QR code drawn inline as SVG)
        under the policy in force, then the recovery codes; on a later sign-in, the form for a code."""
        clean(browser, page)
        assert_policy_in_force(browser, page)

    assert sign_in(browser, server, "olga@shop.example", "/admin/petals/", look=second_step_page)
    clean(browser, "sign-in and dashboard")
    assert_policy_in_force(browser, "dashboard")
    date = window["date"]
    for path in (
        "/admin/petals/orders", f"/admin/petals/orders/{number}", "/admin/petals/tours", f"/admin/petals/tours/{window['id']}/waitlist",
        "/admin/petals/delivery", "/admin/petals/products", f"/admin/petals/products/{product['id']}", "/admin/petals/exports",
        f"/admin/petals/days/{date}/sheets", f"/admin/petals/tours/{window['id']}/manifest", f"/admin/petals/tours/{window['id']}/sheets",
        f"/admin/petals/orders/{number}/sheet",
    ):
        visit(browser, base, path)
    # The print button (a script file now, not an onclick) still prints; print itself is stubbed, headless has no printer.
    browser.execute_script("window.__printed = 0; window.print = function () { window.__printed += 1; };")
    browser.find_element(By.CSS_SELECTOR, "[data-print]").click()
    assert browser.execute_script("return window.__printed") == 1
    clean(browser, "printing an assembly sheet")

    # Signed in again: the second step's form for a code.
    assert sign_in(browser, server, "olga@shop.example", "/admin/petals/orders", look=second_step_page)
    clean(browser, "second sign-in and orders")
