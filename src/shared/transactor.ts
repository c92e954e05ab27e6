// The seam between domain code and storage: a domain function asks for the repositories it
// needs and gets them bound to one transaction, so its writes and its audit entry commit
// together. `repos` serves single reads that need no transaction.

export interface Transactor<R> {
  readonly repos: R;
  transaction<T>(fn: (repos: R) => Promise<T>): Promise<T>;
}

/** Who acts, for which organisation; `actor` is what the audit log records. */
export interface Caller {
  orgId: string;
  actor: string;
}
