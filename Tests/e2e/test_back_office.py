"""Staff work through a day in real headless Chromium: sign in, find an order, move it on, print sheets.

Each works within their role in the store: the florist moves orders up to *ready* and cannot cancel, the manager
cancels (with a reason), the owner sees the catalog. Owners and managers pass the second step (an authenticator
app) after their password; the helpers here do it as the app would, with pyotp and the key the page shows.

Screenshots and the printed PDFs are kept in artifacts/ so a person can look at what the florists get.
"""
import base64
import re
import subprocess
import time

import pyotp
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from api import call, order_body, place
from test_browser_purchase import arrive, browser, snapshot  # noqa: F401  (fixture)

PASSWORD = "correct horse battery"


def add_staff(server, email, name, role, store="petals", areas=(), until=None):
    """`floodgate staff add` on the server's own database (its `database_args` when it has any, else the SQLite
    file in its data folder): `role` in `store`, a contractor's `areas`, access `until` a date."""
    extra = ["--areas", ",".join(areas)] if areas else []
    extra += ["--until", until] if until else []
    done = subprocess.run(
        [server.binary, "staff", "add", "--data", str(server.data_dir), *getattr(server, "database_args", []),
         "--email", email, "--name", name, "--store", store, "--role", role, *extra, "--password-stdin"],
        input=PASSWORD + "\n", text=True, capture_output=True, cwd=server.data_dir, timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"Added {name} <{email}>, {role}") and f" of {store};" in done.stdout, done.stdout


class Authenticator:
    """One account's authenticator app: its key, and the last time step it gave a code for. The shop takes each
    step once, and one either side of now: a second code within the same 30 seconds is the next step's."""

    def __init__(self, secret):
        self.totp = pyotp.TOTP(secret)
        self.last = None

    def code(self):
        now = int(time.time()) // self.totp.interval
        step = now if self.last is None or self.last < now else self.last + 1
        if step > now + 1:  # both usable steps spent: wait for the next one to open
            time.sleep((step - 1) * self.totp.interval - time.time() + 0.2)
        self.last = step
        return self.totp.generate_otp(step)


def authenticators(server):
    """The apps of the accounts enrolled on this server, by email."""
    return server.__dict__.setdefault("authenticators", {})


def next_page(driver, button):
    """Clicks a form's submit button and waits for the page that answers it: a new document (the mark set on this
    one is gone), loaded. (Waiting for the button to go stale can fail in chromedriver while the page changes.)"""
    driver.execute_script("window.__leaving = true")
    button.click()
    WebDriverWait(driver, 15, ignored_exceptions=(WebDriverException,)).until(
        lambda d: d.execute_script("return window.__leaving === undefined && document.readyState === 'complete'")
    )


def main_text(driver):
    return driver.find_element(By.TAG_NAME, "main").text


def submit_password(driver, email, password=PASSWORD):
    """Fills the sign-in form and sends it; the page after it must not be the form again."""
    driver.find_element(By.ID, "email").send_keys(email)
    driver.find_element(By.ID, "password").send_keys(password)
    next_page(driver, driver.find_element(By.CSS_SELECTOR, ".login button[type=submit]"))
    assert "/admin/login" not in driver.current_url, f"{email} was not signed in: {main_text(driver)[:500]}"


def enter_code(driver, code):
    """Types a code (or a recovery code) into the second step's form and sends it."""
    driver.find_element(By.ID, "code").send_keys(code)
    next_page(driver, driver.find_element(By.CSS_SELECTOR, ".login button[type=submit]"))


def second_step(driver, server, email, look=None):
    """After the password: the second step if the role asks for one (True), else nothing (False). The first time,
    the app is set up from the key on the enrolment page, its first code turns it on, and the ten recovery codes are
    passed by; later, the app's code is typed. `look(page)`, when given, is called on each page of the step."""
    if "/admin/second-factor" not in driver.current_url:
        return False
    apps = authenticators(server)
    key = driver.find_elements(By.CSS_SELECTOR, "[data-testid=enrol-secret]")
    if key:
        if look:
            look("enrolment page")
        apps[email] = Authenticator(key[0].text.strip())
        enter_code(driver, apps[email].code())
        codes = driver.find_elements(By.CSS_SELECTOR, "[data-testid=recovery-codes] li")
        assert len(codes) == 10, f"{email}: no recovery codes after the first code: {main_text(driver)[:500]}"
        if look:
            look("recovery codes page")
        driver.find_element(By.CSS_SELECTOR, "[data-testid=continue]").click()
    else:
        assert email in apps, f"{email} is asked for a code but never enrolled here"
        if look:
            look("code page")
        enter_code(driver, apps[email].code())
        assert "/admin/second-factor" not in driver.current_url, f"{email}'s code was refused: {main_text(driver)[:300]}"
    WebDriverWait(driver, 15).until(lambda d: "/admin/second-factor" not in d.current_url)
    return True


