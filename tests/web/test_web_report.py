"""``trucewatch report``: one self-contained file, filtered like ``events``, whose inline scripts are
exactly those its Content-Security-Policy allows; clean errors for a missing database or a bad date."""

from __future__ import annotations

import base64
import hashlib
import re
from html import unescape
from pathlib import Path

from typer.testing import CliRunner

from trucewatch.cli import app as cli


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["report", *args])
    return result.exit_code, result.output


def test_web_report_scripts_are_the_ones_its_policy_allows(ledger_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    code, output = run("--db", str(ledger_db), "-o", str(out))
    assert code == 0, output
    html = out.read_text(encoding="utf-8")
    policy = unescape(re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1))
    assert "connect-src 'none'" in policy and "default-src 'none'" in policy
    scripts = re.findall(r"<script>(.*?)</script>", html, re.DOTALL)
    assert len(scripts) == 5
    for script in scripts:
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy


def test_web_report_follows_the_filters(ledger_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "strikes.html"
    code, output = run("--db", str(ledger_db), "-o", str(out), "--type", "strike", "--since", "2020", "--news")
    assert code == 0, output
    html = out.read_text(encoding="utf-8")
    rows = re.findall(r'<tr data-type="(\w+)" data-id="\d+" data-date="([^"]*)">', html)
    assert rows and {t for t, _ in rows} == {"strike"}
    assert all(d[:4] >= "2020" for _, d in rows)
    assert "Filters: type strike, since 2020, news only." in html


def test_web_report_refuses_a_missing_database_and_a_bad_date(ledger_db: Path, tmp_path: Path) -> None:
    code, output = run("--db", str(tmp_path / "nope.db"), "-o", str(tmp_path / "r.html"))
    assert code == 2 and "no such database" in output
    assert not (tmp_path / "nope.db").exists(), "no empty database is made"
    code, output = run("--db", str(ledger_db), "-o", str(tmp_path / "r.html"), "--since", "2017-13")
    assert code == 2 and "2017-13" in output
    code, output = run("--db", str(ledger_db), "-o", str(tmp_path / "r.html"), "--type", "picnic")
    assert code == 2 and "unknown event type" in output
    assert not (tmp_path / "r.html").exists()
