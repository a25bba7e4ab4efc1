"""What `papertrends sql` understands beyond SQL, as the DuckDB CLI does: the dot commands
(`.tables`, `.schema [NAME]`, `.help`, `.quit`), `show tables` / `show all tables` over every
schema of the warehouse (DuckDB's own `show tables` lists only the empty `main` schema), and
"does not exist" errors that suggest the warehouse's own tables rather than DuckDB's catalog
views (`pg_enum`)."""

from __future__ import annotations

import difflib
import re

import duckdb

HELP = """\
.tables [PATTERN]   list the tables and views (schema, name, kind, description)
.schema [NAME]      the columns of one table or view (marts.papers or papers), or of all
.help               this help
.quit               leave (also .exit, Ctrl-D)
show tables;        the same list as .tables (show all tables; too)
describe marts.papers;   DuckDB's own column listing
End SQL statements with ';'. Ctrl-C cancels the running statement. Every table and column is
described in docs/data-dictionary.md."""

# Schemas people query; DuckDB's catalog schemas are left out.
HIDDEN_SCHEMAS = ("information_schema", "pg_catalog")

RELATIONS = """
    select schema_name as schema, table_name as name, 'table' as kind,
           coalesce(comment, '') as description
    from duckdb_tables() where not internal and schema_name not in {hidden}
    union all
    select schema_name, view_name, 'view', coalesce(comment, '')
    from duckdb_views() where not internal and schema_name not in {hidden}
""".format(hidden=repr(HIDDEN_SCHEMAS))

LIST_TABLES = f"select * from ({RELATIONS}) where name like ? order by schema, name"

COLUMNS = f"""
    select schema_name || '.' || table_name as "table", column_name as "column",
           data_type as type, coalesce(comment, '') as description
    from duckdb_columns()
    where schema_name not in {repr(HIDDEN_SCHEMAS)} and not internal
      and (? is null or table_name = ? or schema_name || '.' || table_name = ?)
    order by schema_name, table_name, column_index
"""

SHOW_TABLES = re.compile(r"^\s*show\s+(all\s+)?tables\s*;?\s*$", re.IGNORECASE)
MISSING = re.compile(r'(?P<kind>Table|View|Table Function) with name (?P<name>[^\s!]+) does not exist!'
                     r'(?P<hint>\s*Did you mean "[^"]*"\?)?')


class DotCommandError(ValueError):
    """A dot command that papertrends sql does not know, or misused."""


def dot_command(line: str) -> tuple[str, list] | str | None:
    """A dot command as (SQL, parameters) to run, or as text to print (.help); None for .quit.
    Raises DotCommandError for one it does not know."""
    words = line.strip().rstrip(";").split()
    name, rest = words[0].lower(), words[1:]
    if name in (".quit", ".exit", ".q"):
        return None
    if name == ".help":
        return HELP
    if name == ".tables":
        pattern = rest[0].replace("*", "%") if rest else "%"
        return LIST_TABLES, [pattern]
    if name == ".schema":
        target = rest[0] if rest else None
        return COLUMNS, [target, target, target]
    raise DotCommandError(f"unknown command {words[0]}; .help lists the commands")


def rewrite(statement_text: str) -> tuple[str, list] | None:
    """`show tables` / `show all tables` as the listing of every schema's tables; else None."""
    if SHOW_TABLES.match(statement_text):
        return LIST_TABLES, ["%"]
    return None


SET_ADVICE = re.compile(r'\s*Use "SET (?P<name>\w+) TO [^"]*"[^.\n]*\.?')


def explain_error(con: duckdb.DuckDBPyConnection, message: str) -> str:
    """DuckDB's message, with a missing table's suggestion taken from the warehouse's tables, and
    its advice to change a setting (which papertrends sql locks) replaced by what works."""
    if advice := SET_ADVICE.search(message):
        message = (message[:advice.start()] + f" papertrends sql keeps DuckDB's settings locked, so "
                   f"{advice['name']} cannot be changed here: simplify the query, or run it in DuckDB's own "
                   "client on the published copy (uv run duckdb -readonly <data dir>/warehouse-readonly.duckdb), "
                   f"where SET {advice['name']} works." + message[advice.end():])
    found = MISSING.search(message)
    if not found:
        return message
    try:
        names = [f"{schema}.{name}" for schema, name, *_ in con.execute(f"select * from ({RELATIONS})").fetchall()]
    except duckdb.Error:
        return message
    wanted = found["name"].lower()
    by_name = {n.split(".", 1)[1]: n for n in names}
    exact = [n for n in names if n.split(".", 1)[1] == wanted.split(".")[-1]]
    close = exact or [by_name.get(m, m) for m in difflib.get_close_matches(
        wanted.split(".")[-1], list(by_name), n=3, cutoff=0.5)]
    hint = (f" Did you mean {' or '.join(close)}?" if close else "") + " (.tables lists them all)"
    head = f"{found['kind']} with name {found['name']} does not exist."
    return message[:found.start()] + head + hint + message[found.end():]
