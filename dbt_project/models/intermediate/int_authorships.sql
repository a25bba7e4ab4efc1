-- One row per (paper, author identity). An author is keyed by their Hugging Face handle when
-- the paper shows one; else by the handle that the same normalized name carries on other
-- papers (when exactly one does); else by 'name:' + the normalized name (accents stripped,
-- lower case, whitespace folded).
with

papers as (
    select * from {{ ref('papers') }}
    where authors is not null
),

listed as (
    select
        paper_id,
        coalesce(listed_on, first_seen) as seen_on,
        unnest(authors) as author_name,
        unnest(coalesce(author_handles, list_transform(authors, lambda a: null::varchar)))
            as author_handle
    from papers
),

named as (
    select
        *,
        lower(trim(regexp_replace(strip_accents(author_name), '\s+', ' ', 'g'))) as name_key
    from listed
    where author_name is not null and trim(author_name) <> ''
),

handle_by_name as (
    select
        name_key,
        min(author_handle) as handle
    from named
    where author_handle is not null
    group by name_key
    having count(distinct author_handle) = 1
),

final as (
    select distinct
        named.paper_id,
        coalesce(named.author_handle, handle_by_name.handle, 'name:' || named.name_key)
            as author_key,
        named.author_name,
        coalesce(named.author_handle, handle_by_name.handle) as author_handle,
        named.seen_on
    from named
    left join handle_by_name using (name_key)
)

select * from final
