/** Who is acting: passed into every use case; the HTTP layer builds it from the session. */
export const ROLES = ['admin', 'biller', 'dispatcher'] as const;
export type Role = (typeof ROLES)[number];

export interface Actor {
  readonly userId: string;
  readonly username: string;
  readonly role: Role;
  /** The dispatch area; always set for dispatchers. */
  readonly areaId: string | null;
  readonly ip?: string | undefined;
  readonly requestId?: string | undefined;
  readonly station?: string | undefined;
}
