// `generate`: the distribution points, push servers and Network Agent policies of chosen groups, read from the
// console and written as a Pulumi TypeScript program that declares each with `adopt: true` and exactly the
// settings it has — so the first `pulumi up` takes them over without writing to the console, and `pulumi preview`
// afterwards is empty. Values are read with the client's typed objects as the resources read them (DpObject and
// settingOf, the Network Agent settings) and checked with their own check(), so the program says what the resources
// will compare.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { DpObject } from "../ksc/dpObject";
import { isNotFound } from "../ksc/errors";
import { KeyNames, unconfirmedKeys } from "../ksc/keys";
import { NA_SETTINGS } from "../ksc/networkAgent";
import { InputError } from "../resources/common";
import * as distributionPoint from "../resources/distributionPoint";
import { DP_SETTINGS, settingOf } from "../resources/distributionPointHelpers";
import { GroupDirectory, GroupInfo } from "../resources/groups";
import * as networkAgentPolicy from "../resources/networkAgentPolicy";
import * as pushServer from "../resources/pushServer";
import type {
  DistributionPointInputs,
  NetworkAgentPolicyInputs,
  PushServerInputs,
} from "../resources/schema.generated";
import { PACKAGE_SCHEMA } from "../resources/schema.generated";
import { RESOURCE_TOKENS } from "../resources/schemaTypes";
import { Connection } from "./connect";
import { UsageError } from "./exitCodes";
import { devicesNamed, ownNetworkAgentPolicies } from "./lookup";

// ---- the estate: what the console has ----

export interface DpEstate {
  hostId: string;
  displayName: string;
  inputs: DistributionPointInputs;
  /** Present when the DP runs a push server. */
  push?: Omit<PushServerInputs, "hostId">;
  /** Things a reader of the program should know (become comments). */
  notes: string[];
}

export interface PolicyEstate {
  id: number;
  groupPath: string;
  inputs: NetworkAgentPolicyInputs;
  notes: string[];
}

export interface Skipped {
  what: string;
  reason: string;
}

export interface Estate {
  server: string;
  readAt: string;
  groups: { id: number; path: string }[];
  distributionPoints: DpEstate[];
  policies: PolicyEstate[];
  skipped: Skipped[];
  warnings: string[];
}

const PUSH_SPEC = PACKAGE_SCHEMA.resources[RESOURCE_TOKENS.PushServer];

function within(path: string, ancestor: string): boolean {
  const a = ancestor.toLocaleLowerCase();
  const p = path.toLocaleLowerCase();
  return p === a || p.startsWith(`${a}/`);
}

/** Names in use that are still defaults no Open API page confirms: placeholders, or names that rest on evidence
 *  (docs/ksc-key-names.md). */
export function unverifiedNames(keys: KeyNames): string[] {
  const names = keys as unknown as Record<string, Record<string, string>>;
  return unconfirmedKeys()
    .filter((k) => names[k.group]?.[k.logical] === k.name)
    .map(
      (k) => `${k.group}.${k.logical} = ${k.name} (${k.status === "proposed" ? "placeholder" : "evidence"})`,
    );
}

/** Read what the program will declare. DPs are those whose scope includes a chosen group or one of its subgroups;
 *  policies are the chosen groups' own Network Agent policies. */
