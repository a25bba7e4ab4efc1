{#-
  Term normalisation, used on ai_keywords, titles and the term seeds alike, so that every
  spelling of a term meets in one key:
    - lower case; every run of characters that are neither letters nor digits (hyphens, slashes,
      dots, brackets, spaces) is one word break: "Multi-Agent" = "multi agent"; except a dot
      between two digits, which stays in its word: "GPT-3.5" = "gpt 3.5", not "gpt 3 5";
    - each word made singular by suffix rules: policies -> policy, losses -> loss,
      patches -> patch, models -> model, LLMs -> llm; words ending in -ss, -us, -is, -as, -ics
      and a few others (series, species, news) are left as they are;
  term_words(text) is the list of normalised words (the display form joins them with spaces);
  term_key(words) joins them without spaces, so "multi agent", "multi-agent" and "multiagent"
  are one term.
  term_normaliser_version() names this normalisation: raise it with every change to the macros
  here, so that intermediate.int_term_mentions normalises every paper again.
-#}
{% macro term_normaliser_version() -%}terms-2{%- endmacro %}

{% macro singular_word(word) -%}
    case
        when length({{ word }}) <= 3 and not regexp_matches({{ word }}, '^[a-z]{2}s$') then {{ word }}
        when {{ word }} in ('series', 'species', 'news', 'lens', 'gaussians') then
            case when {{ word }} = 'gaussians' then 'gaussian' else {{ word }} end
        when regexp_matches({{ word }}, '[0-9]s$') then {{ word }}
        when regexp_matches({{ word }}, '[a-z]{2}ies$') then regexp_replace({{ word }}, 'ies$', 'y')
        when regexp_matches({{ word }}, '(ss|x|ch|sh)es$') then regexp_replace({{ word }}, 'es$', '')
        when regexp_matches({{ word }}, '(ss|us|is|as|ics|ous|ys)$') then {{ word }}
        when regexp_matches({{ word }}, '[a-z]s$') then regexp_replace({{ word }}, 's$', '')
        else {{ word }}
    end
{%- endmacro %}

{#- A decimal point ("3.5") is marked with a middle dot while the other punctuation becomes
    spaces (a middle dot of the text itself is a break), then written back as a dot. -#}
{% macro term_words(text) -%}
    list_transform(
        list_filter(
            list_transform(
                string_split(trim(regexp_replace(
                    regexp_replace(
                        regexp_replace(
                            replace(lower({{ text }}), '·', ' '), '\([^()]*\)', ' ', 'g'
                        ),
                        '([0-9])\.([0-9])', '\1·\2', 'g'
                    ),
                    '[^\p{L}\p{N}·]+', ' ', 'g'
                )), ' '),
                lambda w: {{ singular_word('w') }}
            ),
            lambda w: w <> ''
        ),
        lambda w: replace(w, '·', '.')
    )
{%- endmacro %}

{% macro term_key(words) -%}
    array_to_string({{ words }}, '')
{%- endmacro %}
