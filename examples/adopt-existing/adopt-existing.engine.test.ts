// adopt-existing under the real Pulumi engine: an "administrator" makes a DP and a Network Agent policy by raw
// Open API calls (setup-console.ts), then the program takes them over with `adopt: true` without recreating or
// changing them. Plain HTTP emulator; the console is read and changed only by raw calls.
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
import { EXISTING, setupConsole } from "./setup-console";

jest.setTimeout(10 * 60 * 1000);

/** Calls of each method the emulator answered since `before`. */
function callsSince(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(after)
      .map(([m, n]) => [m, n - (before[m] ?? 0)] as const)
      .filter(([, n]) => n > 0),
  );
}

describe("adopt-existing: taking over a DP and a Network Agent policy made by hand", () => {
  let c: Console;
  let stack: TestStack;
  let seeded: ConsoleSnapshot;
  let existing: ConsoleSnapshot;
  let made: { dpHostId: string; policyId: number };

  beforeAll(async () => {
    c = await startConsole({ tls: false });
    seeded = await c.ksc.snapshot();
    made = await setupConsole(c.ksc);
    existing = await c.ksc.snapshot();
    stack = await newStack(__dirname, { config: kscConfig(c.emu) });
  });

  afterAll(async () => {
    await stack?.dispose();
    await stopConsole(c);
  });

  afterEach(async () => {
    if (stack) await expectStateHoldsNoCredentials(stack, c.emu);
  });

  test("0. the administrator's objects exist before Pulumi", () => {
    expect(existing.distributionPoints.map((d) => [d.device, d.scope, d.pushServer])).toEqual([
      [EXISTING.dpDevice, [EXISTING.group], null],
    ]);
    expect(existing.policies.find((p) => p.id === made.policyId)).toMatchObject({
      name: EXISTING.policyName,
      group: EXISTING.group,
    });
  });

  test("1. up adopts both: same objects, nothing created, nothing changed in the console", async () => {
    const before = c.emu.counters().calls;
    expectSuccess(await stack.up(["--skip-preview"]));
    const calls = callsSince(before, c.emu.counters().calls);

    expect(await stack.outputs()).toEqual({
      dpHostId: made.dpHostId,
      dpAdopted: true,
      policyId: made.policyId,
      policyAdopted: true,
    });
    expect(await c.ksc.snapshot()).toEqual(existing);
    // Not recreated: no registration, removal, creation or deletion reached the console.
    const recreating = [
      "UaControl.RegisterUpdateAgent",
      "UaControl.UnregisterUpdateAgent",
      "Policy.AddPolicy",
    ];
    expect(Object.keys(calls).filter((m) => recreating.includes(m) || m === "Policy.DeletePolicy")).toEqual(
      [],
    );
  });

  test("2. preview --expect-no-changes exits 0", async () => {
    expectSuccess(await stack.preview(["--expect-no-changes"]));
  });

  test("3. drift: the padlock of 'Use UDP port' closed in the console is named, recorded and undone", async () => {
    await c.ksc.setNetworkLock(made.policyId, CONSOLE_KEYS.useUdpPort, true);
    const preview = await stack.preview(["--refresh", "--expect-no-changes"]);
    const refresh = await stack.refresh();
    const recorded = (await stack.resources()).find((r) => r.urn.endsWith("::hq-agent-policy"));
    const up = await stack.up(["--skip-preview"]);
    const restored = await c.ksc.snapshot();

    const named = ["update ksc:NetworkAgentPolicy hq-agent-policy [~useUdpPort]"];
    expect({
      preview: { code: preview.code, names: changedResources(preview) },
      refresh: {
        code: refresh.code,
        names: changedResources(refresh),
        recorded: recorded?.outputs?.useUdpPort,
      },
      up: { code: up.code, names: changedResources(up) },
      consoleRestored: restored,
    }).toEqual({
      preview: { code: 7, names: named },
      refresh: { code: 0, names: named, recorded: { value: true, locked: true } },
      up: { code: 0, names: named },
      consoleRestored: existing,
    });
  });

  describe("4. what reviewers see in `preview --diff` (golden files in golden/)", () => {
    test("a new policy name is an in-place update of the adopted policy", async () => {
      await stack.setConfig("policyName", "Head Office agents (Pulumi)");

      const text = expectSuccess(await stack.preview(REVIEW_PREVIEW_ARGS)).stdout;
      expectGolden(__dirname, "rename-policy.diff.txt", normalizePreview(text, stack.name));
      const steps = changingSteps(await stack.previewJson());
      expect(steps.map((s) => `${s.op} ${s.name}`)).toEqual(["update hq-agent-policy"]);
      expect(changedKeys(steps[0].step.oldState?.inputs, steps[0].step.newState?.inputs)).toEqual(["name"]);

      expectSuccess(await stack.up(["--skip-preview"]));
      expect((await c.ksc.snapshot()).policies.find((p) => p.id === made.policyId)?.name).toBe(
        "Head Office agents (Pulumi)",
      );
    });

    test("another device replaces the distribution point (not applied)", async () => {
      await stack.setConfig("dpDevice", "hq-srv-01");

      const text = expectSuccess(await stack.preview(REVIEW_PREVIEW_ARGS)).stdout;
      expectGolden(__dirname, "device-change.diff.txt", normalizePreview(text, stack.name));
      const steps = changingSteps(await stack.previewJson());
      expect(steps.map((s) => `${s.op} ${s.name}`)).toEqual(["replace hq-dp"]);

      expectSuccess(await stack.run(["config", "rm", "dpDevice"]));
      expectSuccess(await stack.preview(["--expect-no-changes"]));
    });
  });

  test("5. destroy removes the adopted objects: the console is back to its seed", async () => {
    expectSuccess(await stack.destroy());
    expect(await stack.resources()).toEqual([]);
    // The administrator turned automatic DP assignment off to make the DP by hand; everything else is the seed.
    expect(await c.ksc.snapshot()).toEqual({ ...seeded, automaticAssignment: false });
  });
});
