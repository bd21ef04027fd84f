"""The code passes the linter configured in pyproject.toml, and vendored code is as published."""

import os
import shutil
import subprocess

import pytest

from tests.conftest import ROOT


def test_ruff_finds_nothing():
    ruff = shutil.which("ruff")
    if ruff is None:
        pytest.skip("ruff is not installed (pip install -e '.[test]')")
    done = subprocess.run([ruff, "check", "."], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_qr_code_maker_is_the_published_package_unchanged():
    """templates/static/qrcode.js is qrcode-generator's ES module, as pinned in
    tests/package-lock.json and installed by `npm ci --prefix tests`."""
    published = ROOT / "tests/node_modules/qrcode-generator/dist/qrcode.mjs"
    if not published.is_file():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{published} is missing; CI runs npm ci --prefix tests")
        pytest.skip("run npm ci --prefix tests")
    assert (ROOT / "templates/static/qrcode.js").read_bytes() == published.read_bytes()
