import { execFileSync } from "child_process";
import * as path from "path";
import { applyEnvRules, offlineEnv, parseEnvDefinition, repoRoot } from "./env";

describe("offline.env parsing", () => {
  const rules = parseEnvDefinition(
    ["# comment", "", "PATH={root}/bin:{PATH}", "A=1", "B?=file://{root}/s", "-C"].join("\n"),
  );

  test("set, set-unless-given and unset lines", () => {
    expect(rules).toEqual([
      { kind: "set", name: "PATH", value: "{root}/bin:{PATH}", keepCallerValue: false },
      { kind: "set", name: "A", value: "1", keepCallerValue: false },
      { kind: "set", name: "B", value: "file://{root}/s", keepCallerValue: true },
      { kind: "unset", name: "C" },
    ]);
  });

  test("hermetic application ignores the caller's values", () => {
    const env = applyEnvRules(
      rules,
      { PATH: "/usr/bin", B: "mine", C: "x", D: "kept" },
      { root: "/r", keepCallerValues: false },
    );
    expect(env).toEqual({ PATH: "/r/bin:/usr/bin", A: "1", B: "file:///r/s", D: "kept" });
  });

  test("`?=` keeps a caller's value when asked", () => {
    const env = applyEnvRules(rules, { PATH: "/usr/bin", B: "mine" }, { root: "/r", keepCallerValues: true });
    expect(env.B).toBe("mine");
  });

  test("a line without = is rejected", () => {
    expect(() => parseEnvDefinition("JUSTANAME")).toThrow(/cannot parse/);
  });
});

describe("the one offline environment", () => {
  const base = { PATH: "/usr/bin:/bin", HOME: "/home/u", PULUMI_ACCESS_TOKEN: "pul-secret" };

  test("tests get the project's bin first, a file backend and home inside the project, and no token", () => {
    const env = offlineEnv({ base });
    expect(env.PATH).toBe(`${path.join(repoRoot, "bin")}:/usr/bin:/bin`);
    expect(env.PULUMI_HOME).toBe(path.join(repoRoot, ".pulumi-home"));
    expect(env.PULUMI_BACKEND_URL).toBe(`file://${path.join(repoRoot, ".pulumi-state")}`);
    expect(env.PULUMI_SKIP_UPDATE_CHECK).toBe("true");
    expect(env.PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION).toBe("true");
    expect(env.PULUMI_CONFIG_PASSPHRASE).toEqual(expect.any(String));
    expect(env.PULUMI_ACCESS_TOKEN).toBeUndefined();
  });

  test("scripts/pulumi-env.sh (the Makefile's form) produces the same variables", () => {
    const out = execFileSync(path.join(repoRoot, "scripts", "pulumi-env.sh"), ["env"], {
      env: base,
      encoding: "utf8",
    });
    const fromShell = Object.fromEntries(
      out
        .split("\n")
        .filter((l) => l.startsWith("PULUMI_") || l.startsWith("PATH="))
        .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
    );
    const fromTs = Object.fromEntries(
      Object.entries(offlineEnv({ base, keepCallerValues: true })).filter(
        ([k]) => k.startsWith("PULUMI_") || k === "PATH",
      ),
    );
    expect(fromShell).toEqual(fromTs);
  });
});
