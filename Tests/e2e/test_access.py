"""Issue 24, in real headless Chromium on both engines: who may do what in a store, and who did it.

An owner's first sign-in sets up an authenticator app from the QR code the shop draws (read back from a screenshot
with a real decoder, `zbarimg`, and the code computed by an independent TOTP, `pyotp`); a recovery code opens the
back-office once. The owner adds a contractor for the catalog only, who signs in with a password, sees the catalog
and not the orders, until the owner ends that session. The audit page shows the chain intact and who did all that.
"""
import datetime
import subprocess
from urllib.parse import parse_qs, unquote, urlparse

import pyotp
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from test_back_office import PASSWORD, add_staff, enter_code, main_text, next_page, sign_in, submit_password
from test_browser_purchase import arrive, browser, chromium, console_errors, snapshot  # noqa: F401  (fixture)
from test_security import ENGINES, start_on

OWNER = ("olga@shop.example", "Olga Owner")
CONTRACTOR = ("kostya@it.example", "Kostya Contractor")
REFUSED = "That code is not right (or was used already)."


@pytest.fixture(params=ENGINES)
def shop(request, data_dir):
    """The shop on SQLite, and on PostgreSQL when the tests have a server (a database of its own)."""
    fg = start_on(request.param, data_dir, "e2e_access")
    yield fg
    fg.stop()


@pytest.fixture
def second_browser():
    """Another person's browser: its own Chromium, its own cookies."""
    driver = chromium()
    yield driver
    driver.quit()


def read_qr(element, folder):
    """The text of the QR code drawn in `element`, as a phone's camera would get it: a screenshot decoded by zbarimg."""
    image = folder / "enrol-qr.png"
    image.write_bytes(element.screenshot_as_png)
    done = subprocess.run(["zbarimg", "--raw", "-q", str(image)], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0 and done.stdout.strip(), f"zbarimg read no QR code in {image}: {done.stderr}"
    return done.stdout.strip()


def sign_out(driver):
    next_page(driver, driver.find_element(By.CSS_SELECTOR, ".signout button[type=submit]"))
    arrive(driver, "/admin/login")


def alert(driver):
    found = driver.find_elements(By.CSS_SELECTOR, ".alert")
    return found[0].text if found else ""


def status_of(driver, path):
    """The HTTP status the browser gets for `path`, with its cookies (a page load does not show it)."""
    return driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "fetch(arguments[0], {redirect: 'manual'}).then(r => done(r.status), e => done(String(e)));", path)


def test_an_owner_enrols_from_the_qr_code_and_a_recovery_code_opens_once(shop, browser, artifacts):
    email, name = OWNER
    add_staff(shop, email, name, "owner")
    browser.set_window_size(1280, 900)
    browser.get(shop.base + "/admin/petals/")
    arrive(browser, "/admin/login")
    submit_password(browser, email)
    arrive(browser, "/admin/second-factor")

    # The enrolment page: the QR code a phone scans says what the key beside it says.
    figure = browser.find_element(By.CSS_SELECTOR, "[data-testid=enrol-qr]")
    shown = browser.find_element(By.CSS_SELECTOR, "[data-testid=enrol-secret]").text.strip()
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", figure)
    snapshot(browser, artifacts, "second-factor-enrolment")
    link = read_qr(figure, shop.data_dir)
    parts = urlparse(link)
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    assert parts.scheme == "otpauth" and parts.netloc == "totp", link
    assert query.get("secret") == shown, f"the QR code's key {query.get('secret')} is not the key shown, {shown}"
    assert email in unquote(parts.path) and query.get("issuer") == "Floodgate", link
    app = pyotp.parse_uri(link)  # digits, period and algorithm as the link says (or the defaults)
    first = app.now()
    enter_code(browser, first)
    codes = [c.text.strip() for c in browser.find_elements(By.CSS_SELECTOR, "[data-testid=recovery-codes] li")]
    assert len(codes) == 10 and len(set(codes)) == 10 and all(codes), f"not ten recovery codes: {codes}"
    assert console_errors(browser) == []
    browser.find_element(By.CSS_SELECTOR, "[data-testid=continue]").click()
    arrive(browser, "/admin/petals/")
    assert browser.find_element(By.CSS_SELECTOR, "[data-testid=staff-name]").text.startswith(name)

    # Signed in again: no enrolment now; the code already used is refused, a recovery code opens.
    sign_out(browser)
    submit_password(browser, email)
    arrive(browser, "/admin/second-factor")
    assert not browser.find_elements(By.CSS_SELECTOR, "[data-testid=enrol-qr]"), "enrolment offered again"
    enter_code(browser, first)
    assert "/admin/second-factor" in browser.current_url and REFUSED in alert(browser), main_text(browser)[:500]
    enter_code(browser, codes[0])
    arrive(browser, "/admin/petals/")  # the login form's default next: /admin, then the first store
    assert browser.find_element(By.CSS_SELECTOR, "[data-testid=staff-name]").text.startswith(name)

    # The same recovery code a second time is refused; another one still works.
    sign_out(browser)
    submit_password(browser, email)
    arrive(browser, "/admin/second-factor")
    enter_code(browser, codes[0])
    assert "/admin/second-factor" in browser.current_url and REFUSED in alert(browser), main_text(browser)[:500]
    browser.get(shop.base + "/admin/petals/orders")
    assert "/admin/second-factor" in browser.current_url, "a refused code opened the back-office"
    enter_code(browser, codes[1])
    arrive(browser, "/admin/petals/orders")


