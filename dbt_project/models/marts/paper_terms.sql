-- The terms of each listed paper: its ai_keywords, and the phrases of its title (1 to 4 words)
-- that are a keyword of at least var('term_title_min_papers', 3) papers (the longest such
-- phrases: not the words inside them), so a title adds the field's vocabulary to papers whose
-- keywords miss it, never a stray word of its own.
-- Every term is normalised (macros/terms.sql: case, plural/singular, hyphen/space variants,
-- one key), stop phrases (seed term_stop_phrases), numbers and phrases ending in "based" are
-- dropped, and variants named in the seed
-- term_synonyms become their term. A term is shown in the spelling most papers use for it
-- (the seed's, for a synonym). One row per (paper_id, term). Each paper's normalised mentions
-- are made once, when it is new or its text changed (intermediate.int_term_mentions); what
-- depends on all papers (the title vocabulary, each term's spelling) is counted here every run.
with

-- "diffusion-based", "LLM-based": a way of doing something, not a term (and never the
-- longest phrase of a title, which would hide the "diffusion" inside it)
mentions_of_listed as (
    select * from {{ ref('int_term_mentions') }}
    where not regexp_matches(display, '(^| )based$')
),

stop_keys as (
    select distinct {{ term_key(term_words('phrase')) }} as term_key
    from {{ ref('term_stop_phrases') }}
),

synonyms as (
    select
        {{ term_key(term_words('variant')) }} as variant_key,
        min(lower(trim(term))) as display,
        arg_min({{ term_key(term_words('term')) }}, term) as term_key
    from {{ ref('term_synonyms') }}
    group by variant_key
),

keyword_mentions as (
    select
        paper_id,
        term_key,
        display
    from mentions_of_listed
    where from_keywords
),

vocabulary as (
    select term_key
    from keyword_mentions
    group by term_key
    having count(distinct paper_id) >= {{ var('term_title_min_papers', 3) }}
),

title_matches as (
    select
        mentions.paper_id,
        mentions.term_key,
        mentions.display,
        mentions.first_word,
        mentions.last_word
    from mentions_of_listed as mentions
    semi join vocabulary using (term_key)
    where not mentions.from_keywords
),

-- the longest phrases only: "large language models" in a title is that term, not also
-- "language model" and "language"
title_mentions as (
    select
        paper_id,
        term_key,
        display
    from title_matches as inner_match
    where not exists (
        select 1 from title_matches as outer_match
        where
            outer_match.paper_id = inner_match.paper_id
            and outer_match.first_word <= inner_match.first_word
            and outer_match.last_word >= inner_match.last_word
            and outer_match.last_word - outer_match.first_word
            > inner_match.last_word - inner_match.first_word
    )
),

mentions as (
    select
        paper_id,
        term_key,
        display,
        true as from_keywords
    from keyword_mentions
    union all
    select
        paper_id,
        term_key,
        display,
        false as from_keywords
    from title_mentions
),

merged as (
    select
        mentions.paper_id,
        coalesce(synonyms.term_key, mentions.term_key) as term_key,
        mentions.display,
        synonyms.display as synonym_display,
        mentions.from_keywords
    from mentions
    left join synonyms on mentions.term_key = synonyms.variant_key
    anti join stop_keys on coalesce(synonyms.term_key, mentions.term_key) = stop_keys.term_key
    where
        length(mentions.term_key) >= 2
        and not regexp_matches(mentions.term_key, '^[0-9.]+$')
),

spellings as (
    select
        term_key,
        coalesce(
            min(synonym_display),
            first(display order by n_mentions desc, display asc)
        ) as term
    from (
        select
            term_key,
            display,
            synonym_display,
            count(*) as n_mentions
        from merged
        group by all
    ) as counted
    group by term_key
),

final as (
    select
        merged.paper_id,
        spellings.term,
        merged.term_key,
        bool_or(merged.from_keywords) as from_keywords,
        bool_or(not merged.from_keywords) as from_title
    from merged
    inner join spellings using (term_key)
    group by all
)

select * from final
