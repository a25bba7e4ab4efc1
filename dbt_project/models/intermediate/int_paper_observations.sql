-- Every observation with its paper_id: the arXiv id when any observation of the same title
-- carries one, else the folded title key; and the kind of listing it was seen in.
with

observations as (
    select * from {{ ref('stg_raw__paper_observations') }}
),

snapshots as (
    select * from {{ ref('stg_raw__snapshots') }}
),

arxiv_by_title as (
    select
        title_key,
        min(arxiv_id) as arxiv_id
    from observations
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
