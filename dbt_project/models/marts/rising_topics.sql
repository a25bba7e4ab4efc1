-- Rising topics, per ISO week, by a test on shares: the rule of macros/rising_by_share.sql
-- (shared with rising_terms), on the topic's listed papers of the week against the trailing
-- weeks. One row per (week_start, topic).
{{ rising_by_share(ref('int_topic_weeks'), 'topic') }}
