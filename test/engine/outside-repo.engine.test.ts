// A user's own project outside this repository, as README.md "Use it in your own project" describes it:
//
// 1. `npm pack` of provider/ from a clean copy of the sources (no dist/, as in a fresh clone) gives a tarball with
//    the built code, its typings, README.md and LICENSE, and declares its runtime dependencies as ranges.
// 2. A new program in a temporary folder (os.tmpdir()) installs that tarball with npm (--prefer-offline), holds one
//    @pulumi/pulumi, and `pulumi up` against the emulator makes the DP, its push server and the policy; state goes
//    to a file backend of the user's choosing.
// 3. `pulumi-ksc generate`, run from the installed package, writes a program whose package.json installs as written.
// 4. `pulumi destroy` leaves the console's distribution points and policies as they were.
//
// Nothing here resolves from the repository's node_modules: the program's packages are its own.
import { execFile } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { kscConfig, startConsole, stopConsole, type Console } from "../support/lifecycle";
import { expectSuccess, repoRoot, runPulumi, TestStack, testStackPrefix } from "../../tools/engine";
import type { ConsoleSnapshot } from "../support/raw-ksc";

jest.setTimeout(15 * 60 * 1000);

const GROUP = "Managed devices/Branch Milan";
const POLICY = "Network Agent - push server";

let tmp: string;
let tarball: string;
let program: string;
let console_: Console;
let stack: TestStack;
let before: ConsoleSnapshot;

/** Runs a command; resolves with its output, rejects (with the output) on a non-zero exit. */
function run(
  file: string,
  args: string[],
  opts: { cwd: string; env?: NodeJS.ProcessEnv },
): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { ...opts, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) =>
      err
        ? reject(new Error(`${file} ${args.join(" ")} failed: ${err.message}\n${stdout}\n${stderr}`))
        : resolve({ stdout, stderr }),
    );
  });
}

/** `npm install` as a user would, but from the local cache where it can (the registry is asked only when needed). */
function npmInstall(cwd: string, args: string[] = []): Promise<{ stdout: string; stderr: string }> {
  return run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", ...args], { cwd });
}

function versionOf(pkg: string): string {
  return (
    JSON.parse(fs.readFileSync(path.join(repoRoot, "node_modules", pkg, "package.json"), "utf8")) as {
      version: string;
    }
  ).version;
}

function write(dir: string, files: Record<string, string>): void {
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
}

function kscOf(snapshot: ConsoleSnapshot): Pick<ConsoleSnapshot, "distributionPoints" | "policies"> {
  return { distributionPoints: snapshot.distributionPoints, policies: snapshot.policies };
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-ksc-outside-"));
  console_ = await startConsole({ tls: true });
  before = await console_.ksc.snapshot();
});

afterAll(async () => {
  try {
    if (stack) await stack.dispose();
  } finally {
    await stopConsole(console_);
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  }
});

test("1. npm pack from a clean copy of the sources: built code, typings, README, LICENSE; dependencies as ranges", async () => {
  // The files of a fresh clone that packing needs; node_modules as after `npm ci`.
  const clone = path.join(tmp, "clone");
  fs.mkdirSync(path.join(clone, "provider"), { recursive: true });
  for (const f of ["tsconfig.base.json", "README.md", "LICENSE"]) {
    fs.copyFileSync(path.join(repoRoot, f), path.join(clone, f));
  }
  for (const f of ["package.json", "tsconfig.json"]) {
    fs.copyFileSync(path.join(repoRoot, "provider", f), path.join(clone, "provider", f));
  }
  fs.cpSync(path.join(repoRoot, "provider", "src"), path.join(clone, "provider", "src"), { recursive: true });
  fs.symlinkSync(path.join(repoRoot, "node_modules"), path.join(clone, "node_modules"));
  if (fs.existsSync(path.join(repoRoot, "provider", "node_modules"))) {
    fs.symlinkSync(
      path.join(repoRoot, "provider", "node_modules"),
      path.join(clone, "provider", "node_modules"),
    );
  }
  expect(fs.existsSync(path.join(clone, "provider", "dist"))).toBe(false);

  await run("npm", ["pack", "--pack-destination", tmp], { cwd: path.join(clone, "provider") });
  const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, "provider", "package.json"), "utf8")) as {
    version: string;
  };
  tarball = path.join(tmp, `pulumi-ksc-${manifest.version}.tgz`);
  const files = (await run("tar", ["tzf", tarball], { cwd: tmp })).stdout.trim().split("\n");
  expect(files).toEqual(
    expect.arrayContaining([
      "package/package.json",
      "package/README.md",
      "package/LICENSE",
      "package/dist/index.js",
      "package/dist/index.d.ts",
      "package/dist/cli/main.js",
      "package/dist/pulumi/dp.js",
    ]),
  );
  expect(
    files.filter((f) => !/^package\/(package\.json|README\.md|LICENSE|dist\/.*\.(js|d\.ts))$/.test(f)),
  ).toEqual([]);
  expect(files.filter((f) => /\.test\.|\/testing\//.test(f))).toEqual([]);
  // After packing, the copies of README.md and LICENSE are gone from provider/ again.
  expect(
    fs.readdirSync(path.join(clone, "provider")).filter((f) => ["README.md", "LICENSE"].includes(f)),
  ).toEqual([]);

  const unpacked = path.join(tmp, "unpacked");
  fs.mkdirSync(unpacked);
  await run("tar", ["xzf", tarball, "-C", unpacked], { cwd: tmp });
  expect(fs.readFileSync(path.join(unpacked, "package", "LICENSE"), "utf8")).toMatch(
    /Apache License\s+Version 2\.0, January 2004/,
  );
  const packed = JSON.parse(fs.readFileSync(path.join(unpacked, "package", "package.json"), "utf8")) as {
    license: string;
    dependencies: Record<string, string>;
  };
  expect(packed.license).toBe("Apache-2.0");
  expect(Object.entries(packed.dependencies).filter(([, spec]) => !/^\^\d+\.\d+\.\d+$/.test(spec))).toEqual(
    [],
  );
});

