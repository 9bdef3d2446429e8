// The commands of `pulumi-ksc`: argument handling, output for people and for machines (--json), help texts.
// The work itself is in snapshot.ts, diff.ts, guided.ts (+ match.ts) and generate.ts.
import * as path from "path";
import { GroupDirectory } from "../resources/groups";
import { OptionSpec, ParsedArgs, parseArgs } from "./args";
import { CONNECTION_HELP, CONNECTION_OPTIONS, withConnection } from "./connect";
import { changesJson, diffSnapshots, renderChanges } from "./diff";
import { EXIT, EXIT_CODES_HELP, UsageError } from "./exitCodes";
import {
  bundlePackage,
  bundledSpec,
  packageVersions,
  readEstate,
  renderProgram,
  slug,
  writeProgram,
} from "./generate";
import { GuidedOptions, runGuided } from "./guided";
import { CliIo, terminalPrompter } from "./io";
import { listDevices } from "./devices";
import { deviceByName, resolveGroups } from "./lookup";
import { makeStyle, Style, table, useColour } from "./output";
import { readSnapshotFile, takeSnapshot, writeJsonFile } from "./snapshot";

export const MAIN_HELP = `pulumi-ksc — onboard a Kaspersky Security Center console to pulumi-ksc

Usage:
  pulumi-ksc probe snapshot [--device NAME | --host-id ID] [--group PATH|ID]… --out FILE
  pulumi-ksc probe diff A.json B.json [--json]
  pulumi-ksc probe guided [--device NAME] [--group PATH] [--out keynames.json] [--yes]
  pulumi-ksc generate --group PATH|ID [--group …] --out DIR
  pulumi-ksc devices [--group PATH|ID]… [--json]

Commands:
  probe snapshot   save everything that can hold the push-server settings to a JSON file (read-only)
  probe diff       show, key by key, what changed between two snapshots
  probe guided     walk through the discovery of the real key names and write the override file
  generate         write a Pulumi program that adopts the DPs, push servers and policies of groups
  devices          list the managed devices that can become distribution points (name, host id, group, DP)

Run \`pulumi-ksc <command> --help\` for a command's options.

${EXIT_CODES_HELP}`;

const PROBE_HELP = `Usage: pulumi-ksc probe <snapshot|diff|guided> [options]

  snapshot   save everything that can hold the push-server settings to a JSON file (read-only)
  diff       show, key by key, what changed between two snapshots
  guided     walk through the discovery of the real key names and write the override file

The names KSC uses for "Run push server", "Push server port", "Do not disconnect from the Administration
Server" and the Network Agent network settings are not publicly documented; pulumi-ksc ships names from public
evidence for some (KLHST_WKS_KEEP_CONNECTION, section 86 with OpenUdpPort and Nagentports) and placeholders
(PROPOSED_…) for the rest. \`probe guided\` finds the real ones on your server in a few minutes and says which
defaults it confirmed or corrected.

${EXIT_CODES_HELP}`;

const SNAPSHOT_HELP = `Usage: pulumi-ksc probe snapshot [options] --out FILE

Saves, read-only: the default DP registration info, the full settings of every distribution point (or of
one), the attributes of the DP hosts, and every section of the Network Agent policies of the groups.

Options:
  --out FILE         where to write the snapshot (JSON)                                   (required)
  --device NAME      only this distribution point (display name or FQDN)
  --host-id ID       only this distribution point (host id, KLHST_WKS_HOSTNAME)
  --group PATH|ID    whose own Network Agent policies to read; repeatable (default: Managed devices)
  --attr NAME        another host attribute to read; repeatable
  --json             print a summary as JSON
  -h, --help

${CONNECTION_HELP}

${EXIT_CODES_HELP}`;

const DIFF_HELP = `Usage: pulumi-ksc probe diff A.json B.json [--json]

Shows what was added, removed or changed from snapshot A to snapshot B, key by key, with paths and
old/new values. Toggle one option in the console between two snapshots and its key is what changed.

Options:
  --json       print {"changes": [{kind, path, pathText, old, new}]}
  -h, --help

${EXIT_CODES_HELP}`;

