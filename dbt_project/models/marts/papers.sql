{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='paper_id',
    on_schema_change='fail',
    post_hook="{{ delete_rows_gone_from(ref('int_paper_observations'), ['paper_id']) }}",
) }}
-- One row per paper across all snapshots. Values that move (title edits, upvotes, comments)
-- come from the latest observation that has them; listed_on is the first daily listing.
-- Incremental, keyed by paper_id: a run recomputes, from all their observations, the papers
-- with an observation of a title observed on or after var('reload_from') (Dagster passes the
-- first day of the partitions it reloaded; papers_of_reloaded_titles), and every paper whose
-- set of observations is not the one it was computed from (observation_set_hash: new papers,
-- and papers that a reload or a re-keying gave rows, took rows from, or both); the post_hook
-- drops papers left with no observation at all. (A table from before observation_set_hash
-- fails the schema check: papertrends runs --full-refresh then, see upgrade_args.)
-- The abstract is that of the latest observation with one, read from raw by its
-- (snapshot_id, position): int_paper_observations does not copy abstracts.
with

-- each observation with the time its snapshot's file was written: of two snapshots of one day,
-- the later file's counts are the paper's latest (raw.snapshots.file_modified_at)
snapshot_times as (
    select
        snapshot_id,
        coalesce(file_modified_at, timestamp '1970-01-01') as file_modified_at
    from {{ ref('stg_raw__snapshots') }}
),

observations as (
    select
        observed.*,
        {
            'day': observed.snapshot_date, 'written': snapshot_times.file_modified_at
        } as observed_at
    from {{ ref('int_paper_observations') }} as observed
    left join snapshot_times on observed.snapshot_id = snapshot_times.snapshot_id
),
{% if is_incremental() %}
    observation_sets as (
        select
            paper_id,
            {{ observation_set_hash() }} as observation_set_hash
        from observations
        group by paper_id
    ),

    touched as (
        {{ papers_of_reloaded_titles('observations', reload_from_date('last_seen')) }}
        union
        select observation_sets.paper_id from observation_sets
        anti join {{ this }} as stored
            on
                observation_sets.paper_id = stored.paper_id
                and observation_sets.observation_set_hash = stored.observation_set_hash
    ),
{% endif %}
final as (
    select
        paper_id,
        max(arxiv_id) as arxiv_id,
        arg_max(title, snapshot_date) as title,
        -- the observation whose abstract is the paper's; the text is joined from raw below
        arg_max({ 'snapshot_id': snapshot_id, 'position': position }, snapshot_date)
        filter (where has_abstract) as abstract,
        arg_max(authors, snapshot_date) filter (where authors is not null) as authors,
        arg_max(author_handles, snapshot_date) filter (where authors is not null) as author_handles,
        arg_max(n_authors, snapshot_date) filter (where n_authors is not null) as n_authors,
        arg_max(organization, snapshot_date) filter (where organization is not null) as organization,
        arg_max(organization_name, snapshot_date) filter (where organization is not null)
            as organization_name,
        arg_max(ai_keywords, snapshot_date) filter (where ai_keywords is not null) as ai_keywords,
        arg_max(submitted_by, snapshot_date) filter (where submitted_by is not null) as submitted_by,
        arg_max(submitted_by_name, snapshot_date) filter (where submitted_by_name is not null)
            as submitted_by_name,
        min(published_on) as published_on,
        min(coalesce(listed_on, snapshot_date)) filter (where is_daily_listing) as listed_on,
        bool_or(is_daily_listing) as is_listed,
        min(snapshot_date) as first_seen,
        max(snapshot_date) as last_seen,
        count(*) as n_observations,
        arg_max(upvotes, observed_at) filter (where upvotes is not null) as upvotes,
        arg_max(comments, observed_at) filter (where comments is not null) as comments,
        bool_or(complete) as complete,
        {{ observation_set_hash() }} as observation_set_hash
    from observations
    {%- if is_incremental() %}
        where paper_id in (select touched.paper_id from touched)
    {%- endif %}
    group by paper_id
),

with_abstracts as (
    select final.* replace (raw_observations.abstract as abstract)
    from final
    left join {{ ref('stg_raw__paper_observations') }} as raw_observations
        on
            struct_extract(final.abstract, 'snapshot_id') = raw_observations.snapshot_id
            and struct_extract(final.abstract, 'position') = raw_observations.position
)

-- Ordered: DuckDB then writes the rows in whole row groups. Unordered, the two threads' inserts
-- each ended in a part-filled row group, and the checkpoint at the end of the build merged them,
-- compressing their abstracts again: 0.55-0.85 s of a ten-year backfill (BENCHMARKS.md).
select * from with_abstracts
order by paper_id
