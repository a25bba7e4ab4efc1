-- Which topics are rising in the latest week?
-- Run: uv run papertrends sql --file queries/rising_topics.sql
--
-- From marts.rising_topics (one row per ISO week and topic): n_last_7d = papers listed that
-- week, trailing_weekly_mean = mean weekly count over the up to 4 weeks before, ratio =
-- n_last_7d / max(trailing mean, 0.5). is_rising when n_last_7d >= 3 and ratio >= 1.5 with at
-- least 2 prior weeks of data. Rising topics come first, then the rest by ratio.
select
    week_start,
    topic,
    n_last_7d,
    trailing_weekly_mean,
    ratio,
    is_rising
from marts.rising_topics
where week_start = (select max(week_start) from marts.rising_topics)
  and n_last_7d > 0
order by is_rising desc, ratio desc nulls last, n_last_7d desc, topic;
