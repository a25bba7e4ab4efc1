{{ config(materialized='table') }}
-- depends_on: {{ ref('topic_taxonomy') }}

-- Topics of each paper, from the regex taxonomy in seeds/topic_taxonomy.csv.
--
-- Rule ("a topic means the paper is about it, not that the word appears once"):
--   All patterns of a topic are OR-ed into one RE2 regex and matched against the lower-cased,
--   whitespace-folded title, each ai_keyword, and the abstract. Per (paper, topic):
--     title_hit      1 when the regex matches the title
--     keyword_hits   number of ai_keywords the regex matches (0 when the paper has none)
--     abstract_hits  number of non-overlapping matches in the abstract, capped at 4
--     score          = 3 * title_hit + keyword_hits + abstract_hits
--   A paper is tagged with a topic when score >= 4, i.e. a title hit plus one more piece of
--   evidence, or four mentions across keywords and abstract (no single mention is enough).
--   A paper with no topic gets one row with topic 'other' (score 0, matched_in 'none').
--   Grain: one row per (paper_id, topic). Measured precision/recall: docs/topic-tagging.md.
--   Columns: paper_id, topic, score, title_hit, keyword_hits, abstract_hits, matched_in
--   (matched_in lists the fields with evidence: 'title,keywords,abstract', or 'none' for other).

{#- Modality-qualified language-model phrases, rewritten to one token before matching. #}
{%- set modality_lm = "'\\b(multi-?modal|vision|visual|video|audio|speech|omni-?modal|omni)[ -](?:large )?(?:language models?|llms?)\\b'" %}

with

source_papers as (
    select
        paper_id,
        lower(regexp_replace(coalesce(title, ''), '\s+', ' ', 'g')) as title_text,
        lower(regexp_replace(coalesce(abstract, ''), '\s+', ' ', 'g')) as abstract_text,
        list_transform(coalesce(ai_keywords, []), lambda k: lower(k)) as keywords
    from {{ ref('papers') }}
),

-- "multimodal large language models", "vision-language model", "video LLMs" become one token
-- ("multimodal-llm", "vision-llm", "video-llm") so that llm patterns, which refuse a leading
-- hyphen, do not fire on papers about multimodal models; multimodal patterns match the token.
papers as (
    select
        paper_id,
        regexp_replace(title_text, {{ modality_lm }}, '\1-llm', 'g') as title_text,
        regexp_replace(abstract_text, {{ modality_lm }}, '\1-llm', 'g') as abstract_text,
        -- one keyword per line, so that a multi-line regex can count matching keywords
        array_to_string(
            list_transform(keywords, lambda k: regexp_replace(k, {{ modality_lm }}, '\1-llm', 'g')),
            chr(10)
        ) as keyword_text
    from source_papers
),

evidence as (
    {%- for topic, regex in topic_regexes() %}
    select
        paper_id,
        {{ sql_string(topic) }} as topic,
        regexp_matches(title_text, {{ sql_string(regex) }}) as title_hit,
        -- a whole keyword line that contains a match: one match per keyword
        len(regexp_extract_all(keyword_text, {{ sql_string('(?m)^[^\n]*?(?:' ~ regex ~ ')[^\n]*$') }}))
            as keyword_hits,
        least(len(regexp_extract_all(abstract_text, {{ sql_string(regex) }})), 4) as abstract_hits
    from papers
    {% if not loop.last %}union all{% endif %}
    {%- else %}
    select paper_id, null::varchar as topic, false as title_hit, 0 as keyword_hits, 0 as abstract_hits
    from papers
    where false
    {%- endfor %}
),

scored as (
    select
        paper_id,
        topic,
        (3 * title_hit::integer + keyword_hits + abstract_hits)::integer as score,
        title_hit,
        keyword_hits::integer as keyword_hits,
        abstract_hits::integer as abstract_hits,
        concat_ws(',',
            case when title_hit then 'title' end,
            case when keyword_hits > 0 then 'keywords' end,
            case when abstract_hits > 0 then 'abstract' end
        ) as matched_in
    from evidence
),

tagged as (
    select * from scored
    where score >= 4
),

untagged as (
    select
        papers.paper_id,
        'other' as topic,
        0 as score,
        false as title_hit,
        0 as keyword_hits,
        0 as abstract_hits,
        'none' as matched_in
    from papers
    anti join tagged using (paper_id)
),

final as (
    select * from tagged
    union all
    select * from untagged
)

select * from final
