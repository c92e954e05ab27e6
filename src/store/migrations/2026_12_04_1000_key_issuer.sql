-- Who issued an API key, and on each consent version the issuer of the key that set it: a rights
-- holder key minted by an operator is visible as such in the consent history and exports.
ALTER TABLE api_keys ADD COLUMN issued_by text;
ALTER TABLE consent_rules ADD COLUMN author_key_issued_by text;
