{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='paper_id',
    on_schema_change='append_new_columns',
    post_hook="{{ delete_rows_gone_from(ref('papers'), ['paper_id']) }}",
) }}
-- depends_on: {{ ref('topic_taxonomy') }}
-- depends_on: {{ ref('topic_term_weights') }}

-- Topics of each paper, from the regex taxonomy in seeds/topic_taxonomy.csv.
--
-- Rule ("a topic means the paper is about it, not that the word appears once"):
--   All patterns of a topic are OR-ed into one RE2 regex and matched against the lower-cased,
--   whitespace-folded title, each ai_keyword, and the abstract. Abstracts (most of the text)
--   are folded, rewritten and counted by topic_match_counts_rewritten: polars' regex engine
--   with RE2's ASCII classes, the same
--   counts as len(regexp_extract_all(...)), all topics of a chunk of 2,048 abstracts at once
--   on all cores, several times faster (transforms/topic_matching.py; per chunk it compiles the
--   regexes, too often to pay off on titles and keywords). Per (paper, topic):
--     title_hit      1 when the regex matches the title
--     keyword_hits   number of ai_keywords the regex matches (0 when the paper has none)
--     abstract_hits  number of non-overlapping matches in the abstract, capped at 4
--     score          = 3 * title_hit + keyword_hits + abstract_hits
--   A paper is tagged with a topic when score >= 4, i.e. a title hit plus one more piece of
--   evidence, or four mentions across keywords and abstract (no single mention is enough).
--   A per-topic logistic model (seed topic_term_weights) over the rule's evidence, the paper's
--   words and its static embedding (paper_embedding) adds tags and may drop the rule's tags of
--   topics whose rule is unreliable (below); see docs/topic-tagging.md.
--   A paper with no topic gets one row with topic 'other' (score 0, matched_in 'none').
--   Grain: one row per (paper_id, topic). Measured precision/recall: docs/topic-tagging.md.
--   Columns: paper_id, topic, score, title_hit, keyword_hits, abstract_hits, matched_in
--   (matched_in lists the fields with evidence: 'title,keywords,abstract', or 'none' for other),
--   tagged_input_hash.
--
-- Incremental, keyed by paper_id: a paper's tags depend only on its own title, abstract and
-- ai_keywords and on the tagger (taxonomy regexes and this SQL). tagged_input_hash is a hash of
-- all of these; a run re-tags only the papers whose hash differs from the stored one (new
-- papers, papers whose latest text changed) and deletes papers that left marts.papers. A change
-- to the seed or to this file changes every hash, so the next run re-tags all papers.
-- Each paper is read once and matched against all topics in one pass (a list of 22 structs,
-- unnested), not 22 scans of the papers.

