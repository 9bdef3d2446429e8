// multi-site under the real Pulumi engine: two sites from stack config, two push-server DPs each (the
// Administration Server balances each site's devices between them) and a Network Agent policy per site. Plain
// HTTP emulator; the console is read and changed only by raw calls.
import * as http from "http";
import { expectSuccess, newStack, type TestStack } from "../../tools/engine";
import {
  changedKeys,
  changedResources,
  changingSteps,
  expectGolden,
  expectStateHoldsNoCredentials,
  kscConfig,
  normalizePreview,
  REVIEW_PREVIEW_ARGS,
  startConsole,
  stopConsole,
  type Console,
} from "../../test/support/lifecycle";
import { CONSOLE_KEYS, type ConsoleSnapshot } from "../../test/support/raw-ksc";

jest.setTimeout(10 * 60 * 1000);

const SITES = [
  { name: "milan", group: "Managed devices/Branch Milan", dpDevices: ["milan-dp-01", "milan-dp-02"] },
  { name: "rome", group: "Managed devices/Branch Rome", dpDevices: ["rome-dp-01", "rome-dp-02"] },
];
const DP_DEVICES = SITES.flatMap((s) => s.dpDevices);

/** `pulumi config set-all --path --plaintext sites[0].name=milan …`, as in the README. */
function sitesConfigArgs(): string[] {
  const args = ["config", "set-all", "--path"];
  SITES.forEach((site, i) => {
    args.push(
      "--plaintext",
      `sites[${i}].name=${site.name}`,
      "--plaintext",
      `sites[${i}].group=${site.group}`,
    );
    site.dpDevices.forEach((d, j) => args.push("--plaintext", `sites[${i}].dpDevices[${j}]=${d}`));
  });
  return args;
}

interface StatusDp {
  name: string;
  devicesInScope: number;
  devicesServedByPushServer: number;
}

/** The emulator's status page (not part of the Open API): how many devices each push server serves. */
function statusDps(url: string): Promise<StatusDp[]> {
  return new Promise((resolve, reject) => {
    http
      .get(`${url}/status.json`, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          try {
            resolve(
              (JSON.parse(Buffer.concat(chunks).toString()) as { distributionPoints: StatusDp[] })
                .distributionPoints,
            );
          } catch (err) {
            reject(err);
          }
        });
      })
      .on("error", reject);
  });
}

