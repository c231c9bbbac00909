"""A Vega-Lite chart widget that updates its data in place.

Solara's own VegaLite widget waits 100 ms (a debounce) and then rebuilds the whole chart on
every change. With a redraw after each month that alone eats half of the 200 ms budget, so
this widget splits a spec into its structure and its data sets: a new structure (another
county, another scenario) rebuilds the chart, new data (the next month) goes into the running
chart as a Vega changeset. It loads vega from the same local CDN folder as Solara's widget.
Every chart's text is in the page's font (assets.FONT_STACK), so Chinese labels need no font on
the machine.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import ipyvuetify as v
import solara
import traitlets

from simulation.dashboard.assets import FONT_FAMILY, FONT_STACK

TEMPLATE = r"""
<template>
  <div ref="plot" class="reform-vega"></div>
</template>
<script>
module.exports = {
  mounted() {
    this.queue = Promise.resolve();
    this.enqueue(() => this.embed());
  },
  watch: {
    // Vue runs these in this order, so a month's stamp follows its data into the queue
    spec() { this.enqueue(() => this.embed()); },
    datasets() { this.enqueue(() => this.update()); },
    month() { this.enqueue(() => this.stamp()); },
  },
  destroyed() { if (this.result) { this.result.finalize(); } },
  methods: {
    enqueue(job) {
      this.queue = this.queue.then(job).catch(e => console.error("vega chart", e));
    },
    copy(value) { return JSON.parse(JSON.stringify(value)); },
    libs() {
      const cdn = window.solara ? window.solara.cdn : "/_solara/cdn";
      require.config({map: {"*": {
        "vega": `${cdn}/vega@5/build/vega.min.js`,
        "vega-lite": `${cdn}/vega-lite@5/build/vega-lite.min.js`,
        "vega-embed": `${cdn}/vega-embed@6/build/vega-embed.min.js`,
      }}});
      return new Promise((resolve, reject) =>
        require(["vega", "vega-lite", "vega-embed"], (vega, vl, embed) => resolve([vega, embed]), reject));
    },
    async fonts(spec) {
      // vega measures text as it lays a chart out: with the CJK font's subsets for this chart's
      // characters not yet loaded, it would place legends and axes for the fallback's widths
      const chars = new Set(JSON.stringify(spec).match(/[\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]/g));
      if (chars.size === 0 || !document.fonts) { return; }
      const text = [...chars].join("");
      const loads = ["400", "700"].map(w => document.fonts.load(`${w} 12px __FAMILY__`, text));
      await Promise.all(loads.map(load => load.catch(() => null)));
    },
    async embed() {
      const [vega, vegaEmbed] = await this.libs();
      const spec = {...this.copy(this.spec), datasets: JSON.parse(this.datasets)};
      await this.fonts(spec);
      if (this.result) { this.result.finalize(); }
      const config = {font: __FONT__};  // a spec's own config comes first
      this.result = await vegaEmbed(this.$refs.plot, spec, {renderer: "svg", actions: false, config});
      this.shown = this.datasets;
      this.stamp();
    },
    async update() {
      if (!this.result || this.shown === this.datasets) { return; }
      const [vega] = await this.libs();
      const view = this.result.view;
      for (const [name, rows] of Object.entries(JSON.parse(this.datasets))) {
        view.change(name, vega.changeset().remove(vega.truthy).insert(rows));
      }
      this.shown = this.datasets;
      await view.runAsync();
    },
    stamp() {
      // the month whose data the chart shows, for the browser tests to wait on
      this.$refs.plot.dataset.month = String(this.month);
    },
  },
};
</script>
"""


class VegaWidget(v.VuetifyTemplate):
    # the page's fonts: the stack every chart's text uses, the family whose subsets it loads
    template = traitlets.Unicode(
        TEMPLATE.replace("__FONT__", json.dumps(FONT_STACK)).replace(
            "__FAMILY__", f'"{FONT_FAMILY}"'
        )
    ).tag(sync=True)
    spec = traitlets.Dict().tag(sync=True)
    # JSON text, not a dict: Reacton walks dict and list props looking for child elements, and
    # thousands of rows a month made that walk the slowest part of a redraw
    datasets = traitlets.Unicode("{}").tag(sync=True)
    month = traitlets.Int(0).tag(sync=True)


def split_data(spec: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list[Any]]]:
    """(structure, datasets): every inline `{"values": rows}` becomes a named data set."""
    structure = copy.copy(spec)
    datasets: dict[str, list[Any]] = {}
    _name_data(structure, datasets)
    return structure, datasets


def _name_data(node: dict[str, Any], datasets: dict[str, list[Any]]) -> None:
    data = node.get("data")
    if isinstance(data, dict) and "values" in data:
        name = f"data{len(datasets)}"
        datasets[name] = data["values"]
        node["data"] = {"name": name}
    for key in ("layer", "spec"):
        children = node.get(key)
        if isinstance(children, list):
            node[key] = [copy.copy(child) for child in children]
            for child in node[key]:
                _name_data(child, datasets)
        elif isinstance(children, dict):
            node[key] = copy.copy(children)
            _name_data(node[key], datasets)


@solara.component
def Vega(spec: dict[str, Any], month: int) -> solara.Element:
    """A chart of `spec`, marked (data-month on its element) with the month it shows."""
    structure, datasets = split_data(spec)
    rows = json.dumps(datasets, separators=(",", ":"))
    return VegaWidget.element(spec=structure, datasets=rows, month=month)
