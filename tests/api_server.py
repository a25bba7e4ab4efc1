"""A local stand-in for `GET /api/daily_papers`, so client tests never touch the internet.

It serves ../shared/data/hf_api_daily like the site does: a date without a file (a weekend,
a holiday) gets the previous existing day's list, `limit`/`p` page through the items, and a
page that is the whole list is served as the recorded bytes. Tests inject faults per date
(rate limits, server errors, truncated or wrong bodies, slow answers, no answer, empty days)
and read back the requests it got.

`ApiServer(today=D)` serves the recorded weeks as the weeks up to D instead: every date is moved
by the same whole number of weeks (weekdays stay weekdays), in the answers' timestamps too, so
commands that ask for "the last 30 days" get real-looking lists.

    with ApiServer() as api:
        api.inject("2025-11-05", "500", times=2)
        fetch_day(date(2025, 11, 5), tmp_path, base_url=api.url)
        assert len(api.requests) == 3
"""

from __future__ import annotations

import bisect
import json
import re
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Self
from urllib.parse import parse_qs, urlsplit

from tests.shared_data import API_DAY_DIR as SEED_DIR  # the November 2025 days

# "503": Service Unavailable with Retry-After; "timeout": no answer for `delay` s, then the
# connection is closed; "empty": the day answers `[]`; "gone": the connection is closed and the
# server stops listening (the network went away: every later request is refused).
FAULTS = {"429", "500", "503", "truncated", "slow", "timeout", "empty", "gone", "404", "object", "html"}
TIMESTAMP = re.compile(rb'"(\d{4}-\d{2}-\d{2})T')


@dataclass
class Fault:
    """One injected misbehaviour for a date; `times=None` means every request, forever."""

    kind: str
    times: int | None = 1
    delay: float = 2.0  # for "slow" and "timeout": seconds before answering (or hanging up)
    retry_after: int = 1  # for "503": the Retry-After header, seconds


@dataclass
class Request:
    """What the server saw: enough to assert on paging, retries and headers."""

    path: str
    query: dict[str, str]
    headers: dict[str, str] = field(default_factory=dict)


