// A guard against a Node.js bug that made a program with an invalid config value take ~30 s to fail.
//
// `util.inspect(err, { colors: true })` loops in Node's markNodeModules() when a stack line holds a
// `node_modules/` segment with no path separator after the package name (nodejs/node#64011, fixed by
// nodejs/node#64022; Node 20.20 still has it): each turn appends to a string until V8 gives up with
// "RangeError: Invalid string length" after some 30 s of garbage collection. The Pulumi SDK's source maps
// name its own sources `node_modules/@pulumi/<file>.ts` (one segment after the scope), and its
// uncaught-error handler (@pulumi/pulumi/cmd/run/run.js) inspects every error it reports that way, for a
// tracing event, even a RunError it has already printed. So every error thrown from inside the SDK, such as
// `config.requireNumber` given "abc", held the program process for that long before it could exit.
//
// The runner loads `preload.js` (which calls installInspectGuard) into every program process it starts:
// coloured inspection of such an error is done without colours, which skips the looping code and gives
// the same text.
import * as path from "path";
import type * as utilTypes from "util";

/** The module that installs the guard, for `node --require` (built next to this one). */
export const preloadPath = path.join(__dirname, "preload.js");

/** Whether Node's markNodeModules() would loop on this stack line (a copy of its search, without the work). */
function loopsInMarkNodeModules(line: string): boolean {
  let searchFrom = 0;
  for (;;) {
    const at = line.indexOf("node_modules", searchFrom);
    if (at === -1) return false;
    const before = line[at - 1];
    const after = line[at + "node_modules".length];
    if ((before !== "/" && before !== "\\") || (after !== "/" && after !== "\\")) {
      searchFrom = at + 1;
      continue;
    }
    const moduleStart = at + "node_modules/".length;
    let moduleEnd = line.indexOf(before, moduleStart);
    if (line[moduleStart] === "@") moduleEnd = line.indexOf(before, moduleEnd + 1);
    // Node goes on searching from moduleEnd: from before this match (or from -1), the same match again.
    if (moduleEnd < moduleStart) return true;
    searchFrom = moduleEnd;
  }
}

function hasStack(value: unknown): value is { stack: string } {
  return (
    typeof value === "object" && value !== null && typeof (value as { stack?: unknown }).stack === "string"
  );
}

/**
 * Whether coloured inspection of `value` would hit the loop: an error whose stack has such a line, or
 * such an error among its `cause` chain or an AggregateError's `errors` (which inspect formats too).
 */
export function wouldLoopInColouredInspect(value: unknown, depth = 0): boolean {
  if (depth > 8 || typeof value !== "object" || value === null) return false;
  if (hasStack(value) && value.stack.split("\n").some(loopsInMarkNodeModules)) return true;
  const { cause, errors } = value as { cause?: unknown; errors?: unknown };
  if (wouldLoopInColouredInspect(cause, depth + 1)) return true;
  return Array.isArray(errors) && errors.some((e) => wouldLoopInColouredInspect(e, depth + 1));
}

type Inspect = typeof utilTypes.inspect;

/** `inspect`, except that coloured inspection of a value that would loop is done without colours. */
export function guardedInspect(inspect: Inspect): Inspect {
  const guarded = function (this: unknown, value: unknown, ...rest: unknown[]): string {
    const [first] = rest;
    // inspect(value, options) and the legacy inspect(value, showHidden, depth, colors).
    if (typeof first === "object" && first !== null) {
      const options = first as utilTypes.InspectOptions;
      if (options.colors === true && wouldLoopInColouredInspect(value)) {
        return inspect(value, { ...options, colors: false });
      }
    } else if (rest[2] === true && wouldLoopInColouredInspect(value)) {
      return inspect(value, rest[0] as boolean, rest[1] as number, false);
    }
    return (inspect as (...args: unknown[]) => string).call(this, value, ...rest);
  };
  // inspect.custom, inspect.defaultOptions (an accessor), inspect.colors, inspect.styles stay reachable.
  const { prototype: _ignored, ...properties } = Object.getOwnPropertyDescriptors(inspect);
  Object.defineProperties(guarded, properties);
  return guarded as unknown as Inspect;
}

/**
 * Replaces `util.inspect` by the guarded one. Must run before the SDK loads: its modules copy `inspect` from
 * `util` when they are first required.
 */
export function installInspectGuard(util: { inspect: Inspect }): void {
  util.inspect = guardedInspect(util.inspect);
}

/**
 * The environment for the CLI when it runs the program with its own language host: the guard of
 * inspectGuard.ts goes into every Node.js process it starts, through NODE_OPTIONS (node's own quoting).
 */
export function withPreloadInNodeOptions(env: NodeJS.ProcessEnv, preload: string): NodeJS.ProcessEnv {
  const require = `--require ${JSON.stringify(preload)}`;
  const current = env.NODE_OPTIONS?.trim();
  return { ...env, NODE_OPTIONS: current ? `${current} ${require}` : require };
}