export async function readEstate(
  conn: Connection,
  groups: GroupInfo[],
  now: Date = new Date(),
): Promise<Estate> {
  const { client, keyNames: keys } = conn;
  const dir = new GroupDirectory(client);
  const estate: Estate = {
    server: client.server,
    readAt: now.toISOString(),
    groups: groups.map((g) => ({ id: g.id, path: g.path })),
    distributionPoints: [],
    policies: [],
    skipped: [],
    warnings: [],
  };
  const unverified = unverifiedNames(keys);
  if (unverified.length > 0) {
    estate.warnings.push(
      `these key names are not confirmed on this server (${unverified.join(", ")}): placeholders no server has, and names that rest on public evidence only; against a real KSC server, check them with \`pulumi-ksc probe guided\` and use the override file, or push-server and policy settings may be missing`,
    );
  }

  for (const dp of await client.uaControl.getUpdateAgentsList()) {
    let info: DpObject;
    try {
      info = await client.uaControl.getUpdateAgentInfo(dp.hostId);
    } catch (err) {
      if (isNotFound(err)) continue; // removed since the list was read
      throw err;
    }
    const scope = info.scope;
    const scopeGroups: { id: number; path?: string }[] = [];
    for (const { id } of scope.groups) scopeGroups.push({ id, path: (await dir.byId(id))?.path });
    if (!scopeGroups.some((g) => g.path !== undefined && groups.some((c) => within(g.path!, c.path))))
      continue;
    estate.distributionPoints.push(
      await dpEstate(
        conn,
        dp.hostId,
        dp.displayName,
        info,
        scopeGroups,
        scope.nlaNetworks.map((n) => n.id),
      ),
    );
  }

  for (const group of groups) {
    const policies = await ownNetworkAgentPolicies(client, keys, group);
    for (const p of policies) {
      const what = `Network Agent policy "${p.displayName}" (id ${p.id}) of group "${group.path}"`;
      if (policies.filter((q) => q.displayName === p.displayName).length > 1) {
        estate.skipped.push({
          what,
          reason: `the group has several Network Agent policies with this name; the resource finds a policy by group and name, so rename all but one in the console`,
        });
        continue;
      }
      const settings = await client.networkAgent.readSettings(p.id);
      const inputs: NetworkAgentPolicyInputs = {
        group: group.path,
        name: p.displayName,
        active: p.active,
        inheritFromParent: p.acceptParent,
        forceInheritance: p.forceDistribToChildren,
      };
      const missing: string[] = [];
      for (const s of NA_SETTINGS) {
        const v = settings[s.name];
        // The setting's logical key name in keys.ts is its name.
        if (!v) missing.push(`${s.name} (key ${keys.networkAgent[s.name]})`);
        else (inputs as unknown as Record<string, unknown>)[s.name] = v;
      }
      if (missing.length > 0) {
        estate.skipped.push({
          what,
          reason: `it does not hold ${missing.join(", ")} in section ${keys.networkAgent.networkSection}; declaring it would write these settings on the first \`pulumi up\`${unverified.length ? " (are the key names right? see `pulumi-ksc probe guided`)" : ""}`,
        });
        continue;
      }
      inputs.adopt = true;
      estate.policies.push({ id: p.id, groupPath: group.path, inputs, notes: [] });
    }
  }
  return estate;
}

async function dpEstate(
  conn: Connection,
  hostId: string,
  listedName: string,
  info: DpObject,
  scopeGroups: { id: number; path?: string }[],
  nlaNetworks: number[],
): Promise<DpEstate> {
  const { client, keyNames: keys } = conn;
  const notes: string[] = [];
  let displayName = info.displayName || listedName;
  if (!displayName) {
    const host = await client.inventory
      .get(hostId, ["displayName"])
      .catch(() => ({ displayName: undefined }));
    displayName = host.displayName || hostId;
  }
  // A display name that names exactly this device reads better than a host id; otherwise the host id.
  const named = displayName !== hostId ? await devicesNamed(client, displayName) : [];
  const inputs: DistributionPointInputs =
    named.length === 1 && named[0].hostId === hostId ? { deviceName: displayName } : { hostId };
  if (named.length > 1)
    notes.push(`${named.length} devices are named ${JSON.stringify(displayName)}: declared by host id`);
  inputs.scopeGroups = scopeGroups
    .map((g) => g.path ?? g.id)
    .sort((a, b) => String(a).localeCompare(String(b)));
  inputs.scopeNlaNetworks = [...new Set(nlaNetworks)].sort((a, b) => a - b);
  const settings = inputs as unknown as Record<string, unknown>;
  // Like the resource: a key the server does not return counts as the schema default.
  for (const s of DP_SETTINGS) settings[s.name] = settingOf(info, s.name);
  inputs.adopt = true;
  const dp: DpEstate = { hostId, displayName, inputs, notes };
  const push = info.pushServer;
  if (push.enabled) {
    const port = push.port ?? (PUSH_SPEC.inputProperties.port.default as number);
    if (push.port === undefined) {
      notes.push(
        `its push-server port (key ${keys.dp.pushServerPort}) could not be read: declared as ${port}, which the first \`pulumi up\` writes`,
      );
    }
    dp.push = { port, remoteAddress: push.remoteAddress, adopt: true };
  }
  return dp;
}

// ---- the program ----

/**
 * The TypeScript a generated program depends on. Pulumi runs a TypeScript program with ts-node and type-checks it on
 * every run unless the tsconfig it uses says `noCheck` (docs/performance.md, "Program start"); TypeScript knows
 * that option from 5.6 on, and without a TypeScript of its own a program gets the SDK's bundled 3.8, which refuses
 * it. So the program names one, as a dependency (an install without dev dependencies still starts).
 */
export const FAST_START_TYPESCRIPT = "^5.6.0";

