"""Issue 24 on the server's command line: `floodgate staff` gives and takes access (what it says is what a sign-in
then meets), personal API tokens work against the running shop until revoked, and `floodgate audit` prints the log
as JSON and finds an entry changed, deleted or rewritten behind the shop's back (the SQLite file tampered with)."""
import hashlib
import http.client
import json
import re
import sqlite3
import subprocess
import urllib.parse

import pytest

from api import call
from test_back_office import PASSWORD
from test_security import ENGINES, start_on

NEW_PASSWORD = "tulips at dawn, twice"


def floodgate(fg, *args, stdin=None):
    """`floodgate ARGS --data … [--database …]` on the shop's own database; the finished process."""
    return subprocess.run(
        [fg.binary, *args, "--data", str(fg.data_dir), *getattr(fg, "database_args", [])],
        input=stdin, capture_output=True, text=True, cwd=fg.data_dir, timeout=60,
    )


def ok(fg, *args, stdin=None):
    done = floodgate(fg, *args, stdin=stdin)
    assert done.returncode == 0, f"floodgate {' '.join(args)} exited {done.returncode}: {done.stderr}{done.stdout}"
    return done.stdout


def password_sign_in(base, email, password):
    """The back-office's sign-in form as a browser posts it (its CSRF cookie and token); the status and where it
    sends the browser (a session cookie comes with a redirect)."""
    host, port = urllib.parse.urlsplit(base).netloc.split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        connection.request("GET", "/admin/login")
        form = connection.getresponse()
        page = form.read().decode()
        cookie = next(
            v.split(";")[0] for k, v in form.getheaders() if k.lower() == "set-cookie" and v.startswith("fg_login=")
        )
        token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
        body = urllib.parse.urlencode({"csrf": token, "next": "/admin", "email": email, "password": password})
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}
        connection.request("POST", "/admin/login", body, headers)
        answer = connection.getresponse()
        answer.read()
        return answer.status, answer.getheader("Location") or ""
    finally:
        connection.close()


def tasks_with(fg, token):
    """The admin API's task list with a bearer token: its status."""
    return call(fg.base, "GET", "/api/v1/admin/tasks", headers={"Authorization": f"Bearer {token}"}).status


def audit_log(fg, *filters):
    """`floodgate audit log --json`: one JSON object a line, newest first."""
    lines = ok(fg, "audit", "log", "--json", "--limit", "1000", *filters).splitlines()
    entries = []
    for line in lines:
        try:
            entries.append(json.loads(line))
        except json.JSONDecodeError as error:
            raise AssertionError(f"audit log --json printed a line that is not JSON: {line!r} ({error})")
    return entries


@pytest.fixture(params=ENGINES)
def shop(request, data_dir):
    fg = start_on(request.param, data_dir, "e2e_cli")
    yield fg
    fg.stop()


