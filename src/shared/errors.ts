// One error type for every capability: a stable code, a kind that shells map to HTTP status
// or CLI exit code, and optional details a caller can act on (field names, offending values).

export type ErrorKind =
  | 'bad_input'
  | 'not_found'
  | 'conflict'
  | 'unauthenticated'
  | 'forbidden'
  | 'too_large'
  | 'rate_limited'
  | 'unavailable'
  | 'internal';

export interface ErrorCode {
  readonly code: string;
  readonly kind: ErrorKind;
  readonly title: string;
}

const registry = new Map<string, ErrorCode>();

/**
 * Declares a capability's error codes once; every code is registered so docs/errors.md can be
 * checked against the full list. Codes are `LL_<AREA>_<NAME>`.
 */
export function defineErrorCodes<K extends string>(
  area: string,
  table: Record<K, { kind: ErrorKind; title: string }>,
): Record<K, ErrorCode> {
  const out = {} as Record<K, ErrorCode>;
  for (const key of Object.keys(table) as K[]) {
    const entry = table[key];
    const code = `LL_${area}_${key}`;
    const def: ErrorCode = { code, kind: entry.kind, title: entry.title };
    registry.set(code, def);
    out[key] = def;
  }
  return out;
}

export function registeredErrorCodes(): ErrorCode[] {
  return [...registry.values()].sort((a, b) => a.code.localeCompare(b.code));
}

export class LedgerlineError extends Error {
  readonly code: string;
  readonly kind: ErrorKind;
  readonly title: string;
  readonly details: Record<string, unknown> | undefined;

  constructor(def: ErrorCode, message: string, details?: Record<string, unknown>, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LedgerlineError';
    this.code = def.code;
    this.kind = def.kind;
    this.title = def.title;
    this.details = details;
  }
}

export function isLedgerlineError(err: unknown): err is LedgerlineError {
  return err instanceof LedgerlineError;
}

export const CommonErrors = defineErrorCodes('COMMON', {
  BAD_INPUT: { kind: 'bad_input', title: 'The input is not valid' },
});
