// The README's shell quick-start on a fresh clone, where .pulumi-state/ does not exist yet:
//
//   source scripts/pulumi-env.sh
//   cd <project> && pulumi-ksc-run stack init dev && pulumi-ksc-run up
//
// The "clone" is a temporary root holding this script, tools/engine/offline.env and bin/ (a link to ours), so the
// environment's state directory and PULUMI_HOME are its own and start missing; the project is test/engine/smoke.
import { spawnSync } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { repoRoot, testStackPrefix } from "../tools/engine";

jest.setTimeout(5 * 60 * 1000);

const PROJECT = path.join(repoRoot, "test", "engine", "smoke");

let clone: string;
const stack = `${testStackPrefix}quickstart-${crypto.randomBytes(4).toString("hex")}`;

/** Runs a bash script in a clean environment: none of the caller's PULUMI_* settings (`?=` would keep them). */
function bash(script: string): { code: number; stdout: string; output: string } {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("PULUMI_")));
  const r = spawnSync(
    "bash",
    ["-c", `set -e\nsource "${clone}/scripts/pulumi-env.sh"\ncd "${PROJECT}"\n${script}`],
    {
      env,
      encoding: "utf8",
    },
  );
  return { code: r.status ?? 1, stdout: r.stdout, output: `${r.stdout}${r.stderr}` };
}

beforeAll(() => {
  clone = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-ksc-fresh-clone-"));
  fs.mkdirSync(path.join(clone, "scripts"));
  fs.mkdirSync(path.join(clone, "tools", "engine"), { recursive: true });
  fs.copyFileSync(
    path.join(repoRoot, "scripts", "pulumi-env.sh"),
    path.join(clone, "scripts", "pulumi-env.sh"),
  );
  fs.copyFileSync(
    path.join(repoRoot, "tools", "engine", "offline.env"),
    path.join(clone, "tools", "engine", "offline.env"),
  );
  fs.symlinkSync(path.join(repoRoot, "bin"), path.join(clone, "bin"));
});

afterAll(() => {
  if (!clone) return;
  bash(
    `pulumi-ksc-run destroy --stack ${stack} || true\npulumi-ksc-run stack rm --yes --force ${stack} || true`,
  );
  fs.rmSync(path.join(PROJECT, `Pulumi.${stack}.yaml`), { force: true });
  fs.rmSync(clone, { recursive: true, force: true });
});

test("`source scripts/pulumi-env.sh`, then `stack init` and `up` work without any state directory made by hand", () => {
  expect(fs.existsSync(path.join(clone, ".pulumi-state"))).toBe(false);
  const r = bash(
    [
      `pulumi-ksc-run stack init ${stack}`,
      "pulumi-ksc-run config set message hello",
      "pulumi-ksc-run up",
      "pulumi-ksc-run stack output message",
    ].join("\n"),
  );
  expect(r.output).not.toMatch(/unable to open state directory/);
  expect(r.code).toBe(0);
  expect(r.stdout.trim().split("\n").pop()).toBe("hello");
  // The state is where the environment says: the clone's own .pulumi-state/.
  expect(
    fs.existsSync(
      path.join(clone, ".pulumi-state", ".pulumi", "stacks", "ksc-engine-smoke", `${stack}.json`),
    ),
  ).toBe(true);
});
