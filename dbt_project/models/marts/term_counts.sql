-- Listed papers per term per period. grain: day | week (ISO, Monday) | month, on the day each
-- paper was first listed; a paper counts once per term per period (paper_terms has one row per
-- paper and term); share is the term's fraction of every paper listed in the period.
with

paper_dates as (
    select * from {{ ref('int_listed_paper_dates') }}
    where basis = 'listed'
),

period_totals as (
    select
        grain,
        period_start,
        count(*) as period_papers
    from paper_dates
    group by all
),

term_totals as (
    select
        paper_terms.term,
        paper_dates.grain,
        paper_dates.period_start,
        count(*) as n_papers
    from paper_dates
    inner join {{ ref('paper_terms') }} as paper_terms using (paper_id)
    group by all
),

final as (
    select
        term_totals.term,
        term_totals.grain,
        term_totals.period_start,
        term_totals.n_papers,
        period_totals.period_papers,
        round(term_totals.n_papers / period_totals.period_papers, 4) as share
    from term_totals
    inner join period_totals using (grain, period_start)
)

select * from final
