with

trajectories as (
    select * from {{ ref('paper_trajectories') }}
),

papers as (
    select
        paper_id,
        arxiv_id,
        title
    from {{ ref('papers') }}
),

final as (
    select
        papers.arxiv_id,
        papers.title,
        trajectories.snapshot_date,
        trajectories.days_since_listed,
        trajectories.upvotes,
        trajectories.upvotes_delta,
        trajectories.comments,
        trajectories.comments_delta
    from trajectories
    inner join papers using (paper_id)
)

select * from final
