{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='snapshot_date',
    on_schema_change='fail',
) }}
-- One row per paper per snapshot, in time order, with the change in upvotes and comments since
-- that paper's previous observation and the days since it was first listed.
-- Incremental, keyed by snapshot date: a run replaces the rows of every snapshot date on or
-- after var('reload_from') (Dagster passes the first day of the months it reloaded); without
-- the var an incremental run reloads the last 31 days before the newest row. The window
-- functions always see the whole history, so the deltas of reloaded rows stay right.
with

observations as (
    select * from {{ ref('int_paper_observations') }}
),

papers as (
    select
        paper_id,
        listed_on
    from {{ ref('papers') }}
),

ordered as (
    select
        paper_id,
        snapshot_id,
        snapshot_date,
        position,
        upvotes,
        comments,
        upvotes - lag(upvotes) over by_time as upvotes_delta,
        comments - lag(comments) over by_time as comments_delta,
        row_number() over by_time as observation_number
    from observations
    window by_time as (partition by paper_id order by snapshot_date, snapshot_id, position)
),

final as (
    select
        ordered.*,
        ordered.snapshot_date - papers.listed_on as days_since_listed
    from ordered
    inner join papers using (paper_id)
    {% if is_incremental() %}
        where ordered.snapshot_date >= {{ reload_from_date() }}
    {% endif %}
)

select * from final
