-- Which Hugging Face organizations had the most papers listed this month?
-- Run: uv run papertrends sql --file queries/top_organizations_this_month.sql
--
-- "This month" is the latest month that has listed papers, not the calendar month.
-- Only papers submitted under an organization count; organization is the handle,
-- organization_name its display name (from marts.org_counts, with the all-time count).
with

this_month as (
    select max(period_start) as month_start
    from marts.topic_counts
    where grain = 'month' and basis = 'listed'
)

select
    any_value(this_month.month_start) as month_start,
    papers.organization,
    trim(any_value(orgs.organization_name)) as organization_name,
    count(*) as n_papers,
    any_value(orgs.n_papers) as n_papers_all_time
from marts.papers as papers
cross join this_month
left join marts.org_counts as orgs using (organization)
where papers.is_listed
  and papers.organization is not null
  and papers.listed_on >= this_month.month_start
  and papers.listed_on < this_month.month_start + interval 1 month
group by papers.organization
order by n_papers desc, organization_name
limit 25;
