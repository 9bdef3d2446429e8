// What the per-class API files (uaControl.ts, hostGroup.ts, policy.ts, ssContents.ts, session.ts) need from the
// connection: one call, and whether it may be repeated. Kept apart from connection.ts, which implements it, so that
// the session code the connection uses can call the Open API without importing the connection back.
import { KscParams, KscValue } from "./api";

export interface CallOptions {
  /**
   * True when repeating the call cannot do harm (reads, full replacements). Reads must say so too: the client
   * cannot tell a read from a write by its name.
   */
  idempotent: boolean;
  /** Overrides the client's timeoutMs for this call. */
  timeoutMs?: number;
}

/** What the per-class API files need: one call. */
export interface Caller {
  call(method: string, args: Record<string, KscValue | undefined>, opts: CallOptions): Promise<KscParams>;
}

/** Reads are always safe to repeat. */
export const READ: CallOptions = { idempotent: true };
/** Writes whose repetition leaves the same result (full replacement, set-to-value). */
export const IDEMPOTENT_WRITE: CallOptions = { idempotent: true };
/** Writes that must not be repeated blindly (create, register, delete). */
export const WRITE: CallOptions = { idempotent: false };
