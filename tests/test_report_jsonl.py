"""The JSON Lines report, written in pieces so that a huge file's findings never sit in memory
twice, reads exactly as the whole line built at once."""

from __future__ import annotations

import json

import pytest

from mtcheck.api import check_document
from mtcheck.config import Config
from mtcheck.report import FileResult, file_dict, jsonl_pieces, to_jsonl_line

TEXT = "They met in kyiv .\nthe minister spoke of the the talks .\nAnd  then left ."


def _whole(res: FileResult) -> str:
    return json.dumps(file_dict(res), ensure_ascii=False) + "\n"


@pytest.mark.parametrize("batch", [1, 2, 1000])
def test_pieces_join_to_the_whole_line(batch: int) -> None:
    res = FileResult.of("a.txt", TEXT, check_document(TEXT, "en", config=Config(lm=False)))
    assert len(res.findings) > 2  # so that batches of 1 and 2 split them
    pieces = list(jsonl_pieces(res, batch))
    assert "".join(pieces) == _whole(res) == to_jsonl_line(res)
    assert len(pieces) >= 3 + (len(res.findings) + batch - 1) // batch - 1
    assert json.loads("".join(pieces))["findings"][0]["code"]


def test_no_findings_and_record_fields() -> None:
    res = FileResult.of(
        "c.jsonl", "A clean sentence.", check_document("A clean sentence.", "en", config=Config(lm=False))
    )
    res.record.update({"line": 3, "id": 'd\u00e9j\u00e0 "vu"'})
    assert "".join(jsonl_pieces(res)) == _whole(res)
    res.record["findings"] = "a record field of that name"  # keeps its own place
    assert "".join(jsonl_pieces(res)) == _whole(res)


def test_sentences_follow_the_findings() -> None:
    res = FileResult.of("a.txt", TEXT, check_document(TEXT, "en", config=Config(lm=False)))
    res.model = {"name": "m"}
    res.sentences = [{"start": 0, "end": 18, "score": 1.5}]
    assert "".join(jsonl_pieces(res, 2)) == _whole(res)
