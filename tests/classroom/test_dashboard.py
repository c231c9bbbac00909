"""The classroom dashboard without a browser: the model it drives, the data of every view, the
page rendered in-process, and the front-end assets it needs."""

from __future__ import annotations

import re
from dataclasses import asdict
from pathlib import Path

import ipyvuetify as v
import pytest
import solara

from simulation import ReformModel, journey
from simulation import catalogue as cat
from simulation.dashboard import assets, info, itinerary, network, series, timeline
from simulation.dashboard.classroom import (
    BASELINE,
    DEFAULTS,
    SWITCHES,
    ClassroomModel,
    build_config,
    load_scenario,
    scenario_names,
)
from simulation.dashboard.vega import VegaWidget, split_data
from simulation.i18n import Said, Words
from tests.conftest import SCENARIOS

# the acceptance check reads the month shown as the first match of this in the page's text
EN = Words("en")
MONTH_PATTERN = re.compile(r"(?:Month|Step|Time)\s*[:=]?\s*(\d+)")


# the model the class drives ----------------------------------------------------------------
def test_scenario_picker_lists_every_scenario_file():
    assert scenario_names() == SCENARIOS


def test_switches_override_the_scenario_and_as_scenario_keeps_it():
    base = load_scenario("public_pressure")["institutions"]
    kept = build_config({"scenario_name": "public_pressure"})["scenario"]["institutions"]
    assert kept == base
    forced = {"scenario_name": "public_pressure", "complaints": "off", "data_sharing": "on"}
    inst = build_config(forced)["scenario"]["institutions"]
    assert inst["complaint_channel"] is False and inst["platform"] is True
    untouched = set(base) - {"complaint_channel", "platform"}
    assert all(inst[k] == base[k] for k in untouched)
    assert set(SWITCHES.values()) <= set(base)


def test_every_control_is_a_model_setting():
    from simulation.dashboard.page import MODEL_PARAMS

    assert set(MODEL_PARAMS) == set(DEFAULTS)
    assert all(MODEL_PARAMS[k]["value"] == DEFAULTS[k] for k in DEFAULTS)


def test_controls_reach_the_config():
    config = build_config(
        {"technology_level": 0.3, "campaign_interval": 24, "citizens": 1500, "seed": 7}
    )
    assert config["technology"]["initial_level"] == 0.3
    assert config["campaigns"]["interval_months"] == 24
    assert config["population"] == {"citizens": 1500, "enterprises": 150}
    assert config["seed"] == 7


def test_model_starts_at_month_zero_with_a_twin_on_the_same_history(model):
    assert model.month == 3 and model.baseline.month == 3
    assert model.scenario_name == DEFAULTS["scenario_name"]
    assert model.twin.params.scenario.name == BASELINE
    mine, twin = series.history(model, since=-60), series.history(model.twin, since=-60)
    warm = [i for i, m in enumerate(mine["step"]) if m <= 0]
    assert len(warm) == 60
    for col in ("items_open", "staff", "agencies", "trips_mean"):  # common random numbers
        assert [mine[col][i] for i in warm] == [twin[col][i] for i in warm]


@pytest.mark.heavy
def test_the_twin_runs_when_looked_at_and_gives_the_same_months():
    m = ClassroomModel(citizens=500, seed=2)
    for _ in range(4):
        m.step()
    assert m.twin.month < m.month  # not run yet: nobody looked
    reference = ReformModel(build_config(m.settings, BASELINE))
    reference.run(4)
    assert m.baseline.month == 4 and m.baseline.metrics == reference.metrics


def test_the_twin_ignores_the_switches():
    m = ClassroomModel(scenario_name="status_quo", complaints="on", citizens=500)
    assert m.params.scenario.institutions.complaint_channel is True
    assert asdict(m.twin.params.scenario.institutions) == load_scenario(BASELINE)["institutions"]


# the views' data ----------------------------------------------------------------------------
def test_monitors_show_every_indicator(model):
    labels = [label for label, _ in series.kpis(model, EN)]
    assert labels == [label for _, label, _ in series.INDICATORS] + [
        label for _, label in series.SINCE_LAUNCH
    ]
    assert all(value for _, value in series.kpis(model, EN))


