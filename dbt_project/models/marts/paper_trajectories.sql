{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='paper_id',
    on_schema_change='fail',
    post_hook="{{ delete_rows_gone_from(ref('int_paper_observations'), ['snapshot_id', 'position', 'paper_id']) }}",
) }}
-- One row per paper per snapshot, in time order, with the change in upvotes and comments since
-- that paper's previous observation and the days since it was first listed.
-- Incremental, keyed by paper_id: a run rewrites the whole history, so that the windows see all
-- of it, of every paper with an observation of a title observed on or after var('reload_from')
-- (Dagster passes the first day of the months it reloaded; without the var, the last 31 days
-- before the newest row; papers_of_reloaded_titles), and of every paper that has an
-- observation this table lacks (new rows, rows a re-keying moved to it) or a row whose
-- observation is gone or moved to another paper (by a reload that took a file's rows away: the
-- rows after it are renumbered). The post_hook drops rows whose observation is gone or moved.
with

observations as (
    select * from {{ ref('int_paper_observations') }}
    {%- if is_incremental() %}
        where paper_id in (
            {{ papers_of_reloaded_titles(ref('int_paper_observations'), reload_from_date()) }}
            union
            select gained.paper_id from {{ ref('int_paper_observations') }} as gained
            anti join {{ this }} using (snapshot_id, position, paper_id)
            union
            select lost.paper_id from {{ this }} as lost
            anti join {{ ref('int_paper_observations') }} using (snapshot_id, position, paper_id)
        )
    {%- endif %}
),

papers as (
    select
        paper_id,
        listed_on
    from {{ ref('papers') }}
),

snapshot_times as (
    select
        snapshot_id,
        file_modified_at
    from {{ ref('stg_raw__snapshots') }}
),

ordered as (
    select
        observations.paper_id,
        observations.snapshot_id,
        observations.snapshot_date,
        observations.position,
        observations.upvotes,
        observations.comments,
        observations.upvotes - lag(observations.upvotes) over by_time as upvotes_delta,
        observations.comments - lag(observations.comments) over by_time as comments_delta,
        row_number() over by_time as observation_number
    from observations
    left join snapshot_times on observations.snapshot_id = snapshot_times.snapshot_id  -- noqa: ST11
    -- snapshots of one day in the order their files were written (file_modified_at: the join
    -- above is read by this window only, which sqlfluff does not see)
    window by_time as (
        partition by observations.paper_id
        order by
            observations.snapshot_date, snapshot_times.file_modified_at, observations.snapshot_id,
            observations.position
    )
),

final as (
    select
        ordered.*,
        ordered.snapshot_date - papers.listed_on as days_since_listed
    from ordered
    inner join papers using (paper_id)
)

select * from final
