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