def test_trends_cover_two_years_before_the_launch_to_now(model):
    spec = series.trends_spec(model)
    rows = spec["data"]["values"]
    assert {r["panel"] for r in rows} == set(series.PANELS)
    assert min(r["month"] for r in rows) == -series.HISTORY_MONTHS
    assert max(r["month"] for r in rows) == model.month
    assert {r["series"] for r in rows if r["panel"] == "approval items"} == {"open", "hidden"}


def test_comparison_puts_both_scenarios_side_by_side(model):
    rows = series.comparison_rows(model)
    assert {r["series"] for r in rows} == {series.yours(model), BASELINE}
    table = series.comparison_table(model)
    assert len(table) == len(series.INDICATORS) and all(len(row) == 3 for row in table)
    assert series.comparison_spec(model)["facet"]["sort"] == list(series.COMPARE_PANELS)


def test_network_shows_the_bureaus_serving_one_county(model):
    county = 5
    rows = network.nodes(model, county)
    assert len(rows) == 3 * len(network.SHORT)
    assert {r["state"] for r in rows} <= set(network.STATES)
    gov = model.government
    units = {int(gov.dept_unit[r["dept"]]) for r in rows}
    assert units == {int(u) for u in gov.hierarchy[county]}
    assert sum(r["items"] for r in rows) > 0 and all(r["staff"] >= 0 for r in rows)
    edges = network.edges(model, rows)
    certificate = [e for e in edges if e["kind"] == "certificate"]
    assert len(certificate) == 3 * model.government.dependencies.number_of_edges()
    assert (
        network.spec(model, county, "staff", EN)["layer"][1]["encoding"]["size"]["field"] == "staff"
    )


def test_merged_bureaus_are_drawn_with_their_host():
    m = ClassroomModel(citizens=500, seed=1)
    gov = m.government
    county_unit = int(gov.hierarchy[0, 2])
    fire, host = (
        gov.dept(cat.DOMAIN["fire"], county_unit),
        gov.dept(cat.DOMAIN["housing_construction"], county_unit),
    )
    gov.host[fire] = host  # merged as in the big-department reform
    rows = network.nodes(m, 0)
    assert next(r for r in rows if r["dept"] == fire)["state"] == "merged into another"
    merges = [e for e in network.edges(m, rows) if e["kind"] == "merged"]
    assert any(e["x2"] == next(r for r in rows if r["dept"] == host)["x"] for e in merges)


def test_journey_counts_trips_leg_by_leg(model):
    story = itinerary.follow(model, "housing_fund_loan", 3)
    assert story["who"].startswith("citizen")
    totals = [leg["total"] for leg in story["legs"]]
    assert totals == sorted(totals) and story["trips"] == (totals[-1] if totals else 0)
    assert sum(leg["trips"] + leg["informal"] for leg in story["legs"]) == story["trips"]
    firm = itinerary.follow(model, "investment_project", 0)
    assert firm["who"].startswith("enterprise")
    leg = {"where": Said("<b>"), "trips": 1, "total": 1, "why": Said("&")}
    page = itinerary.table_html({"legs": [leg]}, EN)
    assert "&lt;b&gt;" in page and "&amp;" in page


def test_journey_shows_informal_pre_visits_where_a_bureau_takes_them():
    """In the status quo an applicant fetches paper certificates and brings them back; where the
    asking bureau takes informal pre-visits, the return is one, and its records leave it out."""
    quo = ClassroomModel(citizens=500, seed=1, scenario_name="status_quo")
    plain = itinerary.follow(quo, "real_estate_registration", 0)
    assert plain["informal"] == 0 and not plain["online"]
    assert any(leg["where"] == Said(journey.ISSUING) and leg["trips"] >= 2 for leg in plain["legs"])
    quo.government.pre_visits[:] = True
    story = itinerary.follow(quo, "real_estate_registration", 0)
    assert story["informal"] > 0 and story["trips"] == plain["trips"]
    assert "informal pre-visit" in itinerary.summary(story, "real_estate_registration", EN)
    assert "informal pre-visit" in itinerary.table_html(story, EN)


