with

rising as (
    select * from {{ ref('rising_topics') }}
),

final as (
    select
        week_start,
        topic,
        n_last_7d,
        trailing_weekly_mean,
        ratio,
        share,
        trailing_share,
        z_score
    from rising
    where is_rising
)

select * from final
