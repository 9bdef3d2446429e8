// Shared steps of the examples' engine tests (`examples/<name>/<name>.engine.test.ts`): a fresh emulator and a
// raw console session per test file, the stack configuration that points a stack at it, the checks that run
// after every step (no credentials in the state, a small serialized provider), golden `preview --diff` text,
// and reading which resources a preview names as changed.
import * as fs from "fs";
import * as path from "path";
import { startEmulator, type RunningEmulator } from "ksc-emulator";
import type { ConfigValue, PreviewJson, PulumiResult, StateResource, TestStack } from "../../tools/engine";
import { RawKsc } from "./raw-ksc";

/** Budget of one resource's serialized provider (`__provider`), docs/pulumi-behaviour.md#serialized-provider. */
export const PROVIDER_SIZE_BUDGET = 2048;

export interface Console {
  emu: RunningEmulator;
  /** a raw session of "the administrator" (not the provider's client) */
  ksc: RawKsc;
}

/** A fresh emulator with the default seed, and a raw session on it. */
export async function startConsole(opts: { tls: boolean }): Promise<Console> {
  const emu = await startEmulator({ port: 0, tls: opts.tls });
  const ksc = await RawKsc.open(emu.url, { ...emu.credentials, caFile: emu.caFile });
  return { emu, ksc };
}

export async function stopConsole(c: Console | undefined): Promise<void> {
  await c?.ksc.end();
  await c?.emu.stop();
}

/** The stack configuration a user would set: server, user, password (secret), and the CA for https. */
export function kscConfig(emu: RunningEmulator): Record<string, string | ConfigValue> {
  const config: Record<string, string | ConfigValue> = {
    "ksc:serverUrl": emu.url,
    "ksc:user": emu.credentials.user,
    "ksc:password": { value: emu.credentials.password, secret: true },
  };
  if (emu.caFile) config["ksc:caCert"] = emu.caFile;
  return config;
}

/** A dynamic resource of this package in the state. */
export function isKscResource(r: StateResource): boolean {
  return r.type.startsWith("pulumi-nodejs:dynamic/ksc:");
}

/** A resource of the native plugin pulumi-resource-ksc in the state (ksc:index:*). */
export function isNativeKscResource(r: StateResource): boolean {
  return r.type.startsWith("ksc:index:");
}

/** The marker key of a secret value in Pulumi state (`{"4dabf…": "1b47…", ciphertext | plaintext}`). */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";

/** Paths of the strings that match, outside secret values. */
function findOutsideSecrets(v: unknown, match: (s: string) => boolean, at = "$"): string[] {
  if (typeof v === "string") return match(v) ? [at] : [];
  if (Array.isArray(v)) return v.flatMap((x, i) => findOutsideSecrets(x, match, `${at}[${i}]`));
  if (v !== null && typeof v === "object") {
    if (SECRET_SIG in v) return [];
    return Object.entries(v).flatMap(([k, x]) => findOutsideSecrets(x, match, `${at}.${k}`));
  }
  return [];
}

/**
 * After every step: the exported state holds no password, KSC authorization header or session id, and no
 * property that looks like a credential; each resource's serialized provider is plain text under its budget.
 * Decrypted (`--show-secrets`), the password may appear only as a secret value: the engine hands the stack
 * configuration to the dynamic-provider plugin as the default provider's inputs and keeps them, encrypted
 * (docs/pulumi-behaviour.md#provider-host).
 */
export async function expectStateHoldsNoCredentials(stack: TestStack, emu: RunningEmulator): Promise<void> {
  const password = emu.credentials.password;
  const forbidden = [password, Buffer.from(password).toString("base64"), "KSCBasic", "X-KSC-Session"];
  const state = await stack.exportState();
  const text = JSON.stringify(state);
  expect(forbidden.filter((f) => text.includes(f))).toEqual([]);

  const decrypted = await stack.exportState({ showSecrets: true });
  const resources = decrypted.deployment.resources ?? [];
  expect(findOutsideSecrets(resources, (s) => forbidden.some((f) => s.includes(f)))).toEqual([]);
  // The emulator's session ids are 16 random bytes in base64 (22 characters and "==").
  expect(findOutsideSecrets(resources, (s) => /[A-Za-z0-9+/]{22}==/.test(s))).toEqual([]);

  // A native resource has no serialized provider, and no property that looks like a credential either.
  for (const r of (state.deployment.resources ?? []).filter(isNativeKscResource)) {
    const keys = [...Object.keys(r.inputs ?? {}), ...Object.keys(r.outputs ?? {})];
    expect({
      resource: r.urn,
      credentialLike: keys.filter((k) => /password|token|session|secret|credential/i.test(k)),
      provider: keys.filter((k) => k === "__provider"),
    }).toEqual({ resource: r.urn, credentialLike: [], provider: [] });
  }
  for (const r of (state.deployment.resources ?? []).filter(isKscResource)) {
    for (const [where, props] of [
      ["inputs", r.inputs ?? {}],
      ["outputs", r.outputs ?? {}],
    ] as const) {
      const credentialLike = Object.keys(props).filter((k) =>
        /password|token|session|secret|credential/i.test(k),
      );
      const provider = props.__provider;
      // A string: not encrypted, so it captured no secret.
      expect({ resource: r.urn, where, credentialLike, providerType: typeof provider }).toEqual({
        resource: r.urn,
        where,
        credentialLike: [],
        providerType: "string",
      });
      const bytes = String(provider).length;
      expect({
        resource: r.urn,
        where,
        bytes,
        underBudget: bytes > 0 && bytes < PROVIDER_SIZE_BUDGET,
      }).toEqual({
        resource: r.urn,
        where,
        bytes,
        underBudget: true,
      });
    }
  }
}