def test_cascade_timeline_lists_changes_by_category(model):
    rows = timeline.rows(model)
    assert rows and min(r["month"] for r in rows) >= timeline.SINCE
    assert {r["category"] for r in rows} <= {"process", "organisational", "functional"}
    assert timeline.order(model, EN) != ""


def test_info_panel_has_the_netlogo_sections_in_order():
    assert list(info.SECTIONS) == [
        "WHAT IS IT?",
        "HOW IT WORKS",
        "HOW TO USE IT",
        "THINGS TO NOTICE",
        "THINGS TO TRY",
        "EXTENDING THE MODEL",
        "RELATED MODELS",
        "CREDITS AND REFERENCES",
    ]
    page = info.to_html(EN)
    assert page.count("<h3>") == 8 and "<li>" in page and "<code>" in page
    assert "Li Xiaoyuan" in page and "2018" in page
    assert not MONTH_PATTERN.search(re.sub(r"<[^>]+>", " ", page))


def test_charts_send_their_rows_apart_from_the_structure(model):
    structure, datasets = split_data(network.spec(model, 0, "items", EN))
    assert len(datasets) == 4
    assert all(layer["data"].keys() == {"name"} for layer in structure["layer"])
    structure, datasets = split_data(series.trends_spec(model))
    assert list(datasets) == ["data0"] and structure["data"] == {"name": "data0"}
    assert "values" in series.trends_spec(model)["data"]  # the original is left alone


# the page, rendered in-process --------------------------------------------------------------
@pytest.fixture
def page():
    from simulation.dashboard.page import Layout, Page

    box, rc = solara.render(Layout(children=[Page()]), handle_error=False)
    yield rc
    rc.close()


def _month(rc) -> int:
    texts = [w.unsafe_innerHTML for w in rc.find(solara.widgets.HTML).widgets]
    return int(MONTH_PATTERN.search(" ".join(texts)).group(1))


def test_page_steps_and_redraws_every_view(page):
    step = page.find(v.Btn, children=["Step"])
    step.assert_single()
    assert _month(page) == 0
    before = [w.datasets for w in page.find(VegaWidget).widgets]
    for _ in range(5):
        step.widget.click()
    assert _month(page) == 5
    # every chart got month 5's rows (how long that takes: benchmarks/dashboard_step.py)
    charts = page.find(VegaWidget).widgets
    assert len(charts) == len(before) >= 3 and all(w.month == 5 for w in charts)
    assert all(w.datasets != rows for w, rows in zip(charts, before, strict=True))


def test_reset_builds_a_new_model_from_the_controls(page):
    page.find(v.Btn, children=["Step"]).widget.click()
    seed = page.find(v.Slider, label="seed")
    seed.assert_single()
    seed.widget.v_model = 9
    page.find(v.Select, label="scenario").widget.v_model = "one_window_no_data"
    page.find(v.Select, label="data sharing (platform)").widget.v_model = "on"
    page.find(v.Btn, children=["Reset"]).widget.click()
    texts = " ".join(w.unsafe_innerHTML for w in page.find(solara.widgets.HTML).widgets)
    assert _month(page) == 0 and "seed 9" in texts and "one_window_no_data starts" in texts


def test_the_information_card_counts_every_simulated_month(page):
    page.find(children=["Time: 60"]).assert_single()  # the warm-up
    page.find(v.Btn, children=["Step"]).widget.click()
    page.find(children=["Time: 61"]).assert_single()


@pytest.mark.heavy
def test_a_language_switch_keeps_the_controls_and_the_model(page):
    """Controls set in English hold after a switch to Chinese, and Reset uses them."""
    page.find(v.Btn, children=["Step"]).widget.click()
    page.find(v.Slider, label="seed").widget.v_model = 9
    switch = [w for w in page.find(v.BtnToggle).widgets if "中文" in str(w.children)]
    switch[0].v_model = 1  # English, 中文
    assert _month_zh(page) == 1  # the same model, now in Chinese
    page.find(v.Slider, label="随机种子").assert_single()
    page.find(v.Btn, children=["重置"]).widget.click()
    texts = " ".join(w.unsafe_innerHTML for w in page.find(solara.widgets.HTML).widgets)
    assert _month_zh(page) == 0 and "随机种子 9" in texts


