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

{#- The papers an incremental run must recompute, given `observations` (a relation or CTE of
    int_paper_observations) and `since` (the model's reload_from_date): those with an observation
    of the same title as one observed since (which includes every paper observed since), and
    those the model's table does not hold yet. Both catch the papers whose older rows
    int_paper_observations re-keyed: a reloaded observation gave their title an arXiv id, or
    took it away. -#}
{% macro touched_papers(observations, since) -%}
    select same_title.paper_id from {{ observations }} as same_title
    semi join (
        select reloaded.title_key from {{ observations }} as reloaded
        where reloaded.snapshot_date >= {{ since }}
    ) using (title_key)
    union
    select unseen.paper_id from {{ observations }} as unseen
    anti join {{ this }} as stored using (paper_id)
{%- endmacro %}

{#- The post_hook of an incremental model: delete its rows whose key (`keys`, columns of both)
    no longer appears in `source`, the upstream relation it is built from: rows dropped, or
    moved to another key, upstream since they were written. -#}
{% macro delete_rows_gone_from(source, keys) -%}
    delete from {{ this }} as kept where not exists (
        select 1 from {{ source }} as upstream
        where {% for key in keys %}upstream.{{ key }} = kept.{{ key }}{% if not loop.last %} and {% endif %}{% endfor %})
{%- endmacro %}
