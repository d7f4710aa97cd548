"""The back-office, signed in as the bench owner over one keep-alive connection (bench only)."""
import http.client
import re
import urllib.parse


class AdminClient:
    def __init__(self, port, email="bench@example.com", password="lilac and birch 42"):
        self.conn = http.client.HTTPConnection("127.0.0.1", int(port), timeout=120)
        r, page = self.fetch("GET", "/admin/login")
        login = re.search(r"fg_login=([^;]+)", r.getheader("Set-Cookie")).group(1)
        csrf = re.search(rb'name="csrf" value="([^"]+)"', page).group(1).decode()
        form = urllib.parse.urlencode({"csrf": csrf, "email": email, "password": password, "next": "/admin/"})
        r, _ = self.fetch("POST", "/admin/login", form, {"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"fg_login={login}"})
        self.cookie = re.search(r"(fg_staff=[^;]+)", r.getheader("Set-Cookie")).group(1)

    def fetch(self, method, path, body=None, headers=None):
        self.conn.request(method, path, body=body, headers=headers or {})
        r = self.conn.getresponse()
        return r, r.read()

    def get(self, path):
        """A page as the signed-in owner: (response, body)."""
        return self.fetch("GET", path, headers={"Cookie": self.cookie})
