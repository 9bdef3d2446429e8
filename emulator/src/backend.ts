// The backend: persistent state plus the short-lived server objects (chunk accessors, settings-storage
// handles) that the API class models share.
import { randomBytes } from "crypto";
import { KParams } from "./codec";
import { KeyNames } from "./keys";
import { State } from "./state";

export interface Accessor {
  id: string;
  items: KParams[];
  lifetimeMs: number;
  lastUsed: number;
}

/** A pending change recorded on a settings-storage handle, replayed on Ss_Apply. */
export type SsOp =
  | {
      op: "update" | "add" | "replace" | "clear" | "delete";
      product: string;
      version: string;
      section: string;
      data: KParams;
    }
  | { op: "createSection" | "deleteSection"; product: string; version: string; section: string };

export interface SsHandle {
  id: string;
  policyId: number;
  pending: SsOp[];
  lifetimeMs: number;
  lastUsed: number;
}

export class Backend {
  /** Bumped on every change: caches (push-server balancing) key on it. */
  version = 0;
  readonly accessors = new Map<string, Accessor>();
  readonly ssHandles = new Map<string, SsHandle>();

  constructor(
    public state: State,
    public keys: KeyNames,
    readonly now: () => number = Date.now,
  ) {}

  touch(): void {
    this.version++;
  }

  /** Random id that looks like the server's (base64-ish, no padding). */
  randomId(bytes = 16): string {
    return randomBytes(bytes)
      .toString("base64")
      .replace(/[+/=]/g, (c) => (c === "+" ? "A" : c === "/" ? "B" : ""));
  }

  /** Drop accessors and handles whose lifetime ran out since their last use. */
  sweep(): void {
    const now = this.now();
    for (const [id, a] of this.accessors) if (now - a.lastUsed > a.lifetimeMs) this.accessors.delete(id);
    for (const [id, h] of this.ssHandles) if (now - h.lastUsed > h.lifetimeMs) this.ssHandles.delete(id);
  }

  nowIso(): string {
    return new Date(this.now()).toISOString().replace(/\.\d{3}Z$/, "Z");
  }
}
