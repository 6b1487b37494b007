import { MailErrorCode, MailErrorOwner } from '../../shared/error-codes';

export { MailErrorCode };

const DEFAULT_STATUS: Record<MailErrorCode, number> = {
  RECONNECT_REQUIRED: 409,
  ADMIN_CONFIGURATION: 409,
  NOT_CONFIGURED: 409,
  TRANSIENT: 503,
  PROVIDER_ERROR: 502,
  ACCESS_DENIED: 400,
  INVALID_STATE: 400,
  INVALID_INPUT: 400,
  NOT_FOUND: 404,
  FORBIDDEN: 403,
};

const DEFAULT_OWNER: Record<MailErrorCode, MailErrorOwner> = {
  RECONNECT_REQUIRED: 'user',
  ADMIN_CONFIGURATION: 'admin',
  NOT_CONFIGURED: 'admin',
  TRANSIENT: 'none',
  PROVIDER_ERROR: 'admin',
  ACCESS_DENIED: 'user',
  INVALID_STATE: 'user',
  INVALID_INPUT: 'user',
  NOT_FOUND: 'user',
  FORBIDDEN: 'user',
};

export interface MailErrorOptions {
  cause?: unknown;
  /** HTTP status when this error ends a request; defaults per code. */
  status?: number;
  owner?: MailErrorOwner;
  /** Provider's own code, e.g. `AADSTS7000215`, for logs and troubleshooting docs. */
  providerCode?: string;
  /** What happened, without the fix; lets a user-facing text swap an admin's fix for "ask your administrator". */
  reason?: string;
}

/**
 * The one error type of the plugin. `message` is written for the person who has to act and is safe to show
 * (it never holds a token or secret); the raw library error stays in `cause` for logs only.
 */
export class MailError extends Error {
  readonly code: MailErrorCode;
  readonly status: number;
  readonly owner: MailErrorOwner;
  readonly providerCode?: string;
  readonly reason: string;

  constructor(code: MailErrorCode, message: string, options: MailErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'MailError';
    this.code = code;
    this.status = options.status ?? DEFAULT_STATUS[code];
    this.owner = options.owner ?? DEFAULT_OWNER[code];
    this.providerCode = options.providerCode;
    this.reason = options.reason ?? message;
  }

  /**
   * The sentence for the mailbox owner. A problem only the admin can fix names the cause and sends the user to the
   * admin instead of describing portal steps they cannot take.
   */
  get userMessage(): string {
    if (this.owner !== 'admin') return this.message;
    return `${this.reason} Ask your administrator to check the email settings.`;
  }

  static is(err: unknown, code?: MailErrorCode): err is MailError {
    return err instanceof MailError && (code === undefined || err.code === code);
  }
}

export function invalidInput(message: string): MailError {
  return new MailError(MailErrorCode.INVALID_INPUT, message);
}
