"""Source-aware (bilingual) analysis: sentence alignment, numbers, names and the other anchors
that a translation must keep from its source."""
