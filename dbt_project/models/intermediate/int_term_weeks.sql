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

data_weeks as (
    select
        period_start as week_start,
        count(*) as n_listed
    from {{ ref('int_listed_paper_dates') }}
    where grain = 'week' and basis = 'listed'
    group by period_start
),

candidates as (
    select term
    from weekly
    group by term
    having max(n_papers) >= {{ var('rising_min_count', 5) }}
),

final as (
    select
        candidates.term,
        data_weeks.week_start,
        coalesce(weekly.n_papers, 0) as n_papers,
        data_weeks.n_listed
    from candidates
    cross join data_weeks
    left join weekly using (term, week_start)
)

select * from final
