"""HTTP client for the Hugging Face Daily Papers API: one listing day -> one file in landing/.

`GET {base}/api/daily_papers?date=YYYY-MM-DD&limit=100&p=N` answers a JSON array of papers.
The client keeps the answer's bytes as they came (a single page lands byte for byte, so the
archive holds what the site said), retries what is worth retrying (rate limits, server errors,
timeouts, dropped connections), and writes atomically so landing/ never holds half a file.

Retry rule, per page request, at most `retries` attempts in all:
- 429, 5xx, timeouts and dropped connections are retried; any other non-2xx fails at once.
- The wait before attempt n+1 is `Retry-After` (seconds form) when the answer carries one,
  else `2**(n-1)` s plus up to 50 % random jitter (1-1.5 s, 2-3 s, 4-6 s, ...);
  either way capped at 60 s.
"""

from __future__ import annotations

import importlib.metadata
import itertools
import json
import os
import random
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import httpx

from transforms.api_parser import json_kind

DEFAULT_BASE_URL = "https://huggingface.co"
BASE_URL_ENV = "PAPERTRENDS_API_URL"
ENDPOINT = "/api/daily_papers"
PAGE_SIZE = 100  # the API's maximum `limit`
MAX_PAGES = 50  # a server that ignores `p` would otherwise page forever
MAX_WAIT = 60.0  # seconds; no single back-off (nor Retry-After) waits longer


def _version() -> str:
    try:
        return importlib.metadata.version("papertrends")
    except importlib.metadata.PackageNotFoundError:
        return "0+unknown"


USER_AGENT = f"papertrends/{_version()} (+https://github.com/papertrends)"

# Transport failures that usually pass if we try again a little later.
_TRANSIENT = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)


class FetchError(Exception):
    """A listing day could not be fetched; the message says what failed and what to do next."""


def base_url_from_env() -> str:
    """The API root: PAPERTRENDS_API_URL if set (tests, mirrors), else the real site."""
    return (os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL).rstrip("/")


def url_problem(base_url: str) -> str | None:
    """Why a PAPERTRENDS_API_URL is no web address ("not a url", "huggingface.co" without its
    scheme), or None: the fetch would otherwise report it as being offline."""
    try:
        parsed = httpx.URL(base_url) if "://" in base_url else None
    except httpx.InvalidURL:   # ("https://huggingface.co:abc": a port that is no number)
        parsed = None
    if parsed is None or parsed.scheme not in ("http", "https") or not parsed.host:
        return (f"{BASE_URL_ENV} is not a web address: {base_url!r}; set it to one such as "
                f"{DEFAULT_BASE_URL} (or unset it for the real site)")
    return None


def latest_listing_day(today: date) -> date:
    """The newest day worth asking for: today, since the API lists today once AK posts.

    Callers that run before the day's list is posted may pass yesterday instead.
    """
    return today


def fetch_day(
    day: date,
    landing_dir: Path,
    *,
    base_url: str | None = None,
    timeout: float = 30.0,
    retries: int = 5,
    client: httpx.Client | None = None,
    sleep: Callable[[float], object] = time.sleep,
    page_size: int = PAGE_SIZE,
    on_retry: Callable[[date, int, float, str], object] | None = None,
) -> Path:
    """Fetch every page of one listing day and write it to `landing_dir/YYYY-MM-DD.json`.

    A single page is written exactly as received; several pages are joined into one array
    (`json.dumps`). Nothing is written unless every page arrived and is a JSON array.
    `on_retry(day, next_attempt, wait_seconds, problem)` is called before each wait between
    attempts, so a caller can show what it is waiting for.
    """
    if not 1 <= page_size <= PAGE_SIZE:
        raise ValueError(f"page_size must be 1..{PAGE_SIZE}, got {page_size}")
    if retries < 1:
        raise ValueError(f"retries must be at least 1, got {retries}")
    url = (base_url.rstrip("/") if base_url else base_url_from_env()) + ENDPOINT
    own_client = client is None
    client = client or httpx.Client()
    pages: list[tuple[bytes, list]] = []
    try:
        for page in itertools.count():
            if page >= MAX_PAGES:
                raise FetchError(
                    f"{day}: still getting full pages after {MAX_PAGES} pages from {url}; "
                    "the server seems to ignore the `p` parameter - check PAPERTRENDS_API_URL"
                )
            params = {"date": day.isoformat(), "limit": page_size, "p": page}
            body = _get_with_retries(client, url, params, day, timeout, retries, sleep, on_retry)
            items = _json_array(body, day, f"{url}?date={day.isoformat()}&p={page}")
            pages.append((body, items))
            if len(items) < page_size:
                break
    finally:
        if own_client:
            client.close()
    if len(pages) == 1:
        data = pages[0][0]
    else:
        data = json.dumps([item for _, items in pages for item in items]).encode()
    return _write_atomically(Path(landing_dir) / f"{day.isoformat()}.json", data)


