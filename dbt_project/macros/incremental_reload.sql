{#- The first snapshot date an incremental model rebuilds: var('reload_from') when given
    (Dagster passes the start of the reloaded partitions), else 31 days before the newest value
    of `column` in the model's table. -#}
{% macro reload_from_date(column='snapshot_date') -%}
    {%- if var('reload_from', none) -%}
        date '{{ var("reload_from") }}'
    {%- else -%}
        (select coalesce(max({{ column }}) - interval 31 day, date '1900-01-01') from {{ this }})
    {%- endif -%}
{%- endmacro %}

{#- Papers with an observation of a title observed on or after `since` (the model's
    reload_from_date), in `observations` (a relation or CTE of int_paper_observations): the
    papers whose reloaded rows may hold new values, and those whose older rows a reloaded title
    re-keyed. Papers whose rows changed in any other way (a reload took rows away, or moved a
    row to another paper) are found by each model from what it stores (papers:
    observation_set_hash; paper_trajectories: its rows' keys). -#}
{% macro papers_of_reloaded_titles(observations, since) -%}
    select same_title.paper_id from {{ observations }} as same_title
    semi join (
        select reloaded.title_key from {{ observations }} as reloaded
        where reloaded.snapshot_date >= {{ since }}
    ) using (title_key)
{%- endmacro %}

{#- The post_hook of an incremental model: delete its rows whose key (`keys`, columns of both)
    no longer appears in `source`, the upstream relation it is built from: rows dropped, or
    moved to another key, upstream since they were written. -#}
{% macro delete_rows_gone_from(source, keys) -%}
    delete from {{ this }} as kept where not exists (
        select 1 from {{ source }} as upstream
        where {% for key in keys %}upstream.{{ key }} = kept.{{ key }}{% if not loop.last %} and {% endif %}{% endfor %})
{%- endmacro %}

{#- An aggregate over a paper's rows of int_paper_observations that changes when the set of
    its observations (snapshot_id, position) changes: a row more, a row less, or one swapped.
    Each row is hashed as one string: DuckDB's hash(a, b) XORs the two columns' hashes, so the
    XOR over rows would cancel out (the same positions in two snapshots, {(a, 3), (b, 3)} and
    {(a, 4), (b, 4)}, hashed alike; tests/defs/dbt/test_observation_set_hash.py). -#}
{% macro observation_set_hash() -%}
    bit_xor(hash(snapshot_id || '/' || position))
{%- endmacro %}

{#- A where clause keeping the rows of `rows` (a CTE alias) that the model does not already
    store with the same `hash_column` for their `key`: new rows, and rows whose inputs changed.
    Only for an incremental run (the model's table exists). -#}
{% macro not_stored_with_same(rows, hash_column, key='paper_id') -%}
    where not exists (
        select 1 from {{ this }} as stored
        where
            stored.{{ key }} = {{ rows }}.{{ key }}
            and stored.{{ hash_column }} = {{ rows }}.{{ hash_column }}
    )
{%- endmacro %}
