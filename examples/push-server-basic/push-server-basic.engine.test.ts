// push-server-basic under the real Pulumi engine, as lifecycle steps on one stack against a fresh emulator over
// HTTPS (the provider trusts the emulator's CA through ksc:caCert). The console is read and changed only by raw
// Open API calls (test/support/raw-ksc.ts), never through the provider's client.
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

const BRANCH = "Managed devices/Branch Milan";
const POLICY = "Network Agent - push server";

describe("push-server-basic: a branch DP running a push server, and the branch's Network Agent policy", () => {
  let c: Console;
  let stack: TestStack;
  let seeded: ConsoleSnapshot;
  let dpHostId: string;
  let policyId: number;

  const drift = () => stack.preview(["--refresh", "--expect-no-changes"]);

  beforeAll(async () => {
    c = await startConsole({ tls: true });
    seeded = await c.ksc.snapshot();
    dpHostId = await c.ksc.hostId("milan-dp-01");
    stack = await newStack(__dirname, { config: kscConfig(c.emu) });
  });

  afterAll(async () => {
    await stack?.dispose();
    await stopConsole(c);
  });

  afterEach(async () => {
    // Step 6, after every step: no credentials in the state, a small serialized provider.
    if (stack) await expectStateHoldsNoCredentials(stack, c.emu);
  });

  test("1. up: the console holds exactly what is declared", async () => {
    expectSuccess(await stack.up(["--skip-preview"]));

    const inConsole = await c.ksc.snapshot();
    policyId = await c.ksc.policyId(BRANCH, POLICY);
    const newPolicy = inConsole.policies.find((p) => p.id === policyId);
    expect(newPolicy).toEqual({
      id: policyId,
      name: POLICY,
      group: BRANCH,
      product: "1103",
      active: true,
      network: {
        [CONSOLE_KEYS.forceConnectionThroughDp]: { value: true, locked: true },
        [CONSOLE_KEYS.useUdpPort]: { value: false, locked: false },
        [CONSOLE_KEYS.udpPort]: { value: [15000, 15001], locked: false },
      },
    });
    expect(inConsole.distributionPoints).toEqual([
      {
        device: "milan-dp-01",
        scope: [BRANCH],
        pushServer: { port: 13295, remoteAddress: "" },
        settings: expect.objectContaining({
          UaPort: 13000,
          UaNonSslPort: 14000,
          UaMulticastAddr: "",
          UaDistributeUpdates: true,
          UaDistributePackages: true,
          UaCustomFolder: "",
          UaIsCg: false,
          CgRemoteAddress: "",
          CgServerInitiateConnection: false,
        }),
      },
    ]);
    // Nothing else changed: the rest is the seed, plus what KSC itself does (the DP host keeps its connection
    // once it runs a push server) and what the DP resource announces (automatic DP assignment turned off).
    expect({
      ...inConsole,
      distributionPoints: [],
      policies: inConsole.policies.filter((p) => p.id !== policyId),
    }).toEqual({
      ...seeded,
      automaticAssignment: false,
      devices: seeded.devices.map((d) => (d.name === "milan-dp-01" ? { ...d, keepConnection: true } : d)),
    });

    expect(await stack.outputs()).toEqual({
      dpHostId,
      dpDisplayName: "milan-dp-01",
      pushServerPortInUse: 13295,
      dpKeepsConnection: true,
      firewallNote: expect.stringContaining("Open TCP port 13295"),
      policyId,
    });
  });

  test("2. preview --expect-no-changes exits 0", async () => {
    expectSuccess(await stack.preview(["--expect-no-changes"]));
  });

  // Each case runs preview, refresh and up before it asserts, so a failed expectation leaves the stack as the
  // next case expects it.
  describe("3. a change made by hand in the console is drift: preview names it, refresh records it, up undoes it", () => {
    test("the push server port", async () => {
      await c.ksc.setPushServerPort(dpHostId, 13399);
      const preview = await drift();
      const refresh = await stack.refresh();
      const recorded = (await stack.resources()).find((r) => r.urn.endsWith("::branch-push"));
      const up = await stack.up(["--skip-preview"]);
      const restored = (await c.ksc.snapshot()).distributionPoints[0].pushServer;

      // One comparison, so a failure shows every step's outcome at once.
      const named = ["update ksc:PushServer branch-push [~port]"];
      expect({
        preview: { code: preview.code, names: changedResources(preview) },
        refresh: { code: refresh.code, names: changedResources(refresh), port: recorded?.outputs?.port },
        up: { code: up.code, names: changedResources(up) },
        console: restored,
      }).toEqual({
        preview: { code: 7, names: named },
        refresh: { code: 0, names: named, port: 13399 },
        up: { code: 0, names: named },
        console: { port: 13295, remoteAddress: "" },
      });
    });

    test("the lock on force-connection-through-DP", async () => {
      await c.ksc.setNetworkLock(policyId, CONSOLE_KEYS.forceConnectionThroughDp, false);
      const preview = await drift();
      const refresh = await stack.refresh();
      const recorded = (await stack.resources()).find((r) => r.urn.endsWith("::branch-agent-policy"));
      const up = await stack.up(["--skip-preview"]);
      const restored = (await c.ksc.networkSettings(policyId))[CONSOLE_KEYS.forceConnectionThroughDp];

      const named = ["update ksc:NetworkAgentPolicy branch-agent-policy [~forceConnectionThroughDp]"];
      expect({
        preview: { code: preview.code, names: changedResources(preview) },
        refresh: {
          code: refresh.code,
          names: changedResources(refresh),
          recorded: recorded?.outputs?.forceConnectionThroughDp,
        },
        up: { code: up.code, names: changedResources(up) },
        console: restored,
      }).toEqual({
        preview: { code: 7, names: named },
        refresh: { code: 0, names: named, recorded: { value: true, locked: false } },
        up: { code: 0, names: named },
        console: { value: true, locked: true },
      });
    });

    test("a scope group of the distribution point", async () => {
      await c.ksc.addScopeGroup(dpHostId, await c.ksc.groupId("Managed devices/Head Office"));
      const preview = await drift();
      const refresh = await stack.refresh();
      const recorded = (await stack.resources()).find((r) => r.urn.endsWith("::branch-dp"));
      const up = await stack.up(["--skip-preview"]);
      const restored = (await c.ksc.snapshot()).distributionPoints[0].scope;

      const named = ["update ksc:DistributionPoint branch-dp [~scopeGroups]"];
      expect({
        preview: { code: preview.code, names: changedResources(preview) },
        refresh: {
          code: refresh.code,
          names: changedResources(refresh),
          recorded: recorded?.outputs?.scopeGroups,
        },
        up: { code: up.code, names: changedResources(up) },
        console: restored,
      }).toEqual({
        preview: { code: 7, names: named },
        refresh: { code: 0, names: named, recorded: [BRANCH, "Managed devices/Head Office"] },
        up: { code: 0, names: named },
        console: [BRANCH],
      });
    });

    test("after up, a refreshing preview finds nothing left to do", async () => {
      expectSuccess(await drift());
    });
  });

  describe("4. what reviewers see in `preview --diff` (golden files in golden/)", () => {
    test("port 13295 → 13300 is an in-place update of exactly that property", async () => {
      await stack.setConfig("pushServerPort", "13300");

      const text = expectSuccess(await stack.preview(REVIEW_PREVIEW_ARGS)).stdout;
      expectGolden(__dirname, "port-change.diff.txt", normalizePreview(text, stack.name));

      const steps = changingSteps(await stack.previewJson());
      expect(steps.map((s) => `${s.op} ${s.name}`)).toEqual(["update branch-push"]);
      expect(changedKeys(steps[0].step.oldState?.inputs, steps[0].step.newState?.inputs)).toEqual(["port"]);

      expectSuccess(await stack.up(["--skip-preview"]));
      expect((await c.ksc.snapshot()).distributionPoints[0].pushServer).toEqual({
        port: 13300,
        remoteAddress: "",
      });
    });

    test("another device replaces the distribution point and its push server", async () => {
      await stack.setConfig("dpDevice", "milan-dp-02");

      const text = expectSuccess(await stack.preview(REVIEW_PREVIEW_ARGS)).stdout;
      expectGolden(__dirname, "device-change.diff.txt", normalizePreview(text, stack.name));

      const steps = changingSteps(await stack.previewJson());
      expect(steps.map((s) => `${s.op} ${s.name}`).sort()).toEqual([
        "replace branch-dp",
        "replace branch-push",
      ]);

      // Applied: the new DP and push server first, then the old ones go.
      expectSuccess(await stack.up(["--skip-preview"]));
      const inConsole = await c.ksc.snapshot();
      expect(inConsole.distributionPoints.map((d) => [d.device, d.scope, d.pushServer])).toEqual([
        ["milan-dp-02", [BRANCH], { port: 13300, remoteAddress: "" }],
      ]);
      expect(await stack.outputs()).toMatchObject({
        dpHostId: await c.ksc.hostId("milan-dp-02"),
        dpDisplayName: "milan-dp-02",
        pushServerPortInUse: 13300,
      });
    });
  });

  test("5. destroy: the console is back to its seeded state", async () => {
    expectSuccess(await stack.destroy());
    expect(await stack.resources()).toEqual([]);

    const inConsole = await c.ksc.snapshot();
    // Left as KSC and the provider documented it: automatic DP assignment stays off (DistributionPoint turned it
    // off), and "Do not disconnect from the Administration Server" stays on for the hosts that ran a push server
    // (KSC turned it on; PushServer never turns it off).
    const keptConnection = inConsole.devices.filter((d) => d.keepConnection).map((d) => d.name);
    expect(keptConnection).toEqual(["milan-dp-01", "milan-dp-02"]);
    expect(inConsole.automaticAssignment).toBe(false);
    // Everything else is exactly the seed: no DP, no push server, no extra policy, the default policy untouched.
    expect({
      ...inConsole,
      automaticAssignment: seeded.automaticAssignment,
      devices: inConsole.devices.map((d) => ({ ...d, keepConnection: false })),
    }).toEqual(seeded);
  });
});
