-- Rising terms, per ISO week: the rule of rising_topics (macros/rising_by_share.sql) on the
-- term's listed papers of the week against the trailing weeks, so a term that first appears in
-- quantity rises in the week it starts. A rising row lists its papers (paper_id, most upvoted
-- first). One row per (week_start, term).
with

tested as (
    {{ rising_by_share(ref('int_term_weeks'), 'term') }}
),

rising_papers as (
    {{ rising_term_papers('tested', 'week') }}
),

final as (
    select
        tested.*,
        rising_papers.paper_ids
    from tested
    left join rising_papers using (week_start, term)
)

select * from final
