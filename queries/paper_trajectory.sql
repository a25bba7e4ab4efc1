-- How did one paper's upvotes and comments move over time?
-- Run: uv run papertrends sql --file queries/paper_trajectory.sql
--
-- CHANGE THE arXiv ID below to a paper the warehouse holds (papertrends sql "select arxiv_id,
-- title from marts.papers limit 5"); 2511.07419 was listed on 2025-11-11. One row per
-- snapshot that saw the paper; *_delta is the change since the previous sighting (null on the
-- first), days_since_listed counts from its first Daily Papers day. A capture may show no
-- upvote count (null).
select
    papers.arxiv_id,
    papers.title,
    trajectory.snapshot_date,
    snapshots.listing_kind,
    trajectory.days_since_listed,
    trajectory.upvotes,
    trajectory.upvotes_delta,
    trajectory.comments,
    trajectory.comments_delta
from marts.paper_trajectories as trajectory
inner join marts.papers as papers using (paper_id)
inner join raw.snapshots as snapshots using (snapshot_id)
where papers.arxiv_id = '2511.07419'   -- <- change me
order by trajectory.snapshot_date, trajectory.snapshot_id;
