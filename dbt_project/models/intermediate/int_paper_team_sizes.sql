-- Each listed paper with a known author count, its team-size bucket and the month of its first
-- listing (like every trend over time, team sizes count daily lists, not search views).
with

papers as (
    select * from {{ ref('papers') }}
    where n_authors is not null and is_listed
),

buckets as (
    select * from {{ ref('team_size_buckets') }}
),

final as (
    select
        papers.paper_id,
        papers.listed_on as counted_on,
        cast(date_trunc('month', papers.listed_on) as date) as period,
        buckets.team_size,
        buckets.bucket_order
    from papers
    inner join buckets
        on papers.n_authors between buckets.min_authors and buckets.max_authors
)

select * from final
