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
--   A per-topic logistic model (seed topic_term_weights, tests/topic_model_training.py) over the
--   rule's evidence for every topic (88 numbers: title_hit, keyword_hits, abstract_hits and
--   score >= 4 of each of the 22 topics) and the stems of the paper's words (the first 6 letters
--   or digits of each word: title:STEM for the title and keywords, abstract:STEM; their sum per
--   topic comes from int_paper_topic_stems, scored in Python a batch of papers at a time) adds tags
--   where the rule found the topic at least once (score >= 1), and may drop the rule's tags of
--   topics whose rule is unreliable (below); see docs/topic-tagging.md. Only (paper, topic)
--   pairs with score >= 1 are scored: the model cannot tag the others.
--   A paper with no topic gets one row with topic 'other' (score 0, matched_in 'none').
--   Grain: one row per (paper_id, topic). Measured precision/recall: docs/topic-tagging.md.
--   Columns: paper_id, topic, score, title_hit, keyword_hits, abstract_hits, matched_in
--   (matched_in lists the fields with evidence: 'title,keywords,abstract', or 'none' for other),
--   tagged_input_hash, probability, model_terms (the features that add most), tagged_by.
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
{#- Tag when the model's probability reaches model_threshold and the rule found the topic at
    least once (score >= 1), or when the rule tags (score >= 4) and the model does not overrule
    it: it may only for topics whose 'rule_vetoable' weight is 1 (the rule's training precision
    is low), when the probability is below rule_veto. #}
{%- set model_threshold = var('topic_model_threshold', 0.3) %}
{%- set rule_veto = var('topic_rule_veto', 0.2) %}
{%- set tagger_version = topic_tagger_version(taxonomy) ~ topic_weights_fingerprint()
    ~ model_threshold ~ rule_veto %}
{#- the rule's evidence per topic, in the order of the rule vector: topics sorted, then these #}
{%- set evidence_names = ['title_hit', 'keyword_hits', 'abstract_hits', 'score4'] %}
{%- set rule_features = [] %}
{%- for topic, regex in taxonomy %}{% for name in evidence_names %}
    {%- do rule_features.append('rule:' ~ topic ~ ':' ~ name) %}
{%- endfor %}{% endfor %}
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
        list_transform(coalesce(ai_keywords, []), lambda k: lower(k)) as keywords
    from all_papers
    {%- if stored_hash %}
        {{ not_stored_with_same('all_papers', 'tagged_input_hash') }}
    {%- endif %}
),

-- "multimodal large language models", "vision-language model", "video LLMs" become one token
-- ("multimodal-llm", "vision-llm", "video-llm") so that llm patterns, which refuse a leading
-- hyphen, do not fire on papers about multimodal models; multimodal patterns match the token.
papers as (
    select
        paper_id,
        tagged_input_hash,
        regexp_replace(title_text, {{ modality_lm }}, '\1-llm', 'g') as title_text,
        abstract_text,
        -- one keyword per line, so that a multi-line regex can count matching keywords
        array_to_string(
            list_transform(keywords, lambda k: regexp_replace(k, {{ modality_lm }}, '\1-llm', 'g')),
            chr(10)
        ) as keyword_text
    from source_papers
),

-- the long texts: polars' engine, with RE2's semantics (see the header), all topics at once
abstract_counts as materialized (
    select
        * exclude (abstract_text),
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

-- One pass over the papers: a list with one struct of evidence per topic, in taxonomy order.
-- With no taxonomy the list holds one empty struct (score 0: every paper 'other').
hits_per_paper as materialized (
    select
        paper_id,
        tagged_input_hash,
        [
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
        ] as hits
    from abstract_counts
),

-- the rule's evidence as the model reads it: per topic title_hit, keyword_hits, abstract_hits
-- and score >= 4, all topics in one list (rule_features names its places)
rule_vectors as (
    select
        paper_id,
        tagged_input_hash,
        hits,
        flatten(list_transform(hits, lambda h: [
            h.title_hit::double,
            h.keyword_hits::double,
            h.abstract_hits::double,
            (3 * h.title_hit::integer + h.keyword_hits + h.abstract_hits >= 4)::double
        ])) as rule_vector
    from hits_per_paper
),

-- (paper, topic) pairs where the rule found the topic at least once; no other pair is tagged
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
        tagged_input_hash,
        rule_vector
    from (select paper_id, tagged_input_hash, rule_vector, unnest(hits) as hit from rule_vectors)
    where hit.title_hit or hit.keyword_hits > 0 or hit.abstract_hits > 0
),

-- per modelled topic: the intercept, the veto flag and the rule vector's weights
topic_models as (
    select
        topic,
        sum(weight) filter (where feature = 'bias') as bias,
        coalesce(sum(weight) filter (where feature = 'rule_vetoable'), 0) > 0 as vetoable,
        [
            {%- for feature in rule_features %}
                coalesce(sum(weight) filter (where feature = {{ sql_string(feature) }}), 0)
                {%- if not loop.last %},{% endif %}
            {%- endfor %}
        ]::double[] as w_rules
    from {{ weights }}
    group by topic
    having count(*) filter (where feature = 'bias') > 0
),

-- per (paper, topic): the sum of the weights of the paper's stems, and those adding 0.25 or
-- more (int_paper_topic_stems, scored a batch of papers at a time)
stem_scores as (
    select paper_id, topic, stem_logit, strong_stems
    from {{ ref('int_paper_topic_stems') }}
    semi join source_papers using (paper_id)
),

-- the rule's part of each pair's model (the intercept and the rule vector's weights) and the
-- places of the vector that add 0.25 or more (few: filtered first). Joined here, with the
-- topic's model, so that no later join holds the vectors.
rule_parts as (
    select
        rule_scores.* exclude (rule_vector),
        m.bias + list_dot_product(rule_scores.rule_vector, m.w_rules) as rule_logit,
        m.topic is not null as has_model,
        coalesce(m.vetoable, false) as vetoable,
        list_transform(
            list_filter(
                range(1, {{ rule_features | length + 1 }}),
                lambda i: rule_scores.rule_vector[i] * m.w_rules[i] >= 0.25
            ),
            lambda i: {
                'adds': rule_scores.rule_vector[i] * m.w_rules[i],
                'feature': ([
                    {%- for feature in rule_features %}
                        {{ sql_string(feature) }}{% if not loop.last %},{% endif %}
                    {%- endfor %}
                ]::varchar[])[i]
            }
        ) as rule_terms
    from rule_scores
    left join topic_models as m using (topic)
),

-- The probability is rounded to 6 places: a stem_logit summed in another order (the batches
-- and joins of int_paper_topic_stems) may differ in its last bits from run to run, and a tag
-- must not depend on that. model_terms: the four features that add most (equal ones in reverse
-- order of name: the same whatever order the strong stems come in).
scored as (
    select
        rule_parts.* exclude (rule_logit, rule_terms),
        round(1 / (1 + exp(-(rule_logit + coalesce(s.stem_logit, 0)))), 6) as probability,
        array_to_string(list_transform(
            list_reverse_sort(list_concat(rule_terms, coalesce(s.strong_stems, [])))[1:4],
            lambda c: c.feature || ' ' || printf('%+.2f', c.adds)
        ), ', ') as model_terms
    from rule_parts
    left join stem_scores as s using (paper_id, topic)
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
        tagged_input_hash,
        probability,
        nullif(model_terms, '') as model_terms,
        tagged_by
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
