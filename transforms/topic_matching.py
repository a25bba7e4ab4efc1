"""Counting the matches of a topic regex, for the paper_topics model (a DuckDB function).

The taxonomy's patterns are written in RE2 syntax, DuckDB's regex engine. DuckDB's RE2 scans a
text at ~250 MB/s whatever the pattern (none of the topics starts with a literal it could skip
to), so tagging ten years of abstracts took ~10 s. polars' Rust regex engine skips to the
patterns' literals and answers the same question ~3x faster, on both cores.

The two engines agree on everything the taxonomy uses (leftmost-first alternation, lazy and
bounded repetition, (?m), ^ and $), except that RE2's \\b, \\w, \\d and \\s are ASCII while
Rust's are Unicode: re2_to_rust spells them out as ASCII, so every count is the same as
len(regexp_extract_all(text, pattern)) in DuckDB (tests/transforms/test_topic_matching.py checks it on
real text). Where Rust reads RE2 text differently it is rewritten (\\< and \\> are literals in
RE2, word boundaries in Rust) or refused rather than guessed at: other escape classes
(\\p, \\B, \\Q..\\E, ...) and '[', '&&', '~~', '--' inside a class (set operations in Rust).
One difference is not translated: a pattern that can match the empty string. After a non-empty
match RE2 also counts an empty match at its end, Rust does not ('a*' on 'baaa': 3 against 2).
No topic pattern can match empty text, and one that could would count every position: write
patterns that always consume a character.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import polars as pl
import pyarrow as pa

_ASCII = {"w": "0-9A-Za-z_", "d": "0-9", "s": "\\t\\n\\f\\r "}
_OUTSIDE_CLASS = {"b": "(?-u:\\b)", "w": "[0-9A-Za-z_]", "W": "[^0-9A-Za-z_]", "d": "[0-9]",
                  "D": "[^0-9]", "s": "[\\t\\n\\f\\r ]", "S": "[^\\t\\n\\f\\r ]"}
_UNSUPPORTED = set("BApPzZQEC")


@lru_cache(maxsize=256)
def re2_to_rust(pattern: str) -> str:
    """The RE2 pattern in Rust regex syntax, with RE2's ASCII classes and word boundaries."""
    out, i, in_class = [], 0, False
    while i < len(pattern):
        char = pattern[i]
        if char == "\\" and i + 1 < len(pattern):
            escape = pattern[i + 1]
            if escape in _UNSUPPORTED or (in_class and escape in "WDS"):
                raise ValueError(f"\\{escape} is not supported in topic patterns: {pattern!r}")
            if in_class and escape in _ASCII:
                out.append(_ASCII[escape])
            elif not in_class and escape in _OUTSIDE_CLASS:
                out.append(_OUTSIDE_CLASS[escape])
            elif escape in "<>":
                out.append(escape)   # a literal in RE2; Rust reads \< and \> as word boundaries
            else:
                out.append(pattern[i:i + 2])   # \n, \t, \., \\, ...: the same in both
            i += 2
            continue
        if in_class and (char == "[" or pattern.startswith(("&&", "~~", "--"), i)):
            raise ValueError(f"'[', '&&', '~~' or '--' inside a class is a set operation in Rust "
                             f"but literal in RE2; escape it: {pattern!r}")
        if char == "[" and not in_class:
            in_class = True
            if pattern.startswith("[^]", i) or pattern.startswith("[]", i):
                raise ValueError(f"a class starting with ] is not supported: {pattern!r}")
        elif char == "]" and in_class:
            in_class = False
        out.append(char)
        i += 1
    return "".join(out)


def _syntax(pattern: str):
    """(offset, char, depth) of each character that is syntax: not escaped, not in a class;
    depth counts the groups open before it."""
    depth, in_class, i = 0, False, 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        else:
            depth -= char == ")"
            yield i, char, depth
            depth += char == "("
        i += 1


