{#- Leaderboard rank within each month: 1 for the most papers, ties share a rank. -#}
{% macro rank_in_month() -%}
    rank() over (partition by month order by n_papers desc) as rank_in_month
{%- endmacro %}
