{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='paper_id',
    post_hook="{{ delete_rows_gone_from(ref('papers'), ['paper_id']) }}",
) }}
-- The normalised term mentions of each listed paper (macros/terms.sql), before anything that
-- depends on other papers: every ai_keyword of 1 to 6 words, and every phrase of 1 to 4 words of
-- the title with its word positions. marts.paper_terms keeps the title phrases that are keywords
-- of enough papers, merges synonyms, drops stop phrases and names each term.
-- Incremental, keyed by paper_id: a paper's mentions depend only on its own title and
-- ai_keywords and on the normalisation; mention_hash hashes all of these (this file's text and
-- term_normaliser_version() of macros/terms.sql),
-- so a run normalises only new papers and papers whose title or keywords changed, and a change
-- to the normalisation redoes every paper. Papers no longer listed go (post_hook).
{%- set normaliser_version = local_md5(model.raw_code ~ ';' ~ term_normaliser_version()) %}
with

papers as (
    select
        paper_id,
        title,
        ai_keywords,
        hash(
            {{ sql_string(normaliser_version) }},
            coalesce(title, ''),
            array_to_string(coalesce(ai_keywords, []), chr(10))
        ) as mention_hash
    from {{ ref('papers') }}
    where is_listed
),

todo as (
    select * from papers
    {%- if is_incremental() %}
        {{ not_stored_with_same('papers', 'mention_hash') }}
    {%- endif %}
),

keyword_words as (
    select
        paper_id,
        mention_hash,
        {{ term_words('keyword') }} as words
    from todo
    cross join unnest(coalesce(ai_keywords, [])) as keywords (keyword)
),

title_words as (
    select
        paper_id,
        mention_hash,
        {{ term_words('title') }} as words
    from todo
),

title_starts as (
    select
        paper_id,
        mention_hash,
        words,
        unnest(range(1, len(words) + 1)) as first_word
    from title_words
),

gram_lengths as (
    select unnest(range(1, 5)) as n_words
),

title_grams as (
    select
        title_starts.paper_id,
        title_starts.mention_hash,
        title_starts.first_word,
        title_starts.first_word + gram_lengths.n_words - 1 as last_word,
        title_starts.words[
            title_starts.first_word:title_starts.first_word + gram_lengths.n_words - 1
        ] as gram
    from title_starts
    cross join gram_lengths
    where title_starts.first_word + gram_lengths.n_words - 1 <= len(title_starts.words)
),

final as (
    select
        paper_id,
        {{ term_key('words') }} as term_key,
        array_to_string(words, ' ') as display,
        true as from_keywords,
        null::bigint as first_word,
        null::bigint as last_word,
        mention_hash
    from keyword_words
    where len(words) between 1 and 6
    union all
    select
        paper_id,
        {{ term_key('gram') }} as term_key,
        array_to_string(gram, ' ') as display,
        false as from_keywords,
        first_word,
        last_word,
        mention_hash
    from title_grams
)

select * from final
