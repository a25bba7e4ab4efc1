-- Taxonomy coverage: warns when more than var('max_other_share', 0.10) of the listed papers are
-- tagged only 'other' (the taxonomy no longer covers what is being published: add topics).
-- Returns one row (the share) when over the threshold; shows as a WARN asset check.
{{ config(severity='warn', meta={'dagster': {'ref': {'name': 'paper_topics'}}}) }}

with

listed as (
    select paper_id from {{ ref('papers') }}
    where is_listed
),

tagged as (
    select
        count(distinct listed.paper_id) as n_listed,
        count(distinct listed.paper_id) filter (where paper_topics.topic = 'other') as n_other
    from listed
    inner join {{ ref('paper_topics') }} as paper_topics using (paper_id)
),

final as (
    select
        n_other,
        n_listed,
        n_other / nullif(n_listed, 0) as other_share
    from tagged
)

select * from final
where other_share > {{ var('max_other_share', 0.10) }}
