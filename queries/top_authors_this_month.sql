-- Who had the most papers listed this month?
-- Run: uv run papertrends sql --file queries/top_authors_this_month.sql
--
-- "This month" is the latest month that has listed papers (the bundled data is November 2025).
-- Authors are identities from intermediate.int_authorships (Hugging Face handle when known,
-- else the normalized name); the name shown and the all-time count come from
-- marts.author_counts. Only API snapshots carry author lists (page captures show a count).
with

this_month as (
    select max(period_start) as month_start
    from marts.topic_counts
    where grain = 'month' and basis = 'listed'
),

month_papers as (
    select paper_id
    from marts.papers, this_month
    where is_listed
      and listed_on >= month_start
      and listed_on < month_start + interval 1 month
)

select
    any_value(this_month.month_start) as month_start,
    any_value(authors.author) as author,
    count(distinct authorships.paper_id) as n_papers,
    any_value(authors.n_papers) as n_papers_all_time
from intermediate.int_authorships as authorships
inner join month_papers using (paper_id)
inner join marts.author_counts as authors using (author_key)
cross join this_month
group by authorships.author_key
order by n_papers desc, author
limit 25;