def test_an_owner_adds_a_contractor_ends_their_session_and_reads_the_audit_log(shop, browser, second_browser, artifacts):
    add_staff(shop, OWNER[0], OWNER[1], "owner")
    browser.set_window_size(1280, 900)
    assert sign_in(browser, shop, OWNER[0], "/admin/petals/staff"), "an owner was not asked for a second step"

    # The owner adds a contractor for the catalog, for a month, with the staff page's form.
    email, name = CONTRACTOR
    until = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
    form = browser.find_element(By.CSS_SELECTOR, "form.form-grid")
    form.find_element(By.NAME, "email").send_keys(email)
    form.find_element(By.NAME, "name").send_keys(name)
    Select(form.find_element(By.NAME, "role")).select_by_value("contractor")
    form.find_element(By.CSS_SELECTOR, "input[type=checkbox][name=catalog]").click()
    # A date field's typing depends on the browser's locale; the value it sends is always YYYY-MM-DD.
    browser.execute_script("arguments[0].value = arguments[1]", form.find_element(By.NAME, "until"), until)
    form.find_element(By.NAME, "password").send_keys(PASSWORD)
    next_page(browser, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    assert "/admin/petals/staff" in browser.current_url and not alert(browser), main_text(browser)[:800]
    rows = [r.text for r in browser.find_elements(By.CSS_SELECTOR, "[data-testid=staff] tbody tr")]
    row = next((r for r in rows if email in r), None)
    assert row and "contractor" in row and "catalog" in row and until in row, f"no contractor row for {email}: {rows}"

    # The contractor signs in with a password alone and has the catalog, not the orders.
    contractor = second_browser
    contractor.set_window_size(1280, 900)
    assert not sign_in(contractor, shop, email, "/admin/petals/products"), "a contractor was asked for a second step"
    links = [a.text for a in contractor.find_elements(By.CSS_SELECTOR, ".admin-header nav a")]
    assert "Catalog" in links and "Orders" not in links, links
    assert contractor.find_elements(By.CSS_SELECTOR, "[data-testid=products] tbody tr"), main_text(contractor)[:500]
    assert status_of(contractor, "/admin/petals/orders") == 403
    contractor.get(shop.base + "/admin/petals/orders")
    assert "Not for your role" in contractor.page_source and "Anna" not in contractor.page_source

    # The owner sees the contractor signed in and ends that session; the contractor's next page is the sign-in form.
    browser.get(shop.base + "/admin/petals/staff")
    live = [r for r in browser.find_elements(By.CSS_SELECTOR, "[data-testid=sessions] tbody tr") if name in r.text]
    assert len(live) == 1, [r.text for r in browser.find_elements(By.CSS_SELECTOR, "[data-testid=sessions] tbody tr")]
    end = live[0].find_element(By.CSS_SELECTOR, "button[data-testid^=end-]")
    snapshot(browser, artifacts, "back-office-staff")
    next_page(browser, end)
    assert "/admin/petals/staff" in browser.current_url, browser.current_url
    sessions = browser.find_element(By.CSS_SELECTOR, "[data-testid=sessions]").text
    assert name not in sessions and OWNER[1] in sessions, sessions
    contractor.get(shop.base + "/admin/petals/products")
    arrive(contractor, "/admin/login")
    assert contractor.find_elements(By.ID, "password"), main_text(contractor)[:500]

    # The audit page: the chain is intact, and it lists the contractor's sign-in and the owner adding them.
    browser.get(shop.base + "/admin/petals/audit")
    chain = browser.find_element(By.CSS_SELECTOR, "[data-testid=chain]").text
    assert chain.startswith("The log is intact"), chain
    entries = [r.text for r in browser.find_elements(By.CSS_SELECTOR, "[data-testid=audit] tbody tr")]
    assert any(name in e and "session.sign-in" in e for e in entries), entries
    assert any(OWNER[1] in e and "staff.add" in e and email in e for e in entries), entries
    assert any(OWNER[1] in e and "session.end" in e for e in entries), entries
    snapshot(browser, artifacts, "back-office-audit")
    assert console_errors(browser) == [] and console_errors(contractor, statuses=(403,)) == []
