with

monthly as (
    select * from {{ ref('author_monthly_counts') }}
),

final as (
    select
        month,
        rank_in_month,
        author,
        author_key,
        n_papers
    from monthly
    where rank_in_month <= 20
)

select * from final
