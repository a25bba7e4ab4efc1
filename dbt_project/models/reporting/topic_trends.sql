with

counts as (
    select * from {{ ref('topic_counts') }}
),

final as (
    select
        grain,
        period_start,
        topic,
        n_papers,
        period_papers,
        share
    from counts
    where basis = 'listed'
)

select * from final
