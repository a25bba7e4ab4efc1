-- Every ISO week (Monday start) with any listed paper, and how many papers were listed in it:
-- the weeks and the denominator of the weekly shares that rising topics and terms compare.
select
    period_start as week_start,
    count(*) as n_listed
from {{ ref('int_listed_paper_dates') }}
where grain = 'week' and basis = 'listed'
group by period_start
