-- Papers per Hugging Face organization (keyed by its handle, with its display name).
with

papers as (
    select * from {{ ref('papers') }}
    where organization is not null
),

final as (
    select
        organization,
        arg_max(organization_name, last_seen) as organization_name,
        count(distinct paper_id) as n_papers,
        min(coalesce(listed_on, first_seen)) as first_seen,
        max(coalesce(listed_on, first_seen)) as last_seen
    from papers
    group by organization
)

select * from final
