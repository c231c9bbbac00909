"""Every widget of the dashboard that holds a value, sent values no browser control sends, in
every tab and view: run as a program, in a process with capped memory, by
tests/commands/test_hostile_input_3.py (a toggle sent index 99 once took a server to 23 GB).

    python -m tests.widget_fuzz        # prints {"sends": N, "failures": [...]} as JSON
"""

from __future__ import annotations

import json
import time
import warnings

import ipyvuetify as v
import ipywidgets
import solara
import solara.routing

from simulation.dashboard.components import TABS
from simulation.i18n import Words as translate

# what a rewritten websocket frame may hold for any `v_model`
HOSTILE = [99, -1, 10**12, "x", "", [1, 2], {"a": 1}, None, 1e308, float("nan"), True]
SLOW = 5.0  # seconds for one value: a render loop, not a refusal


def holders() -> list:
    with warnings.catch_warnings():  # the registry is deprecated, and the only list there is
        warnings.simplefilter("ignore", DeprecationWarning)
        every = list(ipywidgets.Widget._active_widgets.values())
    return [w for w in every if isinstance(w, v.VuetifyWidget) and hasattr(w, "v_model")]


def fuzz(rc) -> tuple[int, list[str]]:
    sends, failures = 0, []
    for kind in sorted({type(w).__name__ for w in holders()}):
        for bad in HOSTILE:
            for widget in [w for w in holders() if type(w).__name__ == kind]:
                start = time.perf_counter()
                try:
                    widget.v_model = bad
                except Exception as err:  # the page would show it, or the server would stop
                    failures.append(
                        f"{kind} {getattr(widget, 'label', '')!r} <- {bad!r}: {err!r}"[:300]
                    )
                if time.perf_counter() - start > SLOW:
                    failures.append(f"{kind} <- {bad!r}: {time.perf_counter() - start:.0f} s")
                sends += 1
    text = " ".join(
        str(getattr(w, "unsafe_innerHTML", "")) for w in rc.find(solara.widgets.HTML).widgets
    )
    if "Traceback" in text:
        failures.append("a traceback in the page")
    steps = {"Step", translate("zh")("Step")}
    if not any(rc.find(v.Btn, children=[label]).widgets for label in steps):
        failures.append("the page lost its Step button")
    return sends, failures


@solara.component
def At(search: str) -> solara.Element:
    """The page at an address with this query string."""
    from simulation.dashboard.page import Layout, Page

    solara.routing.router_context.provide(solara.routing.Router(f"/?{search}", []))
    return Layout(children=[Page()])


def main() -> None:
    total, failures = 0, []
    for search in ("", "view=projector", "preset=internal_regrowth&lang=zh"):
        _box, rc = solara.render(At(search), handle_error=False)
        for tab in range(len(TABS)):
            tabs = rc.find(v.Tabs).widgets
            if tabs:
                tabs[0].v_model = tab
            sends, found = fuzz(rc)
            total, failures = total + sends, failures + found
        rc.close()
    print(json.dumps({"sends": total, "failures": failures}))


if __name__ == "__main__":
    main()
