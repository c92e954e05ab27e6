-- Stream events are found by time with a block-range index, not a b-tree: events arrive roughly
-- in the order they happen, so a BRIN index prunes a period's blocks almost as well, costs
-- nothing on insert (the b-tree cost ingest about a third of its speed) and stays a few pages
-- however many events there are. Out-of-order backfills only make a period's read visit more
-- blocks; results do not change.
DROP INDEX stream_events_time;
CREATE INDEX stream_events_started ON stream_events USING brin (started_at);
