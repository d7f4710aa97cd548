"""Staff work through a day in real headless Chromium: sign in, find an order, move it on, print sheets.

Screenshots and the printed PDFs are kept in artifacts/ so a person can look at what the florists get.
"""
import base64
import re
import subprocess

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from api import call, order_body, place
from test_browser_purchase import arrive, browser, snapshot  # noqa: F401  (fixture)

PASSWORD = "correct horse battery"


def add_staff(server, email, name, role):
    done = subprocess.run(
        [server.binary, "staff", "add", "--data", str(server.data_dir), "--email", email, "--name", name, "--role", role, "--password-stdin"],
        input=PASSWORD + "\n", text=True, capture_output=True, cwd=server.data_dir, timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert f"Added {role} {name}" in done.stdout


def sign_in(driver, server, email, path):
    driver.delete_all_cookies()
    driver.get(server.base + path)
    arrive(driver, "/admin/login")
    driver.find_element(By.ID, "email").send_keys(email)
    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, ".login button[type=submit]").click()
    arrive(driver, path)


def pdf_pages(driver, path):
    """Prints the page as Chromium prints it and returns the number of pages."""
    pdf = base64.b64decode(driver.execute_cdp_cmd("Page.printToPDF", {"printBackground": True, "preferCSSPageSize": True})["data"])
    path.write_bytes(pdf)
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))


def test_staff_work_through_the_day_in_chromium(server, browser, artifacts):
    add_staff(server, "sasha@shop.example", "Sasha Florist", "staff")
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
    # A page of the back-office sends a signed-out visitor to the login, and back after it.
    sign_in(browser, server, "sasha@shop.example", "/admin/petals/orders")
    assert browser.find_element(By.CSS_SELECTOR, "[data-testid=staff-name]").text.startswith("Sasha Florist")
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
    # A cancellation without a reason is refused and changes nothing.
    browser.find_element(By.CSS_SELECTOR, ".cancel button").click()
    WebDriverWait(browser, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".alert"))
    assert "Say why" in browser.find_element(By.CSS_SELECTOR, ".alert").text
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

    # The tour's sheets print three pages; its manifest lists three stops.
    browser.get(server.base + f"/admin/petals/tours/{window}/sheets")
    assert len(browser.find_elements(By.CSS_SELECTOR, "[data-testid=sheet]")) == 3
    assert pdf_pages(browser, artifacts / "assembly-sheets-tour.pdf") == 3
    browser.get(server.base + f"/admin/petals/tours/{window}/manifest")
    assert len(browser.find_elements(By.CSS_SELECTOR, "[data-testid=manifest] tbody tr")) == 3
    snapshot(browser, artifacts, "back-office-manifest")

    # Staff do not reach owner pages; the owner does, and sees the day at a glance.
    browser.get(server.base + "/admin/petals/products")
    assert "For owners only" in browser.find_element(By.TAG_NAME, "main").text
    sign_in(browser, server, "olga@shop.example", "/admin/petals/")
    day = browser.find_element(By.CSS_SELECTOR, "main").text
    assert "at a glance" in day
    snapshot(browser, artifacts, "back-office-dashboard")
    browser.get(server.base + "/admin/petals/products")
    assert len(browser.find_elements(By.CSS_SELECTOR, "[data-testid=products] tbody tr")) >= 25
