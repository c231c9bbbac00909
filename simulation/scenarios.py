"""Scenario files (scenarios/*.yaml) are data: a name, a one-sentence description, where lists
put it (`order:`) and the institutions block, nothing else: the fields of
`simulation.parameters.Scenario`. Every list of scenarios is derived from these files
(`available`, `ordered`), the README's table too (`python -m simulation.scenarios`).

Every reader of a scenario goes through `load`, which reads the file as untrusted input: only a
regular file, without blocking, at most MAX_BYTES (a link to /dev/zero or a named pipe is
refused, not read for ever); nesting deeper than the schema is refused before the YAML parser
recurses into it; then what could make a file more than data is refused: Hydra package directives
(`# @package ...`), YAML tags, anchors and aliases, interpolations (`${...}`), and any key outside
the schema (`hydra`, `defaults`, `_target_`, model parameters). Values, text included, are then
checked against the parameter table like any configuration (simulation/config.py). Errors are one
line naming the file and the key. A command loads only the scenarios it uses, so one bad file
breaks no command that does not ask for it.
"""

from __future__ import annotations

import dataclasses
import importlib.resources
import os
import re
import stat
import typing
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from simulation.config import ConfigError, resolve
from simulation.parameters import Scenario

SCENARIOS_DIR = Path(str(importlib.resources.files("scenarios")))  # package data
# folders of one's own (scenarios_dir=) and single files given by path (scenario=PATH.yaml),
# added by a command before it composes: name -> file
_ADDED: dict[str, Path] = {}
KEYS = tuple(f.name for f in dataclasses.fields(Scenario))  # what a file may set
NAME = re.compile(r"[a-z][a-z0-9_]{0,63}")
NAME_RULE = "lowercase letters, digits and _, starting with a letter, at most 64 characters"
MAX_BYTES = 64 * 1024  # a scenario file is a few hundred bytes
PACKAGE = re.compile(r"^\s*#\s*@package", re.MULTILINE)
NOT_DATA = {
    yaml.TagToken: "a YAML tag (!!...)",
    yaml.AnchorToken: "a YAML anchor (&...)",
    yaml.AliasToken: "a YAML alias (*...)",
    yaml.DirectiveToken: "a YAML directive (%...)",
}


class ScenarioError(ConfigError):
    """A scenario file that cannot be used; `str()` is one line naming the file and the key."""


def available() -> list[str]:
    """Names of the scenario files, usable or not (`load` says what is wrong with one): the
    package's, then those a command added (`add_folder`, `add_file`)."""
    return sorted({*(p.stem for p in SCENARIOS_DIR.glob("*.yaml")), *_ADDED})


def ordered(names: Iterable[str] | None = None) -> list[str]:
    """Scenario names (every scenario file's if None) in the order lists and reports show them:
    by their file's `order:`, then by name; a name without one, or without a usable file,
    follows the ordered ones."""
    names = available() if names is None else names

    def key(name: str) -> tuple[int, str]:
        return _order(name), name

    return sorted(set(names), key=key)


def _order(name: str) -> int:
    last = Scenario().order  # a name without a file, or without `order:`, follows the rest
    if name not in available():
        return last
    try:
        return load(name)["order"]
    except ScenarioError:  # a bad file is refused where it is used, not where it is listed
        return last


def path(name: str) -> Path:
    return _ADDED.get(name, SCENARIOS_DIR / f"{name}.yaml")


def add_file(file: str | Path) -> str:
    """A scenario file of one's own, given by its path: usable by its name from now on (the
    name its file name gives, which its `name:` must repeat). Refused in one line if it is not
    a `.yaml` file, its name is not a usable one, or another scenario already has that name."""
    file = Path(file).expanduser()
    name, where = file.stem, str(file)
    if file.suffix != ".yaml":
        raise ScenarioError("scenario", f"{where}: a scenario file is a .yaml file")
    if not NAME.fullmatch(name):
        raise ScenarioError("scenario", f"{where}: not a usable scenario name; {NAME_RULE}")
    known = path(name) if name in available() else None
    if known is not None and known.resolve() != file.resolve():
        raise ScenarioError(
            "scenario", f"{where}: the scenario {name!r} is already {known}; rename your file"
        )
    parse(_read(file, where), name, where)  # refused now, in one line, if unusable
    _ADDED[name] = file
    return name


def add_folder(folder: str | Path) -> list[str]:
    """Every `.yaml` file of a folder of one's own (scenarios_dir=), by name; files are read
    only when used, as the package's are."""
    folder = Path(folder).expanduser()
    if not folder.is_dir():
        raise ScenarioError("scenarios_dir", f"{folder}: no such folder")
    names = []
    for file in sorted(folder.glob("*.yaml")):
        name = file.stem
        if name in available() and path(name).resolve() != file.resolve():
            raise ScenarioError(
                "scenarios_dir", f"{file}: the scenario {name!r} is already {path(name)}"
            )
        _ADDED[name] = file
        names.append(name)
    return names


def load(name: str) -> dict[str, Any]:
    """The scenario block of `scenarios/<name>.yaml` (or of a file a command added), checked:
    {name, description, institutions}."""
    where = str(_ADDED[name]) if name in _ADDED else f"scenarios/{name}.yaml"
    if name not in available():
        raise ScenarioError(
            "scenario", f"unknown scenario {name!r}; allowed: {', '.join(available())}"
        )
    if not NAME.fullmatch(name):
        raise ScenarioError(
            "scenario",
            f"{name!r} ({where}) is not a usable scenario name; rename the file: {NAME_RULE}",
        )
    return parse(_read(path(name), where), name, where)


