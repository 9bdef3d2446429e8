// `PULUMI_CLI=<an installed pulumi> make pulumi`: the installed CLI ships its own pulumi-resource-pulumi-nodejs next
// to itself. The engine warns "using pulumi-resource-pulumi-nodejs from $PATH at … expected …" on every plugin load
// when the plugin found first on PATH (bin/) is not, symlinks resolved, that file (build.sh, step 3). These runs
// must show no such warning; the last test shows that they would with bin/ holding @pulumi/pulumi's copy, as
// before.
//
// The "installed CLI" is a directory of its own holding our pinned binary (a hard link) and the plugin script, as
// a release archive does; build.sh fills a temporary bin/ (PULUMI_KSC_BIN), so the repository's bin/ is untouched.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { expectSuccess, newStack, offlineEnv, repoRoot, type PulumiResult, type TestStack } from "../engine";

jest.setTimeout(10 * 60 * 1000);

const PLUGIN = "pulumi-resource-pulumi-nodejs";
const SDK_PLUGIN = path.join(repoRoot, "node_modules", "@pulumi", "pulumi", PLUGIN);
const AMBIENT_WARNING = /using pulumi-resource-pulumi-nodejs from \$PATH/;

let dir: string;
let installed: string;
let bin: string;
let stack: TestStack;

function output(r: PulumiResult): string {
  return `${r.stdout}${r.stderr}`;
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-ksc-installed-cli-"));
  installed = path.join(dir, "pulumi", "bin");
  bin = path.join(dir, "bin");
  fs.mkdirSync(installed, { recursive: true });
  fs.mkdirSync(bin);
  const cli = fs.realpathSync(path.join(repoRoot, "bin", "pulumi"));
  try {
    fs.linkSync(cli, path.join(installed, "pulumi"));
  } catch {
    fs.copyFileSync(cli, path.join(installed, "pulumi"));
    fs.chmodSync(path.join(installed, "pulumi"), 0o755);
  }
  fs.copyFileSync(SDK_PLUGIN, path.join(installed, PLUGIN));
  fs.chmodSync(path.join(installed, PLUGIN), 0o755);

  const said = execFileSync(path.join(repoRoot, "tools", "pulumi-cli", "build.sh"), {
    // GOPROXY=off: the language-host probe fails at once instead of asking the network.
    env: { ...process.env, PULUMI_CLI: path.join(installed, "pulumi"), PULUMI_KSC_BIN: bin, GOPROXY: "off" },
    encoding: "utf8",
  });
  expect(said).toContain(`linked bin/${PLUGIN} -> ${installed}/${PLUGIN} (the CLI's own)`);

  // The offline environment, with this bin/ first on PATH and its CLI run by pulumi-ksc-run.
  stack = await newStack(path.join(repoRoot, "test", "engine", "smoke"), {
    config: { message: "hello" },
    env: { PATH: `${bin}:${offlineEnv().PATH ?? ""}`, PULUMI_KSC_CLI: path.join(bin, "pulumi") },
  });
});

afterAll(async () => {
  await stack?.dispose();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test("with an installed CLI linked into bin/, up, preview, refresh and destroy print no plugin warning", async () => {
  for (const r of [
    await stack.up(),
    await stack.preview(["--expect-no-changes"]),
    await stack.refresh(),
    await stack.destroy(),
  ]) {
    expectSuccess(r);
    expect(output(r)).not.toMatch(AMBIENT_WARNING);
    expect(output(r)).not.toMatch(/warning/i);
  }
});

test("the check can fail: with @pulumi/pulumi's copy in bin/ (as before), the same preview warns", async () => {
  fs.rmSync(path.join(bin, PLUGIN));
  fs.symlinkSync(SDK_PLUGIN, path.join(bin, PLUGIN));
  const r = expectSuccess(await stack.preview());
  expect(output(r)).toMatch(AMBIENT_WARNING);
});
