// The client against the emulator over real HTTP and HTTPS on loopback.
import * as fs from "fs";
import * as https from "https";
import axios from "axios";
import { startEmulator } from "ksc-emulator";
import {
  createClient,
  DEFAULT_MAX_IN_FLIGHT,
  eq,
  isNotFound,
  KscAuthError,
  KscClientConfig,
  KscClientHandle,
  KscError,
  KscLong,
  KscNetworkError,
  KscParams,
} from "./index";
import { DpObject } from "./dpObject";
import { Transport } from "./transport";

jest.setTimeout(60_000);

type Emulator = Awaited<ReturnType<typeof startEmulator>>;
type Counters = {
  calls: Record<string, number>;
  sessionsOpened: number;
  faultsInjected: Record<string, number>;
};

// Everything the client says (log lines, error messages) and every session id it sends, for the final grep.
const said: string[] = [];
const sessionIds = new Set<string>();
const passwords = new Set<string>();
const realPost = Transport.prototype.post;
beforeAll(() => {
  jest.spyOn(Transport.prototype, "post").mockImplementation(function (
    this: Transport,
    method,
    body,
    headers,
    t,
  ) {
    const sid = headers["X-KSC-Session"];
    if (sid) sessionIds.add(sid);
    return realPost.call(this, method, body, headers, t);
  });
});

async function control(emu: Emulator, path: string, body?: unknown): Promise<unknown> {
  const httpsAgent = emu.caFile ? new https.Agent({ ca: fs.readFileSync(emu.caFile) }) : undefined;
  const res =
    path === "/control/counters"
      ? await axios.get(`${emu.url}${path}`, { httpsAgent })
      : await axios.post(`${emu.url}${path}`, body ?? {}, { httpsAgent });
  return res.data;
}
const counters = (emu: Emulator) => control(emu, "/control/counters") as Promise<Counters>;

function client(emu: Emulator, extra: Partial<KscClientConfig> = {}): KscClientHandle {
  passwords.add(emu.credentials.password);
  return createClient({
    serverUrl: emu.url,
    auth: { kind: "basic", user: emu.credentials.user, password: emu.credentials.password, internal: true },
    caCert: emu.caFile,
    logger: (level, message) => said.push(`${level} ${message}`),
    ...extra,
  });
}

async function failure(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    said.push((err as Error).message);
    return err as Error;
  }
  throw new Error("expected a failure");
}

