/**
 * Domain errors carry a stable snake_case code (the codes of SPEC.md §7) and never an HTTP
 * status; http/plugins/errors.ts maps codes to statuses in one table.
 */
export const ERROR_CODES = [
  'invalid_format',
  'weak_password',
  'area_required',
  'validation_failed',
  'invalid_credentials',
  'invalid_current_password',
  'not_authenticated',
  'csrf_failed',
  'parent_not_found',
  'bag_not_found',
  'bill_not_found',
  'not_found',
  'wrong_area',
  'forbidden',
  'wrong_bag_type',
  'already_linked_other_parent',
  'already_linked_other_bill',
  'parent_full',
  'parent_completed',
  'bill_completed',
  'capacity_reached',
  'bill_incomplete',
  'duplicate_bill',
  'duplicate_username',
  'duplicate_area',
  'last_admin',
  'own_role',
  'nothing_to_undo',
  'bag_in_use',
  'account_locked',
  'rate_limited',
  'totp_required',
  'invalid_totp',
  'totp_enrolment_required',
  'totp_already_enabled',
  'totp_not_set_up',
  'area_in_use',
  'ticket_not_found',
  'ticket_closed',
  'not_on_bill',
  'on_other_ticket',
  'ticket_empty',
  'bill_busy',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Extra facts a client may show (e.g. the other parent's code); never secrets. */
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const isDomainError = (err: unknown): err is DomainError => err instanceof DomainError;
