-- Rising terms per calendar month: the rule of rising_terms (macros/rising_by_share.sql) on the
-- term's listed papers of the month against the up to var('rising_window_months', 3) months
-- before that have listed papers, given at least var('rising_min_months', 2) of them. A month
-- holds about four times a week's papers, so a direction that spreads over a month passes the
-- test where no single week does; the month report shows these. Candidates are the terms that
-- reach var('rising_min_count', 5) papers in some month; months before a term existed count 0.
-- A rising row lists its papers (paper_id, most upvoted first). One row per (month_start, term).
with

monthly as (
    select
        term,
        period_start as week_start,
        n_papers
    from {{ ref('term_counts') }}
    where grain = 'month'
),

data_months as (
    {{ listed_periods('month') }}
),

candidates as (
    select term
    from monthly
    group by term
    having max(n_papers) >= {{ var('rising_min_count', 5) }}
),

term_months as (
    select
        candidates.term,
        data_months.week_start,
        coalesce(monthly.n_papers, 0) as n_papers,
        data_months.n_listed
    from candidates
    cross join data_months
    left join monthly using (term, week_start)
),

tested as (
    {{ rising_by_share('term_months', 'term',
                       window=var('rising_window_months', 3),
                       min_history=var('rising_min_months', 2)) }}
),

rising_papers as (
    {{ rising_term_papers('tested', 'month') }}
),

final as (
    select
        tested.week_start as month_start,
        tested.term,
        tested.n_last_7d as n_papers,
        tested.trailing_weeks as trailing_months,
        tested.enough_history,
        tested.is_rising,
        tested.n_listed,
        tested.share,
        tested.trailing_share,
        tested.share_ratio,
        tested.z_score,
        rising_papers.paper_ids
    from tested
    left join rising_papers using (week_start, term)
)

select * from final
