-- Listed papers per term per ISO week (Monday start), for the terms that ever reach
-- var('rising_min_count', 5) papers in a week (no other term can pass the rising rule), with
-- zero-count weeks filled in for every week that has any listed paper, so that trailing windows
-- count quiet weeks (and the weeks before a term existed) as 0; n_listed is every paper listed
-- that week (the denominator of the term's share).
with

weekly as (
    select
        term,
        period_start as week_start,
        n_papers
    from {{ ref('term_counts') }}
    where grain = 'week'
),

candidates as (
    select term
    from weekly
    group by term
    having max(n_papers) >= {{ var('rising_min_count', 5) }}
),

final as (
    {{ zero_filled_weeks('candidates', 'weekly', 'term') }}
)

select * from final
