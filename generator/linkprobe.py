"""Outbound links fetched the polite way: bounded concurrency, a limit per host, timeouts and
retries; each link's answer is "" (it works) or why it does not (``HTTP 404``, a timeout …).

Used by ``sitegen check --external`` and ``sitegen audit --external``.
"""

from __future__ import annotations

import threading
import time
import urllib.error
import urllib.request
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

USER_AGENT = "sitegen-check (+https://pypi.org/project/sitegen/)"
# Answers worth asking again: the server or the way to it had a bad moment.
RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
# Some servers refuse HEAD; a GET then tells the truth.
HEAD_REFUSED = frozenset({403, 405, 501})


def _ask(url: str, method: str, timeout: float) -> int:
    request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def probe(url: str, timeout: float = 10.0, retries: int = 2, backoff: float = 0.5) -> str:
    """ "" when ``url`` answers below 400, else the reason (after ``retries`` more tries)."""
    reason = ""
    for attempt in range(retries + 1):
        if attempt and backoff:
            time.sleep(backoff * 2 ** (attempt - 1))
        try:
            status = _ask(url, "HEAD", timeout)
            if status in HEAD_REFUSED:
                status = _ask(url, "GET", timeout)
        except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
            reason = str(getattr(exc, "reason", exc)) or type(exc).__name__
            continue
        if status < 400:
            return ""
        reason = f"HTTP {status}"
        if status not in RETRY_STATUS:
            break
    return reason


def probe_all(
    urls: list[str],
    timeout: float = 10.0,
    workers: int = 8,
    per_host: int = 2,
    retries: int = 2,
    backoff: float = 0.5,
) -> dict[str, str]:
    """Probe every link: at most ``workers`` at once and ``per_host`` on one host."""
    locks: dict[str, threading.BoundedSemaphore] = defaultdict(
        lambda: threading.BoundedSemaphore(per_host)
    )
    guard = threading.Lock()

    def one(url: str) -> str:
        host = (urlsplit(url).hostname or "").lower()
        with guard:
            limit = locks[host]
        with limit:
            return probe(url, timeout, retries, backoff)

    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        answers = list(pool.map(one, urls))
    return dict(zip(urls, answers, strict=True))