{%- set taxonomy = topic_regexes() %}
{%- set weights = topic_weights_relation() %}
{#- Tag when the model's probability reaches model_threshold, or when the rule tags (score >= 4)
    and the model does not overrule it: it may only for topics marked 'rule:vetoable' in the
    weights (the rule's dev precision is low), when the probability is below rule_veto. #}
{%- set model_threshold = var('topic_model_threshold', 0.3) %}
{%- set rule_veto = var('topic_rule_veto', 0.2) %}
{%- set tagger_version = topic_tagger_version(taxonomy) ~ topic_weights_fingerprint()
    ~ model_threshold ~ rule_veto %}
{#- the words of the learned model (tests/topic_model_training.py uses the same pattern) #}
{%- set term_pattern = "'[a-z][a-z0-9]*(?:-[a-z0-9]+)*'" %}
{#- Existing tables from before tagged_input_hash: re-tag every paper (and add the column). #}
{%- set stored_hash = is_incremental()
    and 'tagged_input_hash' in (adapter.get_columns_in_relation(this) | map(attribute='name') | list) %}
{#- Modality-qualified language-model phrases, rewritten to one token before matching. #}
{%- set modality_lm = "'\\b(multi-?modal|vision|visual|video|audio|speech|omni-?modal|omni)[ -](?:large )?(?:language models?|llms?)\\b'" %}

with

all_papers as (
    select
        paper_id,
        title,
        abstract,
        ai_keywords,
        -- everything the tags below read (keywords as the one-per-line text they are matched in)
        hash(
            {{ sql_string(tagger_version) }},
            coalesce(title, ''),
            coalesce(abstract, ''),
            array_to_string(coalesce(ai_keywords, []), chr(10))
        ) as tagged_input_hash
    from {{ ref('papers') }}
),

source_papers as (
    select
        paper_id,
        tagged_input_hash,
        lower({{ fold_whitespace("coalesce(title, '')") }}) as title_text,
        -- folded and rewritten (modality_lm below) by topic_match_counts_rewritten, in polars
        lower(coalesce(abstract, '')) as abstract_text,
        list_transform(coalesce(ai_keywords, []), lambda k: lower(k)) as keywords,
        -- what the model's static embedding is computed from (paper_text in
        -- transforms/paper_embedding.py): the text as listed, not lower-cased
        coalesce(title, '') || '. ' || array_to_string(coalesce(ai_keywords, []), '; ')
        || '. ' || coalesce(abstract, '') as embedding_text
    from all_papers
    {%- if stored_hash %}
        where not exists (
            select 1 from {{ this }} as stored
            where
                stored.paper_id = all_papers.paper_id
                and stored.tagged_input_hash = all_papers.tagged_input_hash
        )
    {%- endif %}
),

-- "multimodal large language models", "vision-language model", "video LLMs" become one token
-- ("multimodal-llm", "vision-llm", "video-llm") so that llm patterns, which refuse a leading
-- hyphen, do not fire on papers about multimodal models; multimodal patterns match the token.
papers as (
    select
        paper_id,
        tagged_input_hash,
        embedding_text,
        regexp_replace(title_text, {{ modality_lm }}, '\1-llm', 'g') as title_text,
        abstract_text,
        -- one keyword per line, so that a multi-line regex can count matching keywords
        array_to_string(
            list_transform(keywords, lambda k: regexp_replace(k, {{ modality_lm }}, '\1-llm', 'g')),
            chr(10)
        ) as keyword_text,
        -- the learned model's words: title:WORD (title and keywords) and abstract:WORD
        list_distinct(regexp_extract_all(
            title_text || chr(10) || array_to_string(keywords, chr(10)), {{ term_pattern }}
        )) as title_terms,
        list_distinct(regexp_extract_all(abstract_text, {{ term_pattern }})) as abstract_terms
    from source_papers
),

-- the long texts: polars' engine, with RE2's semantics (see the header), all topics at once
abstract_counts as materialized (
    select
        * exclude (embedding_text),
        paper_embedding(embedding_text) as embedding,
        {%- if taxonomy %}
            topic_match_counts_rewritten(abstract_text, [
                {%- for topic, regex in taxonomy %}
                    {{ sql_string(regex) }}{% if not loop.last %},{% endif %}
                {%- endfor %}
            ], {{ modality_lm }}, '\1-llm') as abstract_matches
        {%- else %}
            []::bigint[] as abstract_matches
        {%- endif %}
    from papers
),

-- One pass over the papers: a list with one struct of evidence per topic, unnested to one row per
-- (paper, topic). With no taxonomy the list holds one empty struct (score 0: every paper 'other').
evidence as (
    select
        paper_id,
        tagged_input_hash,
        unnest([
            {%- for topic, regex in taxonomy %}
                {
                    'topic': {{ sql_string(topic) }},
                    'title_hit': regexp_matches(title_text, {{ sql_string(regex) }}),
                    -- a whole keyword line that contains a match: one match per keyword
                    'keyword_hits': len(regexp_extract_all(
                        keyword_text, {{ sql_string('(?m)^[^\n]*?(?:' ~ regex ~ ')[^\n]*$') }}
                    )),
                    'abstract_hits': least(abstract_matches[{{ loop.index }}], 4)
                }{% if not loop.last %},{% endif %}
            {%- else %}
                {'topic': null::varchar, 'title_hit': false, 'keyword_hits': 0, 'abstract_hits': 0}
            {%- endfor %}
        ]) as hit
    from abstract_counts
),

paper_terms as (
    select paper_id, 'title:' || unnest(title_terms) as feature from papers
    union all
    select paper_id, 'abstract:' || unnest(abstract_terms) as feature from papers
),

-- per (paper, topic): the sum of the weights of the paper's words, and the strongest of them
term_scores as (
    select
        paper_terms.paper_id,
        weights.topic,
        sum(weights.weight) as term_logit,
        -- the four strongest, equal weights in the order of their names: the same list however
        -- the aggregation's rows arrive (a daily run and a full build list the same terms)
        (list(weights.feature || ' ' || printf('%+.2f', weights.weight)
            order by weights.weight desc, weights.feature)
            filter (where weights.weight > 0))[1:4] as top_terms
    from paper_terms
    inner join {{ weights }} as weights using (feature)
    group by all
),

-- per topic: the intercept and the weights of the rule's evidence
topic_models as (
    select
        topic,
        sum(weight) filter (where feature = 'bias') as bias,
        sum(weight) filter (where feature = 'rule:title_hit') as w_title,
        sum(weight) filter (where feature = 'rule:keyword_hits') as w_keywords,
        sum(weight) filter (where feature = 'rule:abstract_hits') as w_abstract,
        sum(weight) filter (where feature = 'rule:score4') as w_rule,
        coalesce(sum(weight) filter (where feature = 'rule:vetoable'), 0) > 0 as vetoable,
        -- the embedding's weights, in dimension order
        list(weight order by try_cast(split_part(feature, ':', 2) as integer))
            filter (where feature like 'emb:%') as w_embedding
    from {{ weights }}
    group by topic
),

paper_embeddings as (
    select paper_id, embedding from abstract_counts
),

rule_scores as (
    select
        paper_id,
        hit.topic as topic,
        (3 * hit.title_hit::integer + hit.keyword_hits + hit.abstract_hits)::integer as score,
        hit.title_hit as title_hit,
        hit.keyword_hits::integer as keyword_hits,
        hit.abstract_hits::integer as abstract_hits,
        concat_ws(',',
            case when hit.title_hit then 'title' end,
            case when hit.keyword_hits > 0 then 'keywords' end,
            case when hit.abstract_hits > 0 then 'abstract' end
        ) as matched_in,
        tagged_input_hash
    from evidence
),

-- the rule's evidence and the learned model combined; topics without weights keep the rule alone.
-- The probability is rounded to 6 places: sums of floats in a parallel aggregation differ in
-- their last bits from run to run, and a tag must not depend on that.
scored as (
    select
        rule_scores.*,
        round(1 / (1 + exp(-(
            m.bias + m.w_title * rule_scores.title_hit::integer
            + m.w_keywords * rule_scores.keyword_hits + m.w_abstract * rule_scores.abstract_hits
            + m.w_rule * (rule_scores.score >= 4)::integer + coalesce(t.term_logit, 0)
            + coalesce(list_dot_product(pe.embedding, m.w_embedding), 0)
        ))), 6) as probability,
        m.topic is not null as has_model,
        coalesce(m.vetoable, false) as vetoable,
        concat_ws(', ',
            nullif(array_to_string(t.top_terms, ', '), ''),
            'embedding ' || printf('%+.2f', list_dot_product(pe.embedding, m.w_embedding))
        ) as model_terms
    from rule_scores
    left join topic_models as m using (topic)
    left join term_scores as t using (paper_id, topic)
    left join paper_embeddings as pe using (paper_id)
),

decided as (
    select
        * exclude (has_model, vetoable),
        case
            when not has_model then case when score >= 4 then 'rule' end
            when probability >= {{ model_threshold }} and score >= 4 then 'rule+model'
            when probability >= {{ model_threshold }} then 'model'
            when score >= 4 and (not vetoable or probability >= {{ rule_veto }}) then 'rule'
        end as tagged_by
    from scored
),

-- materialized: read twice below, and the matching must run once
tagged as materialized (
    select
        paper_id, topic, score, title_hit, keyword_hits, abstract_hits, matched_in,
        tagged_input_hash, probability, model_terms, tagged_by
    from decided
    where tagged_by is not null
),

untagged as (
    select
        papers.paper_id,
        'other' as topic,
        0 as score,
        false as title_hit,
        0 as keyword_hits,
        0 as abstract_hits,
        'none' as matched_in,
        papers.tagged_input_hash,
        null::double as probability,
        null::varchar as model_terms,
        'none' as tagged_by
    from abstract_counts as papers
    anti join tagged using (paper_id)
),

final as (
    select * from tagged
    union all
    select * from untagged
)

select * from final
