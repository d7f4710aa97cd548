"""An outside property-based tester (Schemathesis) against the served OpenAPI document, with every check it has.

It generates requests from the document, valid and invalid, sends methods the document does not list and requests
without the admin token, follows the document's links, and fails on any 5xx, any answer the document does not
describe, any invalid request accepted and any valid one refused. `schemathesis.toml` and `schemathesis_hooks.py`
beside this file hold the one gap the document cannot close (a valid order may name things that are not there).

Bounded: a fixed seed (FLOODGATE_SCHEMATHESIS_SEED to try another) and a time budget for the whole run.
"""
import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ARTIFACTS, Floodgate

HERE = Path(__file__).resolve().parent
TOKEN = "schemathesis-admin-token-0123456789abcdef01"
SEED = os.environ.get("FLOODGATE_SCHEMATHESIS_SEED", "20261203")
# Seconds for the whole run: fuzzing and stateful testing repeat until it is spent.
BUDGET = 90


def schemathesis_or_skip():
    if importlib.util.find_spec("schemathesis") is not None:
        return
    message = (
        f"schemathesis is not installed for {sys.executable}: "
        "run scripts/test --setup-only, then .venv-test/bin/python -m pytest"
    )
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def test_the_api_passes_schemathesis_with_every_check(data_dir):
    schemathesis_or_skip()
    fg = Floodgate(data_dir, ["--admin-token", TOKEN]).start()
    try:
        api = f"{fg.base}/api/v1"
        command = [
            sys.executable, "-m", "schemathesis.cli", "--config-file", str(HERE / "schemathesis.toml"), "--no-color",
            "run", f"{api}/openapi.yaml", "--url", api, "--checks", "all", "-H", f"Authorization: Bearer {TOKEN}",
            "--max-examples", "25", "--max-time", str(BUDGET), "--seed", SEED, "--workers", "2",
        ]
        env = {**os.environ, "SCHEMATHESIS_HOOKS": str(HERE / "schemathesis_hooks.py")}
        result = subprocess.run(command, cwd=data_dir, env=env, capture_output=True, text=True, timeout=BUDGET + 60)
    finally:
        fg.stop()
    output = result.stdout + result.stderr
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "schemathesis.txt").write_text(output)
    assert result.returncode == 0, f"schemathesis found problems (seed {SEED}; all of it in artifacts/schemathesis.txt):\n{output[-6000:]}"
    selected, tested = re.search(r"Selected: (\d+)/\d+", output), re.search(r"Tested: (\d+)", output)
    assert selected and tested and int(tested[1]) == int(selected[1]) > 10, f"not every operation was tested:\n{output[-3000:]}"