describe("over HTTP", () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ port: 0, tls: false });
  });
  afterAll(async () => {
    await emu.stop();
  });
  beforeEach(async () => {
    await control(emu, "/control/faults", {});
    await control(emu, "/control/reseed");
    await control(emu, "/control/reset-counters");
  });

  test("the whole sequence (docs/ksc-open-api.md#the-whole-sequence)", async () => {
    const ksc = client(emu);
    const k = ksc.keyNames;
    try {
      // 2. resolve the host
      const [host, ...more] = await ksc.hostGroup.findHosts(eq(k.host.displayName, "milan-dp-01"), [
        k.host.fqdn,
      ]);
      expect(more).toEqual([]);
      expect(host).toMatchObject({ displayName: "milan-dp-01", fqdn: "milan-dp-01.corp.example" });
      expect(host.hostId).toMatch(/\S{8,}/);
      // 3. group ids
      const root = await ksc.hostGroup.groupIdGroups();
      const [milan] = await ksc.hostGroup.findGroups(eq(k.group.name, "Branch Milan"));
      expect(milan.parentId).toBe(root);
      expect(host.groupId).not.toBe(root);
      // 4. not a DP yet
      expect((await ksc.uaControl.getUpdateAgentsList()).map((d) => d.hostId)).not.toContain(host.hostId);
      const notDp = await failure(ksc.uaControl.getUpdateAgentInfo(host.hostId));
      expect(isNotFound(notDp)).toBe(true);
      // 5. manual assignment
      await ksc.uaControl.setAssignUasAutomatically(false);
      expect(await ksc.uaControl.getAssignUasAutomatically()).toBe(false);
      // 6. create
      const info = (await ksc.uaControl.getDefaultUpdateAgentRegistrationInfo()).toWire();
      info[k.dp.hostId] = host.hostId;
      info[k.dp.scope] = {
        [k.scope.groups]: [{ [k.scope.id]: new KscLong(milan.id) }],
        [k.scope.nlaNetworks]: [],
      };
      info[k.dp.pushServerEnabled] = true;
      info[k.dp.pushServerPort] = new KscLong(13295);
      await ksc.uaControl.registerUpdateAgent(new DpObject(k, info));
      const list = await ksc.uaControl.getUpdateAgentsList();
      expect(list).toContainEqual({
        hostId: host.hostId,
        displayName: "milan-dp-01",
        isConnectionGateway: false,
      });
      // Register twice throws (docs/ksc-open-api.md#uacontrol) and is not repeated.
      const again = await failure(ksc.uaControl.registerUpdateAgent(new DpObject(k, info)));
      expect(again).toBeInstanceOf(KscError);
      // 7. update: read, overlay, write the full object
      const read = (await ksc.uaControl.getUpdateAgentInfo(host.hostId)).toWire();
      expect(read[k.dp.pushServerEnabled]).toBe(true);
      expect(read[k.dp.pushServerPort]).toEqual(new KscLong(13295));
      const scope = read[k.dp.scope] as KscParams;
      expect((scope[k.scope.groups] as KscParams[])[0][k.scope.id]).toEqual(new KscLong(milan.id));
      const hostInfo = await ksc.hostGroup.getHostInfo(host.hostId, [k.host.keepConnection]);
      expect(hostInfo[k.host.keepConnection]).toBe(true);
      read[k.dp.pushServerPort] = new KscLong(13296);
      await ksc.uaControl.modifyUpdateAgent(new DpObject(k, read));
      expect((await ksc.uaControl.getUpdateAgentInfo(host.hostId)).toWire()[k.dp.pushServerPort]).toEqual(
        new KscLong(13296),
      );
      // 8. delete
      await ksc.uaControl.unregisterUpdateAgent(host.hostId);
      expect(isNotFound(await failure(ksc.uaControl.getUpdateAgentInfo(host.hostId)))).toBe(true);
      // 9. NA policy: the default one on "Managed devices", and a new one on "Branch Milan"
      const na = (await ksc.policy.getPoliciesForGroup(root)).find(
        (p) => p.product === k.networkAgent.product && !p.inherited,
      );
      expect(na).toMatchObject({ version: "1.0.0.0", groupId: root });
      const id = await ksc.policy.addPolicy({
        displayName: "NA Milan",
        product: k.networkAgent.product,
        version: k.networkAgent.version,
        groupId: milan.id,
        active: true,
      });
      expect(await ksc.policy.getPolicyData(id)).toMatchObject({
        id,
        displayName: "NA Milan",
        groupId: milan.id,
        active: true,
      });
      await ksc.policy.updatePolicyData(id, { displayName: "NA Milan (push)" });
      expect((await ksc.policy.getPolicyData(id)).displayName).toBe("NA Milan (push)");
      // 10. settings: writes are invisible until Apply, and visible after it
      const section = k.networkAgent.networkSection;
      const data: KscParams = {
        [k.networkAgent.forceConnectionThroughDp]: { [k.lock.value]: true, [k.lock.locked]: true },
        [k.networkAgent.useUdpPort]: { [k.lock.value]: false, [k.lock.locked]: false },
      };
      const h = await ksc.policy.getPolicyContents(id);
      try {
        await ksc.ssContents.replace(h, "1103", "1.0.0.0", section, data);
        // Another handle does not see the write before Apply (the section may not exist yet at all).
        let before: KscParams = {};
        try {
          before = await ksc.policySettings.readSection(id, "1103", "1.0.0.0", section);
        } catch (e) {
          if (!isNotFound(e)) throw e;
        }
        expect(before[k.networkAgent.forceConnectionThroughDp]).not.toEqual(
          data[k.networkAgent.forceConnectionThroughDp],
        );
        await ksc.ssContents.apply(h);
      } finally {
        await ksc.ssContents.release(h);
      }
      const after = await ksc.policySettings.readSection(id, "1103", "1.0.0.0", section);
      expect(after).toMatchObject(data);
      // The helper does the same in one call.
      await ksc.policySettings.updateInSection(id, "1103", "1.0.0.0", section, () => ({
        [k.networkAgent.udpPort]: { [k.lock.value]: [15001, 15002], [k.lock.locked]: true },
      }));
      const all = await ksc.policySettings.readAllSections(id, "1103", "1.0.0.0");
      expect(all[section]).toMatchObject({
        ...data,
        [k.networkAgent.udpPort]: { [k.lock.value]: [15001, 15002], [k.lock.locked]: true },
      });
      await ksc.policy.deletePolicy(id);
      expect(isNotFound(await failure(ksc.policy.getPolicyData(id)))).toBe(true);
      // 11. end the session: the next call logs in again
      await ksc.session.end();
      expect(ksc.stats().sessionOpen).toBe(false);
      await ksc.hostGroup.groupIdGroups();
      expect(ksc.stats().loginAttempts).toBe(2);
      const c = await counters(emu);
      expect(c.calls["Session.EndSession"]).toBe(1);
      // Every accessor and handle was released.
      expect(c.calls["ChunkAccessor.Release"]).toBe(
        c.calls["HostGroup.FindHosts"] + c.calls["HostGroup.FindGroups"],
      );
      expect(c.calls["SsContents.Ss_Release"]).toBe(c.calls["Policy.GetPolicyContents"]);
    } finally {
      await ksc.close();
    }
  });

  test("a PxgError sent with HTTP 500 is still a KSC error", async () => {
    await control(emu, "/control/faults", { pxgErrorStatus: 500 });
    const ksc = client(emu);
    try {
      const err = await failure(ksc.uaControl.getUpdateAgentInfo("no-such-host"));
      expect(err).toBeInstanceOf(KscError);
      expect((err as KscError).httpStatus).toBe(500);
      expect(isNotFound(err)).toBe(true);
      expect((await counters(emu)).calls["UaControl.GetUpdateAgentInfo"]).toBe(1); // not retried
    } finally {
      await ksc.close();
    }
  });

  test("one StartSession for hundreds of calls", async () => {
    const ksc = client(emu);
    try {
      // Ten waves of 30 parallel calls: later waves find the session open and must reuse it.
      const results: number[] = [];
      for (let wave = 0; wave < 10; wave++) {
        results.push(
          ...(await Promise.all(
            Array.from({ length: 30 }, (_, i) =>
              i % 2
                ? ksc.hostGroup.groupIdGroups()
                : ksc.uaControl.getUpdateAgentsList().then((l) => l.length),
            ),
          )),
        );
      }
      expect(results).toHaveLength(300);
      const c = await counters(emu);
      expect(c.sessionsOpened).toBe(1);
      expect(c.calls["Session.StartSession"]).toBe(1);
      expect(c.calls["HostGroup.GroupIdGroups"]).toBe(150);
      expect(c.calls["UaControl.GetUpdateAgentsList"]).toBe(150);
      expect(ksc.stats().peakInFlight).toBeLessThanOrEqual(DEFAULT_MAX_IN_FLIGHT);
    } finally {
      await ksc.close();
    }
  });

  test("after the server expires the session, one new login serves all waiting calls", async () => {
    const ksc = client(emu);
    try {
      const root = await ksc.hostGroup.groupIdGroups();
      await control(emu, "/control/expire-sessions");
      const after = await Promise.all(Array.from({ length: 20 }, () => ksc.hostGroup.groupIdGroups()));
      expect(new Set(after)).toEqual(new Set([root]));
      const c = await counters(emu);
      expect(c.calls["Session.StartSession"]).toBe(2);
      expect(ksc.stats().loginAttempts).toBe(2);
    } finally {
      await ksc.close();
    }
  });

  test("reads stay correct with transient faults at a high rate", async () => {
    const ksc = client(emu, { retry: { maxAttempts: 15, baseDelayMs: 1, maxElapsedMs: 30_000 } });
    try {
      const k = ksc.keyNames;
      const reads = async () => ({
        root: await ksc.hostGroup.groupIdGroups(),
        dps: (await ksc.uaControl.getUpdateAgentsList()).map((d) => d.hostId).sort(),
        rome: (await ksc.hostGroup.findHosts(eq(k.host.displayName, "shared-name-01"), []))
          .map((h) => h.hostId)
          .sort(),
        policies: (await ksc.policy.getPoliciesForGroup(await ksc.hostGroup.groupIdGroups())).map(
          (p) => p.id,
        ),
      });
      const expected = await reads();
      expect(expected.rome).toHaveLength(2);
      await control(emu, "/control/faults", {
        seed: 42,
        errorRate: 0.3,
        resetRate: 0.1,
        dropAfterApplyRate: 0.1,
      });
      const results = await Promise.all(Array.from({ length: 25 }, () => reads()));
      for (const r of results) expect(r).toEqual(expected);
      const c = await counters(emu);
      const injected = Object.values(c.faultsInjected).reduce((a, b) => a + b, 0);
      expect(injected).toBeGreaterThan(50);
      // Retries were logged, with the method named.
      expect(said.some((l) => /^info KSC \w+\.\w+: .*retrying in \d+ ms/.test(l))).toBe(true);
    } finally {
      await control(emu, "/control/faults", {});
      await ksc.close();
    }
  });

  test("a wrong password: exactly one login attempt and a clear error", async () => {
    const wrong = "Not-The-Pa55word";
    passwords.add(wrong);
    const ksc = createClient({
      serverUrl: emu.url,
      auth: { kind: "basic", user: "admin", password: wrong, internal: true },
      logger: (level, message) => said.push(`${level} ${message}`),
    });
    try {
      const errors = await Promise.all(
        Array.from({ length: 10 }, () => failure(ksc.hostGroup.groupIdGroups())),
      );
      const later = await failure(ksc.uaControl.getUpdateAgentsList());
      for (const e of [...errors, later]) expect(e).toBeInstanceOf(KscAuthError);
      expect(later.message).toContain(`login to ${emu.url} as admin failed`);
      expect(later.message).toMatch(/Not retried/);
      const c = await counters(emu);
      expect(c.calls["Session.StartSession"] ?? 0).toBe(1);
      expect(c.calls["HostGroup.GroupIdGroups"] ?? 0).toBe(0);
    } finally {
      await ksc.close();
    }
  });

  // The documented filter syntax (KSC Open API "Search filter syntax"): a quote is written twice, and with "="
  // * ? [ are wildcards; the client puts wildcard characters in a one-character set. Each name is given to one
  // device and a decoy that a mis-escaped filter would match is given to another.
  test.each([
    ['we"ird (name)', "we ird (name)"],
    ["(|(KLHST_WKS_DN = x))", "x"],
    ["Москва-дп-01 東京", "Москва-дп-02 東京"],
    ["back\\slash", "backslash"],
    ["a*", "ab"],
    ["a?c", "abc"],
    ["[ab]c", "ac"],
    ["100%_x", "100%_y"],
  ])("a device named %j is found exactly (decoy %j)", async (name, decoy) => {
    const ksc = client(emu);
    const k = ksc.keyNames;
    try {
      const [a, b] = await ksc.hostGroup.findHosts(eq(k.host.displayName, "shared-name-01"), []);
      const rename = (hostId: string, dn: string) =>
        ksc.call(
          "HostGroup.UpdateHost",
          { strHostName: hostId, pInfo: { [k.host.displayName]: dn } },
          { idempotent: true },
        );
      await rename(a.hostId, name);
      await rename(b.hostId, decoy);
      const found = await ksc.hostGroup.findHosts(eq(k.host.displayName, name), []);
      expect(found.map((h) => h.hostId)).toEqual([a.hostId]);
    } finally {
      await ksc.close();
    }
  });
});