const GUIDED_HELP = `Usage: pulumi-ksc probe guided [options]

Walks you through the discovery procedure: for each step it asks for one change in the console
("tick Run push server on DP X, set the port to 13297, save, then press Enter"), reads the console
before and after, and matches what changed to the setting. A step that shows no change, or an
ambiguous one, is reported, never guessed. Then it shows the key-name override file and asks before
writing it (the file is merged into an existing one). It never writes to the server.

Options:
  --device NAME          the distribution point to use (needed when there are several)
  --host-id ID           the same, by host id
  --group PATH|ID        the group whose Network Agent policy to use (default: Managed devices)
  --policy ID            the policy, when the group has several
  --out FILE             the override file to write (default: keynames.json)
  --yes                  write without asking
  --push-port N          the push-server port to ask for (default 13297; must differ from the current one)
  --udp-port N           the UDP port to ask for (default 15007; must differ from the current one)
  --remote-address TEXT  the push "Address for remote hosts" to ask for (default push-probe.example.test)
  --snapshots DIR        keep every snapshot taken during the walk
  --attr NAME            another host attribute to read; repeatable
  --json                 print the result as JSON (prompts go to stderr)
  -h, --help

${CONNECTION_HELP}

${EXIT_CODES_HELP}`;

const GENERATE_HELP = `Usage: pulumi-ksc generate --group PATH|ID [--group …] --out DIR [options]

Reads from the console the distribution points whose scope includes the groups (or their subgroups),
their push servers, and the groups' own Network Agent policies, and writes a Pulumi TypeScript program
(index.ts, Pulumi.yaml, package.json, tsconfig.json) declaring them with adopt: true and exactly the
settings they have: the first \`pulumi up\` takes them over without changing anything, and
\`pulumi preview\` afterwards shows no changes. Objects that cannot be declared that way are listed.

Options:
  --group PATH|ID           a group to take over; repeatable                            (required)
  --out DIR                 the program's directory                                     (required)
  --name NAME               the Pulumi project name (default: from DIR)
  --force                   replace these files in a non-empty DIR
  --no-retain               leave out the retainOnDelete resource option
  --pulumi-ksc-version SPEC the pulumi-ksc dependency in package.json (default: a copy of this package,
                            pulumi-ksc-<version>.tgz, written into DIR; e.g. "^0.1.0" once it is published)
  --json                    print the result as JSON
  -h, --help

${CONNECTION_HELP}

${EXIT_CODES_HELP}`;

const DEVICES_HELP = `Usage: pulumi-ksc devices [--group PATH|ID]… [--json]

Lists the managed devices, which are the devices that can become distribution points: their display name
(what a DistributionPoint's deviceName matches, as does the FQDN), host id (its hostId), FQDN, administration
group, and whether each one already is a distribution point. Devices that are not under "Managed devices"
(unassigned) are not listed: KSC makes only managed devices distribution points. Read-only.

Options:
  --group PATH|ID    only the devices of this group and its subgroups; repeatable (a trailing / is fine)
  --json             print [{name, hostId, fqdn, group, groupId, distributionPoint}]
  -h, --help

${CONNECTION_HELP}

${EXIT_CODES_HELP}`;

type Command = (argv: string[], io: CliIo) => Promise<number>;

function options(spec: OptionSpec, withConnection = false): OptionSpec {
  return { help: "flag", json: "flag", ...spec, ...(withConnection ? CONNECTION_OPTIONS : {}) };
}

function styleFor(io: CliIo): Style {
  return makeStyle(useColour(io.stdoutIsTty, io.env));
}

function required(args: ParsedArgs, name: string): string {
  const v = args.one(name);
  if (v === undefined || v === "") throw new UsageError(`--${name} is required (see --help)`);
  return v;
}

function noPositionals(args: ParsedArgs): void {
  if (args.positionals.length > 0)
    throw new UsageError(`unexpected argument ${JSON.stringify(args.positionals[0])}`);
}

const snapshot: Command = async (argv, io) => {
  const args = parseArgs(
    argv,
    options({ out: "value", device: "value", "host-id": "value", group: "multi", attr: "multi" }, true),
  );
  if (args.has("help")) return help(io, SNAPSHOT_HELP);
  noPositionals(args);
  const out = path.resolve(io.cwd, required(args, "out"));
  if (args.has("device") && args.has("host-id")) throw new UsageError("give --device or --host-id, not both");
  return withConnection(args, io, async ({ client, keyNames }) => {
    const dir = new GroupDirectory(client);
    const groups = args.all("group").length
      ? await resolveGroups(dir, args.all("group"))
      : [await dir.root()];
    const device = args.one("device");
    const hostId =
      args.one("host-id") ?? (device !== undefined ? (await deviceByName(client, device)).hostId : undefined);
    const s = await takeSnapshot(client, keyNames, { hostId, groups, extraHostAttributes: args.all("attr") });
    writeJsonFile(out, s);
    const summary = {
      file: out,
      distributionPoints: Object.keys(s.data.distributionPoints).length,
      hosts: Object.keys(s.data.hosts).length,
      policies: Object.keys(s.data.policies).length,
      sections: Object.values(s.data.policies).reduce((n, p) => n + Object.keys(p.sections).length, 0),
      notes: s.notes,
    };
    if (args.has("json")) io.out(JSON.stringify(summary, null, 2));
    else {
      const style = styleFor(io);
      io.out(
        `Snapshot of ${s.server} written to ${out}: ${summary.distributionPoints} distribution point(s), ${summary.hosts} host(s), ${summary.policies} policy(ies) with ${summary.sections} section(s).`,
      );
      for (const n of s.notes) io.out(style.yellow(`note: ${n}`));
    }
    return EXIT.ok;
  });
};

