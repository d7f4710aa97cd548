"""Sends sign-in posts with random emails at a steady rate, each from a random client address (a botnet's
flood: no per-address limit holds it back), for a bounded time. Loopback only. Prints one JSON line.

    python3 bench/login_flood.py PORT RATE SECONDS
"""
import asyncio, json, random, re, sys, time, urllib.request

port, rate, seconds = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
base = f"http://127.0.0.1:{port}"

# One sign-in form: its token matches its cookie, so every post of the flood carries a valid pair.
with urllib.request.urlopen(base + "/admin/login", timeout=5) as answer:
    page = answer.read().decode()
    cookie = answer.headers["Set-Cookie"].split(";")[0]
token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
statuses = {}


async def one(index):
    body = f"csrf={token}&email=flood{index}-{random.randrange(10**9)}%40example.com&password=guess-{index}".encode()
    address = f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"
    head = (
        f"POST /admin/login HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\nCookie: {cookie}\r\n"
        f"X-Forwarded-For: {address}\r\nUser-Agent: Mozilla/5.0 flood\r\n"
        f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode()
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), 5)
        writer.write(head + body)
        await writer.drain()
        line = await asyncio.wait_for(reader.readline(), 10)
        status = line.split()[1].decode() if line else "closed"
        writer.close()
    except Exception as error:  # a refused or timed-out sign-in is counted, not fatal
        status = type(error).__name__
    statuses[status] = statuses.get(status, 0) + 1


async def main():
    tasks, start, sent = [], time.monotonic(), 0
    while (now := time.monotonic() - start) < seconds:
        due = int(now * rate)
        while sent < due:
            tasks.append(asyncio.create_task(one(sent)))
            sent += 1
        await asyncio.sleep(0.005)
    await asyncio.gather(*tasks)
    print(json.dumps({"bench": "login_flood_sender", "sent": sent, "rate_per_s": round(sent / seconds, 1), "statuses": statuses}))


asyncio.run(main())
