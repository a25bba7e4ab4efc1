-- Which topics had the most papers listed this week?
-- Run: uv run papertrends sql --file queries/top_topics_this_week.sql
--
-- "This week" is the latest ISO week (Monday start) that has listed papers, not the calendar
-- week (a warehouse of history ends where its data does). Counts are papers first listed on Daily
-- Papers that week (basis 'listed'); a paper with several topics counts once in each, so the
-- shares add up to more than 100%. 'other' = papers the taxonomy tags with no topic.
select
    period_start as week_start,
    topic,
    n_papers,
    period_papers as papers_listed_that_week,
    round(100 * share, 1) as pct_of_listed
from marts.topic_counts
where grain = 'week'
  and basis = 'listed'
  and period_start = (
      select max(period_start) from marts.topic_counts where grain = 'week' and basis = 'listed'
  )
order by n_papers desc, topic;
