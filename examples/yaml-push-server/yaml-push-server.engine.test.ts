// yaml-push-server under the real Pulumi CLI and the real Pulumi YAML language host (bin/pulumi and
// bin/pulumi-language-yaml, no bin/pulumi-ksc-run), with the native plugin pulumi-resource-ksc installed by
// `make pulumi`: lifecycle steps on one stack against a fresh emulator over HTTPS. The console is read and changed
// only by raw Open API calls (test/support/raw-ksc.ts).
import { cliPath, expectSuccess, newStack, type TestStack } from "../../tools/engine";
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
import { CONSOLE_KEYS, writesBetween, type ConsoleSnapshot } from "../../test/support/raw-ksc";

jest.setTimeout(10 * 60 * 1000);

const BRANCH = "Managed devices/Branch Milan";
const POLICY = "Network Agent - push server";

describe("yaml-push-server: the push-server procedure as a Pulumi YAML program on the native plugin", () => {
  let c: Console;
  let stack: TestStack;
  let seeded: ConsoleSnapshot;
  let dpHostId: string;
  let policyId: number;

  beforeAll(async () => {
    c = await startConsole({ tls: true });
    seeded = await c.ksc.snapshot();
    dpHostId = await c.ksc.hostId("milan-dp-01");
    stack = await newStack(__dirname, { config: kscConfig(c.emu), cli: cliPath });
  });

  afterAll(async () => {
    await stack?.dispose();
    await stopConsole(c);
  });

  afterEach(async () => {
    if (stack) await expectStateHoldsNoCredentials(stack, c.emu);
  });

  test("1. up: the console holds exactly what is declared, under the ksc:index types", async () => {
    expectSuccess(await stack.up(["--skip-preview"]));

    const inConsole = await c.ksc.snapshot();
    policyId = await c.ksc.policyId(BRANCH, POLICY);
    expect(inConsole.policies.find((p) => p.id === policyId)).toEqual({
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
    expect(inConsole.distributionPoints.map((d) => [d.device, d.scope, d.pushServer])).toEqual([
      ["milan-dp-01", [BRANCH], { port: 13295, remoteAddress: "" }],
    ]);
    expect(await stack.outputs()).toEqual({
      dpHostId,
      dpDisplayName: "milan-dp-01",
      pushServerPortInUse: 13295,
      dpKeepsConnection: true,
      firewallNote: expect.stringContaining("Open TCP port 13295"),
      policyId,
    });
    // Native resources: the package's own types, no serialized provider in the state.
    expect((await stack.resources()).map((r) => r.type).sort()).toEqual([
      "ksc:index:DistributionPoint",
      "ksc:index:NetworkAgentPolicy",
      "ksc:index:PushServer",
    ]);
  });

  test("2. preview --expect-no-changes exits 0", async () => {
    expectSuccess(await stack.preview(["--expect-no-changes"]));
  });

  test("3. a push-server port changed by hand in the console: preview --refresh --expect-no-changes exits 7, up undoes it", async () => {
    await c.ksc.setPushServerPort(dpHostId, 13399);
    const preview = await stack.preview(["--refresh", "--expect-no-changes"]);
    const up = await stack.up(["--refresh", "--skip-preview"]);
    const restored = (await c.ksc.snapshot()).distributionPoints[0].pushServer;
    const after = await stack.preview(["--refresh", "--expect-no-changes"]);

    const named = ["update ksc:PushServer branch-push [~port]"];
    expect({
      preview: { code: preview.code, names: changedResources(preview) },
      up: { code: up.code, names: changedResources(up) },
      console: restored,
      after: after.code,
    }).toEqual({
      preview: { code: 7, names: named },
      up: { code: 0, names: named },
      console: { port: 13295, remoteAddress: "" },
      after: 0,
    });
  });

  test("4. port 13295 → 13300 is an in-place update of exactly that property (golden preview --diff)", async () => {
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

  test("5. bad input fails the preview with the engine's check failure naming the property; nothing is written", async () => {
    await stack.setConfig("pushServerPort", "70000");
    const calls = { ...c.emu.counters().calls };
    const preview = await stack.preview();
    await stack.setConfig("pushServerPort", "13300");

    const text = `${preview.stdout}${preview.stderr}`;
    expect({
      failed: preview.code !== 0,
      failure:
        /ksc:index:PushServer resource 'branch-push': property port value \{70000\} has a problem: must be between 1 and 65535/.test(
          text,
        ),
      writes: writesBetween(calls, c.emu.counters().calls),
    }).toEqual({ failed: true, failure: true, writes: {} });
  });

  test("6. destroy without PULUMI_RUN_PROGRAM (the plugin always has the stack's current configuration): the console is back to its seeded state", async () => {
    expectSuccess(await stack.run(["destroy", "--yes"], { env: { PULUMI_RUN_PROGRAM: undefined } }));
    expect(await stack.resources()).toEqual([]);

    const inConsole = await c.ksc.snapshot();
    // As documented for the dynamic provider: automatic DP assignment stays off, and the DP host that ran a push
    // server keeps "Do not disconnect from the Administration Server".
    expect(inConsole.devices.filter((d) => d.keepConnection).map((d) => d.name)).toEqual(["milan-dp-01"]);
    expect(inConsole.automaticAssignment).toBe(false);
    expect({
      ...inConsole,
      automaticAssignment: seeded.automaticAssignment,
      devices: inConsole.devices.map((d) => ({ ...d, keepConnection: false })),
    }).toEqual(seeded);
  });
});
