"""Front-end assets for the classroom dashboard, installed from the npm registry.

Solara's page loads its front end (the vuetify app, requirejs, font-awesome, the draggable grid,
vega) from a CDN at run time, through a proxy that first looks in a local cache folder. Filling
that folder at install time makes the dashboard work with no internet access. The versions are
read from Solara's own sources, so a Solara upgrade asks for the files it needs.

    python -m simulation.dashboard.assets          # install what is missing (fast when done)
    python -m simulation.dashboard.assets --check  # exit 1 and list what is missing
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

# npm packages the page asks the CDN for; the grid layout is for Mesa's component grid, which
# this page leaves empty. solara.Markdown would add mermaid and KaTeX: the views avoid it.
PACKAGES = (
    "@widgetti/solara-vuetify-app",
    "requirejs",
    "font-awesome",
    "@widgetti/vue-grid-layout",
    "vega",
    "vega-lite",
    "vega-embed",
)
SOURCES = (
    "server/templates/solara.html.j2",
    "server/settings.py",
    "widgets/vue/vegalite.vue",
    "widgets/vue/gridlayout.vue",
)


def cache_dir() -> Path:
    """The folder Solara's CDN proxy reads before it goes to the network."""
    import solara.server.settings as settings

    return Path(settings.assets.proxy_cache_dir)


def required() -> list[str]:
    """`name@version` for every package, with the versions Solara's sources ask for."""
    import solara

    root = Path(solara.__file__).parent
    text = "\n".join((root / s).read_text() for s in SOURCES if (root / s).exists())
    specs = []
    for name in PACKAGES:
        found = set(re.findall(rf"(?<![\w-]){re.escape(name)}@([0-9][\w.+-]*)/", text))
        if not found:
            raise RuntimeError(f"Solara's sources no longer mention {name}; update PACKAGES")
        specs += [f"{name}@{version}" for version in sorted(found)]
    return specs


def missing(cache: Path | None = None) -> list[str]:
    """The packages not yet unpacked in the cache folder."""
    cache = cache or cache_dir()
    return [spec for spec in required() if not (cache / spec / "package.json").exists()]


def install(specs: list[str], cache: Path) -> None:
    """`npm pack` each package and unpack it where the CDN proxy looks for `name@version/...`."""
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("npm not found: install Node.js and npm (Debian: apt-get install npm)")
    with tempfile.TemporaryDirectory() as tmp:
        for spec in specs:
            out = subprocess.run(
                [npm, "pack", spec, "--json", "--pack-destination", tmp],
                check=True,
                capture_output=True,
                text=True,
                cwd=tmp,
            ).stdout
            tarball = Path(tmp) / json.loads(out)[0]["filename"]
            _unpack(tarball, cache / spec)
            print(f"install_frontend: {spec} -> {cache / spec}")


def _unpack(tarball: Path, target: Path) -> None:
    """Unpack into a sibling folder, then rename, so a half-written package is never served."""
    staging = target.with_name(target.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    with tarfile.open(tarball) as tar:
        tar.extractall(staging, filter="data")
    [top] = list(staging.iterdir())  # npm tarballs hold one top folder, usually `package/`
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(target, ignore_errors=True)
    top.rename(target)
    shutil.rmtree(staging)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report missing assets")
    args = parser.parse_args(argv)
    cache = cache_dir()
    todo = missing(cache)
    if args.check or not todo:
        for spec in todo:
            print(f"missing front-end asset: {cache / spec}")
        return 1 if todo else 0
    install(todo, cache)
    return 0


if __name__ == "__main__":
    sys.exit(main())
