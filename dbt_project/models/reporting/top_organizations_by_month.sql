with

monthly as (
    select * from {{ ref('org_monthly_counts') }}
),

final as (
    select
        month,
        rank_in_month,
        organization_name,
        organization,
        n_papers
    from monthly
    where rank_in_month <= 20
)

select * from final