def top_level_alternatives(pattern: str) -> list[str]:
    """The pattern's alternatives outside any group ("a|(b|c)" -> ["a", "(b|c)"])."""
    cuts = [i for i, char, depth in _syntax(pattern) if char == "|" and depth == 0]
    return [pattern[start + 1:end] for start, end in zip([-1, *cuts], [*cuts, len(pattern)])]


def _starts_at_text_start(alternative: str) -> bool:
    """True when every match of the alternative starts at offset 0: it begins with ^ (the start
    of the text, without (?m)), or it is one (?:...) group whose alternatives all do."""
    closes_first_group = next((i for i, char, depth in _syntax(alternative)
                               if char == ")" and depth == 0), None)
    if alternative.startswith("(?:") and closes_first_group == len(alternative) - 1:
        return all(_starts_at_text_start(alt) for alt in top_level_alternatives(alternative[3:-1]))
    return alternative.startswith("^") and not alternative.startswith(("^*", "^+", "^?", "^{"))


@lru_cache(maxsize=256)
def split_at_text_start(pattern: str) -> tuple[str, str | None, str | None]:
    """(whole, anchored, rest) in Rust syntax: the alternatives that can only match at the start
    of the text, and the others, in their order; (whole, None, None) when there is nothing to
    split (or the pattern sets flags, such as (?m), that could make ^ match elsewhere).

    In a text where no anchored alternative matches anywhere, the whole pattern finds the same
    leftmost-first matches as the rest alone (an alternative that never matches never wins), so
    those texts are counted with the rest, and only texts that some anchored alternative
    matches (rare: it must match at offset 0) with the whole pattern. This is exact for any
    split; anchoring only makes it pay. A bounded repetition after ^ ({0,120}) beside other
    bounded repetitions multiplies the states of the regex engines' DFA: datasets-benchmarks
    took 3.4 s on 76k abstracts as one pattern, 0.4 s split (polars; DuckDB's RE2 took 6.5 s)."""
    whole = re2_to_rust(pattern)
    alternatives = top_level_alternatives(pattern)
    anchored = [alt for alt in alternatives if _starts_at_text_start(alt)]
    if "(?" in pattern.replace("(?:", "") or not anchored:
        return whole, None, None
    rest = [alt for alt in alternatives if alt not in anchored]
    return whole, re2_to_rust("|".join(anchored)), re2_to_rust("|".join(rest)) if rest else None


def match_count(text: pl.Expr, pattern: str) -> pl.Expr:
    """The number of non-overlapping matches of the RE2 pattern in each text (null stays null),
    as a polars expression."""
    whole, anchored, rest = split_at_text_start(pattern)
    if anchored is None:
        return text.str.count_matches(whole)
    at_start = text.str.contains(anchored)
    # a null text is not scanned: each regex runs only on the texts it must count
    counts_whole = pl.when(at_start).then(text).str.count_matches(whole)
    counts_rest = (pl.when(~at_start).then(text).str.count_matches(rest) if rest
                   else pl.when(text.is_not_null()).then(pl.lit(0, pl.UInt32)))
    return pl.coalesce(counts_whole, counts_rest)


