"""Every rule check runs in time linear in its input, whatever the input (issue 12).

Each hostile shape (one atom repeated, or a generated text) is checked at n and 4n characters
for each target language (the source checks at n and 2n, where n is already larger); a linear
pass takes 4 times as long (2 for the doubling), a quadratic one 16 (4). Two doublings rather
than one: in a process that ran a thousand tests before, one slow measurement of a short text
moved a linear ratio from 2 to 3.1, past a limit of 3, while 4 against 16 leaves room for it.
Times are CPU seconds of this process, the best of up to five tries, at sizes where the
checks' own time dominates the noise of a loaded machine. The shapes are those that made a
pass quadratic before (a token rescanned per mark, a pattern restarted at each digit group,
quotation marks counted from the start for each one...) and their neighbours;
``bench/linear_checks.py`` prints the same times at 12 to 96 KB.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

import pytest

from mtcheck.api import check_document
from mtcheck.config import Config

CONFIG = Config(lm=False)
LANGS = ("en", "fr", "de", "es")
SOURCE_LANG = {"en": "fr", "fr": "en", "de": "en", "es": "en"}
# The source checks hardly depend on the target language: one direction a mode covers them
# (the same text on both sides into French, the others into English, the language with a
# name lexicon).
SOURCE_CHECKED = {"both": ("fr",), "source": ("en",), "translation": ("en",)}
N = 16_000  # characters of the rule checks' texts: checked at N and 4N
N_SOURCE = 32_000  # the same for the source checks, at N and 2N (see test_source_checks_are_linear)
LIMIT = {2: 3.0, 4: 8.0}  # time(kN) / time(N) for k = 2 and 4; linear is k, quadratic k * k
TRIES = 5  # at most; a try is repeated only while the ratio is over LIMIT


def repeat(atom: str, tail: str = "") -> Callable[[int], str]:
    return lambda n: (atom * (n // len(atom) + 1))[: n - len(tail)] + tail


ARTICLE_EN = (
    "The minister met officials in Kyiv on Monday, and they signed a deal worth 10 million euros. "
    "“We will not give up,” said Olena Kovalenko, the mayor, at 3 p.m. in the city hall.\n"
)
ARTICLE_FR = (
    "Le ministre a rencontré des responsables à Kyiv lundi et ils ont signé un accord de 10 millions "
    "d'euros. « Nous ne céderons pas », a déclaré Olena Kovalenko, la maire, à 15 h à l'hôtel de ville.\n"
)

SHAPES: dict[str, Callable[[int], str]] = {
    **{
        repr(a): repeat(a)
        for a in (
            "a ",
            "A ",
            "a.",
            ". ",
            " .",
            "..",
            "A.",
            "a-",
            "'",
            '"',
            "« ",
            "»",
            "„",
            " ”",
            "(",
            ")",
            "((",
            "1,",
            "1.",
            "1 ",
            "%",
            "http://",
            "@",
            "#",
            "a@b",
            "#ab ",
            "@ab ",
            "Mr. ",
            "kyiv ",
            "KYIV ",
            "Kyiv ",
            "the the ",
            "a;b",
            "ab,",
            ".Kyiv",
            "\n",
            "\n\n",
            "a\n",
            "5:30 am ",
            "10h ",
        )
    },
    "'100 ' then a digit": repeat("100 ", "1"),
    "'100\\xa0' then a digit": repeat("100\u00a0", "1"),
    "one letter": repeat("a"),
    "one capital": repeat("A"),
    "spaces": repeat(" ", "a"),
    "one line of sentences": repeat(ARTICLE_EN.replace("\n", " ")),
    "mixed scripts": repeat("Kyiv Київ 北京 عربي ok "),
    "CJK": repeat("北京市政府今天宣布新的政策。"),
    "RTL": repeat("الحكومة أعلنت اليوم "),
    "combining marks": repeat("e\u0301 a\u0308 "),
    "emoji": repeat("🙂 👍🏽 "),
}

# Source-aware checks: the same hostile text on both sides, a hostile source with an
# ordinary translation, and a hostile translation of an ordinary source.
SOURCE_SHAPES = (
    "'a '",
    "'. '",
    "'Kyiv '",
    "'#ab '",
    "'http://'",
    "'1,'",
    "'„'",
    "'\\n'",
    "one line of sentences",
    "CJK",
)


def cpu(fn: Callable[[], object]) -> float:
    """CPU seconds of ``fn()``, without the cyclic garbage collector: in a test process that
    holds the objects of a thousand earlier tests, a collection costs the size of that heap,
    and more allocations set off more of them, which no check's own time should include."""
    gc.collect()
    gc.disable()
    try:
        start = time.process_time()
        fn()
        return time.process_time() - start
    finally:
        gc.enable()


