#!/usr/bin/env python3
"""Fills a Floodgate database with N generated orders of the store `petals` (bench only).

Orders spread over the past two years of tours, with lines, statuses, names and phones from small
vocabularies, and the same search tokens the server writes (OrderSearch). One day (`--day`) gets
exactly `--day-orders` orders for the assembly-sheet benchmark. SQLite is written directly; for
PostgreSQL, CSV files are written for `\\copy`.

    gen_orders.py --sqlite FILE --orders 1000000 --day 2026-11-25
    gen_orders.py --csv DIR --orders 1000000 --day 2026-11-25 --first-window-id 100000
"""
import argparse
import csv
import datetime
import json
import random
import sqlite3
from pathlib import Path

FIRST = ["Anna", "Boris", "Vera", "Olga", "Ivan", "Maria", "Sergey", "Elena", "Dmitry", "Natalia", "Pavel", "Irina", "Alexey",
         "Tatiana", "Mikhail", "Svetlana", "Nikolai", "Yulia", "Andrey", "Ekaterina"] * 5
LAST = [f"{a}{b}" for a in ["Petrov", "Ivanov", "Sokolov", "Orlov", "Volkov", "Kuznetsov", "Popov", "Lebedev", "Kozlov", "Novikov",
                               "Morozov", "Pavlov", "Semenov", "Golubev", "Vinogradov", "Bogdanov", "Vorobyov", "Fedorov", "Mikhailov", "Belyaev"]
        for b in ["", "a"]] + [f"Family{i}" for i in range(460)]
STATUSES = ["delivered"] * 80 + ["cancelled"] * 5 + ["new", "confirmed", "assembling", "ready", "out-for-delivery"] * 3
WINDOWS = [("09:00", "12:00"), ("12:00", "15:00"), ("15:00", "18:00"), ("18:00", "21:00")]
COMPOSITION = json.dumps([{"colour": "red", "item": "Red rose", "quantity": 25}, {"colour": "silver green", "item": "Eucalyptus", "quantity": 5}],
                         separators=(",", ":"), sort_keys=True)


def words(text):
    out, word = [], ""
    for ch in text.lower():
        if ch.isalnum():
            word += ch
        elif word:
            out.append(word); word = ""
    if word:
        out.append(word)
    return out


def tokens(names, phones):
    found = set()
    for name in names:
        for w in words(name)[:6]:
            found.add("n:" + w)
    for phone in phones:
        digits = "".join(c for c in phone if c.isdigit())
        if digits:
            found.add("p:" + digits)
            found.add("r:" + digits[::-1])
    return sorted(found)


def phone(rng):
    d = f"{rng.randrange(10**9, 10**10)}"
    return f"+7 {d[:3]} {d[3:6]}-{d[6:8]}-{d[8:]}"


def generate(args):
    rng = random.Random(42)
    day = datetime.date.fromisoformat(args.day)
    days = [day - datetime.timedelta(days=i) for i in range(1, 731)]
    windows = []  # (id, date, from, to)
    wid = args.first_window_id
    for d in days:
        for f, t in WINDOWS:
            windows.append((wid, d.isoformat(), f, t)); wid += 1
    day_windows = []
    for f, t in WINDOWS:
        day_windows.append((wid, day.isoformat(), f, t)); wid += 1

    def ms(date):
        d = datetime.date.fromisoformat(date)
        return int(datetime.datetime(d.year, d.month, d.day).timestamp() * 1000)

    def order(i, w):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        rfirst, rlast = rng.choice(FIRST), rng.choice(LAST)
        cphone, rphone = phone(rng), phone(rng)
        # The day of the sheets benchmark: every one of its orders is to be assembled.
        status = "confirmed" if i < args.day_orders else rng.choice(STATUSES)
        oid = args.first_order_id + i
        row = (oid, 1, f"{rng.getrandbits(96):024x}", status, 690000, "RUB", w[0], w[1], w[2], w[3], f"{first} {last}", cphone,
               f"{first.lower()}.{last.lower()}@example.com", f"{rfirst} {rlast}", rphone, f"Tverskaya {rng.randrange(1, 200)}, flat {rng.randrange(1, 300)}, Moscow",
               "With love" if i % 3 else "", ms(w[1]) - 86_400_000 + i % 86_400_000, "", None, 0, None)
        line = (oid, 0, 1, "Valentine's 25 Red Roses", 690000, 1, COMPOSITION, "/photos/petals/1.svg")
        toks = [(1, t, oid) for t in tokens([row[10], row[13]], [cphone, rphone])]
        return row, line, toks

    def all_orders():
        for i in range(args.orders):
            if i < args.day_orders:
                w = day_windows[i % len(day_windows)]
            else:
                w = windows[(args.orders - i) * len(windows) // args.orders - 1] if args.orders else windows[0]
            yield order(i, w)

    return windows + day_windows, all_orders()


ORDER_COLUMNS = ("id, store_id, token, status, total, currency, window_id, window_date, window_from, window_to, customer_name, customer_phone, "
                 "customer_email, recipient_name, recipient_phone, recipient_address, card_message, created_at, postcode, zone_id, delivery_fee, status_changed_at")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sqlite")
    parser.add_argument("--csv")
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--day", required=True)
    parser.add_argument("--day-orders", type=int, default=500)
    parser.add_argument("--first-window-id", type=int, default=100_000)
    parser.add_argument("--first-order-id", type=int, default=10_000_000)
    args = parser.parse_args()
    windows, orders = generate(args)
    window_rows = [(w[0], 1, w[1], w[2], w[3], 1_000_000, 0, 0, None, None) for w in windows]
    if args.sqlite:
        db = sqlite3.connect(args.sqlite)
        db.execute("PRAGMA synchronous=OFF")
        db.executemany("INSERT INTO delivery_windows (id, store_id, date, time_from, time_to, capacity, reserved, held, cutoff, template_id) "
                       "VALUES (?,?,?,?,?,?,?,?,?,?)", window_rows)
        batch_o, batch_l, batch_t = [], [], []
        def flush():
            db.executemany(f"INSERT INTO orders ({ORDER_COLUMNS}) VALUES ({','.join('?' * 22)})", batch_o)
            db.executemany("INSERT INTO order_lines (order_id, position, product_id, name, unit_price, quantity, composition, photo) VALUES (?,?,?,?,?,?,?,?)", batch_l)
            db.executemany("INSERT INTO order_search (store_id, token, order_id) VALUES (?,?,?)", batch_t)
            batch_o.clear(); batch_l.clear(); batch_t.clear()
        for row, line, toks in orders:
            batch_o.append(row); batch_l.append(line); batch_t.extend(toks)
            if len(batch_o) >= 20_000:
                flush()
        flush()
        db.commit()
        db.execute("ANALYZE")
        db.close()
    else:
        out = Path(args.csv)
        with open(out / "windows.csv", "w", newline="") as f:
            csv.writer(f).writerows([[r"\N" if v is None else v for v in r] for r in window_rows])
        with open(out / "orders.csv", "w", newline="") as fo, open(out / "lines.csv", "w", newline="") as fl, open(out / "search.csv", "w", newline="") as ft:
            wo, wl, wt = csv.writer(fo), csv.writer(fl), csv.writer(ft)
            for row, line, toks in orders:
                wo.writerow([r"\N" if v is None else v for v in row]); wl.writerow(line); wt.writerows(toks)


if __name__ == "__main__":
    main()