/** The arguments a reviewer's preview uses in CI: plain text, no progress dots. */
export const REVIEW_PREVIEW_ARGS = ["--diff", "--color", "never", "--suppress-progress"];

/**
 * `preview --diff` text without what changes from run to run: the stack name, the emulator's address,
 * durations, progress lines, trailing spaces; and resource blocks in URN order, since the engine prints
 * resources whose steps run in parallel in the order they finish.
 */
export function normalizePreview(text: string, stackName: string): string {
  const lines = text
    .replace(/\r/g, "")
    .split("\n")
    .filter((l) => !/^@ /.test(l))
    .map((l) =>
      l
        .split(stackName)
        .join("<stack>")
        .replace(/https?:\/\/127\.0\.0\.1:\d+/g, "<ksc-url>")
        .replace(/\(\d+(\.\d+)?m?s\)/g, "(<duration>)")
        .replace(/^Duration: .*$/, "Duration: <duration>")
        .trimEnd(),
    );
  // Blocks: a resource header at four spaces of indent ("    ~ type: (update)"), up to the next header or the
  // outputs/summary part.
  const isHeader = (l: string) => /^ {4}\S.*: \([\w-]+\)$/.test(l);
  const isEnd = (l: string) => /^ {4}--outputs:--$/.test(l) || /^Resources:$/.test(l) || /^\S/.test(l);
  const out: string[] = [];
  for (let i = 0; i < lines.length; ) {
    if (!isHeader(lines[i])) {
      out.push(lines[i++]);
      continue;
    }
    const blocks: string[][] = [];
    while (i < lines.length && isHeader(lines[i])) {
      const block = [lines[i++]];
      while (i < lines.length && !isHeader(lines[i]) && !isEnd(lines[i])) block.push(lines[i++]);
      blocks.push(block);
    }
    const urnOf = (b: string[]) => b.find((l) => l.includes("[urn="))?.trim() ?? b[0];
    blocks.sort((a, b) => urnOf(a).localeCompare(urnOf(b)));
    out.push(...blocks.flat());
  }
  return `${out.join("\n").trim()}\n`;
}

/**
 * The text must equal the reviewed golden file `<dir>/golden/<name>`. UPDATE_GOLDEN=1 rewrites the file instead
 * (then review the change with `git diff`).
 */
export function expectGolden(exampleDir: string, name: string, text: string): void {
  const file = path.join(exampleDir, "golden", name);
  if (process.env.UPDATE_GOLDEN === "1") {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    return;
  }
  if (!fs.existsSync(file)) {
    throw new Error(`golden file ${file} is missing: run the test with UPDATE_GOLDEN=1 and review it`);
  }
  const golden = fs.readFileSync(file, "utf8");
  if (golden !== text) {
    // toEqual prints a line diff; the message says how to accept a reviewed change.
    expect({ file: path.relative(process.cwd(), file), text }).toEqual({
      file: path.relative(process.cwd(), file),
      text: golden,
    });
  }
}

/**
 * The resources a preview/up/refresh run names as changed, from its progress lines
 * (` ~  pulumi-nodejs:dynamic/ksc:PushServer branch-push update [diff: ~port]`, or `ksc:index:PushServer` for the
 * native plugin), each once, as
 * "update ksc:PushServer branch-push [~port]". The refresh steps inside `preview --refresh` are left out: what
 * counts is what the update would do. `refresh` prints its preview, then what it did: both are read.
 */
export function changedResources(result: PulumiResult): string[] {
  const re =
    /^\s*[~+\-<>=]+\s+(?:pulumi-nodejs:dynamic\/ksc|ksc:index):(\w+)\s+(\S+)\s+(\w+(?: replacement| original)?)(?:\s+\([^)]*\))?(?:\s+\[diff: ([^\]]*)\])?/;
  const found = new Set<string>();
  // eslint-disable-next-line no-control-regex
  for (const line of result.stdout.replace(/\x1b\[[0-9;]*m/g, "").split("\n")) {
    const m = re.exec(line);
    if (!m || /^refresh|ing$/.test(m[3])) continue;
    const op = / replacement| original|^replace/.test(m[3]) ? "replace" : m[3].replace(/d$/, "");
    found.add(`${op} ksc:${m[1]} ${m[2]} [${(m[4] ?? "").trim()}]`);
  }
  return [...found].sort();
}

/** Top-level keys whose values differ between two objects (JSON comparison), without `__` keys. */
export function changedKeys(a: Record<string, unknown> = {}, b: Record<string, unknown> = {}): string[] {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].filter((k) => !k.startsWith("__") && JSON.stringify(a[k]) !== JSON.stringify(b[k])).sort();
}

/** The steps of a `preview --json` that change something, one per resource (a replacement is its "replace" step). */
export function changingSteps(
  preview: PreviewJson,
): { op: string; name: string; step: PreviewJson["steps"][number] }[] {
  return preview.steps
    .filter((s) => !["same", "create-replacement", "delete-replaced"].includes(s.op))
    .filter((s) => !s.urn.includes("::pulumi:pulumi:Stack::"))
    .map((s) => ({ op: s.op, name: s.urn.split("::").pop() ?? s.urn, step: s }));
}
