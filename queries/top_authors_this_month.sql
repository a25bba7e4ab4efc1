-- Who had the most papers listed this month?
-- Run: uv run papertrends sql --file queries/top_authors_this_month.sql
--
-- "This month" is the latest month in the author leaderboard (not the calendar month: a
-- warehouse of history ends where its data does). Authors are identities (Hugging Face handle when known, else the normalized name);
-- counts come from marts.author_monthly_counts, the all-time count from marts.author_counts.
-- Only API snapshots carry author lists (page captures show a count).
with

this_month as (
    select max(month) as month_start
    from marts.author_monthly_counts
)

select
    monthly.month as month_start,
    monthly.author,
    monthly.n_papers,
    authors.n_papers as n_papers_all_time
from marts.author_monthly_counts as monthly
inner join this_month on monthly.month = this_month.month_start
inner join marts.author_counts as authors using (author_key)
order by monthly.n_papers desc, monthly.author
limit 25;
