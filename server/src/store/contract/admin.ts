/** One thing done in the dashboard: by which session, from where, to what, and why. */
export interface AdminAction {
  /** Epoch milliseconds. */
  readonly at: number;
  /** `sign-in`, `sign-out`, or what was done (`redeliver`, `resolve`). */
  readonly action: string;
  /** The first 12 hex digits of the session's hash: which sign-in did it, and nothing to reuse. */
  readonly session: string;
  /** The client address, as the server sees it (the buyer's behind a trusted proxy). */
  readonly client: string;
  /** What it was done to (an order id, an event id), if anything. */
  readonly target: string | null;
  /** The note given with it, if any. */
  readonly note: string | null;
}

/** An {@link AdminAction} as stored, with its place in the trail. */
export interface AdminActionRecord extends AdminAction {
  readonly id: number;
}

/**
 * A signed-in session of the dashboard. The store keeps only the hash of the cookie's token,
 * so that a copy of the database signs nobody in; the CSRF token is the session's own.
 */
export interface AdminSession {
  /** SHA-256 of the session cookie's token, in hex. */
  readonly idHash: string;
  readonly csrfToken: string;
  /** Epoch milliseconds. */
  readonly createdAt: number;
  readonly lastSeenAt: number;
}

/** The dashboard's sessions and its audit trail. */
export interface AdminStore {
  /** Stores a new dashboard session. */
  createAdminSession(session: AdminSession): Promise<void>;

  /** The dashboard session whose cookie token hashes to `idHash`, or `undefined`. */
  getAdminSession(idHash: string): Promise<AdminSession | undefined>;

  /** Records that a session was used at `at` (its idle expiry starts again). */
  touchAdminSession(idHash: string, at: number): Promise<void>;

  /** Ends one session, or (with `before`) every session last used before that time. */
  deleteAdminSessions(
    which: { readonly idHash: string } | { readonly lastSeenBefore: number },
  ): Promise<void>;

  /** Records what was done in the dashboard (the audit trail). */
  recordAdminAction(action: AdminAction): Promise<void>;

  /** The dashboard's audit trail, newest first. */
  listAdminActions(limit: number): Promise<AdminActionRecord[]>;
}
