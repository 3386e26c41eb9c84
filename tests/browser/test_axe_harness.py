"""The accessibility check itself can fail: a page with known defects is reported."""

from __future__ import annotations

import pytest

from tests.browser.axe import describe, run_axe

pytestmark = pytest.mark.browser


def test_axe_reports_a_missing_alt_text_and_an_unlabelled_field(page, axe_source):
    page.goto("/en/")
    page.evaluate(
        """() => {
            const main = document.querySelector("main");
            main.insertAdjacentHTML("beforeend",
                '<img src="/static/venskab.css" id="no-alt"><input type="text" id="no-label">');
        }"""
    )

    violations = run_axe(page, axe_source)

    found = {v["id"] for v in violations}
    assert {"image-alt", "label"} <= found, found
    report = describe(violations, page.url)
    assert "#no-alt" in report and "#no-label" in report
