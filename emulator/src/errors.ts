// Typed exceptions that render the KSC `PxgError` object (docs/ksc-open-api.md#errors, #error-codes).

export interface PxgErrorBody {
  code: number;
  subcode: number;
  module: string;
  file: string;
  line: number;
  message: string;
  locdata?: unknown;
}

export class KscError extends Error {
  constructor(
    readonly module: string,
    readonly code: number,
    message: string,
    readonly subcode = 0,
  ) {
    super(message);
  }

  /** The reply body: {"PxgError": {...}}. file/line are diagnostic only, as on a real server. */
  toJSON(): { PxgError: PxgErrorBody } {
    return {
      PxgError: {
        code: this.code,
        subcode: this.subcode,
        module: this.module,
        file: "ksc-emulator",
        line: 0,
        message: this.message,
        locdata: {
          type: "params",
          value: { "format-id": this.code, format: "%1", locmodule: this.module, args: [this.message] },
        },
      },
    };
  }
}

/** Codes documented in docs/ksc-open-api.md#error-codes. */
export const CODES = {
  STDE_NOACCESS: { module: "KLSTD", code: 1184 },
  STDE_NOTFOUND: { module: "KLSTD", code: 1186 },
  STDE_BADFORMAT: { module: "KLSTD", code: 1192 },
  STDE_NOTPERM: { module: "KLSTD", code: 1193 },
  STDE_UNAVAIL: { module: "KLSTD", code: 1195 },
  STDE_LIMIT_VIOLATION: { module: "KLSTD", code: 1229 },
  KLPRSS_NOT_EXIST: { module: "KLPRSS", code: 1125 },
  GCR_NO_SUCH_CALL: { module: "KLCONN", code: 1194 },
  ERR_NO_SUCH_CLIENT: { module: "KLWAT", code: 1445 },
  ERR_LOGON_IFAILED: { module: "KLWAT", code: 1453 },
  SPLERR_ACCOUNT_BLOCKED: { module: "SPL", code: 2013 },
} as const;

/**
 * PROPOSED, unverified: no code is published for "invalid argument" (docs/ksc-open-api.md#error-codes). Kept
 * in this one constant so it can be corrected after checking a real server.
 */
export const PROPOSED_INVALID_ARGUMENT = { module: "KLSTD", code: 1189 } as const;

/**
 * PROPOSED, unverified: the error for RegisterUpdateAgent on a host that already is a DP, and for manual
 * registration while automatic assignment is on (docs/ksc-open-api.md#error-codes).
 */
export const PROPOSED_DP_NOT_PERMITTED = CODES.STDE_NOTPERM;

export class NotFound extends KscError {
  constructor(message: string) {
    super(CODES.STDE_NOTFOUND.module, CODES.STDE_NOTFOUND.code, message);
  }
}
export class BadFormat extends KscError {
  constructor(message: string) {
    super(CODES.STDE_BADFORMAT.module, CODES.STDE_BADFORMAT.code, message);
  }
}
export class NotPermitted extends KscError {
  constructor(message: string) {
    super(CODES.STDE_NOTPERM.module, CODES.STDE_NOTPERM.code, message);
  }
}
/** RegisterUpdateAgent refused: the host already is a DP, or automatic assignment is on. */
export class DpNotPermitted extends KscError {
  constructor(message: string) {
    super(PROPOSED_DP_NOT_PERMITTED.module, PROPOSED_DP_NOT_PERMITTED.code, message);
  }
}
export class InvalidArgument extends KscError {
  constructor(message: string) {
    super(PROPOSED_INVALID_ARGUMENT.module, PROPOSED_INVALID_ARGUMENT.code, `invalid argument: ${message}`);
  }
}
export class SettingsNotExist extends KscError {
  constructor(message: string) {
    super(CODES.KLPRSS_NOT_EXIST.module, CODES.KLPRSS_NOT_EXIST.code, message);
  }
}
export class NoSuchCall extends KscError {
  constructor(method: string) {
    super(CODES.GCR_NO_SUCH_CALL.module, CODES.GCR_NO_SUCH_CALL.code, `no such method: ${method}`);
  }
}
export class Unavailable extends KscError {
  constructor(message = "server temporarily unavailable", subcode = 0) {
    super(CODES.STDE_UNAVAIL.module, CODES.STDE_UNAVAIL.code, message, subcode);
  }
}
export class LogonFailed extends KscError {
  constructor(message = "logon failed") {
    super(CODES.ERR_LOGON_IFAILED.module, CODES.ERR_LOGON_IFAILED.code, message);
  }
}
export class AccountBlocked extends KscError {
  constructor() {
    super(
      CODES.SPLERR_ACCOUNT_BLOCKED.module,
      CODES.SPLERR_ACCOUNT_BLOCKED.code,
      "account is locked after too many failed logon attempts",
    );
  }
}
export class NoSuchClient extends KscError {
  constructor(message = "session not found") {
    super(CODES.ERR_NO_SUCH_CLIENT.module, CODES.ERR_NO_SUCH_CLIENT.code, message);
  }
}
