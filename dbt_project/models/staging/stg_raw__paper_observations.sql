-- Observations of every snapshot but suspect ones (status 'suspect': a capture whose entries
-- are mostly not cards of a papers listing, transforms/suspect_snapshots.py). Their rows stay
-- in raw; leaving them out here keeps them out of every model built on this one.
with

suspect_snapshots as (
    select snapshot_id from {{ source('raw', 'snapshots') }}
    where status = 'suspect'
),

source as (
    select observations.*
    from {{ source('raw', 'paper_observations') }} as observations
    anti join suspect_snapshots using (snapshot_id)
),

final as (
    select
        snapshot_id,
        snapshot_date,
        source_kind,
        position,
        arxiv_id,
        title,
        'title:' || lower(trim({{ fold_whitespace('title') }})) as title_key,
        abstract,
        authors,
        author_handles,
        n_authors,
        organization,
        organization_name,
        published_on,
        listed_on,
        upvotes,
        comments,
        ai_keywords,
        submitted_by,
        submitted_by_name,
        complete
    from source
)

select * from final