def test_staff_commands_give_and_take_access_and_tokens_work_until_revoked(shop):
    sasha = "sasha@shop.example"
    # Weak passwords are refused before anything is written.
    for weak, why in (("short one", "at least 10 characters"), ("password123", "most common")):
        done = floodgate(shop, "staff", "add", "--email", sasha, "--name", "Sasha Florist", "--store", "petals",
                         "--role", "florist", "--password-stdin", stdin=weak + "\n")
        assert done.returncode != 0 and why in done.stderr + done.stdout, (weak, done.stderr, done.stdout)
    assert sasha not in ok(shop, "staff", "list")

    out = ok(shop, "staff", "add", "--email", sasha, "--name", "Sasha Florist", "--store", "petals", "--role", "florist",
             "--password-stdin", stdin=PASSWORD + "\n")
    assert out.startswith(f"Added Sasha Florist <{sasha}>, florist of petals;"), out
    out = ok(shop, "staff", "add", "--email", "olga@shop.example", "--name", "Olga Owner", "--store", "petals",
             "--role", "owner", "--password-stdin", stdin=PASSWORD + "\n")
    assert out.startswith("Added Olga Owner <olga@shop.example>, owner of petals;"), out
    # An unknown role is refused.
    done = floodgate(shop, "staff", "grant", "--email", sasha, "--store", "greenbox", "--role", "staff")
    assert done.returncode != 0, done.stdout

    # A role in a second store, then taken away again; the list says so each time.
    out = ok(shop, "staff", "grant", "--email", sasha, "--store", "greenbox", "--role", "courier")
    assert "is now courier of greenbox" in out, out
    line = next(l for l in ok(shop, "staff", "list").splitlines() if l.startswith(sasha))
    assert "petals:florist" in line and "greenbox:courier" in line, line
    assert "no longer has access to greenbox" in ok(shop, "staff", "revoke", "--email", sasha, "--store", "greenbox")
    line = next(l for l in ok(shop, "staff", "list").splitlines() if l.startswith(sasha))
    assert "petals:florist" in line and "greenbox" not in line, line

    # Disabled: the right password no longer signs in, and the live session has ended; enabled: it does again.
    status, where = password_sign_in(shop.base, sasha, PASSWORD)
    assert status in (302, 303) and where == "/admin", (status, where)
    assert sasha in ok(shop, "staff", "sessions", "--email", sasha)
    assert "is disabled" in ok(shop, "staff", "disable", "--email", sasha)
    assert "disabled" in next(l for l in ok(shop, "staff", "list").splitlines() if l.startswith(sasha))
    assert sasha not in ok(shop, "staff", "sessions", "--email", sasha), "a disabled account's session lives on"
    status, _ = password_sign_in(shop.base, sasha, PASSWORD)
    assert status in (401, 403), f"a disabled account signed in ({status})"
    assert "may sign in again" in ok(shop, "staff", "enable", "--email", sasha)
    assert password_sign_in(shop.base, sasha, PASSWORD)[0] in (302, 303)

    # A new password: the old one stops working, the new one works, and the sessions started before have ended.
    assert sasha in ok(shop, "staff", "sessions", "--email", sasha)
    assert "password of" in ok(shop, "staff", "passwd", "--email", sasha, "--password-stdin", stdin=NEW_PASSWORD + "\n")
    assert sasha not in ok(shop, "staff", "sessions", "--email", sasha), "sessions outlived a new password"
    assert password_sign_in(shop.base, sasha, PASSWORD)[0] == 401
    assert password_sign_in(shop.base, sasha, NEW_PASSWORD)[0] in (302, 303)

    # A personal token: printed once, works against the running shop, not in the list, 401 once revoked. (The
    # scheduled tasks are the whole shop's: an owner of every store reaches them.)
    assert "is now owner of greenbox" in ok(shop, "staff", "grant", "--email", "olga@shop.example", "--store", "greenbox",
                                            "--role", "owner")
    out = ok(shop, "staff", "token", "create", "--email", "olga@shop.example", "--name", "nightly export",
             "--store", "petals", "--role", "owner")
    secrets = re.findall(r"^fgp_[0-9a-f]+$", out, re.M)
    assert len(secrets) == 1 and "shown only now" in out, out
    token, number = secrets[0], re.search(r"^Token (\d+) for olga@shop.example, owner of petals:", out, re.M).group(1)
    assert tasks_with(shop, token) == 200
    listed = ok(shop, "staff", "token", "list")
    assert "nightly export" in listed and token not in listed and token[4:20] not in listed, listed
    # A florist's token has a florist's reach: no scheduled tasks.
    florist = re.search(r"^fgp_[0-9a-f]+$", ok(shop, "staff", "token", "create", "--email", sasha, "--name", "phone",
                                                   "--store", "petals", "--role", "florist"), re.M).group(0)
    assert tasks_with(shop, florist) == 403
    assert f"Token {number} is revoked" in ok(shop, "staff", "token", "revoke", "--id", number)
    assert tasks_with(shop, token) == 401, "a revoked token still opens the admin API"
    assert "revoked" in next(l for l in ok(shop, "staff", "token", "list").splitlines() if l.startswith(f"{number}\t"))

    # Every change above is in the audit log, by the command line.
    entries = audit_log(shop)
    for entry in entries:
        assert {"id", "at", "actor", "action", "object", "details", "hash"} <= entry.keys(), entry
        assert re.fullmatch(r"[0-9a-f]{64}", entry["hash"]), entry
    assert [e["id"] for e in entries] == sorted((e["id"] for e in entries), reverse=True), "not newest first"
    added = [e for e in audit_log(shop, "--action", "staff.add")]
    assert {e["details"]["email"]["after"] for e in added} == {sasha, "olga@shop.example"}, added
    assert all(e["action"] == "staff.add" and e["actor"]["kind"] == "cli" for e in added), added
    sasha_id = next(e["object"] for e in added if e["details"]["email"]["after"] == sasha)
    actions = [e["action"] for e in audit_log(shop, "--object", sasha_id)]
    for action in ("staff.add", "staff.grant", "staff.revoke", "staff.disable", "staff.enable", "staff.password"):
        assert action in actions, f"{action} missing from {sasha_id}'s entries: {actions}"
    assert "staff.token-revoke" in [e["action"] for e in entries]
    assert all(e["actor"]["kind"] == "cli" for e in entries if e["action"].startswith("staff.")), entries
    done = floodgate(shop, "audit", "verify")
    assert done.returncode == 0 and done.stdout.startswith("The audit log is intact:"), done.stdout + done.stderr


# --- Tampering with the SQLite file ------------------------------------------------------------------------------

def canonical_hash(row, previous):
    """An entry's hash as the shop computes it (Sources/FloodgateStore/Audit/AuditChain.swift): SHA-256 of the
    previous hash and of every stored field but the hashes, each as its UTF-8 length, a colon, its text and a line
    break. Written here independently, to rewrite the chain as a careful forger would."""
    fields = ["floodgate-audit-1", str(row["id"]), str(row["at"]), row["actor_kind"],
              "" if row["actor_id"] is None else str(row["actor_id"]), row["actor_name"], row["actor_role"],
              "" if row["store_id"] is None else str(row["store_id"]), row["address"], row["user_agent"],
              row["action"], row["object_type"], row["object_id"], row["details"]]
    text = "".join(f"{len(f.encode())}:{f}\n" for f in fields)
    return hashlib.sha256(previous.encode() + text.encode()).hexdigest()