const diff: Command = async (argv, io) => {
  const args = parseArgs(argv, options({}));
  if (args.has("help")) return help(io, DIFF_HELP);
  if (args.positionals.length !== 2)
    throw new UsageError("probe diff needs two snapshot files: pulumi-ksc probe diff A.json B.json");
  const [a, b] = args.positionals.map((f) => readSnapshotFile(path.resolve(io.cwd, f)));
  const changes = diffSnapshots(a, b);
  if (args.has("json")) io.out(JSON.stringify(changesJson(changes), null, 2));
  else io.out(renderChanges(changes, styleFor(io), { ...a.labels, ...b.labels }));
  return EXIT.ok;
};

const guided: Command = async (argv, io) => {
  const args = parseArgs(
    argv,
    options(
      {
        device: "value",
        "host-id": "value",
        group: "value",
        policy: "value",
        out: "value",
        yes: "flag",
        "push-port": "value",
        "udp-port": "value",
        "remote-address": "value",
        snapshots: "value",
        attr: "multi",
      },
      true,
    ),
  );
  if (args.has("help")) return help(io, GUIDED_HELP);
  noPositionals(args);
  if (args.has("device") && args.has("host-id")) throw new UsageError("give --device or --host-id, not both");
  const json = args.has("json");
  const say = json ? io.err : io.out;
  const style = json ? makeStyle(false) : styleFor(io);
  const snapshots = args.one("snapshots");
  const opts: GuidedOptions = {
    device: args.one("device"),
    hostId: args.one("host-id"),
    group: args.one("group"),
    policyId: args.integer("policy", 0, Number.MAX_SAFE_INTEGER),
    out: path.resolve(io.cwd, args.one("out") ?? "keynames.json"),
    yes: args.has("yes"),
    pushPort: args.integer("push-port", 1, 65535),
    udpPort: args.integer("udp-port", 1, 65535),
    remoteAddress: args.one("remote-address"),
    snapshotsDir: snapshots === undefined ? undefined : path.resolve(io.cwd, snapshots),
    extraHostAttributes: args.all("attr"),
  };
  return withConnection(args, io, async (conn) => {
    const own = io.prompter ? undefined : terminalPrompter();
    try {
      const report = await runGuided(conn, io.prompter ?? own!, say, style, opts);
      if (json) io.out(JSON.stringify(report, null, 2));
      return report.complete ? EXIT.ok : EXIT.incomplete;
    } finally {
      own?.close();
    }
  });
};

