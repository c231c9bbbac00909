# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Tutorial: the model from Python
#
# For researchers. This notebook is stored as a script (jupytext's percent format): open it in
# Jupyter with jupytext, or run it as it is, `python docs/tutorial.py`. The test suite runs it
# (`tests/docs/test_tutorial.py`), so every cell here works with the current code.
#
# It covers: building and stepping `ReformModel`; reading the DataCollector; a custom scenario;
# `mesa.batch_run` over seeds; a small sweep through Hydra (`reform-compare`); a plot.
#
# Sizes are small so that it runs in a minute or two; `SMALL` sets them.

# %%
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no window: the figure is saved to a file
import matplotlib.pyplot as plt
import mesa

from experiments.collect import load
from simulation import ReformModel, scenarios

SMALL = {"population__citizens": 1000, "population__enterprises": 100}
OUT = Path(os.environ.get("TUTORIAL_OUT", tempfile.mkdtemp(prefix="tutorial-")))

# %% [markdown]
# ## 1. Build a model and step it
#
# A scenario is a set of institutions (`scenarios/*.yaml`). `from_scenario` builds the model with
# the parameter table's values (`simulation/parameters.py`, documented in docs/parameters.md);
# keyword arguments override any of them, with `__` between section and name. The model first
# runs a status-quo warm-up (months -59 to 0); month 1 is the reform's launch.

# %%
model = ReformModel.from_scenario("internal_reform", seed=1, steps=36, **SMALL)
print("month", model.month, "| scenario", model.params.scenario.name)  # -60: before the warm-up
model.run(35)  # the warm-up, then 35 months after the launch
print("month", model.month, "| items", model.item_counts)
model.step()  # one more month: the schedule of Model.step
print("month", model.month, "| items", model.item_counts)

# %% [markdown]
# ## 2. Read the DataCollector
#
# One row per month, warm-up included; the columns are listed in `simulation/metrics.py`.

# %%
series = model.timeseries()
print(series.columns.tolist()[:12], "...")
after = series[series["step"] >= 0]
print(after[["step", "items_open", "items_hidden", "agencies", "staff", "trips_mean"]].tail())

# %% [markdown]
# ## 3. A custom scenario
#
# A scenario is plain data: `name`, `description` and `institutions`. Here: the government's own
# campaigns plus a complaint channel, nothing else. (To use it from the command line, save it as
# `scenarios/<name>.yaml`.)

# %%
custom = scenarios.load("internal_reform")
custom["name"] = "campaigns_and_complaints"
custom["description"] = "internal campaigns with a complaint channel"
custom["institutions"]["complaint_channel"] = True
mine = ReformModel({"scenario": custom}, seed=1, steps=36, **SMALL)
mine_series = mine.run()
print("complaints in 36 months:", int(mine_series["complaints"].sum()))

# %% [markdown]
# ## 4. `mesa.batch_run` over seeds
#
# Mesa's batch runner gives each replicate its own seed (`rng`); the same seed gives the same
# run, and scenarios run with the same seed see the same citizens and needs.

# %%
results = mesa.batch_run(
    ReformModel,
    parameters={"steps": 24, **SMALL},
    rng=[0, 1, 2],
    max_steps=24 + 60,  # warm-up included
    number_processes=1,
    data_collection_period=-1,  # the last month only
    display_progress=False,
)
for row in results:
    print("seed", row["rng"], "| staff", int(row["staff"]), "| trips", round(row["trips_mean"], 2))

# %% [markdown]
# ## 5. A small sweep through Hydra
#
# `reform-compare` runs every scenario with the same seeds through Hydra's launcher, one folder
# per run, and writes the report. `experiments.collect.load` reads the tidy table back.

# %%
sweep = OUT / "sweep"
command = [
    str(Path(sys.executable).with_name("reform-compare")),
    "scenarios=[internal_reform,pressure_and_technology]",
    "seeds=2",
    "steps=24",
    "population.citizens=1000",
    "population.enterprises=100",
    f"hydra.sweep.dir={sweep}",
]
subprocess.run(command, check=True, capture_output=True, text=True)

table = load(sweep).results
print(table.groupby("scenario")["trips_mean"].mean().round(2))
print("report:", sweep / "report" / "index.html")

# %% [markdown]
# ## 6. A plot
#
# Approval items (open + hidden) under both scenarios, mean over the seeds.

# %%
table["items_total"] = table["items_open"] + table["items_hidden"]
means = table.groupby(["scenario", "step"])["items_total"].mean().unstack(0)
ax = means.plot(figsize=(6, 3.5))
ax.axvline(0, color="grey", ls="--", lw=0.8)
ax.set(xlabel="month (0 = launch)", ylabel="approval items (open + hidden)")
plt.tight_layout()
figure = OUT / "items.png"
plt.savefig(figure)
print("figure:", figure)
