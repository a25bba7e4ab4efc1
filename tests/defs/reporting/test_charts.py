"""The report's SVG charts, drawn from hand-made numbers and read back as SVG: the bars and lines
stand where the numbers put them."""

from __future__ import annotations

from datetime import date
from xml.etree import ElementTree

from orchestration.defs.reporting.charts import ACCENT, PALETTE, columns, hbars, ticks, topic_lines

SVG = "{http://www.w3.org/2000/svg}"


def elements(path, tag: str) -> list[ElementTree.Element]:
    """The chart's elements of one tag (the file parses as SVG, or the test fails)."""
    root = ElementTree.parse(path).getroot()
    assert root.tag == f"{SVG}svg"
    return list(root.iter(f"{SVG}{tag}"))


def bars(path) -> list[dict]:
    """The bars (rects with a tooltip), as numbers."""
    return [{"x": float(r.get("x")), "y": float(r.get("y")), "width": float(r.get("width")),
             "height": float(r.get("height")), "fill": r.get("fill"), "title": r.find(f"{SVG}title").text}
            for r in elements(path, "rect") if r.find(f"{SVG}title") is not None]


def test_horizontal_bars_are_proportional_top_down_and_negative_ones_go_left(tmp_path):
    path = hbars(["agents", "video <&> audio", "llm"], [6.0, 3.0, -1.5], "Rising", "z score",
                 tmp_path / "rising.svg", highlight=[True, False, False])
    drawn = bars(path)
    assert [b["title"] for b in drawn] == ["agents: 6", "video <&> audio: 3", "llm: -1.5"]
    assert [b["fill"] for b in drawn] == [ACCENT, PALETTE[0], PALETTE[0]]
    assert drawn[0]["y"] < drawn[1]["y"] < drawn[2]["y"]          # first item on top
    assert abs(drawn[0]["width"] / drawn[1]["width"] - 2) < 0.01   # 6 is twice 3
    zero = drawn[0]["x"]
    assert drawn[1]["x"] == zero and abs(drawn[2]["x"] + drawn[2]["width"] - zero) < 0.2
    assert abs(drawn[2]["width"] / drawn[1]["width"] - 0.5) < 0.01
    texts = [t.text for t in elements(path, "text")]
    assert "video <&> audio" in texts and "z score" in texts and texts[0] == "Rising"


def test_columns_keep_their_order_and_heights(tmp_path):
    path = columns(["1", "2-3", "4+"], [1, 4, 0], "Team sizes", "authors per paper", tmp_path / "t.svg")
    drawn = bars(path)
    assert [b["title"] for b in drawn] == ["1: 1", "2-3: 4", "4+: 0"]
    assert drawn[0]["x"] < drawn[1]["x"] < drawn[2]["x"]
    assert abs(drawn[1]["height"] / drawn[0]["height"] - 4) < 0.01 and drawn[2]["height"] == 0
    assert drawn[0]["y"] + drawn[0]["height"] == drawn[1]["y"] + drawn[1]["height"]   # one baseline


def test_topic_lines_one_line_per_topic_the_highest_count_highest(tmp_path):
    weeks = [date(2025, 11, 3), date(2025, 11, 10), date(2025, 11, 17)]
    path = topic_lines(weeks, {"llm": [5, 9, 7], "agents": [1, 2, 3]}, "Topics", tmp_path / "l.svg")
    lines = elements(path, "polyline")
    assert [line.get("data-series") for line in lines] == ["llm", "agents"]
    points = [[tuple(map(float, p.split(","))) for p in line.get("points").split()] for line in lines]
    assert [len(p) for p in points] == [3, 3]
    llm = [y for _, y in points[0]]
    assert llm.index(min(llm)) == 1                                 # 9, the largest, drawn highest
    assert [x for x, _ in points[0]] == [x for x, _ in points[1]]  # the same weeks
    assert {"Nov 03", "Nov 10", "Nov 17"} <= {t.text for t in elements(path, "text")}


def test_a_chart_without_data_says_so(tmp_path):
    path = hbars([], [], "Top authors", "papers", tmp_path / "empty.svg")
    assert bars(path) == []
    assert "no data for this period" in [t.text for t in elements(path, "text")]


def test_axis_ticks_are_round_and_cover_the_largest_value():
    for top, expected in ((7, [0, 2, 4, 6, 8]), (1, [0, 1]), (2.5, [0, 0.5, 1, 1.5, 2, 2.5]),
                          (37, [0, 10, 20, 30, 40]), (120, [0, 20, 40, 60, 80, 100, 120])):
        assert ticks(top) == expected, top
    assert ticks(6.0, -1.5) == [-2, 0, 2, 4, 6]   # a negative z score: the axis reaches below 0
