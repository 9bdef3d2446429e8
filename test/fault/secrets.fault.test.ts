// Secrets: a known password, known one-time tokens and the session ids the server hands out never appear in the
// exported state (plain or --show-secrets), the files of the stack's state folder (checkpoints, backups, history)
// and its config file, the logs of every command run with `-v=9 --logtostderr --debug` and the provider's debug
// lines on (KSC_DEBUG=1), error messages, the serialized provider, or the request log (a recording proxy in front of
// the emulator: requests and replies with their headers) apart from where they must be: credentials in the
// Authorization header of the login call only, session ids in the X-KSC-Session header and the login reply.
// Every form is searched (test/support/fault/audit.ts: as is, JSON-escaped, percent-encoded, base64 also inside a larger blob such
// as "user:password", hex, without "=" padding); lib/audit.test.ts shows the audit catching a planted leak of each.
// Every example goes through up, preview, refresh and destroy; then token logins, and failing logins.
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { startEmulator, type RunningEmulator } from "ksc-emulator";
import { expectSuccess, newStack, type PulumiResult, type TestStack } from "../../tools/engine";
import { RawKsc } from "../support/raw-ksc";
import { Secret, exchangeLeaks, filesBelow, isLogin, leaks } from "../support/fault/audit";
import { groupIdOf, hostIdOf, snapshot } from "../support/fault/console";
import { examplesDir, report } from "../support/fault/fixture";
import { RecordingProxy } from "../support/fault/recorder";

jest.setTimeout(15 * 60 * 1000);

// Characters that JSON, percent-encoding and base64 padding change, so those forms differ from the plain one.
const PASSWORD = `Known/Pa55+${crypto.randomBytes(6).toString("hex")}=`;
const WRONG_PASSWORD = `Wrong/Pa55+${crypto.randomBytes(6).toString("hex")}=`;
const BOGUS_TOKEN = crypto.randomBytes(24).toString("base64");
const VERBOSE = ["-v=9", "--logtostderr", "--debug"];

