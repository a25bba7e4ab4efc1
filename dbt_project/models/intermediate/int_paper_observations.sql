{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='snapshot_date',
    on_schema_change='fail',
    post_hook="{{ delete_rows_gone_from(ref('stg_raw__paper_observations'), ['snapshot_id', 'position']) }}",
) }}
-- Every observation with its paper_id: the arXiv id when any observation of the same title
-- carries one, else the folded title key; and the kind of listing it was seen in.
--
-- A table, incremental (a view made every model and test that read it fold every title and
-- group all observations again: ~0.5 s each at ten years). Keyed by snapshot date, a run
-- rewrites the dates on or after var('reload_from') (see reload_from_date) and every older date
-- holding an observation whose title is among the reloaded rows, before or after the reload: a
-- reloaded observation can give that title an arXiv id (a page capture, which has none, later
-- seen in the API) or take it away, so those are the only older rows whose paper_id can change.
-- The post_hook drops rows whose raw row is gone.
--
-- Abstracts stay in raw (has_abstract says whether the row has one): marts.papers fetches the
-- abstract of each paper's chosen observation from raw. Copying 109k abstracts into this table
-- cost a ten-year backfill ~1.5 s of writing (and every daily run the rewrite of its dates).
with

{% if is_incremental() -%}
    {%- set reload_from = reload_from_date() %}
    reloaded as (
        select
            * exclude (abstract),
            abstract is not null as has_abstract
        from {{ ref('stg_raw__paper_observations') }}
        where snapshot_date >= {{ reload_from }}
    ),

    kept as (
        select * exclude (paper_id, listing_kind, is_daily_listing) from {{ this }}
        where snapshot_date < {{ reload_from }}
    ),

    reloaded_titles as (
        select reloaded.title_key from reloaded
        union
        select replaced.title_key from {{ this }} as replaced
        where replaced.snapshot_date >= {{ reload_from }}
    ),

    rekeyed_dates as (
        select distinct kept.snapshot_date from kept
        semi join reloaded_titles using (title_key)
    ),

    observations as (
        select * from reloaded
        union all by name
        select * from kept
        where kept.snapshot_date in (select rekeyed_dates.snapshot_date from rekeyed_dates)
    ),

    -- every observation of the titles being keyed, kept or reloaded
    titled as (
        select
            reloaded.title_key,
            reloaded.arxiv_id
        from reloaded
        union all
        select
            kept.title_key,
            kept.arxiv_id
        from kept
        semi join observations using (title_key)
    ),
{%- else %}
    observations as (
        select
            * exclude (abstract),
            abstract is not null as has_abstract
        from {{ ref('stg_raw__paper_observations') }}
    ),

    titled as (
        select
            observations.title_key,
            observations.arxiv_id
        from observations
    ),
{%- endif %}

snapshots as (
    select * from {{ ref('stg_raw__snapshots') }}
),

arxiv_by_title as (
    select
        title_key,
        min(arxiv_id) as arxiv_id
    from titled
    where arxiv_id is not null
    group by title_key
),

final as (
    select
        coalesce(observations.arxiv_id, arxiv_by_title.arxiv_id, observations.title_key) as paper_id,
        observations.*,
        snapshots.listing_kind,
        snapshots.listing_kind = 'daily' as is_daily_listing
    from observations
    inner join snapshots using (snapshot_id)
    left join arxiv_by_title using (title_key)
)

select * from final
