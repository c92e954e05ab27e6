-- The signing key's private half leaves the database: new keys register their public half only,
-- and the runtime moves an older version's private keys to key files, then clears them here.
ALTER TABLE signing_keys ALTER COLUMN private_key DROP NOT NULL;