def fetch_range(
    first: date,
    last: date,
    landing_dir: Path,
    *,
    progress: Callable[[int, int, date], object] | None = None,
    **kw,
) -> list[Path]:
    """Fetch every calendar day in [first, last], weekends included.

    The site answers a weekend with the previous papers-day; downstream code recognises the
    repeat, and fetching it anyway keeps this loop free of calendar rules. Stops at the
    first failure: days already landed stay landed, and the error says how many there were.
    """
    if last < first:
        raise ValueError(f"last ({last}) is before first ({first})")
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    own_client = kw.get("client") is None
    if own_client:
        kw["client"] = httpx.Client()  # one connection pool for the whole range
    landed: list[Path] = []
    try:
        for i, day in enumerate(days, start=1):
            try:
                landed.append(fetch_day(day, landing_dir, **kw))
            except FetchError as error:
                raise FetchError(
                    f"{error}\n{len(landed)} of {len(days)} days were fetched into {landing_dir} "
                    f"before this one; rerun from {day} to continue"
                ) from error
            if progress is not None:
                progress(i, len(days), day)
    finally:
        if own_client:
            kw["client"].close()
    return landed


def _get_with_retries(client, url, params, day, timeout, retries, sleep, on_retry=None) -> bytes:
    """One page's body, after at most `retries` attempts (see the module docstring)."""
    where = f"{url}?date={params['date']}&p={params['p']}"
    problem = ""
    for attempt in range(1, retries + 1):
        retry_after = None
        try:
            response = client.get(
                url,
                params=params,
                headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
                timeout=timeout,
                follow_redirects=True,
            )
        except httpx.TimeoutException as error:
            problem = f"timed out after {timeout:g} s ({type(error).__name__})"
        except _TRANSIENT as error:
            problem = f"connection failed ({type(error).__name__}: {error})"
        except httpx.HTTPError as error:
            message = f"{day}: request to {where} failed: {error}; check PAPERTRENDS_API_URL"
            raise FetchError(message) from error
        else:
            status = response.status_code
            if response.is_success:
                return response.content
            if status != 429 and status < 500:
                raise FetchError(
                    f"{day}: {where} answered {status} {response.reason_phrase}; not retried - "
                    "check the date and PAPERTRENDS_API_URL (a 4xx will not go away by itself)"
                )
            problem = f"answered {status} {response.reason_phrase}"
            retry_after = _retry_after_seconds(response.headers.get("Retry-After"))
        if attempt < retries:
            wait = _wait_seconds(attempt, retry_after)
            if on_retry is not None:
                on_retry(day, attempt + 1, wait, problem)
            sleep(wait)
    if "timed out" in problem:
        advice = ("the site is slow or unreachable - try again later, or allow more time "
                  "(papertrends fetch --timeout SECONDS)")
    elif "connection" in problem:
        advice = "check the network and PAPERTRENDS_API_URL, then try again"
    else:
        advice = ("the site may be rate-limiting or down - try again later, or allow more "
                  "attempts (papertrends fetch --retries N)")
    attempts = "1 attempt" if retries == 1 else f"{retries} attempts"
    raise FetchError(f"{day}: gave up on {where} after {attempts}; last: {problem}; {advice}")


def _retry_after_seconds(value: str | None) -> float | None:
    """Retry-After in its seconds form; the HTTP-date form falls back to our own back-off."""
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None


def _wait_seconds(attempt: int, retry_after: float | None) -> float:
    """How long to wait after failed attempt `attempt` (1-based)."""
    if retry_after is not None:
        return min(MAX_WAIT, retry_after)
    delay = min(MAX_WAIT, 2.0 ** (attempt - 1))
    return min(MAX_WAIT, delay + random.uniform(0, delay / 2))


def _json_array(body: bytes, day: date, where: str) -> list:
    """The page's items; anything but a complete JSON array is an error, since we keep raw bytes."""
    try:
        value = json.loads(body)
    except ValueError as error:
        if body.lstrip()[:1] == b"<":   # a login, error or proxy page answered with status 200
            raise FetchError(
                f"{day}: {where} is an HTML page, not JSON ({body.lstrip()[:80]!r}); nothing was "
                "written - check PAPERTRENDS_API_URL, or a proxy or login page in the way") from error
        raise FetchError(
            f"{day}: {where} is invalid or truncated JSON ({error}; {len(body)} bytes); "
            "nothing was written - try again, the transfer was probably cut"
        ) from error
    if not isinstance(value, list):
        raise FetchError(
            f"{day}: {where} is not a JSON array (got a JSON {json_kind(value)}: {body[:120]!r}); "
            "nothing was written - the API may have changed, or PAPERTRENDS_API_URL points elsewhere"
        )
    return value


def _write_atomically(target: Path, data: bytes) -> Path:
    """Write via `.NAME.part` + os.replace, so readers of landing/ never see half a file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.part")
    try:
        with open(temporary, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return target
