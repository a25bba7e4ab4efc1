-- Papers per month per team-size bucket (authors per paper; buckets in seed team_size_buckets).
with

paper_team_sizes as (
    select * from {{ ref('int_paper_team_sizes') }}
),

final as (
    select
        period,
        team_size,
        bucket_order,
        count(*) as n_papers
    from paper_team_sizes
    group by all
)

select * from final
