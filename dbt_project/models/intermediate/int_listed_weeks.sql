-- Every ISO week (Monday start) with any listed paper, and how many papers were listed in it:
-- the weeks and the denominator of the weekly shares that rising topics and terms compare.
{{ listed_periods('week') }}