describe("no password, token or session id in state, logs, errors or requests", () => {
  let emu: RunningEmulator;
  let proxy: RecordingProxy;
  let raw: RawKsc;
  /** Every secret in play; session ids are added from the proxy at the end. */
  const secrets: Secret[] = [
    { name: "password", value: PASSWORD, kind: "credential" },
    { name: "wrong password", value: WRONG_PASSWORD, kind: "credential" },
    { name: "bogus token", value: BOGUS_TOKEN, kind: "credential" },
  ];
  /** Everything a person or a log collector could see, by where it came from. */
  const seen: { where: string; text: string }[] = [];
  const rows: string[] = [];

  const record = (where: string, r: PulumiResult): PulumiResult => {
    seen.push({ where, text: `${r.stdout}\n${r.stderr}` });
    rows.push(`${where}: exit ${r.code}, ${(r.stdout.length + r.stderr.length) >> 10} KiB of output`);
    return r;
  };

  /**
   * The exported state, plain and with --show-secrets. The one place the credentials may be is the configuration
   * that holds them: the default provider resource records the stack configuration as its inputs, where the
   * secret keys must be secret values (ciphertext in a plain export). That entry is checked, then left out.
   */
  async function recordState(where: string, stack: TestStack): Promise<void> {
    for (const showSecrets of [false, true]) {
      const state = await stack.exportState({ showSecrets });
      for (const r of state.deployment.resources ?? []) {
        if (r.type.startsWith("pulumi:providers:")) {
          for (const bag of [r.inputs, r.outputs]) {
            for (const key of ["ksc:password", "ksc:token"]) {
              if (!bag || !(key in bag)) continue;
              // 4dabf18193072939515e22adb298388d: Pulumi's signature of a secret value.
              expect(bag[key]).toMatchObject({
                "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
              });
              if (!showSecrets) expect(bag[key]).toHaveProperty("ciphertext");
              delete bag[key];
            }
          }
        }
        const provider = (r.inputs?.__provider ?? r.outputs?.__provider) as string | undefined;
        if (provider) seen.push({ where: `${where}: serialized provider of ${r.urn}`, text: provider });
      }
      seen.push({
        where: `${where}: stack export${showSecrets ? " --show-secrets" : ""}`,
        text: JSON.stringify(state),
      });
    }
  }

  /** The stack's state folder (file backend: checkpoints, backups, history) and its config file, every file. */
  function recordFiles(where: string, stack: TestStack): void {
    for (const f of filesBelow(stack.stateDir))
      seen.push({ where: `${where}: state folder ${f.file}`, text: f.text });
    const config = path.join(stack.projectDir, `Pulumi.${stack.name}.yaml`);
    if (fs.existsSync(config))
      seen.push({ where: `${where}: ${path.basename(config)}`, text: fs.readFileSync(config, "utf8") });
  }

  /** Searches the stack's files, then removes the stack (which deletes them). */
  async function disposeSearched(where: string, stack: TestStack): Promise<void> {
    recordFiles(where, stack);
    await stack.dispose();
  }

  function stackFor(
    example: string,
    auth: Record<string, string | { value: string; secret: true }>,
  ): Promise<TestStack> {
    return newStack(path.join(examplesDir, example), {
      config: { "ksc:serverUrl": proxy.url, ...auth },
      // KSC_DEBUG: the provider's debug lines (each call, logins, retries) are in the output too.
      env: { PULUMI_NODEJS_TRANSPILE_ONLY: "true", KSC_DEBUG: "1" },
    });
  }

  beforeAll(async () => {
    emu = await startEmulator({ port: 0, password: PASSWORD });
    proxy = await RecordingProxy.start(emu.url);
    raw = new RawKsc(emu.url, { user: "admin", password: PASSWORD });
  });

  afterAll(async () => {
    report("secrets: commands run (all with -v=9 --logtostderr --debug)", rows);
    await raw?.end();
    await proxy?.stop();
    await emu?.stop();
  });

  // adopt-existing takes over what an administrator made by hand: hq-dp-01 as a DP of Head Office, and the
  // policy "Head Office agents" there.
  async function setUpAdoptExisting(): Promise<void> {
    const s = await snapshot(raw);
    const group = groupIdOf(s, "Managed devices/Head Office");
    await raw.call("UaControl.SetAssignUasAutomatically", { bEnabled: false });
    const info = (await raw.call("UaControl.GetDefaultUpdateAgentRegistrationInfo")).pUaInfo as Record<
      string,
      unknown
    >;
    await raw.call("UaControl.RegisterUpdateAgent", {
      pUaInfo: {
        ...info,
        UaHostId: hostIdOf(s, "hq-dp-01"),
        UaScope: {
          type: "params",
          value: { ScopeGroups: [{ type: "params", value: { ScopeId: { type: "long", value: group } } }] },
        },
      },
    });
    await raw.call("Policy.AddPolicy", {
      pPolicyData: {
        KLPOL_DN: "Head Office agents",
        KLPOL_PRODUCT: "1103",
        KLPOL_VERSION: "1.0.0.0",
        KLPOL_GROUP_ID: group,
        KLPOL_ACTIVE: true,
      },
    });
  }

  test.each(["push-server-basic", "multi-site", "adopt-existing"])(
    "%s: up, preview, refresh, destroy with user and password",
    async (example) => {
      if (example === "adopt-existing") await setUpAdoptExisting();
      const stack = await stackFor(example, {
        "ksc:user": "admin",
        "ksc:password": { value: PASSWORD, secret: true },
      });
      try {
        expectSuccess(record(`${example}: up`, await stack.up(VERBOSE)));
        await recordState(`${example} after up`, stack);
        expectSuccess(record(`${example}: preview`, await stack.preview(VERBOSE)));
        expectSuccess(record(`${example}: refresh`, await stack.refresh(VERBOSE)));
        await recordState(`${example} after refresh`, stack);
        expectSuccess(record(`${example}: destroy`, await stack.destroy(VERBOSE)));
      } finally {
        await disposeSearched(example, stack);
      }
    },
  );

  // A KSCT token is good for one login, so for one provider process: one command per token, with no separate
  // preview phase, and refresh/destroy reading the new token from the configuration (--run-program) instead of
  // the configuration saved in the state at the last up.
  test("push-server-basic with one-time tokens (a new token for each command)", async () => {
    const stack = await stackFor("push-server-basic", { "ksc:token": { value: "unset", secret: true } });
    const fresh = async (n: number) => {
      const token = String((await raw.call("Session.CreateToken")).PxgRetVal);
      secrets.push({ name: `token ${n}`, value: token, kind: "credential" });
      await stack.setConfig("ksc:token", token, { secret: true });
    };
    const once = ["--skip-preview", "--run-program"];
    try {
      await fresh(1);
      expectSuccess(record("token: up", await stack.up([...VERBOSE, "--skip-preview"])));
      await recordState("token: after up", stack);
      await fresh(2);
      expectSuccess(record("token: preview", await stack.preview(VERBOSE)));
      await fresh(3);
      expectSuccess(record("token: refresh", await stack.refresh([...VERBOSE, ...once])));
      await fresh(4);
      expectSuccess(record("token: destroy", await stack.destroy([...VERBOSE, ...once])));
    } finally {
      await disposeSearched("token", stack);
    }
  });

  test("failing logins: a wrong password and a token the server does not know", async () => {
    const wrong = await stackFor("push-server-basic", {
      "ksc:user": "admin",
      "ksc:password": { value: WRONG_PASSWORD, secret: true },
    });
    const bogus = await stackFor("push-server-basic", { "ksc:token": { value: BOGUS_TOKEN, secret: true } });
    try {
      const up = record("wrong password: up", await wrong.up(VERBOSE));
      expect(up.code).not.toBe(0);
      expect(up.stdout).toMatch(/login to .* as "?admin"? failed/);
      const preview = record("unknown token: preview", await bogus.preview(VERBOSE));
      expect(preview.code).not.toBe(0);
      expect(preview.stdout).toMatch(/login to .* failed/);
    } finally {
      await disposeSearched("wrong password", wrong);
      await disposeSearched("unknown token", bogus);
      await fetch(`${emu.url}/control/reseed`, { method: "POST" }); // unlocks the account
    }
  });

  test("the search finds a secret in each of its forms (so the checks below can fail; every form: lib/audit.test.ts)", () => {
    const one: Secret[] = [{ name: "password", value: PASSWORD, kind: "credential" }];
    expect(leaks(`x ${PASSWORD} y`, one)).toEqual(["password"]);
    expect(leaks(`pass="${Buffer.from(PASSWORD).toString("base64")}"`, one)).toEqual(["password"]);
    expect(leaks(encodeURIComponent(PASSWORD), one)).toEqual(["password"]);
    expect(leaks(Buffer.from(`admin:${PASSWORD}`).toString("base64"), one)).toEqual(["password"]);
    expect(leaks("nothing here", one)).toEqual([]);
  });

  test("none of the secrets is in any output, state, state file or serialized provider", () => {
    const sids = proxy.sessionIds();
    expect(sids.length).toBeGreaterThan(0);
    sids.forEach((sid, i) => secrets.push({ name: `session id ${i + 1}`, value: sid, kind: "session" }));
    // The state folders were searched: checkpoints and history of every stack.
    expect(seen.filter((s) => /: state folder .*\.pulumi\/history\//.test(s.where)).length).toBeGreaterThan(
      5,
    );
    // What was searched holds the engine's verbose log and the provider's debug lines about logins.
    const all = seen.map((s) => s.text).join("\n");
    expect(all).toMatch(/debug: \[pulumi-ksc\] KSC Session\.StartSession HTTP 200/);
    expect(all).toMatch(/\{"time":"[^"]+","level":"INFO","msg":".*","v":9\}/); // -v=9 --logtostderr lines
    const found = seen.flatMap(({ where, text }) =>
      leaks(text, secrets).map((name) => `${name} in ${where}`),
    );
    expect(found).toEqual([]);
  });

  test("the request log holds credentials only in the login call's Authorization header, session ids only in X-KSC-Session and the login reply", () => {
    expect(proxy.log.length).toBeGreaterThan(0);
    // Where they are allowed, they are there (so the audit below looks at the right places).
    const password = secrets.filter((s) => s.name === "password");
    const logins = proxy.log.filter(
      (e) => isLogin(e) && leaks(e.headers.authorization ?? "", password).length,
    );
    expect(logins.length).toBeGreaterThan(0);
    expect(proxy.log.some((e) => !isLogin(e) && e.headers["x-ksc-session"])).toBe(true);
    expect(proxy.log.every((e) => e.responseHeaders !== undefined || e.status === undefined)).toBe(true);
    expect(proxy.log.flatMap((e) => exchangeLeaks(e, secrets))).toEqual([]);
  });
});
