{#-
  The taxonomy as (topic, regex) pairs, all patterns of a topic OR-ed into one RE2 regex.
  Read from the built seed at run time so that paper_topics can inline each regex as a
  constant: DuckDB compiles a constant regex once, but a regex taken from a column once per
  row (~0.2 ms each, which made tagging 40x slower). The seed is upstream of paper_topics, so
  `dbt build` has built it by then. Empty at parse time (nothing runs then).
-#}
{% macro topic_regexes() %}
    {% if not execute %}
        {{ return([]) }}
    {% endif %}
    {% set taxonomy = api.Relation.create(
        database=target.database, schema='reference', identifier='topic_taxonomy') %}
    {% set query %}
        select topic, '(?:' || string_agg(pattern, ')|(?:' order by pattern) || ')' as regex
        from {{ taxonomy }}
        group by topic
        order by topic
    {% endset %}
    {{ return(run_query(query).rows) }}
{% endmacro %}

{#-
  A fingerprint of the tagger: the taxonomy regexes and the calling model's own SQL. Stored with
  every tagged row, so that an incremental run re-tags every paper once either changes.
-#}
{% macro topic_tagger_version(taxonomy) -%}
    {%- set parts = [model.raw_code] -%}
    {%- for topic, regex in taxonomy -%}
        {%- do parts.append(topic ~ '=' ~ regex) -%}
    {%- endfor -%}
    {{- local_md5(parts | join(';')) -}}
{%- endmacro %}

{#-
  The learned per-topic weights (seed topic_term_weights, written by
  tests/topic_model_training.py), read from the built seed like the taxonomy, and a fingerprint
  of them for topic_tagger_version: new weights re-tag every paper. Empty before execution.
-#}
{% macro topic_weights_relation() %}
    {{ return(api.Relation.create(
        database=target.database, schema='reference', identifier='topic_term_weights')) }}
{% endmacro %}

{% macro topic_weights_fingerprint() %}
    {% if not execute %}
        {{ return('') }}
    {% endif %}
    {% set query %}
        select coalesce(md5(string_agg(topic || ' ' || feature || ' ' || weight::varchar, ';'
            order by topic, feature)), '') from {{ topic_weights_relation() }}
    {% endset %}
    {{ return(run_query(query).columns[0].values()[0]) }}
{% endmacro %}
