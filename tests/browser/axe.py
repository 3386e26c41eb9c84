"""axe-core in the page: WCAG 2.1 A and AA, zero violations, and a report a developer can act on."""

from __future__ import annotations

from typing import Any

import pytest

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def run_axe(page: Any, axe_source: str) -> list[dict]:
    """The violations axe finds on the page as it is now.

    The site's CSP allows no inline script, so axe is evaluated through the DevTools protocol
    (page.evaluate), which the page's CSP does not govern, rather than through a <script> tag.
    """
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source)
    results = page.evaluate(
        """async (tags) => {
            const results = await axe.run(document, {
                runOnly: {type: "tag", values: tags},
                resultTypes: ["violations"],
            });
            return results.violations.map((v) => ({
                id: v.id,
                impact: v.impact,
                help: v.help,
                helpUrl: v.helpUrl,
                nodes: v.nodes.map((n) => ({
                    target: n.target,
                    html: n.html,
                    summary: n.failureSummary,
                })),
            }));
        }""",
        WCAG_TAGS,
    )
    return results


def describe(violations: list[dict], url: str) -> str:
    lines = [f"{len(violations)} accessibility violation(s) on {url}:"]
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']}"
            f" <{violation['helpUrl']}>"
        )
        for node in violation["nodes"]:
            lines.append(f"    at {' '.join(map(str, node['target']))}")
            lines.append(f"       {node['html'][:300]}")
            for detail in (node.get("summary") or "").splitlines():
                lines.append(f"       {detail}")
    return "\n".join(lines)


def assert_accessible(page: Any, axe_source: str) -> None:
    violations = run_axe(page, axe_source)
    if violations:
        message = describe(violations, page.url)
        print(message)
        pytest.fail(message, pytrace=False)
