-- Candidates for the taxonomy seed: terms that no topic's pattern matches (the term in lower case,
-- with spaces or with hyphens) and that are either frequent (at least
-- var('suggestion_min_papers', 30) listed papers in all) or rising in one of the last
-- var('suggestion_recent_weeks', 8) weeks with listed papers. With counts, the weeks it rose in
-- and its three most upvoted papers. One row per term.
-- depends_on: {{ ref('topic_taxonomy') }}
{%- set taxonomy = topic_regexes() %}
with

term_totals as (
    select
        term,
        cast(sum(n_papers) as bigint) as n_papers,
        min(period_start) as first_week,
        max(period_start) as last_week
    from {{ ref('term_counts') }}
    where grain = 'week'
    group by term
),

recent_weeks as (
    select distinct week_start
    from {{ ref('rising_terms') }}
    order by week_start desc
    limit {{ var('suggestion_recent_weeks', 8) }}
),

rising as (
    select
        term,
        count(*) as n_rising_weeks,
        max(week_start) as last_rising_week,
        bool_or(week_start in (select recent_weeks.week_start from recent_weeks)) as rising_recently
    from {{ ref('rising_terms') }}
    where is_rising
    group by term
),

candidates as (
    select
        term_totals.*,
        coalesce(rising.n_rising_weeks, 0) as n_rising_weeks,
        rising.last_rising_week,
        coalesce(rising.rising_recently, false) as rising_recently
    from term_totals
    left join rising using (term)
    where
        term_totals.n_papers >= {{ var('suggestion_min_papers', 30) }}
        or coalesce(rising.rising_recently, false)
),

-- a term is tried as shown and with hyphens for spaces ("text to image", "text-to-image"),
-- the two spellings the patterns are written for
spellings as (
    select
        term,
        unnest([term, replace(term, ' ', '-')]) as spelling
    from candidates
),

matched as (
    select distinct term
    from spellings
    where
        false
        {%- for topic, regex in taxonomy %}
            or regexp_matches(spelling, {{ sql_string(regex) }})
        {%- endfor %}
),

unmatched as (
    select candidates.*
    from candidates
    anti join matched using (term)
),

examples as (
    select
        paper_terms.term,
        list(papers.paper_id order by papers.upvotes desc nulls last, papers.paper_id asc)[1:3]
            as example_paper_ids,
        list(papers.title order by papers.upvotes desc nulls last, papers.paper_id asc)[1:3]
            as example_titles
    from {{ ref('paper_terms') }} as paper_terms
    semi join unmatched using (term)
    inner join {{ ref('papers') }} as papers on paper_terms.paper_id = papers.paper_id
    group by paper_terms.term
),

final as (
    select
        unmatched.term,
        unmatched.n_papers,
        unmatched.first_week,
        unmatched.last_week,
        unmatched.n_rising_weeks,
        unmatched.last_rising_week,
        unmatched.rising_recently,
        examples.example_paper_ids,
        examples.example_titles
    from unmatched
    inner join examples using (term)
)

select * from final