const generate: Command = async (argv, io) => {
  const args = parseArgs(
    argv,
    options(
      {
        group: "multi",
        out: "value",
        name: "value",
        force: "flag",
        "no-retain": "flag",
        "pulumi-ksc-version": "value",
      },
      true,
    ),
  );
  if (args.has("help")) return help(io, GENERATE_HELP);
  noPositionals(args);
  if (args.all("group").length === 0) throw new UsageError("--group is required (see --help)");
  const outDir = path.resolve(io.cwd, required(args, "out"));
  const projectName = args.one("name") ?? slug(path.basename(outDir));
  if (!/^[A-Za-z0-9_.-]+$/.test(projectName))
    throw new UsageError(`--name ${JSON.stringify(projectName)}: use letters, digits, "-", "_" and "." only`);
  return withConnection(args, io, async (conn) => {
    const groups = await resolveGroups(new GroupDirectory(conn.client), args.all("group"));
    const estate = await readEstate(conn, groups);
    const versions = packageVersions();
    const kscSpec = args.one("pulumi-ksc-version");
    const program = renderProgram(estate, {
      projectName,
      pulumiKscVersion: kscSpec ?? bundledSpec(versions.pulumiKsc),
      pulumiVersion: versions.pulumi,
      retainOnDelete: !args.has("no-retain"),
      keyNamesFile: conn.keyNamesFile,
    });
    const files = writeProgram(outDir, program, args.has("force"));
    if (kscSpec === undefined) files.push(path.join(outDir, bundlePackage(outDir)));
    if (args.has("json")) {
      io.out(
        JSON.stringify(
          {
            dir: outDir,
            files,
            resources: program.resources.map(({ type, name, object }) => ({ type, name, object })),
            skipped: program.skipped,
            warnings: program.warnings,
          },
          null,
          2,
        ),
      );
      return EXIT.ok;
    }
    const style = styleFor(io);
    for (const w of program.warnings) io.err(style.yellow(`warning: ${w}`));
    io.out(`Program written to ${outDir} (${files.map((f) => path.basename(f)).join(", ")}).`);
    if (program.resources.length) {
      io.out("");
      io.out(
        table(
          program.resources.map((r) => [r.type, r.name, r.object]),
          ["resource", "name", "console object"],
          style,
        ),
      );
    } else io.out(style.yellow("No distribution point or Network Agent policy of these groups was found."));
    if (program.skipped.length) {
      io.out("");
      io.out(style.yellow("Not declared:"));
      for (const s of program.skipped) io.out(`  ${s.what}: ${s.reason}`);
    }
    io.out("");
    io.out("Next:");
    io.out(`  cd ${outDir} && npm install`);
    io.out("  pulumi stack init <stack>");
    io.out(
      `  pulumi config set ksc:serverUrl ${conn.client.server}   (and ksc:user, --secret ksc:password, ksc:caCert …)`,
    );
    if (conn.keyNamesFile) io.out(`  pulumi config set ksc:keyNamesFile ${conn.keyNamesFile}`);
    io.out("  pulumi up                          # adopts: no change in the console");
    io.out("  pulumi preview --expect-no-changes");
    return EXIT.ok;
  });
};

const devices: Command = async (argv, io) => {
  const args = parseArgs(argv, options({ group: "multi" }, true));
  if (args.has("help")) return help(io, DEVICES_HELP);
  noPositionals(args);
  return withConnection(args, io, async ({ client }) => {
    const dir = new GroupDirectory(client);
    const groups = await resolveGroups(dir, args.all("group"));
    const rows = await listDevices(client, dir, groups);
    if (args.has("json")) {
      io.out(JSON.stringify(rows, null, 2));
      return EXIT.ok;
    }
    const style = styleFor(io);
    if (rows.length === 0) {
      io.out(style.yellow("No managed device found."));
      return EXIT.ok;
    }
    io.out(
      table(
        rows.map((r) => [r.name, r.hostId, r.group, r.distributionPoint ? "yes" : ""]),
        ["name", "host id", "group", "DP"],
        style,
      ),
    );
    const dps = rows.filter((r) => r.distributionPoint).length;
    io.out("");
    io.out(
      `${rows.length} managed device(s), ${dps} already distribution point(s). Declare one as ` +
        'new ksc.DistributionPoint(name, { deviceName: "<name>", scopeGroups: ["<group>"] }), or by hostId.',
    );
    return EXIT.ok;
  });
};

function help(io: CliIo, text: string): number {
  io.out(text);
  return EXIT.ok;
}

const PROBE_COMMANDS: Record<string, Command> = { snapshot, diff, guided };

/** Run the CLI; returns the exit code. Errors become messages and their exit code (exitCodes.ts). */
export async function run(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined) {
    io.err(MAIN_HELP);
    return EXIT.usage;
  }
  if (command === "--help" || command === "-h" || command === "help") return help(io, MAIN_HELP);
  if (command === "--version") {
    io.out(packageVersions().pulumiKsc);
    return EXIT.ok;
  }
  if (command === "probe") {
    const [sub, ...subArgs] = rest;
    if (sub === undefined || sub === "--help" || sub === "-h" || sub === "help") {
      if (sub === undefined) {
        io.err(PROBE_HELP);
        return EXIT.usage;
      }
      return help(io, PROBE_HELP);
    }
    const cmd = PROBE_COMMANDS[sub];
    if (!cmd) return usage(io, `unknown probe command ${JSON.stringify(sub)} (snapshot, diff, guided)`);
    return cmd(subArgs, io);
  }
  if (command === "generate") return generate(rest, io);
  if (command === "devices") return devices(rest, io);
  return usage(io, `unknown command ${JSON.stringify(command)} (probe, generate, devices; see --help)`);
}

function usage(io: CliIo, message: string): number {
  io.err(`pulumi-ksc: ${message}`);
  return EXIT.usage;
}

/** The exit code of an error (exitCodes.ts): usage and configuration errors 2, everything else 1 (the server, the
 *  network, a console the command cannot work with, a file that cannot be written). */
export function exitCodeOf(err: unknown): number {
  return err instanceof UsageError ? EXIT.usage : EXIT.failure;
}
