-- Rising terms, per ISO week: the rule of rising_topics (macros/rising_by_share.sql) on the
-- term's listed papers of the week against the trailing weeks, so a term that first appears in
-- quantity rises in the week it starts. A rising row lists its papers (paper_id, most upvoted
-- first). One row per (week_start, term).
with

tested as (
    {{ rising_by_share(ref('int_term_weeks'), 'term') }}
),

rising_papers as (
    select
        tested.week_start,
        tested.term,
        list(
            paper_terms.paper_id order by papers.upvotes desc nulls last, paper_terms.paper_id asc
        ) as paper_ids
    from tested
    inner join {{ ref('paper_terms') }} as paper_terms on tested.term = paper_terms.term
    inner join {{ ref('int_listed_paper_dates') }} as paper_dates
        on
            paper_terms.paper_id = paper_dates.paper_id
            and paper_dates.grain = 'week'
            and paper_dates.basis = 'listed'
            and tested.week_start = paper_dates.period_start
    inner join {{ ref('papers') }} as papers on paper_terms.paper_id = papers.paper_id
    where tested.is_rising
    group by all
),

final as (
    select
        tested.*,
        rising_papers.paper_ids
    from tested
    left join rising_papers using (week_start, term)
)

select * from final
