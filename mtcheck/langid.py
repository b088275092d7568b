"""Which language a text is in, when the user did not say (lingua, restricted for speed)."""

from __future__ import annotations

import re

from mtcheck.resources import Resources

# Languages we tell apart when guessing; a target outside them is reported as unknown ("und").
CANDIDATES = ("en", "fr", "de", "es", "it", "pt", "nl", "ru", "zh", "ja", "ko", "ar", "pl", "tr", "uk", "cs", "sv")


def detect(text: str, resources: Resources, sample: int = 3000) -> str | None:
    """ISO 639-1 code of the main language of ``text``, or None when it cannot be told."""
    letters = re.sub(r"[\W\d_]+", " ", text[:sample]).strip()
    if len(letters) < 12:
        return None
    detector = resources.detector(CANDIDATES)
    if detector is None:
        return None
    lang = detector.detect_language_of(text[:sample])
    return lang.iso_code_639_1.name.lower() if lang else None
