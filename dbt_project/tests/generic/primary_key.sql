{#- The key identifies each row: no key column is null and no key occurs twice. On a column
    (`data_tests: [primary_key]`) the key is that column; on a model, `columns`. One test where
    `unique` and `not_null` (or unique_combination and a not_null per column) were two or more:
    each test is a query in every run and three events in Dagster's log. -#}
{% test primary_key(model, column_name=none, columns=none) %}
{%- set key = columns if columns else [column_name] %}
select {{ key | join(', ') }}, count(*) as n
from {{ model }}
group by {{ key | join(', ') }}
having count(*) > 1 or {% for c in key %}{{ c }} is null{% if not loop.last %} or {% endif %}{% endfor %}
{% endtest %}