export interface RenderOptions {
  projectName: string;
  /** Version (or npm spec) of pulumi-ksc in package.json. */
  pulumiKscVersion: string;
  pulumiVersion: string;
  /** Add the resource option retainOnDelete: true (default). */
  retainOnDelete: boolean;
  /** The override file used to read the console, to mention in the program. */
  keyNamesFile?: string;
}

export interface RenderedResource {
  type: "DistributionPoint" | "PushServer" | "NetworkAgentPolicy";
  name: string;
  /** The console object, in words. */
  object: string;
  inputs: Record<string, unknown>;
}

export interface Program {
  files: Record<string, string>;
  resources: RenderedResource[];
  skipped: Skipped[];
  warnings: string[];
}

export function slug(text: string): string {
  const s = text
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return s || "x";
}

const RESERVED = new Set(
  "break case catch class const continue debugger default delete do else enum export extends false finally for function if import in instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface package private protected public await opts pulumi ksc".split(
    " ",
  ),
);

function camel(s: string): string {
  const parts = s.split("-").filter(Boolean);
  let name = parts.map((p, i) => (i === 0 ? p : p[0].toUpperCase() + p.slice(1))).join("");
  if (!/^[a-z_$]/i.test(name)) name = `r${name[0]?.toUpperCase() ?? ""}${name.slice(1)}`;
  return RESERVED.has(name) ? `${name}Resource` : name;
}

function unique(base: string, used: Set<string>): string {
  let name = base;
  for (let i = 2; used.has(name); i++) name = `${base}-${i}`;
  used.add(name);
  return name;
}

function uniqueVar(base: string, used: Set<string>): string {
  let name = base;
  for (let i = 2; used.has(name); i++) name = `${base}${i}`;
  used.add(name);
  return name;
}

/** A value as TypeScript source (JSON literals; object keys bare when they are identifiers). */
export function literal(v: unknown, indent = ""): string {
  if (Array.isArray(v)) return `[${v.map((x) => literal(x, indent)).join(", ")}]`;
  if (v !== null && typeof v === "object") {
    const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
    return `{ ${entries.map(([k, x]) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k)}: ${literal(x, indent)}`).join(", ")} }`;
  }
  return JSON.stringify(v);
}

function comment(text: string, indent = ""): string[] {
  // Line comments: a console name cannot end them early (a newline in a name becomes a new comment line).
  return text.split(/\r\n|[\n\r\u2028\u2029]/).map((l) => `${indent}//${l ? ` ${l}` : ""}`);
}

function resourceSource(
  varName: string,
  type: RenderedResource["type"],
  name: string,
  props: [string, string][],
  withOpts: boolean,
): string[] {
  return [
    `const ${varName} = new ksc.${type}(`,
    `  ${JSON.stringify(name)},`,
    "  {",
    ...props.map(([k, v]) => `    ${k}: ${v},`),
    "  },",
    ...(withOpts ? ["  opts,"] : []),
    ");",
  ];
}

function checkFailures(run: () => { failures: { property: string; reason: string }[] }): string | undefined {
  let failures: { property: string; reason: string }[];
  try {
    failures = run().failures;
  } catch (err) {
    if (err instanceof InputError) failures = [{ property: err.property, reason: err.reason }];
    else throw err;
  }
  return failures.length ? failures.map((f) => `${f.property}: ${f.reason}`).join("; ") : undefined;
}