def copy_of(source, folder, name):
    """A consistent copy of the shop's SQLite file (the backup API: the WAL included)."""
    path = folder / name
    with sqlite3.connect(source) as src, sqlite3.connect(path) as dst:
        src.backup(dst)
    return path


def tamper(path, sql, parameters):
    """Runs `sql` on the file after dropping the triggers that keep the log append-only."""
    db = sqlite3.connect(path)
    try:
        db.execute("DROP TRIGGER audit_log_no_update")
        db.execute("DROP TRIGGER audit_log_no_delete")
        db.execute(sql, parameters)
        db.commit()
    finally:
        db.close()


def verify(fg, path, *args):
    return subprocess.run(
        [fg.binary, "audit", "verify", "--data", str(fg.data_dir), "--database", f"sqlite:{path}", *args],
        capture_output=True, text=True, cwd=fg.data_dir, timeout=60,
    )


def test_audit_verify_finds_an_entry_changed_deleted_or_rewritten(server, tmp_path):
    for who in ("sasha", "vera", "olga"):
        ok(server, "staff", "add", "--email", f"{who}@shop.example", "--name", who.title(), "--store", "petals",
           "--role", "florist", "--password-stdin", stdin=PASSWORD + "\n")
    server.stop()  # the shop writes nothing more while the copies are made
    source = server.data_dir / "floodgate.sqlite"
    intact = verify(server, source)
    assert intact.returncode == 0, intact.stdout + intact.stderr
    head = re.search(r"head (\d+:[0-9a-f]{64})", intact.stdout).group(1)
    added = audit_log(server, "--action", "staff.add")
    target = next(e for e in added if e["details"]["email"]["after"] == "vera@shop.example")
    number = target["id"]
    assert number < int(head.split(":")[0]), "the changed entry should not be the last one"

    # The tables refuse changes as they are, and an independent re-hash of the chain agrees with the stored one.
    db = sqlite3.connect(source)
    db.row_factory = sqlite3.Row
    try:
        for statement in (f"UPDATE audit_log SET details = '{{}}' WHERE id = {number}",
                          f"DELETE FROM audit_log WHERE id = {number}"):
            with pytest.raises(sqlite3.DatabaseError, match="append-only"):
                db.execute(statement)
        previous = "0" * 64
        for row in db.execute("SELECT * FROM audit_log ORDER BY id"):
            assert row["prev_hash"] == previous and canonical_hash(row, previous) == row["hash"], dict(row)
            previous = row["hash"]
    finally:
        db.close()

    # One entry's details changed: found, by number.
    changed = copy_of(source, tmp_path, "changed.sqlite")
    forged = json.dumps({"email": {"after": "mallory@evil.example"}, "name": {"after": "Vera"}}, separators=(",", ":"))
    tamper(changed, "UPDATE audit_log SET details = ? WHERE id = ?", (forged, number))
    done = verify(server, changed)
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"The audit log is BROKEN at entry {number}:" in done.stdout + done.stderr, done.stdout + done.stderr

    # One entry deleted: found, by number.
    deleted = copy_of(source, tmp_path, "deleted.sqlite")
    tamper(deleted, "DELETE FROM audit_log WHERE id = ?", (number,))
    done = verify(server, deleted)
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"The audit log is BROKEN at entry {number}:" in done.stdout + done.stderr, done.stdout + done.stderr

    # The same change with every later hash and the head recomputed: the chain alone looks intact, but not to a
    # head recorded before (as the shop writes it to its process log).
    rewritten = copy_of(source, tmp_path, "rewritten.sqlite")
    tamper(rewritten, "UPDATE audit_log SET details = ? WHERE id = ?", (forged, number))
    db = sqlite3.connect(rewritten)
    db.row_factory = sqlite3.Row
    try:
        previous = db.execute("SELECT hash FROM audit_log WHERE id = ?", (number - 1,)).fetchone()["hash"]
        for row in db.execute("SELECT * FROM audit_log WHERE id >= ? ORDER BY id", (number,)).fetchall():
            digest = canonical_hash(row, previous)
            db.execute("UPDATE audit_log SET prev_hash = ?, hash = ? WHERE id = ?", (previous, digest, row["id"]))
            previous = digest
        db.execute("UPDATE audit_head SET hash = ? WHERE id = 1", (previous,))
        db.commit()
    finally:
        db.close()
    done = verify(server, rewritten)
    assert done.returncode == 0, "the rewrite was meant to be consistent: " + done.stdout + done.stderr
    assert head not in done.stdout, done.stdout
    done = verify(server, rewritten, "--expect", head)
    seq = head.split(":")[0]
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"The audit log is BROKEN at entry {seq}:" in done.stdout + done.stderr, done.stdout + done.stderr
    # The untouched file still verifies against the same head.
    done = verify(server, source, "--expect", head)
    assert done.returncode == 0, done.stdout + done.stderr
