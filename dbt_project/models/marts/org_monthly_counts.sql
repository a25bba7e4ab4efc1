-- Monthly organization leaderboard: papers per organization per month of first listing, ranked.
with

papers as (
    select * from {{ ref('papers') }}
    where organization is not null
),

monthly as (
    select
        cast(date_trunc('month', coalesce(listed_on, first_seen)) as date) as month,
        organization,
        arg_max(organization_name, last_seen) as organization_name,
        count(distinct paper_id) as n_papers
    from papers
    group by all
),

final as (
    select
        *,
        {{ rank_in_month() }}
    from monthly
)

select * from final
