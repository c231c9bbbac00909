"""A browser page as a Solara server sees it, without a browser: one websocket to a kernel of its
own, the widgets the server sends, clicks and control values sent back.

A class of sixty headless Chromium pages on two cores measures the browsers more than the
server; this client speaks the server's own protocol (Jupyter messages carrying ipywidgets
comms, as Solara's front end does) and costs almost nothing, so a load test measures the server.
It can also send what no browser would: any value for any control (a hostile page).

    async with Page.open("http://127.0.0.1:8765/") as page:
        seconds = await page.click("Step")           # until the server is idle again
        await page.set_value("citizens (firms: a tenth)", 400_000)
        page.text()                                   # every HTML and text widget, joined
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
import urllib.request
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import websockets

COOKIE = "solara-session-id"


class Page:
    def __init__(self, ws: Any, session: str):
        self.ws, self.session = ws, session
        self.widgets: dict[str, dict[str, Any]] = {}  # comm id -> the widget's state
        self.replies: dict[str, asyncio.Future] = {}  # message id -> done (kernel idle)
        self.control: asyncio.Future = asyncio.get_running_loop().create_future()
        self.closed = False
        self.reader = asyncio.create_task(self._read())

    @classmethod
    @contextlib.asynccontextmanager
    async def open(cls, url: str, path: str = "", timeout: float = 120) -> AsyncIterator[Page]:
        """A page of the app at `url`, rendered (as a browser's first visit)."""
        cookie = await asyncio.to_thread(_session_cookie, url)
        kernel, page_id = uuid.uuid4().hex, uuid.uuid4().hex
        address = url.replace("http", "ws", 1).rstrip("/")
        address += f"/jupyter/api/kernels/{kernel}/channels?session_id={page_id}"
        async with websockets.connect(
            address, additional_headers={"Cookie": f"{COOKIE}={cookie}"}, max_size=None
        ) as ws:
            page = cls(ws, cookie)
            try:
                await asyncio.wait_for(page._run_app(path), timeout)
                yield page
            finally:
                page.closed = True
                page.reader.cancel()
                # what a browser sends as its tab closes: the page is gone, not disconnected
                close = f"{url.rstrip('/')}/_solara/api/close/{kernel}?session_id={page_id}"
                await asyncio.to_thread(_post, close, cookie)

    async def _run_app(self, path: str) -> None:
        comm = uuid.uuid4().hex
        await self._send(
            "comm_open", {"comm_id": comm, "target_name": "solara.control", "data": {}}
        )
        args = {"path": path, "appName": None, "dark": False, "themes": {}}
        self.control_comm = comm
        await self._send("comm_msg", {"comm_id": comm, "data": {"method": "run", "args": args}})
        await self.control

    # what the page shows -----------------------------------------------------------------------
    def find(self, model: str, **state: Any) -> list[str]:
        """Comm ids of the widgets of `model` (e.g. 'BtnModel') whose state has these values
        (a list value: it contains the given one)."""
        found = []
        for comm, widget in self.widgets.items():
            if widget.get("_model_name") != model:
                continue
            if all(_matches(widget.get(k), v) for k, v in state.items()):
                found.append(comm)
        return found

    def text(self) -> str:
        """Every HTML and text the page shows, joined."""
        parts = []
        for widget in self.widgets.values():
            for key in ("unsafe_innerHTML", "value", "label"):
                if isinstance(widget.get(key), str):
                    parts.append(widget[key])
            parts += [c for c in widget.get("children") or [] if isinstance(c, str)]
        return "\n".join(parts)

    # what a user (or a script) does -----------------------------------------------------------
    async def click(self, label: str, timeout: float = 300) -> float:
        """Click the button `label`; the seconds until the server had handled it (idle)."""
        buttons = self.find("BtnModel", children=label)
        if len(buttons) != 1:
            raise LookupError(f"{len(buttons)} buttons labelled {label!r}")
        content = {"method": "custom", "content": {"event": "click", "data": {}}}
        return await self._message(buttons[0], content, timeout)

    async def set_value(self, label: str, value: Any, timeout: float = 300) -> float:
        """Set the `v_model` of the slider or menu `label` to `value` (anything JSON holds)."""
        controls = [
            c
            for c, w in self.widgets.items()
            if w.get("label") == label and "v_model" in w and w.get("_model_name") != "BtnModel"
        ]
        if not controls:
            raise LookupError(f"no control labelled {label!r}")
        content = {"method": "update", "state": {"v_model": value}, "buffer_paths": []}
        return await self._message(controls[0], content, timeout)

    async def set_state(self, model: str, state: dict[str, Any], timeout: float = 300) -> int:
        """Send `state` to every widget of `model` (e.g. 'BtnToggleModel'), as a rewritten
        websocket frame would; how many widgets got it."""
        comms = self.find(model)
        for comm in comms:
            if comm in self.widgets:  # an earlier message may have closed it
                content = {"method": "update", "state": state, "buffer_paths": []}
                await self._message(comm, content, timeout)
        return len(comms)

    async def _message(self, comm: str, data: dict[str, Any], timeout: float) -> float:
        start = time.perf_counter()
        done = await self._send("comm_msg", {"comm_id": comm, "data": data})
        await asyncio.wait_for(done, timeout)
        return time.perf_counter() - start

    # the wire ----------------------------------------------------------------------------------
    async def _send(self, kind: str, content: dict[str, Any]) -> asyncio.Future:
        msg_id = uuid.uuid4().hex
        header = {
            "msg_id": msg_id,
            "msg_type": kind,
            "session": self.session,
            "username": "",
            "date": datetime.now(UTC).isoformat(),
            "version": "5.3",
        }
        done = asyncio.get_running_loop().create_future()
        self.replies[msg_id] = done
        message = {
            "header": header,
            "parent_header": {},
            "metadata": {},
            "content": content,
            "channel": "shell",
            "buffers": [],
        }
        await self.ws.send(json.dumps(message))
        return done

    async def _read(self) -> None:
        with contextlib.suppress(websockets.ConnectionClosed, asyncio.CancelledError):
            async for raw in self.ws:
                self._take(_decode(raw))

    def _take(self, msg: dict[str, Any]) -> None:
        kind, content = msg["header"]["msg_type"], msg.get("content") or {}
        if kind == "comm_open":
            data = content.get("data") or {}
            self.widgets[content["comm_id"]] = dict(data.get("state") or {})
        elif kind == "comm_msg":
            data = content.get("data") or {}
            comm = content.get("comm_id")
            if comm == getattr(self, "control_comm", None) and data.get("method") == "finished":
                if not self.control.done():
                    self.control.set_result(data.get("widget_id"))
            elif data.get("method") == "update" and comm in self.widgets:
                self.widgets[comm].update(data.get("state") or {})
        elif kind == "comm_close":
            self.widgets.pop(content.get("comm_id"), None)
        elif kind == "status" and content.get("execution_state") == "idle":
            parent = (msg.get("parent_header") or {}).get("msg_id")
            done = self.replies.pop(parent, None)
            if done is not None and not done.done():
                done.set_result(True)


def _matches(have: Any, want: Any) -> bool:
    if isinstance(have, list):
        return want in have
    return have == want


def _decode(raw: str | bytes) -> dict[str, Any]:
    if isinstance(raw, str):
        return json.loads(raw)
    count = int.from_bytes(raw[:4], "big")
    first = int.from_bytes(raw[4:8], "big")
    second = int.from_bytes(raw[8:12], "big") if count > 1 else len(raw)
    return json.loads(raw[first:second].decode("utf-8"))


def _post(url: str, cookie: str) -> None:
    request = urllib.request.Request(url, data=b"", headers={"Cookie": f"{COOKIE}={cookie}"})
    with contextlib.suppress(OSError), urllib.request.urlopen(request, timeout=30) as response:
        response.read()


def _session_cookie(url: str) -> str:
    """What a browser's first request gets: the page, and a session cookie."""
    with urllib.request.urlopen(url, timeout=60) as response:
        response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            if name.strip() == COOKIE:
                return rest.split(";")[0]
    return uuid.uuid4().hex