def parse(text: str, name: str, where: str = "scenario") -> dict[str, Any]:
    """A scenario from the text of its file; `name` is what its `name:` must say."""
    if PACKAGE.search(text):
        raise ScenarioError(
            "scenario", f"{where}: '# @package' directives are not allowed (a scenario is data)"
        )
    data = _data(text, where)
    if not isinstance(data, dict):
        raise ScenarioError("scenario", f"{where}: must be a mapping with keys {', '.join(KEYS)}")
    for key in data:
        if key not in KEYS:
            raise ScenarioError(
                f"scenario.{key}",
                f"{where}: unknown key; a scenario file sets only {', '.join(KEYS)}",
            )
    _refuse_interpolations(data, where, "scenario")
    if data.get("name") != name:
        raise ScenarioError(
            "scenario.name",
            f"{where} says name: {str(data.get('name'))[:60]!r}; it must be {name!r}",
        )
    block = {k: data[k] for k in KEYS if k in data}
    try:
        return resolve({"scenario": block})["scenario"]
    except ConfigError as err:
        raise ScenarioError(err.key, f"{where}: {str(err).split(': ', 1)[1]}") from None


def _depth(schema: type) -> int:
    """How deep the file's YAML may nest: its top mapping, then one level per section."""
    hints = typing.get_type_hints(schema)
    inner = [
        _depth(hints[f.name]) if dataclasses.is_dataclass(hints[f.name]) else 0
        for f in dataclasses.fields(schema)
    ]
    return 1 + max(inner, default=0)


MAX_DEPTH = _depth(Scenario)  # 2: the file's mapping and its institutions
OPENING = (
    yaml.BlockMappingStartToken,
    yaml.BlockSequenceStartToken,
    yaml.FlowMappingStartToken,
    yaml.FlowSequenceStartToken,
)
CLOSING = (yaml.BlockEndToken, yaml.FlowMappingEndToken, yaml.FlowSequenceEndToken)


def _read(file: Path, where: str) -> str:
    """The file's text: a regular file only, opened without blocking, at most MAX_BYTES read."""
    try:
        fd = os.open(file, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as err:
        raise ScenarioError("scenario", f"{where}: cannot be read ({err.strerror})") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # a pipe, a device, a folder
            raise ScenarioError("scenario", f"{where}: not a regular file")
        data = os.read(fd, MAX_BYTES + 1)
    except OSError as err:
        raise ScenarioError("scenario", f"{where}: cannot be read ({err.strerror})") from None
    finally:
        os.close(fd)
    if len(data) > MAX_BYTES:
        raise ScenarioError("scenario", f"{where}: larger than {MAX_BYTES // 1024} KB")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise ScenarioError("scenario", f"{where}: not UTF-8 text") from None


def _data(text: str, where: str) -> Any:
    try:
        _check_tokens(text, where)
        return yaml.safe_load(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        at = f", line {mark.line + 1}" if mark is not None else ""
        problem = getattr(err, "problem", None) or str(err).splitlines()[0]
        raise ScenarioError("scenario", f"{where}{at}: not valid YAML ({problem})") from None


def _check_tokens(text: str, where: str) -> None:
    """Refuse what is not plain data, and nesting deeper than the schema, before the parser
    (which recurses per level) sees the text: the scanner does not recurse."""
    depth, keys, is_key = 0, ["scenario"], False
    for token in yaml.scan(text):
        if type(token) in NOT_DATA:
            line = token.start_mark.line + 1
            raise ScenarioError(
                "scenario", f"{where}, line {line}: {NOT_DATA[type(token)]} is not allowed"
            )
        if is_key and isinstance(token, yaml.ScalarToken):
            keys = [*keys[:depth], str(token.value)[:40]]
        is_key = isinstance(token, yaml.KeyToken)
        depth += isinstance(token, OPENING) - isinstance(token, CLOSING)
        if depth > MAX_DEPTH:
            line = token.start_mark.line + 1
            raise ScenarioError(
                ".".join(keys[:depth]),
                f"{where}, line {line}: nested deeper than a scenario's {MAX_DEPTH} levels; a "
                f"scenario file sets only {', '.join(KEYS)} (institutions: switches and numbers)",
            )


def _refuse_interpolations(node: Any, where: str, key: str) -> None:
    if isinstance(node, dict):
        for k, v in node.items():
            _refuse_interpolations(v, where, f"{key}.{k}")
    elif isinstance(node, list):
        for v in node:
            _refuse_interpolations(v, where, key)
    elif isinstance(node, str) and "${" in node:
        raise ScenarioError(
            key, f"{where}: interpolations (${{...}}) are not allowed in a scenario"
        )


# the README's table of scenarios, generated from the package's files -----------------------------
README_BEGIN = (
    "<!-- scenarios: generated from scenarios/*.yaml by `python -m simulation.scenarios` -->"
)
README_END = "<!-- end of the generated scenarios -->"


def markdown() -> str:
    """The table of the package's scenarios, in their order, each with its description."""
    rows = ["| scenario | in one sentence |", "|---|---|"]
    for name in ordered(p.stem for p in SCENARIOS_DIR.glob("*.yaml")):
        rows.append(f"| `{name}` | {load(name)['description'].replace('|', '/')} |")
    return "\n".join(rows) + "\n"


def in_readme(readme: str) -> str:
    """`readme` with the text between its two markers replaced by `markdown()`."""
    head, rest = readme.split(README_BEGIN, 1)
    _, tail = rest.split(README_END, 1)
    return f"{head}{README_BEGIN}\n{markdown()}{README_END}{tail}"


if __name__ == "__main__":
    readme = Path(__file__).resolve().parent.parent / "README.md"
    readme.write_text(in_readme(readme.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"wrote the scenarios' table of {readme}")
