-- Papers per topic per period. grain: day | week (ISO, Monday) | month;
-- basis: listed (first Daily Papers day) | published (arXiv date). A paper with several topics
-- counts once in each; share is the topic's fraction of all papers of that period and basis.
with

paper_dates as (
    select * from {{ ref('int_listed_paper_dates') }}
),

paper_topics as (
    select * from {{ ref('paper_topics') }}
),

period_totals as (
    select
        grain,
        basis,
        period_start,
        count(*) as period_papers  -- one row per (paper, grain, basis): tested unique upstream
    from paper_dates
    group by all
),

topic_totals as (
    select
        paper_topics.topic,
        paper_dates.grain,
        paper_dates.basis,
        paper_dates.period_start,
        count(*) as n_papers  -- and paper_topics has one row per (paper, topic)
    from paper_dates
    inner join paper_topics using (paper_id)
    group by all
),

final as (
    select
        topic_totals.topic,
        topic_totals.grain,
        topic_totals.period_start,
        topic_totals.basis,
        topic_totals.n_papers,
        period_totals.period_papers,
        round(topic_totals.n_papers / period_totals.period_papers, 4) as share
    from topic_totals
    inner join period_totals using (grain, basis, period_start)
)

select * from final
