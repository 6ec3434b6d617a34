"""The admin page (issue 12) in a real browser: Debian's headless Chromium driven by Selenium,
against an instance with its admin listener. Sign in, create a key, see it listed, make calls
through the proxy, see them in the recent requests and the usage chart, block the key, and see
the next call refused."""
import re

import httpx
import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import ADMIN_TOKEN, Fleet

BODY = {"model": "gpt-4o", "messages": [{"role": "user", "content": "from the browser test"}]}


@pytest.fixture
def fleet():
    started = Fleet(1, admin=True)
    yield started
    started.stop()


@pytest.fixture
def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    yield driver
    driver.quit()


def labelled(browser, name):
    """The control whose accessible name is `name` (its aria-label or its visible text)."""
    for element in browser.find_elements(By.CSS_SELECTOR, "input, button, select, section"):
        if element.get_attribute("aria-label") == name or element.text.strip() == name:
            return element
    raise AssertionError(f"no control named {name!r}")


def test_sign_in_create_a_key_see_its_calls_and_block_it(fleet, browser, mock):
    admin = fleet.admin_urls[0]
    auth = {"authorization": f"Bearer {ADMIN_TOKEN}"}
    endpoint = {"name": "main", "type": "openai", "base_url": mock.base_url, "secret": "page-secret"}
    assert httpx.post(f"{admin}/api/orgs/acme/endpoints", headers=auth, json=endpoint).status_code == 201
    # The page re-renders its tables on every refresh: an element read mid-render is retried.
    wait = WebDriverWait(browser, 10, ignored_exceptions=(NoSuchElementException, StaleElementReferenceException))

    browser.get(f"{admin}/")
    labelled(browser, "Admin token").send_keys(ADMIN_TOKEN)
    labelled(browser, "Sign in").click()
    org = browser.find_element(By.NAME, "org")
    org.clear()
    org.send_keys("acme")
    browser.find_element(By.NAME, "name").send_keys("from-the-page")
    labelled(browser, "Create key").click()
    secret = wait.until(lambda b: b.find_element(By.ID, "secret").text if b.find_element(By.ID, "secret").is_displayed() else None)
    key = re.search(r"(sk-aip-\S+)", secret).group(1)
    key_id = re.search(r"for (\S+) ", secret).group(1)
    wait.until(lambda b: b.find_elements(By.CSS_SELECTOR, f'tr[data-key-id="{key_id}"]'))

    headers = {"authorization": f"Bearer {key}", "x-bt-use-cache": "never", "x-bt-use-creds-cache": "never"}
    for _ in range(2):
        assert httpx.post(f"{fleet.instance_urls[0]}/v1/chat/completions", json=BODY, headers=headers, timeout=30).status_code == 200

    labelled(browser, "Recent requests").click()

    def rows_for_key(b):
        labelled(b, "Filter").click()
        rows = [row.text for row in b.find_elements(By.CSS_SELECTOR, "#request-rows tr") if key_id in row.text]
        return rows if len(rows) >= 2 else None
    rows = wait.until(rows_for_key)
    assert all("200" in row and "gpt-4o" in row for row in rows)
    assert browser.find_element(By.ID, "latency").text.endswith("ms")

    labelled(browser, "Usage").click()
    wait.until(lambda b: b.find_elements(By.CSS_SELECTOR, "#chart rect"))

    labelled(browser, "Keys").click()
    def block(b):
        row = b.find_element(By.CSS_SELECTOR, f'tr[data-key-id="{key_id}"]')
        row.find_element(By.XPATH, ".//button[normalize-space()='Block']").click()
        return True
    wait.until(block)
    wait.until(lambda b: "blocked" in b.find_element(By.CSS_SELECTOR, f'tr[data-key-id="{key_id}"]').text)
    refused = httpx.post(f"{fleet.instance_urls[0]}/v1/chat/completions", json=BODY, headers=headers, timeout=30)
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "key_blocked"
