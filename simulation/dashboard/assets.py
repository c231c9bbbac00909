"""Front-end assets for the classroom dashboard, installed from the npm registry.

Solara's page loads its front end (the vuetify app, requirejs, font-awesome, the draggable grid,
vega) from a CDN at run time, through a proxy that first looks in a local cache folder. Filling
that folder at install time makes the dashboard work with no internet access. The versions are
read from Solara's own sources, so a Solara upgrade asks for the files it needs. The page also
links a Chinese web font of its own (`OWN`), so Chinese text needs no font on the machine that
shows it; that package is pinned with the registry's checksum, and only the files the page
links are kept.

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
from collections.abc import Callable
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

# packages the dashboard itself links, pinned: npm's integrity (sha512) of each tarball, checked
# after `npm pack` on top of npm's own check against the registry
FONT = "@fontsource/noto-sans-sc@5.3.0"
FONT_FAMILY = "Noto Sans SC"
OWN = {
    FONT: "sha512-HeqIlGm0+ohOKxZLuHj1qW6r6avHH0OWdKERAcSDI0RQ+MXrteuLKA+M+5eOA8rYy0MFvOR5AT0fQo2rUkye0Q==",
}
# of the font's nine weights, body text and bold (headings, the month counter); the 74 MB
# package keeps 7 MB: these weights' woff2 subsets, which the browser fetches only for the
# characters the page shows (each subset's unicode-range)
FONT_WEIGHTS = (400, 700)
# the page's and the charts' font: Roboto, Solara's own web font, for Latin text; the CJK font
# for what Roboto lacks, before any system font, so a class sees the same characters everywhere
FONT_STACK = f'Roboto, "{FONT_FAMILY}", sans-serif'


def stylesheets() -> list[str]:
    """The font's style sheets the page links, as paths under the CDN folder."""
    return [f"{FONT}/{weight}.css" for weight in FONT_WEIGHTS]


def cache_dir() -> Path:
    """The folder Solara's CDN proxy reads before it goes to the network."""
    import solara.server.settings as settings

    return Path(settings.assets.proxy_cache_dir)


def required() -> list[str]:
    """`name@version` for every package, with the versions Solara's sources ask for."""
    import solara

    root = Path(solara.__file__).parent
    text = "\n".join((root / s).read_text(encoding="utf-8") for s in SOURCES if (root / s).exists())
    specs = []
    for name in PACKAGES:
        found = set(re.findall(rf"(?<![\w-]){re.escape(name)}@([0-9][\w.+-]*)/", text))
        if not found:
            raise RuntimeError(f"Solara's sources no longer mention {name}; update PACKAGES")
        specs += [f"{name}@{version}" for version in sorted(found)]
    return specs + list(OWN)


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
            packed = json.loads(out)[0]
            if spec in OWN and packed.get("integrity") != OWN[spec]:
                raise RuntimeError(
                    f"{spec}: npm gave a tarball with integrity {packed.get('integrity')}, "
                    f"not the pinned {OWN[spec]}"
                )
            keep = font_files if spec == FONT else None
            _unpack(Path(tmp) / packed["filename"], cache / spec, keep)
            print(f"install_frontend: {spec} -> {cache / spec}")


def font_files(tar: tarfile.TarFile) -> list[tarfile.TarInfo]:
    """The font package's files the page needs: its manifest and licence, the style sheets of
    `FONT_WEIGHTS` and the woff2 files they name (their woff fallbacks are for old browsers)."""
    members = {m.name.split("/", 1)[-1]: m for m in tar.getmembers() if m.isfile()}
    sheets = [f"{weight}.css" for weight in FONT_WEIGHTS]
    wanted = {"package.json", "LICENSE", *sheets}
    for sheet in sheets:
        text = tar.extractfile(members[sheet]).read().decode()
        wanted |= set(re.findall(r"url\(\./(files/[\w.-]+\.woff2)\)", text))
    return [m for name, m in members.items() if name in wanted]


def _unpack(
    tarball: Path,
    target: Path,
    keep: Callable[[tarfile.TarFile], list[tarfile.TarInfo]] | None = None,
) -> None:
    """Unpack (`keep`: only the members it picks) into a sibling folder, then rename, so a
    half-written package is never served."""
    staging = target.with_name(target.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    with tarfile.open(tarball) as tar:
        members = keep(tar) if keep else None
        tar.extractall(staging, members=members, filter="data")
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