def check_all(text: str, mode: str) -> None:
    for lang in SOURCE_CHECKED.get(mode, LANGS):
        src = SOURCE_LANG[lang]
        if mode == "target":
            check_document(text, lang=lang, config=CONFIG)
        elif mode == "both":
            check_document(text, lang=lang, source=text, src_lang=src, config=CONFIG)
        elif mode == "source":
            ordinary = repeat(ARTICLE_EN if src == "fr" else ARTICLE_FR)(len(text))
            check_document(ordinary, lang=lang, source=text, src_lang=src, config=CONFIG)
        else:
            ordinary = repeat(ARTICLE_FR if src == "fr" else ARTICLE_EN)(len(text))
            check_document(text, lang=lang, source=ordinary, src_lang=src, config=CONFIG)


def ratio(make: Callable[[int], str], mode: str, n: int, k: int) -> tuple[float, float, float]:
    """(time at n, time at k * n, their ratio), the best of up to five tries of each: another
    process on a shared core slows one try, not all of them."""
    small, large = make(n), make(k * n)
    best_small = best_large = float("inf")
    for _ in range(TRIES):
        best_small = min(best_small, cpu(lambda: check_all(small, mode)))
        best_large = min(best_large, cpu(lambda: check_all(large, mode)))
        if best_large / max(best_small, 1e-3) < LIMIT[k]:
            break
    return best_small, best_large, best_large / max(best_small, 1e-3)


@pytest.fixture(scope="module", autouse=True)
def warm() -> None:
    """Word lists and detectors load on first use, in no measured call."""
    for mode in ("target", "both", "source", "translation"):
        check_all(ARTICLE_EN + ARTICLE_FR, mode)


@pytest.mark.parametrize("name", list(SHAPES))
def test_rule_checks_are_linear(name: str) -> None:
    small, large, r = ratio(SHAPES[name], "target", N, 4)
    assert r < LIMIT[4], f"{name}: {small:.3f}s at {N} characters, {large:.3f}s at {4 * N} ({r:.2f}x)"


@pytest.mark.parametrize("mode", ["both", "source", "translation"])
@pytest.mark.parametrize("name", SOURCE_SHAPES)
def test_source_checks_are_linear(name: str, mode: str) -> None:
    # Not smaller: the alignment's band spans all of a side with fewer than 41 sentences, so
    # one hostile sentence (aligned in pieces of 1,000 characters) against an ordinary
    # article costs in proportion to both lengths up to 41 pieces, and linearly beyond.
    small, large, r = ratio(SHAPES[name], mode, N_SOURCE, 2)
    assert r < LIMIT[2], (
        f"{name} ({mode}): {small:.3f}s at {N_SOURCE} characters, {large:.3f}s at {2 * N_SOURCE} ({r:.2f}x)"
    )


def test_a_megabyte_on_one_line_is_linear() -> None:
    """One line of a megabyte without a line break: half of it, then all of it, in English
    (the language with the most checks)."""

    def english(text: str) -> None:
        check_document(text, lang="en", config=CONFIG)

    make = SHAPES["one line of sentences"]
    half, whole = make(500_000), make(1_000_000)
    t_half, t_whole = cpu(lambda: english(half)), cpu(lambda: english(whole))
    if t_whole / t_half >= LIMIT[2]:
        t_half, t_whole = min(t_half, cpu(lambda: english(half))), min(t_whole, cpu(lambda: english(whole)))
    assert t_whole / t_half < LIMIT[2], f"{t_half:.2f}s for 500 KB, {t_whole:.2f}s for 1 MB"
