// What API-key management needs from storage.

import type { Role } from './roles.ts';

export interface ApiKeyRecord {
  id: string;
  orgId: string;
  role: Role;
  name: string;
  subjectId: string | null;
  /** Who made the key (an operator's key, or `cli:<user>`); null for keys made before this was kept. */
  issuedBy: string | null;
  secretHash: string;
  createdAt: string;
  revokedAt: string | null;
}

export interface AuthStore {
  insertKey(key: Omit<ApiKeyRecord, 'createdAt' | 'revokedAt'>): Promise<ApiKeyRecord>;
  getKey(id: string): Promise<ApiKeyRecord | null>;
  listKeys(orgId: string): Promise<ApiKeyRecord[]>;
  revokeKey(orgId: string, id: string, at: Date): Promise<boolean>;
  /** Whether the rights holder, artist or licensee a key would speak for exists in the organisation. */
  subjectExists(orgId: string, role: 'rights_holder' | 'artist' | 'licensee', subjectId: string): Promise<boolean>;
}
