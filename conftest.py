"""pytest hooks of the repository: a skipped test is a failure here.

Odoo skips its browser tests when Chromium or websocket-client is missing; a test
suite that reports those as passed hides a missing tool.
"""


def pytest_sessionfinish(session, exitstatus):
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped and exitstatus == 0:
        reporter.write_line(f"{len(skipped)} skipped test(s): a skip is a failure here", red=True)
        session.exitstatus = 1
