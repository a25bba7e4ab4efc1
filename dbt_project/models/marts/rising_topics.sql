-- Rising topics, per ISO week. A topic is rising in week W when
--   n_last_7d (its listed papers in W)           >= {{ var('rising_min_count', 3) }}   (min count)
--   ratio = n_last_7d / trailing_weekly_mean     >= {{ var('rising_min_ratio', 1.5) }} (growth)
-- where trailing_weekly_mean is its mean weekly count over the up to 4 weeks before W that have
-- any listed paper (quiet weeks count 0; the mean is floored at 0.5 so that a topic going from
-- nothing to 3 papers gets a ratio of 6, not infinity). Weeks with fewer than 2 such prior
-- weeks have too little history: their rows are kept with is_rising = false and
-- enough_history = false. One row per (week_start, topic); the numbers justify each flag.
with

topic_weeks as (
    select * from {{ ref('int_topic_weeks') }}
),

with_history as (
    select
        topic,
        week_start,
        n_papers as n_last_7d,
        count(*) over prior_weeks as trailing_weeks,
        coalesce(sum(n_papers) over prior_weeks, 0) as trailing_papers
    from topic_weeks
    window prior_weeks as (
        partition by topic order by week_start
        rows between 4 preceding and 1 preceding
    )
),

final as (
    select
        week_start,
        topic,
        n_last_7d,
        trailing_weeks,
        round(trailing_papers / nullif(trailing_weeks, 0), 3) as trailing_weekly_mean,
        case
            when trailing_weeks > 0
                then round(n_last_7d / greatest(trailing_papers / trailing_weeks, 0.5), 3)
        end as ratio,
        trailing_weeks >= 2 as enough_history,
        trailing_weeks >= 2
        and n_last_7d >= {{ var('rising_min_count', 3) }}
        and n_last_7d / greatest(trailing_papers / trailing_weeks, 0.5)
        >= {{ var('rising_min_ratio', 1.5) }} as is_rising
    from with_history
)

select * from final
