"""Helpers for the Playwright tests (the browser and page fixtures are in conftest): an axe-core
check and a CSP-safe wait."""


def assert_accessible(page, context=None):
    """Run axe-core on the page; fail with its report if anything is violated."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, context=context)
    assert results.violations_count == 0, results.generate_report()


def wait_until(page, expression, timeout_ms=10_000):
    """Poll `expression` in the page. (wait_for_function would eval a string in the page,
    which the strict CSP forbids; evaluate runs through the debugger protocol instead.)"""
    for _ in range(timeout_ms // 50):
        if page.evaluate(expression):
            return
        page.wait_for_timeout(50)
    raise AssertionError(f"timed out waiting for {expression}")


def assert_accessible_and_error_free(page):
    """axe-core finds nothing, and the page reported no script error or CSP violation."""
    assert_accessible(page)
    assert page.js_errors == []
