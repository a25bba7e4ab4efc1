-- Papers per month per team-size bucket (number of authors), by the paper's first listing
-- month (or first sighting for papers seen only in search views).
with

papers as (
    select * from {{ ref('papers') }}
    where n_authors is not null
),

bucketed as (
    select
        paper_id,
        cast(date_trunc('month', coalesce(listed_on, first_seen)) as date) as period,
        case
            when n_authors = 1 then '1'
            when n_authors <= 3 then '2-3'
            when n_authors <= 6 then '4-6'
            when n_authors <= 10 then '7-10'
            when n_authors <= 20 then '11-20'
            when n_authors <= 50 then '21-50'
            else '51+'
        end as team_size,
        case
            when n_authors = 1 then 1
            when n_authors <= 3 then 2
            when n_authors <= 6 then 3
            when n_authors <= 10 then 4
            when n_authors <= 20 then 5
            when n_authors <= 50 then 6
            else 7
        end as bucket_order
    from papers
),

final as (
    select period, team_size, bucket_order, count(*) as n_papers
    from bucketed
    group by all
)

select * from final
