-- Listed papers per topic per ISO week (Monday start), with zero-count weeks filled in for
-- every week that has any listed paper, so that trailing windows count quiet weeks as 0;
-- n_listed is every paper listed that week (the denominator of the topic's share).
with

weekly as (
    select
        topic,
        period_start as week_start,
        n_papers
    from {{ ref('topic_counts') }}
    where grain = 'week' and basis = 'listed'
),

data_weeks as (
    select
        period_start as week_start,
        count(*) as n_listed
    from {{ ref('int_listed_paper_dates') }}
    where grain = 'week' and basis = 'listed'
    group by period_start
),

topics as (
    select distinct topic from weekly
),

final as (
    select
        topics.topic,
        data_weeks.week_start,
        coalesce(weekly.n_papers, 0) as n_papers,
        data_weeks.n_listed
    from topics
    cross join data_weeks
    left join weekly using (topic, week_start)
)

select * from final
