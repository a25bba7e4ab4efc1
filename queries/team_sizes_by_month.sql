-- How large are the author teams, month by month?
-- Run: uv run papertrends sql --file queries/team_sizes_by_month.sql
--
-- From marts.team_sizes: papers per month (of first listing, or first sighting for papers seen
-- only in search views) per team-size bucket, with each bucket's share of the month. Papers
-- without a known author count are left out. The 2025-12 row is the search-view capture.
select
    period as month_start,
    team_size as authors_per_paper,
    n_papers,
    round(100 * n_papers / sum(n_papers) over (partition by period), 1) as pct_of_month
from marts.team_sizes
order by period, bucket_order;