describe("over HTTPS", () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ port: 0, tls: true });
  });
  afterAll(async () => {
    await emu.stop();
  });

  test("with the emulator's CA (file or PEM text) it works", async () => {
    expect(emu.url.startsWith("https://")).toBe(true);
    const pem = fs.readFileSync(emu.caFile as string, "utf8");
    expect(pem).toMatch(/^-----BEGIN CERTIFICATE-----\n[\s\S]+\n-----END CERTIFICATE-----\n?$/);
    for (const caCert of [emu.caFile as string, pem]) {
      const ksc = client(emu, { caCert });
      try {
        expect(typeof (await ksc.hostGroup.groupIdGroups())).toBe("number");
      } finally {
        await ksc.close();
      }
    }
  });

  test("without the CA it fails at once with a message that says how to give it", async () => {
    const ksc = client(emu, { caCert: undefined });
    try {
      const err = await failure(ksc.hostGroup.groupIdGroups());
      expect(err).toBeInstanceOf(KscNetworkError);
      expect((err as KscNetworkError).failure).toBe("tls");
      expect(err.message).toMatch(/TLS certificate of https:\/\/.* is not trusted/);
      expect(err.message).toMatch(/ksc:caCert/);
      expect(err.message).toMatch(/KSC_CA_CERT/);
    } finally {
      await ksc.close();
    }
  });

  test("skipping verification works only when asked, with a warning", async () => {
    const logs: string[] = [];
    const ksc = createClient({
      serverUrl: emu.url,
      auth: { kind: "basic", user: emu.credentials.user, password: emu.credentials.password },
      insecureSkipVerify: true,
      logger: (level, m) => logs.push(`${level} ${m}`),
    });
    said.push(...logs);
    try {
      expect(typeof (await ksc.hostGroup.groupIdGroups())).toBe("number");
      expect(logs.some((l) => /^warn KSC: TLS certificate verification is OFF/.test(l))).toBe(true);
    } finally {
      said.push(...logs);
      await ksc.close();
    }
  });
});

// Runs last (jest runs tests in file order).
describe("finally", () => {
  test("no log line or error message contains a password or a session id", () => {
    expect(said.length).toBeGreaterThan(100);
    expect(sessionIds.size).toBeGreaterThan(3);
    const secrets = [
      ...passwords,
      ...[...passwords].map((p) => Buffer.from(p).toString("base64")),
      ...sessionIds,
    ];
    for (const line of said) {
      for (const s of secrets) expect(line.includes(s) ? `${line} contains a secret` : "clean").toBe("clean");
    }
  });
});
