"""The page's language, for the components that render words.

`page.Layout` holds the language (from `?lang=zh`; the switch in the side bar changes it) and
provides it as a Solara context; a component that renders words reads it with `use_words`. The
context is provided above Solara's AppLayout, not in `Page`: the side bar's children are drawn by
the AppLayout (a portal), where a context of `Page` would not reach.
"""

from __future__ import annotations

import solara

from simulation.i18n import Words

# the default: a page drawn without a Layout (a test of one view) speaks English
LANGUAGE = solara.create_context(solara.Reactive("en"))


def use_language() -> solara.Reactive:
    """The page's language, to read or to switch."""
    return solara.use_context(LANGUAGE)


def use_words() -> Words:
    """The page's words: the component redraws when the language is switched."""
    return Words(use_language().value)
