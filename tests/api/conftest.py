"""Fixtures for the API client tests: the documentation's example payloads, and a scripted
httpx.MockTransport "server" driven through the real VdmClient."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable

import httpx
import pytest
import pytest_asyncio

from boxoffice.api import ApiKey, RetryPolicy, VdmClient

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = "http://127.0.0.1:8787/v1"
PREFIX = "/v1/demo"
SECRET = "s3cr3t-KEY-do-not-leak-42"


def load_raw(name: str) -> bytes:
    return (FIXTURES / f"{name}.json").read_bytes()


class FakeApi:
    """A MockTransport handler: routes ``(METHOD, path)`` to scripted replies and records requests.

    A route value is a list of steps consumed in order (the last one repeats) or a single step.
    A step is an ``httpx.Response``, bytes (200 JSON), an exception instance (raised), or a callable
    ``(request) -> step``.
    """

    def __init__(self) -> None:
        self.routes: dict[tuple[str, str], list[Any]] = {}
        self.requests: list[httpx.Request] = []

    def on(self, method: str, path: str, *steps: Any) -> FakeApi:
        self.routes[(method, path)] = list(steps)
        return self

    def calls(self, method: str, path: str) -> int:
        return sum(1 for r in self.requests if r.method == method and self.rel(r) == path)

    @staticmethod
    def rel(request: httpx.Request) -> str:
        path = request.url.path
        assert path.startswith(PREFIX), path
        return path[len(PREFIX):]

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        key = (request.method, self.rel(request))
        steps = self.routes.get(key)
        if steps is None:
            return httpx.Response(404, json={"message": f"no route {key}"})
        step = steps.pop(0) if len(steps) > 1 else steps[0]
        while callable(step) and not isinstance(step, (httpx.Response, BaseException)):
            step = step(request)
        if isinstance(step, BaseException):
            if isinstance(step, httpx.RequestError) and step._request is None:  # noqa: SLF001
                step._request = request  # noqa: SLF001
            raise step
        if isinstance(step, (bytes, str)):
            return httpx.Response(200, content=step, headers={"Content-Type": "application/json"})
        if isinstance(step, (dict, list)):
            return httpx.Response(200, json=step)
        return step


class Sleeps:
    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


@pytest.fixture
def raw() -> Callable[[str], bytes]:
    return load_raw


@pytest.fixture
def api() -> FakeApi:
    return FakeApi()


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def make_client(api: FakeApi, sleeps: Sleeps):
    clients: list[VdmClient] = []

    def make(*, key: str | None = SECRET, retry: RetryPolicy | None = None, **kw: Any) -> VdmClient:
        policy = retry or RetryPolicy(sleep=sleeps, random=lambda: 0.5)
        client = VdmClient(
            ROOT, "demo", api_key=ApiKey(key) if key else None,
            transport=httpx.MockTransport(api), retry=policy, **kw,
        )
        clients.append(client)
        return client

    yield make


@pytest_asyncio.fixture
async def client(make_client):
    c = make_client()
    yield c
    await c.aclose()


@pytest.fixture
def body_of() -> Callable[[httpx.Request], Any]:
    return lambda request: json.loads(request.content)