def sign_in(driver, server, email, path, look=None):
    """A back-office page sends a signed-out visitor to the sign-in form, and back to it after the password and (for
    owners and managers) the second step. Returns whether the second step was asked for."""
    driver.delete_all_cookies()
    driver.get(server.base + path)
    arrive(driver, "/admin/login")
    submit_password(driver, email)
    asked = second_step(driver, server, email, look)
    arrive(driver, path)
    return asked


def pdf_pages(driver, path):
    """Prints the page as Chromium prints it and returns the number of pages."""
    pdf = base64.b64decode(driver.execute_cdp_cmd("Page.printToPDF", {"printBackground": True, "preferCSSPageSize": True})["data"])
    path.write_bytes(pdf)
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))


def test_staff_work_through_the_day_in_chromium(server, browser, artifacts):
    add_staff(server, "sasha@shop.example", "Sasha Florist", "florist")
    add_staff(server, "kolya@shop.example", "Kolya Courier", "courier")
    add_staff(server, "mila@shop.example", "Mila Manager", "manager")
    add_staff(server, "olga@shop.example", "Olga Owner", "owner")
    windows = call(server.base, "GET", "/api/v1/stores/petals/delivery-windows").json
    window = next(w for w in windows if w["remaining"] >= 3)["id"]
    product = next(p for p in call(server.base, "GET", "/api/v1/stores/petals/products").json if p["available"])["id"]
    numbers = []
    for name in ("Anna Petrova", "Boris Orlov", "Vera Sokolova"):
        body = order_body(window, product, note=f"For {name.split()[0]}: with love")
        body["customer"]["name"] = name
        answer = place(server.base, body)
        assert answer.status == 201, answer.body
        numbers.append(answer.json["number"])

    browser.set_window_size(1280, 900)
    # A page of the back-office sends a signed-out visitor to the login, and back after it; a florist's password
    # is enough.
    asked = sign_in(browser, server, "sasha@shop.example", "/admin/petals/orders")
    assert not asked, "a florist was asked for a second step"
    assert browser.find_element(By.CSS_SELECTOR, "[data-testid=staff-name]").text.startswith("Sasha Florist")
    assert "florist" in browser.find_element(By.CSS_SELECTOR, "[data-testid=staff-name]").text
    rows = browser.find_elements(By.CSS_SELECTOR, "[data-testid=orders] tbody tr")
    assert len(rows) == 3
    snapshot(browser, artifacts, "back-office-orders")

    # Filter: by name, then by tour and status.
    search = browser.find_element(By.NAME, "q")
    search.send_keys("boris")
    browser.find_element(By.CSS_SELECTOR, "[data-testid=filters] button[type=submit]").click()
    arrive(browser, "q=boris")
    rows = browser.find_elements(By.CSS_SELECTOR, "[data-testid=orders] tbody tr")
    assert len(rows) == 1 and "Boris Orlov" in rows[0].text
    snapshot(browser, artifacts, "back-office-orders-filtered")
    rows[0].find_element(By.CSS_SELECTOR, "a").click()
    arrive(browser, f"/admin/petals/orders/{numbers[1]}")

    # Move it on: new → confirmed, with the change in its history under Sasha's name.
    assert browser.find_element(By.CSS_SELECTOR, "[data-testid=status]").text == "new"
    browser.find_element(By.CSS_SELECTOR, "[data-testid=advance]").click()
    arrive(browser, "done=")
    assert browser.find_element(By.CSS_SELECTOR, "[data-testid=status]").text == "confirmed"
    assert "new → confirmed by Sasha Florist" in browser.find_element(By.CSS_SELECTOR, "[data-testid=history]").text
    # A florist is not offered a cancellation, and her browser posting one anyway is refused and changes nothing.
    assert not browser.find_elements(By.CSS_SELECTOR, ".cancel button"), "a florist is offered to cancel"
    refused = browser.execute_async_script(
        """const done = arguments[arguments.length - 1]; const form = document.querySelector('form.inline');
        const body = new URLSearchParams(
            {csrf: form.csrf.value, from: 'confirmed', status: 'cancelled', reason: 'Florist says so'});
        fetch(form.action, {method: 'POST', body, redirect: 'manual'}).then(r => done(r.status), e => done(String(e)));"""
    )
    assert refused == 403, f"a florist's cancellation was answered {refused}"
    browser.refresh()
    assert browser.find_element(By.CSS_SELECTOR, "[data-testid=status]").text == "confirmed"
    snapshot(browser, artifacts, "back-office-order")

    # The assembly sheet, as printed: no navigation, one order per page.
    browser.find_element(By.CSS_SELECTOR, "[data-testid=sheet-link]").click()
    arrive(browser, f"/admin/petals/orders/{numbers[1]}/sheet")
    sheet = browser.find_element(By.CSS_SELECTOR, "[data-testid=sheet]")
    assert numbers[1] in sheet.text and "For Boris: with love" in sheet.text
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    assert browser.execute_script("return getComputedStyle(document.querySelector('.admin-header')).display") == "none"
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    snapshot(browser, artifacts, "back-office-assembly-sheet")
    assert pdf_pages(browser, artifacts / "assembly-sheet.pdf") == 1

    # The tour's sheets print three pages.
    browser.get(server.base + f"/admin/petals/tours/{window}/sheets")
    assert len(browser.find_elements(By.CSS_SELECTOR, "[data-testid=sheet]")) == 3
    assert pdf_pages(browser, artifacts / "assembly-sheets-tour.pdf") == 3

    # Anna's bouquet goes up to ready, and no further: handing it over is the courier's.
    browser.get(server.base + f"/admin/petals/orders/{numbers[0]}")
    for status in ("confirmed", "assembling", "ready"):
        next_page(browser, browser.find_element(By.CSS_SELECTOR, "[data-testid=advance]"))
        assert browser.find_element(By.CSS_SELECTOR, "[data-testid=status]").text == status, main_text(browser)[:500]
    offered = [b.text for b in browser.find_elements(By.CSS_SELECTOR, "[data-testid=advance]")]
    assert not [t for t in offered if "delivery" in t.lower()], f"a florist is offered to send a ready order out: {offered}"

    # A florist does not reach the couriers' manifest, the catalog, the staff or the audit log.
    manifest = f"/admin/petals/tours/{window}/manifest"
    for path in (manifest, "/admin/petals/products", "/admin/petals/staff", "/admin/petals/audit"):
        browser.get(server.base + path)
        assert "Not for your role" in browser.page_source, f"a florist reached {path}: {main_text(browser)[:300]}"

    # The courier (password only) has the tour's manifest: three stops, a button only beside the ready one.
    assert not sign_in(browser, server, "kolya@shop.example", manifest), "a courier was asked for a second step"
    assert len(browser.find_elements(By.CSS_SELECTOR, "[data-testid=manifest] tbody tr")) == 3
    steps = [b.get_attribute("data-testid") for b in browser.find_elements(By.CSS_SELECTOR, "[data-testid^=step-]")]
    assert steps == [f"step-{numbers[0]}"], steps
    snapshot(browser, artifacts, "back-office-manifest")
    next_page(browser, browser.find_element(By.CSS_SELECTOR, f"[data-testid=step-{numbers[0]}]"))
    assert manifest in browser.current_url, browser.current_url
    row = next(r for r in browser.find_elements(By.CSS_SELECTOR, "[data-testid=manifest] tbody tr") if numbers[0] in r.text)
    assert "out for delivery" in row.text.lower(), row.text
    assert browser.find_element(By.CSS_SELECTOR, f"[data-testid=step-{numbers[0]}]").text == "Delivered"
    browser.get(server.base + "/admin/petals/orders")
    assert "Not for your role" in browser.page_source, "a courier reached the orders with customers' details"

    # The manager (after the second step) cancels: not without a reason, then with one.
    order = f"/admin/petals/orders/{numbers[1]}"
    assert sign_in(browser, server, "mila@shop.example", order), "a manager was not asked for a second step"
    browser.find_element(By.CSS_SELECTOR, ".cancel button").click()
    WebDriverWait(browser, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".alert"))
    assert "Say why" in browser.find_element(By.CSS_SELECTOR, ".alert").text
    assert browser.find_element(By.CSS_SELECTOR, "[data-testid=status]").text == "confirmed"
    browser.find_element(By.ID, "reason").send_keys("Customer called: away that week")
    browser.find_element(By.CSS_SELECTOR, ".cancel button").click()
    arrive(browser, "done=")
    assert browser.find_element(By.CSS_SELECTOR, "[data-testid=status]").text == "cancelled"
    history = browser.find_element(By.CSS_SELECTOR, "[data-testid=history]").text
    assert "confirmed → cancelled by Mila Manager: Customer called: away that week" in history, history

    # The owner (after the second step) sees the day at a glance, and the catalog.
    assert sign_in(browser, server, "olga@shop.example", "/admin/petals/"), "an owner was not asked for a second step"
    day = browser.find_element(By.CSS_SELECTOR, "main").text
    assert "at a glance" in day
    snapshot(browser, artifacts, "back-office-dashboard")
    browser.get(server.base + "/admin/petals/products")
    assert len(browser.find_elements(By.CSS_SELECTOR, "[data-testid=products] tbody tr")) >= 25
