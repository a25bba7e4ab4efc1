{#- regexp_replace(text, '\s+', ' ', 'g'), but only where it changes something: most texts have
    no run of whitespace and no tab or newline, and the replace costs ~6x the check. -#}
{% macro fold_whitespace(text) -%}
    case
        when regexp_matches({{ text }}, '\s\s|[^\S ]') then regexp_replace({{ text }}, '\s+', ' ', 'g')
        else {{ text }}
    end
{%- endmacro %}

{% macro sql_string(text) -%}
    '{{ text | replace("'", "''") }}'
{%- endmacro %}
