"""The admin API's bearer token: long enough to be unguessable, and readable from a file so `ps` does not show it."""
import os
import subprocess
from pathlib import Path

from api import call
from conftest import Floodgate


def test_a_short_admin_token_stops_the_start_without_printing_it(data_dir):
    binary = Floodgate(data_dir).binary
    result = subprocess.run(
        [binary, "serve", "--data", str(data_dir), "--admin-token", "s3cret-admin"],
        cwd=data_dir, capture_output=True, text=True, timeout=60,
    )
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "'admin.token'" in output and "at least 32" in output, output
    assert "s3cret-admin" not in output


def test_the_admin_token_is_read_from_a_file_and_not_shown_by_ps(data_dir):
    token = "e2e-file-token-" + "0123456789abcdef" * 2
    path = Path(data_dir) / "admin-token"
    path.write_text(token + "\n")
    os.chmod(path, 0o600)
    fg = Floodgate(data_dir, ["--admin-token-file", str(path)]).start()
    try:
        assert call(fg.base, "GET", "/api/v1/admin/tasks", headers={"Authorization": f"Bearer {token}"}).status == 200
        assert call(fg.base, "GET", "/api/v1/admin/tasks", headers={"Authorization": "Bearer " + "x" * 40}).status == 401
        command_line = Path(f"/proc/{fg.process.pid}/cmdline").read_bytes()
        assert token.encode() not in command_line
    finally:
        fg.stop()