describe("multi-site: two sites, two push-server DPs each, a Network Agent policy per site", () => {
  let c: Console;
  let stack: TestStack;
  let seeded: ConsoleSnapshot;
  let deployed: ConsoleSnapshot;
  const hostIds: Record<string, string> = {};
  const policyIds: Record<string, number> = {};

  beforeAll(async () => {
    c = await startConsole({ tls: false });
    seeded = await c.ksc.snapshot();
    for (const d of DP_DEVICES) hostIds[d] = await c.ksc.hostId(d);
    stack = await newStack(__dirname, { config: kscConfig(c.emu) });
    expectSuccess(await stack.run(sitesConfigArgs()));
  });

  afterAll(async () => {
    await stack?.dispose();
    await stopConsole(c);
  });

  afterEach(async () => {
    if (stack) await expectStateHoldsNoCredentials(stack, c.emu);
  });

  test("1. up: each site's DPs run push servers, share the site's devices, and the site has its policy", async () => {
    expectSuccess(await stack.up(["--skip-preview"]));
    deployed = await c.ksc.snapshot();
    for (const site of SITES)
      policyIds[site.name] = await c.ksc.policyId(site.group, `Network Agent - ${site.name}`);

    expect(deployed.distributionPoints.map((d) => [d.device, d.scope, d.pushServer])).toEqual(
      SITES.flatMap((s) => s.dpDevices.map((d) => [d, [s.group], { port: 13295, remoteAddress: "" }])),
    );
    for (const site of SITES) {
      expect(deployed.policies.find((p) => p.id === policyIds[site.name])).toEqual({
        id: policyIds[site.name],
        name: `Network Agent - ${site.name}`,
        group: site.group,
        product: "1103",
        active: true,
        network: {
          [CONSOLE_KEYS.forceConnectionThroughDp]: { value: true, locked: true },
          [CONSOLE_KEYS.useUdpPort]: { value: false, locked: false },
          [CONSOLE_KEYS.udpPort]: { value: [15000, 15001], locked: false },
        },
      });
    }
    // Nothing else: the seed, with automatic DP assignment off and the DP hosts keeping their connection.
    const newPolicies = Object.values(policyIds);
    expect({
      ...deployed,
      distributionPoints: [],
      policies: deployed.policies.filter((p) => !newPolicies.includes(p.id)),
    }).toEqual({
      ...seeded,
      automaticAssignment: false,
      devices: seeded.devices.map((d) => (DP_DEVICES.includes(d.name) ? { ...d, keepConnection: true } : d)),
    });

    // Load balancing: both push servers of a site serve some of its devices, and together all of them.
    const status = await statusDps(c.emu.url);
    for (const site of SITES) {
      const dps = status.filter((d) => site.dpDevices.includes(d.name));
      expect(dps.map((d) => d.devicesServedByPushServer > 0)).toEqual([true, true]);
      expect(dps[0].devicesServedByPushServer + dps[1].devicesServedByPushServer).toBe(dps[0].devicesInScope);
    }

    expect(await stack.outputs()).toEqual({
      dpHostIds: Object.fromEntries(SITES.map((s) => [s.name, s.dpDevices.map((d) => hostIds[d])])),
      pushServerPorts: { milan: [13295, 13295], rome: [13295, 13295] },
      policyIds,
    });
  });

  test("2. preview --expect-no-changes exits 0", async () => {
    expectSuccess(await stack.preview(["--expect-no-changes"]));
  });

  test("3. drift in both sites at once: each changed resource is named, refresh records, up undoes", async () => {
    await c.ksc.setPushServerPort(hostIds["milan-dp-02"], 13399);
    await c.ksc.addScopeGroup(hostIds["rome-dp-01"], await c.ksc.groupId("Managed devices/Head Office"));
    await c.ksc.setNetworkLock(policyIds.rome, CONSOLE_KEYS.forceConnectionThroughDp, false);

    const preview = await stack.preview(["--refresh", "--expect-no-changes"]);
    const refresh = await stack.refresh();
    const up = await stack.up(["--skip-preview"]);
    const restored = await c.ksc.snapshot();

    const named = [
      "update ksc:DistributionPoint rome-dp-01 [~scopeGroups]",
      "update ksc:NetworkAgentPolicy rome-agents [~forceConnectionThroughDp]",
      "update ksc:PushServer milan-dp-02-push [~port]",
    ];
    // One comparison, so a failure shows every step's outcome at once.
    expect({
      preview: { code: preview.code, names: changedResources(preview) },
      refresh: { code: refresh.code, names: changedResources(refresh) },
      up: { code: up.code, names: changedResources(up) },
      consoleRestored: restored,
    }).toEqual({
      preview: { code: 7, names: named },
      refresh: { code: 0, names: named },
      up: { code: 0, names: named },
      consoleRestored: deployed,
    });
  });

  describe("4. what reviewers see in `preview --diff` (golden files in golden/)", () => {
    test("port 13295 → 13300 for every site: in-place updates of exactly the port", async () => {
      await stack.setConfig("pushServerPort", "13300");

      const text = expectSuccess(await stack.preview(REVIEW_PREVIEW_ARGS)).stdout;
      expectGolden(__dirname, "port-change.diff.txt", normalizePreview(text, stack.name));
      const steps = changingSteps(await stack.previewJson());
      expect(steps.map((s) => `${s.op} ${s.name}`).sort()).toEqual(
        DP_DEVICES.map((d) => `update ${d}-push`).sort(),
      );
      for (const s of steps) {
        expect(changedKeys(s.step.oldState?.inputs, s.step.newState?.inputs)).toEqual(["port"]);
      }

      expectSuccess(await stack.run(["config", "rm", "pushServerPort"]));
    });

    test("another device in a site: one DP and its push server go, another come", async () => {
      expectSuccess(await stack.run(["config", "set", "--path", "sites[1].dpDevices[1]", "rome-ws-01"]));

      const text = expectSuccess(await stack.preview(REVIEW_PREVIEW_ARGS)).stdout;
      expectGolden(__dirname, "device-change.diff.txt", normalizePreview(text, stack.name));
      const steps = changingSteps(await stack.previewJson());
      expect(steps.map((s) => `${s.op} ${s.name}`).sort()).toEqual([
        "create rome-ws-01",
        "create rome-ws-01-push",
        "delete rome-dp-02",
        "delete rome-dp-02-push",
      ]);

      expectSuccess(await stack.run(["config", "set", "--path", "sites[1].dpDevices[1]", "rome-dp-02"]));
      expectSuccess(await stack.preview(["--expect-no-changes"]));
    });
  });

  test("5. destroy: the console is back to its seeded state", async () => {
    expectSuccess(await stack.destroy());
    expect(await stack.resources()).toEqual([]);

    const now = await c.ksc.snapshot();
    // As documented: automatic DP assignment stays off, and the hosts that ran a push server keep their
    // connection (KSC turned it on; PushServer never turns it off). Everything else is the seed.
    expect(now.automaticAssignment).toBe(false);
    expect(now.devices.filter((d) => d.keepConnection).map((d) => d.name)).toEqual(DP_DEVICES);
    expect({
      ...now,
      automaticAssignment: seeded.automaticAssignment,
      devices: now.devices.map((d) => ({ ...d, keepConnection: false })),
    }).toEqual(seeded);
  });
});
