-- Every state a track's split has been in, from when: royalties pay a training licence's fee by
-- the splits that stood when its manifest was issued, not by today's. Written with every
-- replacement of a split (catalog repo), in the same transaction. Splits set before versions
-- were kept count as in force from the epoch: nothing earlier is known.

CREATE TABLE split_versions (
  track_id uuid NOT NULL REFERENCES tracks(id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('master', 'publishing')),
  valid_from timestamptz NOT NULL,
  -- [{"holderId": uuid, "sharePpm": int}], empty when the split was cleared.
  shares jsonb NOT NULL,
  PRIMARY KEY (track_id, kind, valid_from)
);

INSERT INTO split_versions (track_id, kind, valid_from, shares)
SELECT track_id, kind, '1970-01-01T00:00:00Z', jsonb_agg(jsonb_build_object('holderId', rights_holder_id, 'sharePpm', share_ppm) ORDER BY rights_holder_id)
FROM splits GROUP BY track_id, kind;