def _month_zh(rc) -> int:
    texts = " ".join(w.unsafe_innerHTML for w in rc.find(solara.widgets.HTML).widgets)
    return int(re.search(r"第 (\d+) 个月", texts).group(1))


# front-end assets ---------------------------------------------------------------------------
def test_every_front_end_package_has_the_version_solara_asks_for():
    specs = assets.required()
    names = {spec.rsplit("@", 1)[0] for spec in specs}
    assert names == set(assets.PACKAGES) | {spec.rsplit("@", 1)[0] for spec in assets.OWN}
    assert all(re.search(r"@\d", spec) for spec in specs)
    assert set(assets.OWN) <= set(specs) and assets.FONT in assets.OWN
    assert all(sha.startswith("sha512-") for sha in assets.OWN.values())


def _tarball(path: Path, files: dict[str, str]) -> Path:
    import io
    import tarfile

    with tarfile.open(path, "w:gz") as tar:
        for name, text in files.items():
            data = text.encode()
            info = tarfile.TarInfo(f"package/{name}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def test_the_font_keeps_only_the_weights_the_page_links(tmp_path: Path):
    """Of a font package, the manifest, the licence, the linked weights' CSS and the woff2 files
    that CSS names; not the other weights, nor the woff fallbacks."""
    face = "@font-face {{ src: url(./files/f-{n}-{w}.woff2) format('woff2'), url(./files/f-{n}-{w}.woff); }}"
    files = {
        "package.json": "{}",
        "LICENSE": "OFL",
        "index.css": "",
        "300.css": face.format(n=0, w=300),
    }
    for w in assets.FONT_WEIGHTS:
        files[f"{w}.css"] = face.format(n=0, w=w) + face.format(n=1, w=w)
    for w in (300, *assets.FONT_WEIGHTS):
        files |= {f"files/f-{n}-{w}.{ext}": "x" for n in (0, 1) for ext in ("woff", "woff2")}
    target = tmp_path / "cache" / assets.FONT
    assets._unpack(_tarball(tmp_path / "font.tgz", files), target, assets.font_files)
    kept = sorted(str(p.relative_to(target)) for p in target.rglob("*") if p.is_file())
    woff2 = [f"files/f-{n}-{w}.woff2" for w in assets.FONT_WEIGHTS for n in (0, 1)]
    assert kept == sorted(
        ["package.json", "LICENSE", *(f"{w}.css" for w in assets.FONT_WEIGHTS), *woff2]
    )


def test_missing_lists_what_a_cache_folder_lacks(tmp_path: Path):
    assert assets.missing(tmp_path) == assets.required()
    first = assets.required()[0]
    (tmp_path / first).mkdir(parents=True)
    (tmp_path / first / "package.json").write_text("{}")
    assert first not in assets.missing(tmp_path)


def test_a_preset_sets_institutions_and_controls_not_outcomes():
    """Every preset names a scenario and controls the dashboard has, and builds a model."""
    from simulation.dashboard import presets
    from simulation.dashboard.classroom import DEFAULTS
    from simulation.dashboard.page import MODEL_PARAMS

    for preset in presets.PRESETS.values():
        assert set(preset.settings) <= set(DEFAULTS) and preset.title and preset.look_at
        controls = presets.controls(MODEL_PARAMS, presets.settings_of(preset))
        assert controls["scenario_name"]["value"] == preset.settings["scenario_name"]
        assert set(controls) == set(MODEL_PARAMS)
    found, note = presets.from_query("lang=zh&preset=full_package")
    assert found is presets.PRESETS["full_package"] and note is None
    assert presets.from_query("") == (None, None)
    assert presets.from_query("preset=<b>")[0] is None
    model = ClassroomModel(**presets.settings_of(presets.PRESETS["window_without_data"]))
    assert model.scenario_name == "one_window_no_data"
    assert not model.params.scenario.institutions.platform
