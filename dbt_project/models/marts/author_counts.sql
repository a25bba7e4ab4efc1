-- Papers per author identity (see int_authorships), over every paper whose author list is
-- known (API snapshots; page captures show only a count). `author` is the name shown most
-- often for that identity.
with

authorships as (
    select * from {{ ref('int_authorships') }}
),

final as (
    select
        author_key,
        mode(author_name order by author_name) as author,
        max(author_handle) as author_handle,
        count(distinct paper_id) as n_papers,
        min(seen_on) as first_seen,
        max(seen_on) as last_seen
    from authorships
    group by author_key
)

select * from final
