// The exit codes of `pulumi-ksc`, in one place: main.ts maps errors to them, --help and the README list them.

export const EXIT = {
  /** Done. */
  ok: 0,
  /** The KSC server could not be reached or refused a call (network, TLS, login, KSC error), the console is not
   *  in a state the command can work with, or a file could not be written. */
  failure: 1,
  /** Wrong command line, missing or invalid ksc:* configuration, or an input file that is not what it should be. */
  usage: 2,
  /** probe guided: at least one setting showed no change, or an ambiguous one, or nothing was found at all (the
   *  names found are still reported). */
  incomplete: 3,
} as const;

export const EXIT_CODES_HELP = `Exit codes:
  0  done
  1  failure: the KSC server could not be reached or refused a call (network, TLS, login, KSC error),
     the console is not in a state the command can work with, or a file could not be written
  2  usage or configuration error: unknown command or option, missing argument, missing or invalid
     ksc:* configuration, an input file that is not what it should be
  3  probe guided: at least one setting showed no change or an ambiguous one, or nothing was found`;

/** A mistake on the command line, in the configuration or in an input file: exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** The console is not in a state the command can work with (e.g. no distribution point to probe): exit code 1. */
export class PreconditionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PreconditionError";
  }
}
