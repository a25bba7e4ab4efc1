-- The dates trend metrics count papers on: one row per paper, grain and basis.
-- Only papers seen in a daily list count (search views are kept in marts.papers, not trended).
-- basis 'listed' is the first Daily Papers day; 'published' is the arXiv v1 date.
with

papers as (
    select * from {{ ref('papers') }}
    where is_listed
),

dated as (
    select
        paper_id,
        'listed' as basis,
        listed_on as day
    from papers
    union all
    select
        paper_id,
        'published' as basis,
        published_on as day
    from papers
    where published_on is not null
),

grains as (
    select unnest(['day', 'week', 'month']) as grain
),

final as (
    select
        dated.paper_id,
        dated.basis,
        grains.grain,
        cast(date_trunc(grains.grain, dated.day) as date) as period_start
    from dated
    cross join grains
)

select * from final
