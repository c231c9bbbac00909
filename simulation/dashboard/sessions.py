"""Browser sessions on the server: how many may hold a model, and when a session's work stops.

A class is many browsers on one machine, and a page can ask for work that outlives it: a Play
that nobody pauses, a Step of a hundred months, from a page that has since been closed. Work
stops, between two months, when its page is no longer connected or the server is stopping.
Each session that holds a model costs memory (about 15 MB at the largest model a control
allows, twin included), so past `max_sessions` a new page is told in one line to wait instead
of building one: the server's memory stays bounded, whatever a class or a script opens.
"""

from __future__ import annotations

import threading
from typing import Any

from solara.server import kernel_context

MAX_SESSIONS = 100  # reform-class --max-sessions
STOPPING = threading.Event()  # set when the server is told to stop (SIGTERM, Ctrl-C)
_lock = threading.Lock()
_holding: dict[str, Any] = {}  # kernel id -> its context, for sessions that hold a model


def configure(max_sessions: int) -> None:
    global MAX_SESSIONS
    MAX_SESSIONS = max_sessions


def current() -> Any:
    """This session's kernel context (None outside a Solara server, e.g. in tests)."""
    try:
        return kernel_context.get_current_context()
    except RuntimeError:
        return None


def admit(context: Any) -> bool:
    """Whether the session of `context` may hold a model: it already does, or there is room."""
    if context is None:
        return True
    with _lock:
        for kernel, held in list(_holding.items()):
            if held.closed_event.is_set():  # closed, or culled after --session-timeout
                del _holding[kernel]
        if context.id in _holding:
            return True
        if len(_holding) >= MAX_SESSIONS:
            return False
        _holding[context.id] = context
        return True


def holding() -> int:
    """Sessions that hold a model now."""
    with _lock:
        return sum(not c.closed_event.is_set() for c in _holding.values())


def page_gone(context: Any) -> bool:
    """Whether the work of this session should stop: the server is stopping, or no page of the
    session is connected any more (closed, or its connection lost)."""
    if STOPPING.is_set():
        return True
    if context is None:
        return False
    if context.closed_event.is_set():
        return True
    statuses = tuple(context.page_status.values())
    return bool(statuses) and kernel_context.PageStatus.CONNECTED not in statuses
