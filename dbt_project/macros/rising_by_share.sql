{#-
  The rising rule shared by rising_topics and rising_terms, per ISO week, on `weeks`: a relation
  with one row per (`key`, week_start) holding n_papers (the key's listed papers that week, 0 in
  quiet weeks) and n_listed (every paper listed that week). For key K and week W:
    share          = n_papers / n_listed
    trailing_share = the same over the up to var('rising_window_weeks', 8) weeks before W
    z_score        = two-proportion z statistic of share against trailing_share (pooled variance)
  K is rising in W when W has at least var('rising_min_weeks', 3) such prior weeks, and
    z_score >= var('rising_min_z', 2.33)                  (one-sided, about the 1% level)
    n_last_7d >= var('rising_min_count', 5)                (enough papers to matter)
    share >= var('rising_min_ratio', 1.5) * trailing_share (a rise worth naming)
  Because the test is on shares, a heavy week that lifts every count lifts no share, and a key
  going from 1 to 3 papers is far from significant. One row per (week_start, key).
-#}
{#- The same rule on other periods (rising_terms_by_month: calendar months): `window` and
    `min_history` replace rising_window_weeks and rising_min_weeks; the output columns keep their
    weekly names (week_start: the period's first day, n_last_7d: the period's papers). -#}
{% macro rising_by_share(weeks, key, window=none, min_history=none) %}
{%- set window = window if window is not none else var('rising_window_weeks', 8) %}
{%- set min_history = min_history if min_history is not none else var('rising_min_weeks', 3) %}
with

key_weeks as (
    select * from {{ weeks }}
),

with_history as (
    select
        {{ key }},
        week_start,
        n_papers as n_last_7d,
        n_listed,
        count(*) over prior_weeks as trailing_weeks,
        coalesce(sum(n_papers) over prior_weeks, 0) as trailing_papers,
        coalesce(sum(n_listed) over prior_weeks, 0) as trailing_listed
    from key_weeks
    window prior_weeks as (
        partition by {{ key }} order by week_start
        rows between {{ window }} preceding and 1 preceding
    )
),

shares as (
    select
        *,
        n_last_7d / n_listed as share,
        trailing_papers / nullif(trailing_listed, 0) as trailing_share,
        (n_last_7d + trailing_papers) / (n_listed + trailing_listed) as pooled_share
    from with_history
),

with_error as (
    select
        *,
        sqrt(
            pooled_share * (1 - pooled_share) * (1.0 / n_listed + 1.0 / trailing_listed)
        ) as standard_error
    from shares
),

tested as (
    select
        *,
        case
            when trailing_listed > 0 and pooled_share > 0 and pooled_share < 1
                then (share - trailing_share) / standard_error
        end as z
    from with_error
),

final as (
    select
        week_start,
        {{ key }},
        n_last_7d,
        trailing_weeks,
        round(trailing_papers / nullif(trailing_weeks, 0), 3) as trailing_weekly_mean,
        case
            when trailing_weeks > 0
                then round(n_last_7d / greatest(trailing_papers / trailing_weeks, 0.5), 3)
        end as ratio,
        trailing_weeks >= {{ min_history }} as enough_history,
        coalesce(
            trailing_weeks >= {{ min_history }}
            and z >= {{ var('rising_min_z', 2.33) }}
            and n_last_7d >= {{ var('rising_min_count', 5) }}
            and share >= {{ var('rising_min_ratio', 1.5) }} * trailing_share,
            false
        ) as is_rising,
        n_listed,
        round(share, 4) as share,
        round(trailing_share, 4) as trailing_share,
        round(share / nullif(trailing_share, 0), 3) as share_ratio,
        round(z, 3) as z_score
    from tested
)

select * from final
{% endmacro %}


{#-
  The weeks rising_by_share reads: one row per (`key`, week) for every key of `keys` (a CTE with
  a `key` column) and every week with any listed paper (int_listed_weeks), with n_papers from
  `weekly` (key, week_start, n_papers) and 0 in the weeks it has none, and the week's n_listed.
  Quiet weeks must count as 0, or a trailing window would skip them.
-#}
{% macro zero_filled_weeks(keys, weekly, key) %}
    select
        {{ keys }}.{{ key }},
        listed_weeks.week_start,
        coalesce({{ weekly }}.n_papers, 0) as n_papers,
        listed_weeks.n_listed
    from {{ keys }}
    cross join {{ ref('int_listed_weeks') }} as listed_weeks
    left join {{ weekly }} using ({{ key }}, week_start)
{% endmacro %}


{#-
  The papers of each rising (week_start, term) row of `tested` (rising_by_share's output on
  terms): their paper_ids, most upvoted first, listed in that period of `grain` ('week' or
  'month'; a month's rows carry the month's first day in week_start).
-#}
{% macro rising_term_papers(tested, grain) %}
    select
        {{ tested }}.week_start,
        {{ tested }}.term,
        list(
            paper_terms.paper_id order by papers.upvotes desc nulls last, paper_terms.paper_id asc
        ) as paper_ids
    from {{ tested }}
    inner join {{ ref('paper_terms') }} as paper_terms on {{ tested }}.term = paper_terms.term
    inner join {{ ref('int_listed_paper_dates') }} as paper_dates
        on
            paper_terms.paper_id = paper_dates.paper_id
            and paper_dates.grain = '{{ grain }}'
            and paper_dates.basis = 'listed'
            and {{ tested }}.week_start = paper_dates.period_start
    inner join {{ ref('papers') }} as papers on paper_terms.paper_id = papers.paper_id
    where {{ tested }}.is_rising
    group by all
{% endmacro %}

{#- The periods of `grain` ('week' or 'month') with any listed paper, as week_start (the column
    the rising rule reads), and n_listed, the papers listed in each: the denominator of the
    shares the rising rule compares. -#}
{% macro listed_periods(grain) -%}
    select
        period_start as week_start,
        count(*) as n_listed
    from {{ ref('int_listed_paper_dates') }}
    where grain = '{{ grain }}' and basis = 'listed'
    group by period_start
{%- endmacro %}
