// SQLSTATE of a database error from either engine (pg and PGlite both expose `code`).

export function pgErrorCode(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err && typeof (err as { code: unknown }).code === 'string') {
    return (err as { code: string }).code;
  }
  return undefined;
}

/** SQLSTATE of a unique constraint broken by an insert. */
export const UNIQUE_VIOLATION = '23505';
