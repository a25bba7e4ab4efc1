-- Papers per author (by display name as the source gives it), over all papers whose author
-- list is known (API snapshots; page captures show only a count).
with

papers as (
    select * from {{ ref('papers') }}
    where authors is not null
),

authorships as (
    select distinct
        paper_id,
        unnest(authors) as author,
        coalesce(listed_on, first_seen) as seen_on
    from papers
),

final as (
    select
        author,
        count(distinct paper_id) as n_papers,
        min(seen_on) as first_seen,
        max(seen_on) as last_seen
    from authorships
    where author is not null and author <> ''
    group by author
)

select * from final
