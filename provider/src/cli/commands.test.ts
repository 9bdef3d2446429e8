// The command line without a server: help, usage errors and their exit codes, configuration, probe diff.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { configSource, parsePulumiConfigJson } from "./connect";
import { EXIT } from "./exitCodes";
import { main } from "./main";
import { SNAPSHOT_KIND } from "./snapshot";
import { recordingIo } from "../../../test/support/cli/io";

let dir: string;
beforeAll(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-ksc-cli-"))));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function writeSnapshot(name: string, data: object): string {
  const file = path.join(dir, name);
  fs.writeFileSync(
    file,
    JSON.stringify({
      kind: SNAPSHOT_KIND,
      version: 1,
      takenAt: "t",
      server: "s",
      scope: { groups: [] },
      labels: { h1: "milan-dp-01" },
      notes: [],
      data: { defaultDpRegistrationInfo: {}, distributionPoints: {}, hosts: {}, policies: {}, ...data },
    }),
  );
  return file;
}

describe("help and usage", () => {
  test("--help of every command exits 0 and documents the exit codes", async () => {
    for (const argv of [
      ["--help"],
      ["probe", "--help"],
      ["probe", "snapshot", "--help"],
      ["probe", "diff", "-h"],
      ["probe", "guided", "--help"],
      ["generate", "--help"],
    ]) {
      const io = recordingIo();
      expect(await main(argv, io)).toBe(EXIT.ok);
      expect(io.text()).toContain("Exit codes:");
      expect(io.text()).toContain("3  probe guided");
    }
  });

  test.each([
    [[], /Usage:/],
    [["frobnicate"], /unknown command "frobnicate"/],
    [["probe"], /Usage: pulumi-ksc probe/],
    [["probe", "nope"], /unknown probe command "nope"/],
    [["probe", "snapshot"], /--out is required/],
    [
      ["probe", "snapshot", "--out", "x", "--device", "a", "--host-id", "b"],
      /--device or --host-id, not both/,
    ],
    [["probe", "diff", "only-one.json"], /needs two snapshot files/],
    [["generate", "--out", "d"], /--group is required/],
    [["generate", "--group", "g"], /--out is required/],
    [["generate", "--group", "g", "--out", "d", "--bogus"], /unknown option --bogus/],
    [["probe", "guided", "--push-port", "0"], /--push-port must be a whole number from 1 to 65535/],
    [["probe", "snapshot", "--out", "x", "--cwd", "."], /--cwd is the project directory of --stack/],
  ])("%j is a usage error (exit 2)", async (argv, message) => {
    const io = recordingIo();
    expect(await main(argv as string[], io)).toBe(EXIT.usage);
    expect(io.stderr.join("\n")).toMatch(message);
  });

  test("a missing server configuration is a usage error that names the setting", async () => {
    const io = recordingIo({ env: {} });
    expect(await main(["probe", "snapshot", "--out", path.join(dir, "s.json")], io)).toBe(EXIT.usage);
    expect(io.stderr.join("\n")).toMatch(/ksc:serverUrl/);
    expect(io.stderr.join("\n")).toMatch(/KSC_SERVER_URL/);
  });

  test("a key-names file the provider would refuse is a usage error before anything is read", async () => {
    const bad = path.join(dir, "bad-keys.json");
    fs.writeFileSync(bad, JSON.stringify({ dp: { pushServerEnabeld: "X" } }));
    const io = recordingIo({
      env: { KSC_SERVER_URL: "http://127.0.0.1:9", KSC_USER: "u", KSC_PASSWORD: "p" },
    });
    expect(
      await main(["generate", "--group", "g", "--out", path.join(dir, "g"), "--key-names", bad], io),
    ).toBe(EXIT.usage);
    expect(io.stderr.join("\n")).toMatch(/unknown key "dp.pushServerEnabeld"/);
  });
});