/** The program's files. Every resource is run through its resource's check(); one that fails it is left out. */
export function renderProgram(estate: Estate, opts: RenderOptions): Program {
  const resources: RenderedResource[] = [];
  const skipped: Skipped[] = [...estate.skipped];
  const names = new Set<string>();
  const vars = new Set<string>();
  const body: string[] = [];

  for (const dp of estate.distributionPoints) {
    const dpWhat = `distribution point ${dp.displayName} (host id ${dp.hostId})`;
    const bad = checkFailures(() => distributionPoint.check({}, dp.inputs as Record<string, unknown>));
    if (bad) {
      skipped.push({ what: dpWhat, reason: `its settings do not pass the resource's checks (${bad})` });
      continue;
    }
    const name = unique(slug(dp.displayName), names);
    const v = uniqueVar(camel(name), vars);
    body.push(
      "",
      ...comment(`${dpWhat}, serving ${(dp.inputs.scopeGroups ?? []).join(", ") || "NLA networks only"}`),
    );
    for (const n of dp.notes) body.push(...comment(`Note: ${n}`));
    body.push(
      ...resourceSource(
        v,
        "DistributionPoint",
        name,
        Object.entries(dp.inputs).map(([k, x]) => [k, literal(x)]),
        opts.retainOnDelete,
      ),
    );
    resources.push({ type: "DistributionPoint", name, object: dpWhat, inputs: { ...dp.inputs } });
    if (dp.push) {
      const pushWhat = `push server on ${dp.displayName}`;
      const pushBad = checkFailures(() => pushServer.check({}, { hostId: dp.hostId, ...dp.push }));
      if (pushBad) {
        skipped.push({
          what: pushWhat,
          reason: `its settings do not pass the resource's checks (${pushBad})`,
        });
        continue;
      }
      const pushName = unique(`${name}-push`, names);
      const pv = uniqueVar(`${v}Push`, vars);
      body.push("", ...comment(`${pushWhat} (port ${dp.push.port}); its firewall port stays as it is`));
      body.push(
        ...resourceSource(
          pv,
          "PushServer",
          pushName,
          [
            ["hostId", `${v}.hostId`],
            ...Object.entries(dp.push).map(([k, x]): [string, string] => [k, literal(x)]),
          ],
          opts.retainOnDelete,
        ),
      );
      resources.push({
        type: "PushServer",
        name: pushName,
        object: pushWhat,
        inputs: { hostId: dp.hostId, ...dp.push },
      });
    }
  }

  for (const p of estate.policies) {
    const what = `Network Agent policy "${p.inputs.name}" (id ${p.id}) of group "${p.groupPath}"`;
    const bad = checkFailures(() =>
      networkAgentPolicy.check({}, p.inputs as unknown as Record<string, unknown>),
    );
    if (bad) {
      skipped.push({ what, reason: `its settings do not pass the resource's checks (${bad})` });
      continue;
    }
    const groupPart = p.groupPath.split("/").slice(1).join("-") || p.groupPath;
    const name = unique(`${slug(groupPart)}-${slug(p.inputs.name)}`, names);
    const v = uniqueVar(camel(name), vars);
    body.push("", ...comment(what));
    for (const n of p.notes) body.push(...comment(`Note: ${n}`));
    body.push(
      ...resourceSource(
        v,
        "NetworkAgentPolicy",
        name,
        Object.entries(p.inputs).map(([k, x]) => [k, literal(x)]),
        opts.retainOnDelete,
      ),
    );
    resources.push({ type: "NetworkAgentPolicy", name, object: what, inputs: { ...p.inputs } });
  }

  const header = [
    ...comment(
      [
        `Generated by \`pulumi-ksc generate\` from ${estate.server} at ${estate.readAt}`,
        `for the groups ${estate.groups.map((g) => JSON.stringify(g.path)).join(", ")}.`,
        "",
        "Every resource declares the settings the console had, with adopt: true, so the first `pulumi up` takes the",
        "objects over without changing them and `pulumi preview` afterwards shows no changes.",
        ...(opts.keyNamesFile
          ? [`The console was read with the key names of ${opts.keyNamesFile}: set ksc:keyNamesFile to it.`]
          : []),
        ...(opts.retainOnDelete
          ? [
              "retainOnDelete: removing a resource from this program (or `pulumi destroy`) leaves the object in the console.",
            ]
          : []),
        ...(skipped.length ? ["", "Not declared:", ...skipped.map((s) => `- ${s.what}: ${s.reason}`)] : []),
      ].join("\n"),
    ),
  ];
  const imports = [
    ...(opts.retainOnDelete ? ['import * as pulumi from "@pulumi/pulumi";'] : []),
    'import * as ksc from "pulumi-ksc";',
  ];
  const optsDecl = opts.retainOnDelete
    ? ["", "const opts: pulumi.CustomResourceOptions = { retainOnDelete: true };"]
    : [];
  const empty =
    resources.length === 0
      ? [
          "",
          "// Nothing to declare: no distribution point or policy of these groups was found.",
          "export {};",
        ]
      : [];
  const index = [...header, ...imports, ...optsDecl, ...body, ...empty, ""].join("\n");

  const description = `KSC distribution points, push servers and Network Agent policies of ${estate.groups.map((g) => g.path).join(", ")}, taken over from ${estate.server}`;
  const files: Record<string, string> = {
    "index.ts": index,
    "Pulumi.yaml": [
      `name: ${opts.projectName}`,
      `description: ${JSON.stringify(description)}`,
      "runtime:",
      "  name: nodejs",
      "  options:",
      "    typescript: true",
      "    # Compiled without type checking, which starts the program faster; `npm run check` type-checks it.",
      "    tsconfig: tsconfig.pulumi.json",
      "",
    ].join("\n"),
    "package.json": `${JSON.stringify(
      {
        name: opts.projectName,
        private: true,
        main: "index.ts",
        scripts: { check: "tsc --noEmit" },
        dependencies: {
          "@pulumi/pulumi": opts.pulumiVersion,
          "pulumi-ksc": opts.pulumiKscVersion,
          typescript: FAST_START_TYPESCRIPT,
        },
      },
      null,
      2,
    )}\n`,
    "tsconfig.json": `${JSON.stringify(
      {
        compilerOptions: {
          strict: true,
          outDir: "bin",
          target: "es2020",
          module: "commonjs",
          moduleResolution: "node",
          esModuleInterop: true,
          skipLibCheck: true,
          sourceMap: true,
          forceConsistentCasingInFileNames: true,
        },
        files: ["index.ts"],
      },
      null,
      2,
    )}\n`,
    // What Pulumi compiles the program with (Pulumi.yaml: tsconfig): the same, without type checking.
    "tsconfig.pulumi.json": `${JSON.stringify({ extends: "./tsconfig.json", compilerOptions: { noCheck: true } }, null, 2)}\n`,
  };
  return { files, resources, skipped, warnings: estate.warnings };
}