test("2. a program in a folder of its own installs the tarball and `pulumi up` makes the console objects", async () => {
  expect(tarball).toBeDefined();
  program = path.join(tmp, "my-ksc");
  write(program, {
    "package.json": JSON.stringify({ name: "my-ksc", private: true, main: "index.ts" }, null, 2),
    "Pulumi.yaml": "name: my-ksc\nruntime:\n  name: nodejs\n  options:\n    typescript: true\n",
    "index.ts": [
      'import * as ksc from "pulumi-ksc";',
      "",
      `const dp = new ksc.DistributionPoint("milan-dp", { deviceName: "milan-dp-01", scopeGroups: [${JSON.stringify(GROUP)}] });`,
      'const push = new ksc.PushServer("milan-push", { hostId: dp.hostId, port: 13297 });',
      "new ksc.NetworkAgentPolicy(",
      '  "milan-agents",',
      `  { group: ${JSON.stringify(GROUP)}, name: ${JSON.stringify(POLICY)}, forceConnectionThroughDp: { value: true, locked: true } },`,
      "  { dependsOn: [push] },",
      ");",
      "export const hostId = dp.hostId;",
      "",
    ].join("\n"),
  });
  // As README.md says: the tarball and the SDK (the version this repository uses, so npm finds it in its cache).
  await npmInstall(program, [tarball, `@pulumi/pulumi@${versionOf("@pulumi/pulumi")}`]);
  const deps = (
    JSON.parse(fs.readFileSync(path.join(program, "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
    }
  ).dependencies;
  expect(deps["pulumi-ksc"]).toBe(`file:${path.relative(program, tarball)}`);
  // One SDK: pulumi-ksc's range accepts the program's own @pulumi/pulumi.
  expect(
    fs.existsSync(path.join(program, "node_modules", "pulumi-ksc", "node_modules", "@pulumi", "pulumi")),
  ).toBe(false);

  // The state: a file backend the user picks (here beside the program), not this repository's .pulumi-state.
  const stateDir = path.join(tmp, "state");
  fs.mkdirSync(stateDir);
  const env = { PULUMI_BACKEND_URL: `file://${stateDir}` };
  const name = `${testStackPrefix}${crypto.randomBytes(5).toString("hex")}`;
  expectSuccess(await runPulumi(["stack", "init", name, "--no-select"], { cwd: program, env }));
  stack = new TestStack(name, program, stateDir, env);
  for (const [key, entry] of Object.entries(kscConfig(console_.emu))) {
    const { value, secret } = typeof entry === "string" ? { value: entry, secret: false } : entry;
    await stack.setConfig(key, value, { secret });
  }

  expectSuccess(await stack.up());
  expect(fs.readdirSync(path.join(stateDir, ".pulumi", "stacks", "my-ksc"))).toContain(`${name}.json`);
  const after = await console_.ksc.snapshot();
  expect(after.distributionPoints).toContainEqual(
    expect.objectContaining({
      device: "milan-dp-01",
      scope: [GROUP],
      pushServer: expect.objectContaining({ port: 13297 }),
    }),
  );
  expect(after.policies).toContainEqual(expect.objectContaining({ name: POLICY, group: GROUP }));
  expect((await stack.preview(["--expect-no-changes"])).code).toBe(0);
});

test("3. `pulumi-ksc generate` from the installed package writes a program that installs as written", async () => {
  expect(stack).toBeDefined();
  const estate = path.join(tmp, "estate");
  const emu = console_.emu;
  await run(
    path.join(program, "node_modules", ".bin", "pulumi-ksc"),
    ["generate", "--group", GROUP, "--out", estate, "--json"],
    {
      cwd: program,
      env: {
        ...process.env,
        KSC_SERVER_URL: emu.url,
        KSC_USER: emu.credentials.user,
        KSC_PASSWORD: emu.credentials.password,
        ...(emu.caFile ? { KSC_CA_CERT: emu.caFile } : {}),
      },
    },
  );
  const manifest = JSON.parse(fs.readFileSync(path.join(estate, "package.json"), "utf8")) as {
    dependencies: Record<string, string>;
  };
  expect(manifest.dependencies["pulumi-ksc"]).toBe(`file:${path.basename(tarball)}`);
  expect(fs.existsSync(path.join(estate, path.basename(tarball)))).toBe(true);

  await npmInstall(estate);
  const loaded = await run(
    "node",
    ["-e", 'console.log(Object.keys(require("pulumi-ksc")).sort().join(","))'],
    {
      cwd: estate,
    },
  );
  expect(loaded.stdout.trim().split(",")).toEqual(
    expect.arrayContaining(["DistributionPoint", "NetworkAgentPolicy", "PushServer"]),
  );
});

test("4. `pulumi destroy` returns the console's distribution points and policies to what they were", async () => {
  expect(stack).toBeDefined();
  expectSuccess(await stack.destroy());
  expect(kscOf(await console_.ksc.snapshot())).toEqual(kscOf(before));
});
