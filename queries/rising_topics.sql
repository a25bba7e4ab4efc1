-- Which topics are rising in the latest week?
-- Run: uv run papertrends sql --file queries/rising_topics.sql
--
-- From marts.rising_topics (one row per ISO week and topic): n_last_7d = papers listed that
-- week, share = their share of the week's listed papers, trailing_share = the topic's share over
-- the up to 8 weeks before, z_score = two-proportion z statistic of the two. is_rising when
-- z_score >= 2.33, n_last_7d >= 5 and share >= 1.5 * trailing_share, with at least 3 prior weeks
-- of data. Rising topics come first, then the rest by z score.
select
    week_start,
    topic,
    n_last_7d,
    share,
    trailing_share,
    z_score,
    is_rising
from marts.rising_topics
where week_start = (select max(week_start) from marts.rising_topics)
  and n_last_7d > 0
order by is_rising desc, z_score desc nulls last, n_last_7d desc, topic;
