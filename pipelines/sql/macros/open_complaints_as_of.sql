-- The complaints open at the end of day `as_of`, each with its days open then: received by
-- `as_of`, counted (not rejected), and not closed by then (still open, or closed after it).
-- One definition of "open at a date", so "open more than 30 days" is one answer however it
-- is asked: `select * from open_complaints_as_of(date '2026-10-31') where days_open > 30`.
-- Grain: one row per complaint (the columns of stg_complaints, then days_open).
open_complaints_as_of(as_of) as table
    select
        complaints.*,
        date_diff('day', complaints.received_date, as_of::date) as days_open
    from stg_complaints as complaints
    where complaints.received_date <= as_of::date
        and complaints.counted
        and (
            (complaints.closed_date is null and complaints.status = 'open')
            or complaints.closed_date > as_of::date
        )
