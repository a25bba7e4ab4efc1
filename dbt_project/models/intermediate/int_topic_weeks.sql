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

topics as (
    select distinct topic from weekly
),

final as (
    {{ zero_filled_weeks('topics', 'weekly', 'topic') }}
)

select * from final
