-- Monthly author leaderboard: papers per author identity per month of first listing, ranked.
with

authorships as (
    select * from {{ ref('int_authorships') }}
),

monthly as (
    select
        cast(date_trunc('month', seen_on) as date) as month,
        author_key,
        mode(author_name order by author_name) as author,
        count(distinct paper_id) as n_papers
    from authorships
    group by all
),

final as (
    select
        *,
        {{ rank_in_month() }}
    from monthly
)

select * from final
