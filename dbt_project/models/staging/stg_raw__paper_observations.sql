with

source as (
    select * from {{ source('raw', 'paper_observations') }}
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
        complete
    from source
)

select * from final
