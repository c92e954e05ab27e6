// The roles an API key can carry. A key belongs to exactly one organisation and one role.

export const ROLES = ['operator', 'reviewer', 'rights_holder', 'artist', 'licensee'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** Who is calling: resolved from an API key, or the local CLI acting as an operator of an org. */
export interface Principal {
  keyId: string;
  orgId: string;
  role: Role;
  /** The rights holder or artist a rights_holder/artist key speaks for, when bound to one. */
  subjectId: string | null;
  /** Who issued this key. */
  issuedBy: string | null;
}

export function actorOf(p: Principal): string {
  return `key:${p.keyId}`;
}