def _constant(values: pa.Array, function: str) -> object:
    """The argument DuckDB repeats on every row of a chunk. A pattern is checked on every row, in
    C (compared row by row in Python, the rewrite and its replacement took ~0.13 s of a ten-year
    backfill's paper_topics); a list of patterns (~6 kB a row) on its first, middle and last
    rows, which is enough to catch a column passed by mistake and ~10x cheaper than comparing
    every row."""
    if isinstance(values, pa.ChunkedArray):   # as DuckDB passes them
        values = values.combine_chunks()
    first = values[0]
    if pa.types.is_list(values.type):
        differs = any(values[row] != first for row in {len(values) // 2, len(values) - 1})
    else:
        differs = len(values.unique()) > 1
    if differs:
        raise ValueError(f"{function} takes one constant pattern argument per call")
    return first.as_py()


def count_matches(texts: pa.Array, patterns: pa.Array) -> pa.Array:
    """Arrow function for DuckDB, topic_match_count(text, pattern): the number of non-overlapping
    matches of a constant pattern in each text; null text -> null."""
    pattern = _constant(patterns, "topic_match_count")
    frame = pl.DataFrame({"text": pl.from_arrow(texts)})
    return frame.select(match_count(pl.col("text"), pattern).cast(pl.Int64)).to_series().to_arrow()


def count_matches_each(texts: pa.Array, pattern_lists: pa.Array) -> pa.Array:
    """Arrow function for DuckDB, topic_match_counts(text, patterns): for each text, the list of
    its match counts, one per pattern of a constant list (null for a null text). polars runs the
    patterns on all cores."""
    return _count_lists(pl.DataFrame({"text": pl.from_arrow(texts)}),
                        _constant(pattern_lists, "topic_match_counts"))


def count_matches_each_rewritten(texts: pa.Array, pattern_lists: pa.Array, rewrites: pa.Array,
                                 replacements: pa.Array) -> pa.Array:
    """Arrow function for DuckDB, topic_match_counts_rewritten(text, patterns, rewrite,
    replacement): topic_match_counts of each text with its whitespace runs folded to one space
    (RE2's \\s, as the fold_whitespace macro does) and then `rewrite` replaced by `replacement`
    everywhere (RE2 syntax, \\1 for a group, as regexp_replace(..., 'g')). paper_topics gives it the
    abstracts, so that this work runs in polars on all cores too, not in DuckDB on one."""
    rewrite = re2_to_rust(_constant(rewrites, "topic_match_counts_rewritten"))
    replacement = re2_replacement_to_rust(_constant(replacements, "topic_match_counts_rewritten"))
    text = pl.col("text")
    # only texts with two whitespace characters in a row, or one that is not " ", change when
    # folded (most do not: replacing every " " by " " cost ~1.4 s on 76k abstracts)
    to_fold = pl.when(text.str.contains_any(_NOT_FOLDED)).then(text)
    folded = pl.coalesce(to_fold.str.replace_all(_FOLD, " "), text)
    frame = pl.DataFrame({"text": pl.from_arrow(texts)}).with_columns(
        folded.str.replace_all(rewrite, replacement))
    return _count_lists(frame, _constant(pattern_lists, "topic_match_counts_rewritten"))


_FOLD = re2_to_rust(r"\s+")
_NOT_FOLDED = ["  ", "\t", "\n", "\f", "\r"]   # RE2's \s is [\t\n\f\r ]


def re2_replacement_to_rust(replacement: str) -> str:
    """An RE2 replacement string (\\1 a group, \\\\ a backslash) in Rust's syntax (${1}, $$)."""
    out, i = [], 0
    while i < len(replacement):
        char = replacement[i]
        if char == "\\" and i + 1 < len(replacement) and replacement[i + 1].isdigit():
            out.append("${" + replacement[i + 1] + "}")
            i += 2
            continue
        if char == "\\" and replacement.startswith("\\\\", i):
            out.append("\\")
            i += 2
            continue
        if char == "\\":
            raise ValueError("RE2 rejects a backslash not before a digit or a backslash: "
                             f"{replacement!r}")
        out.append("$$" if char == "$" else char)
        i += 1
    return "".join(out)


def _count_lists(frame: pl.DataFrame, patterns: list[str]) -> pa.Array:
    """Each row's list of match counts of `frame`'s text column, one per pattern."""
    text = frame["text"]
    # one expression per pattern, so that polars runs them in parallel
    counts = frame.select([match_count(pl.col("text"), pattern).fill_null(0).alias(str(i))
                           for i, pattern in enumerate(patterns)])
    # row-major counts as the lists' values (polars' concat_list took ~10x longer)
    width = len(patterns)
    values = counts.to_numpy().astype(np.int64).ravel() if width else np.zeros(0, np.int64)
    offsets = np.arange(len(text) + 1, dtype=np.int32) * width
    return pa.ListArray.from_arrays(pa.array(offsets), pa.array(values),
                                    mask=text.is_null().to_arrow())