/** This package's directory (its package.json), whether it runs from the repository or installed. */
const PACKAGE_DIR = path.join(__dirname, "..", "..");

function readVersion(packageJson: string): string {
  return (JSON.parse(fs.readFileSync(packageJson, "utf8")) as { version: string }).version;
}

/**
 * This package's version, and the version of the @pulumi/pulumi it runs with: the generated program depends on
 * exactly that one, which is known to work with this pulumi-ksc on this Node.js, and satisfies pulumi-ksc's own
 * range, so the program holds one SDK.
 */
export function packageVersions(): { pulumiKsc: string; pulumi: string } {
  const sdk = require.resolve("@pulumi/pulumi/package.json", { paths: [PACKAGE_DIR] });
  return { pulumiKsc: readVersion(path.join(PACKAGE_DIR, "package.json")), pulumi: readVersion(sdk) };
}

/**
 * What a generated package.json names as pulumi-ksc by default: a copy of this package next to the program
 * (bundlePackage), so that `npm install` there installs it as written, offline and without a registry. pulumi-ksc
 * is not published to a registry, so a bare version would not resolve (or would find someone else's package).
 */
export function bundledSpec(version: string): string {
  return `file:pulumi-ksc-${version}.tgz`;
}

/**
 * Writes the tarball of bundledSpec into `dir` with `npm pack` of this package's directory (scripts off: an
 * installed package has no sources to build). Returns its file name.
 */
export function bundlePackage(dir: string, packageDir: string = PACKAGE_DIR): string {
  const expected = bundledSpec(readVersion(path.join(packageDir, "package.json"))).slice("file:".length);
  let out: string;
  try {
    out = execFileSync("npm", ["pack", packageDir, "--pack-destination", dir, "--ignore-scripts", "--json"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
  } catch (err) {
    const said = ((err as { stderr?: string }).stderr ?? "")
      .split("\n")
      .map((l) => l.replace(/^npm error\s*/, "").trim())
      .filter((l) => l !== "" && !l.startsWith("A complete log"));
    const detail = said.length > 0 ? said.join("; ") : (err as Error).message;
    throw new Error(
      `could not write ${expected} into ${dir} with \`npm pack ${packageDir}\` (${detail}); ` +
        "give the dependency with --pulumi-ksc-version SPEC instead",
    );
  }
  const written = (JSON.parse(out) as { filename: string }[])[0]?.filename;
  if (written !== expected) throw new Error(`npm pack wrote ${String(written)}, expected ${expected}`);
  return written;
}

/** Write the files into `dir`; an existing non-empty directory needs `force` (and only these files are replaced). */
export function writeProgram(dir: string, program: Program, force: boolean): string[] {
  if (fs.existsSync(dir)) {
    if (!fs.statSync(dir).isDirectory()) throw new UsageError(`--out ${dir} exists and is not a directory`);
    const clash = Object.keys(program.files).filter((f) => fs.existsSync(path.join(dir, f)));
    if (clash.length > 0 && !force) {
      throw new UsageError(
        `--out ${dir} already holds ${clash.join(", ")}: choose an empty directory, or add --force to replace them`,
      );
    }
  }
  fs.mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  for (const [name, text] of Object.entries(program.files)) {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    written.push(file);
  }
  return written;
}