class ApiServer:
    """Context manager running the fake API on 127.0.0.1 (a free port) in a daemon thread."""

    def __init__(self, seed_dir: Path = SEED_DIR, today: date | None = None):
        self.files = {date.fromisoformat(p.stem): p for p in sorted(seed_dir.glob("*.json"))}
        self.days = sorted(self.files)
        weeks = (today - self.days[-1]).days // 7 if today and self.days else 0
        self.shift = timedelta(weeks=weeks)  # served date = recorded date + shift
        self.requests: list[Request] = []
        self._faults: dict[str, list[Fault]] = {}
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None

    # -- test-facing API ---------------------------------------------------------------
    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def inject(self, day: str, kind: str, times: int | None = 1, delay: float = 2.0,
               retry_after: int = 1) -> None:
        """Queue a fault for `day` (YYYY-MM-DD); queued faults are used in order, then normal answers."""
        if kind not in FAULTS:
            raise ValueError(f"unknown fault {kind!r}; one of {sorted(FAULTS)}")
        with self._lock:
            self._faults.setdefault(day, []).append(Fault(kind, times, delay, retry_after))

    def reset(self) -> None:
        """Forget recorded requests and pending faults, so one server can serve many tests."""
        with self._lock:
            self.requests.clear()
            self._faults.clear()

    def asked_days(self) -> list[str]:
        """The `date` of every request that named one, in order (a probe for the latest has none)."""
        return [r.query["date"] for r in self.requests if "date" in r.query]

    def requests_for(self, day: str) -> list[Request]:
        return [r for r in self.requests if r.query.get("date") == day]

    def latest(self) -> date:
        """The newest day served: the last recorded one, moved by `shift`."""
        return (self.days[-1] if self.days else date.today()) + self.shift

    def seed_for(self, day: date) -> Path | None:
        """The file the site would show for `day`: that day's, else the previous existing one."""
        i = bisect.bisect_right(self.days, day - self.shift)
        return self.files[self.days[i - 1]] if i else None

    def served_bytes(self, day: date) -> bytes:
        """The whole list for `day` as served: the recorded bytes, timestamps moved by `shift`."""
        seed = self.seed_for(day)
        if seed is None:
            return b"[]"
        raw = seed.read_bytes()
        if not self.shift:
            return raw

        def moved(match: re.Match) -> bytes:
            stamp = date.fromisoformat(match.group(1).decode()) + self.shift
            return b'"' + stamp.isoformat().encode() + b"T"

        return TIMESTAMP.sub(moved, raw)

    # -- lifecycle ---------------------------------------------------------------------
    def __enter__(self) -> Self:
        self._httpd = _QuietServer(("127.0.0.1", 0), _handler_for(self))
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    # -- internals ---------------------------------------------------------------------
    def _next_fault(self, day: str) -> Fault | None:
        with self._lock:
            queue = self._faults.get(day, [])
            if not queue:
                return None
            fault = queue[0]
            if fault.times is not None:
                fault.times -= 1
                if fault.times <= 0:
                    queue.pop(0)
            return fault

    def _stop_listening(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def _record(self, request: Request) -> None:
        with self._lock:
            self.requests.append(request)


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        """A client that gave up (timeout tests) is expected: don't print its broken pipe."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def _handler_for(api: ApiServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, like the real site
        disable_nagle_algorithm = True  # headers and body go in two writes; avoid 40 ms stalls

        def log_message(self, *args):  # keep pytest output clean
            pass

        def do_GET(self):
            parts = urlsplit(self.path)
            query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
            api._record(Request(parts.path, query, dict(self.headers.items())))
            if parts.path != "/api/daily_papers":
                return self._send(404, b'{"error":"Not Found"}')
            try:  # no date: the latest list, as on the site
                day = date.fromisoformat(query.get("date") or api.latest().isoformat())
                limit = int(query.get("limit", 100))
                page = int(query.get("p", 0))
            except ValueError:
                return self._send(400, b'{"error":"bad date, limit or p"}')
            fault = api._next_fault(day.isoformat())
            kind = fault.kind if fault else None
            if kind == "timeout":
                time.sleep(fault.delay)
                self.close_connection = True
                return None
            if kind == "gone":
                # Stop listening before hanging up, so that no later request can still be
                # served: the next connection is refused, whenever the client makes it.
                # (This handler runs on its own thread; the serving loop stops within 0.5 s.)
                api._stop_listening()
                self.close_connection = True
                return None
            if kind == "empty":
                return self._send(200, b"[]")
            if kind == "503":
                return self._send(503, b"Service Unavailable", {
                    "Content-Type": "text/plain", "Retry-After": str(fault.retry_after)})
            if kind == "429":
                return self._send(429, b'{"error":"rate limited"}', {"Retry-After": "1"})
            if kind == "500":
                return self._send(500, b"Internal Server Error", {"Content-Type": "text/plain"})
            if kind == "404":
                return self._send(404, b'{"error":"Not Found"}')
            if kind == "object":
                return self._send(200, b'{"error":"Sorry, we changed the API","papers":[]}')
            if kind == "html":   # a captive portal or proxy's page, with status 200
                return self._send(200, b"<!DOCTYPE html><html><body>Please log in</body></html>",
                                  {"Content-Type": "text/html"})
            if kind == "slow":
                time.sleep(fault.delay)
            body = self._page(day, limit, page)
            if kind == "truncated":
                body = body[: len(body) // 2]  # a complete HTTP answer whose JSON is cut short
            self._send(200, body)

        def _page(self, day: date, limit: int, page: int) -> bytes:
            raw = api.served_bytes(day)
            items = json.loads(raw)
            if page == 0 and limit >= len(items):
                return raw  # the whole list: serve the recorded bytes untouched
            return json.dumps(items[page * limit : (page + 1) * limit]).encode()

        def _send(self, status: int, body: bytes, headers: dict | None = None) -> None:
            self.send_response(status)
            headers = {"Content-Type": "application/json; charset=utf-8", **(headers or {})}
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler
