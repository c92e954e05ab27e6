// Where the test services are; CI and the README use these defaults.

export const PG_URL = process.env.LEDGERLINE_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL = process.env.LEDGERLINE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