describe("--stack reads the stack's configuration with pulumi config", () => {
  test("it runs `pulumi config --json --show-secrets` for the stack in the project directory", async () => {
    const calls: { args: string[]; cwd: string }[] = [];
    const io = recordingIo({
      env: { KSC_USER: "from-env" },
      runPulumi: async (args, cwd) => {
        calls.push({ args, cwd });
        return JSON.stringify({ "ksc:serverUrl": { value: "https://ksc.corp:13299", secret: false } });
      },
    });
    const code = await main(["probe", "snapshot", "--out", "s.json", "--stack", "dev", "--cwd", "proj"], io);
    expect(calls).toEqual([
      {
        args: ["config", "--json", "--show-secrets", "--stack", "dev", "--cwd", path.join(io.cwd, "proj")],
        cwd: path.join(io.cwd, "proj"),
      },
    ]);
    // ksc:serverUrl from the stack, user from the environment, no password anywhere: a configuration error.
    expect(code).toBe(EXIT.usage);
    expect(io.stderr.join("\n")).toMatch(/no password for the KSC user "from-env"/);
  });

  test("a failing `pulumi config` is a usage error that says which stack", async () => {
    const io = recordingIo({
      runPulumi: async () => {
        throw new Error("error: no stack named 'dev' found");
      },
    });
    expect(await main(["generate", "--group", "g", "--out", "d", "--stack", "dev"], io)).toBe(EXIT.usage);
    expect(io.stderr.join("\n")).toMatch(/cannot read the configuration of stack "dev".*no stack named/);
  });

  test("config values: strings, secrets shown, objects as JSON; file paths relative to the project", () => {
    const values = parsePulumiConfigJson(
      JSON.stringify({
        "ksc:serverUrl": { value: "https://x", secret: false },
        "ksc:password": { value: "s3cret", secret: true },
        "app:obj": { value: "{}", objectValue: { a: 1 } },
        "ksc:keyNamesFile": { value: "keys/names.json", secret: false },
        "ksc:caCert": { value: "-----BEGIN CERTIFICATE-----\nabc", secret: false },
      }),
    );
    expect(values.get("ksc:password")).toBe("s3cret");
    expect(values.get("app:obj")).toBe("{}");
    const source = configSource(values, "/proj");
    expect(source.get("ksc:keyNamesFile")).toBe(path.resolve("/proj", "keys/names.json"));
    expect(source.get("ksc:caCert")).toMatch(/^-----BEGIN/);
    expect(source.get("ksc:serverUrl")).toBe("https://x");
  });
});

describe("probe diff", () => {
  test("shows the toggled key with its path and values; --json for machines", async () => {
    const a = writeSnapshot("a.json", { distributionPoints: { h1: { UaPort: 13000, PushOn: false } } });
    const b = writeSnapshot("b.json", { distributionPoints: { h1: { UaPort: 13000, PushOn: true } } });
    const io = recordingIo({ cwd: dir });
    expect(await main(["probe", "diff", "a.json", "b.json"], io)).toBe(EXIT.ok);
    expect(io.text()).toMatch(/~ changed\s+distributionPoints\.h1\.PushOn\s+false → true/);
    expect(io.text()).toContain("h1 = milan-dp-01");
    const json = recordingIo({ cwd: dir });
    expect(await main(["probe", "diff", a, b, "--json"], json)).toBe(EXIT.ok);
    expect(JSON.parse(json.stdout.join("\n"))).toEqual({
      changes: [
        {
          kind: "changed",
          path: ["distributionPoints", "h1", "PushOn"],
          pathText: "distributionPoints.h1.PushOn",
          old: false,
          new: true,
        },
      ],
    });
  });

  test("colours only on a terminal without NO_COLOR", async () => {
    const a = writeSnapshot("c1.json", { hosts: { h: { K: 1 } } });
    const b = writeSnapshot("c2.json", { hosts: { h: { K: 2 } } });
    const tty = recordingIo({ stdoutIsTty: true });
    await main(["probe", "diff", a, b], tty);
    expect(tty.text()).toContain("\u001b[33m");
    const noColour = recordingIo({ stdoutIsTty: true, env: { NO_COLOR: "1" } });
    await main(["probe", "diff", a, b], noColour);
    expect(noColour.text()).not.toContain("\u001b[");
  });

  test("a file that is not a snapshot is a usage error", async () => {
    const notSnapshot = path.join(dir, "other.json");
    fs.writeFileSync(notSnapshot, JSON.stringify({ dp: {} }));
    const a = writeSnapshot("ok.json", {});
    for (const [file, message] of [
      [notSnapshot, /is not a snapshot/],
      [path.join(dir, "missing.json"), /cannot read/],
    ] as const) {
      const io = recordingIo();
      expect(await main(["probe", "diff", a, file], io)).toBe(EXIT.usage);
      expect(io.stderr.join("\n")).toMatch(message);
    }
  });
});
