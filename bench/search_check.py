#!/usr/bin/env python3
"""Checks the back-office search against a brute-force answer from the database (bench only).

Signs in as the bench owner, asks /admin/petals/orders for a set of searches (three pages each, following
the "Older orders" link) and compares the orders shown, in order, with every order whose search tokens
match each word (read straight from `order_search`). Prints one JSON line; exits 1 on a mismatch.

    search_check.py PORT sqlite FILE
    search_check.py PORT postgres URL
"""
import html
import json
import re
import sqlite3
import subprocess
import sys
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from admin_client import AdminClient  # noqa: E402

port, engine, where = int(sys.argv[1]), sys.argv[2], sys.argv[3]
def query(sql, args=()):
    if engine == "sqlite":
        return sqlite3.connect(f"file:{where}?mode=ro", uri=True).execute(sql, args).fetchall()
    for a in args:
        sql = sql.replace("?", "'" + a.replace("'", "''") + "'", 1)
    out = subprocess.run(["psql", "-q", "-t", "-A", where, "-c", sql], capture_output=True, text=True, check=True).stdout
    return [tuple(int(x) if x.isdigit() else x for x in line.split("|")) for line in out.splitlines() if line]


def ranges(text):
    """The token prefixes of each word, as OrderSearch.ranges makes them."""
    words = re.findall(r"[^\W_]+", text.lower())
    numeric = [w for w in words if w.isdigit()]
    digits = "".join(numeric)
    out = [["n:" + w] for w in (words if len(digits) < 3 else [w for w in words if w not in numeric])][:4]
    if len(digits) >= 3:
        out.append(["p:" + digits, "r:" + digits[::-1]])
    return out


def expected(text, status):
    ids = None
    for word in ranges(text):
        cond = " OR ".join("(token >= ? AND token < ?)" for _ in word)
        args = [a for p in word for a in (p, p[:-1] + chr(ord(p[-1]) + 1))]
        found = {r[0] for r in query(f"SELECT order_id FROM order_search WHERE store_id = 1 AND ({cond})", args)}
        ids = found if ids is None else ids & found
    if status:
        ids &= {r[0] for r in query("SELECT id FROM orders WHERE store_id = 1 AND status = ?", (status,))}
    return sorted(ids, reverse=True)


admin = AdminClient(port)
prefix = query("SELECT order_prefix FROM stores WHERE id = 1")[0][0]
offset = 1000  # OrderNumber: the number shown is the id plus this
mismatches = []
searches = [("sokolova", None), ("family12", None), ("anna petrov", None), ("45-67", None), ("+7 912", None), ("a", None),
            ("anna boris", None), ("petrov", "confirmed"), ("family1 anna", None), ("zzzz", None), ("e", "new"),
            ("anna olga family3", None)]
for text, status in searches:
    path = "/admin/petals/orders?q=" + urllib.parse.quote_plus(text) + (f"&status={status}" if status else "")
    shown = []
    for _ in range(3):
        r, body = admin.get(path)
        assert r.status == 200, (path, r.status)
        shown += [int(n) for n in re.findall(rf'<a href="[^"]*">{re.escape(prefix)}-(\d+)</a>'.encode(), body)]
        more = re.search(rb'href="([^"]+)" data-testid="next-page"', body)
        if not more:
            break
        path = html.unescape(more.group(1).decode())
    answer = expected(text, status)
    ids = [n - offset for n in shown]
    if ids != answer[:len(ids)] or (answer and not ids):
        mismatches.append(text)
print(json.dumps({"bench": "search_check", "engine": engine, "searches": len(searches), "mismatches": mismatches}))
sys.exit(1 if mismatches else 0)
