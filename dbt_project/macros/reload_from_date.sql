{#- The first snapshot date an incremental model rebuilds: var('reload_from') when given
    (Dagster passes the start of the reloaded months), else 31 days before the newest row. -#}
{% macro reload_from_date() -%}
    {%- if var('reload_from', none) -%}
        date '{{ var("reload_from") }}'
    {%- else -%}
        (select coalesce(max(snapshot_date) - interval 31 day, date '1900-01-01') from {{ this }})
    {%- endif -%}
{%- endmacro %}
