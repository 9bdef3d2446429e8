// What a user meets when a program's declarations go wrong or come in another form, under the real engine
// (programs/declare of the fault tests: the resources are listed in stack config):
// - a second declaration for a device (or a push server) the stack already manages fails on the NEW declaration and
//   names the stack's own resource, whichever of the two the program declares first, and never suggests adopt;
// - a group path with a trailing "/" (as KSC's full group names and the status page show it) is the same group: no
//   failure, and no change against the path without it;
// - a 10,000-character value is not printed in full;
// - a push server turned off by hand shows in `preview --refresh` as an update of the existing PushServer.
import { CONSOLE_KEYS } from "../support/raw-ksc";
import { expectSuccess, type PulumiResult, type TestStack } from "../../tools/engine";
import { changedResources } from "../support/lifecycle";
import { hostIdOf, snapshot } from "../support/fault/console";
import { Declaration, declare, declareDir } from "../support/fault/declare";
import { Ksc, errorLines, kscStack } from "../support/fault/fixture";

jest.setTimeout(10 * 60 * 1000);

const MILAN = "Managed devices/Branch Milan";
const ROME = "Managed devices/Branch Rome";

const dp = (name: string, args: Record<string, unknown>): Declaration => ({
  kind: "DistributionPoint",
  name,
  args,
});
const push = (name: string, args: Record<string, unknown>): Declaration => ({
  kind: "PushServer",
  name,
  args,
});
const policy = (name: string, args: Record<string, unknown>): Declaration => ({
  kind: "NetworkAgentPolicy",
  name,
  args,
});

/** The error lines about one resource (the engine names it as `resource 'NAME'`). */
function errorsOf(r: PulumiResult, name: string): string[] {
  return errorLines(r).filter((l) => l.includes(`resource '${name}'`));
}

describe("declarations under the real engine", () => {
  let ksc: Ksc;
  let stack: TestStack;
  let milanDp: string;

  beforeAll(async () => {
    ksc = await Ksc.start();
    milanDp = hostIdOf(await snapshot(ksc.raw), "milan-dp-01");
    stack = await kscStack(declareDir, ksc, { config: { resources: "[]" } });
  });

  afterAll(async () => {
    await stack?.dispose();
    await ksc?.stop();
  });

  describe("a second declaration for what the stack already manages", () => {
    const existingDp = dp("dp-old", { deviceName: "milan-dp-01", scopeGroups: [MILAN] });
    const existingPush = push("push-old", { hostId: "${dp-old.hostId}", port: 13295 });
    let before: Awaited<ReturnType<typeof snapshot>>;

    beforeAll(async () => {
      await declare(stack, [existingDp, existingPush]);
      expectSuccess(await stack.up());
      before = await snapshot(ksc.raw);
    });

    // The new declaration differs from the console (another scope group, another port), as one added by mistake does.
    const newDp = dp("dp-new", { hostId: "@milan", scopeGroups: [ROME] });
    const newPush = push("push-new", { hostId: "@milan", port: 13296 });
    const withIds = (ds: Declaration[]): Declaration[] =>
      ds.map((d) => ({
        ...d,
        args: Object.fromEntries(Object.entries(d.args).map(([k, v]) => [k, v === "@milan" ? milanDp : v])),
      }));

    test.each([
      [
        "DistributionPoint, the new one declared after",
        [existingDp, existingPush, newDp],
        "dp-new",
        "dp-old",
      ],
      [
        "DistributionPoint, the new one declared before",
        [newDp, existingDp, existingPush],
        "dp-new",
        "dp-old",
      ],
      ["PushServer, the new one declared after", [existingDp, existingPush, newPush], "push-new", "push-old"],
      [
        "PushServer, the new one declared before",
        [newPush, existingDp, existingPush],
        "push-new",
        "push-old",
      ],
    ])(
      "%s: the error is on the new declaration, the stack's own resource passes",
      async (_t, ds, added, own) => {
        await declare(stack, withIds(ds));
        const r = await stack.preview();
        const onNew = errorsOf(r, added);
        expect({
          failed: r.code !== 0,
          errorOnNew: onNew.length > 0,
          errorsOnOwn: errorsOf(r, own),
          // It names the stack's resource when that one was checked first. The engine checks in registration order,
          // which the program does not fix (a PushServer given dp.hostId registers only once its DP did, so a new one
          // with a literal host id always comes first): then the new one cannot know it yet, and says what to do in
          // either case (provider/src/resources/state.ts).
          namesOwnOrSaysRemove: onNew.some(
            (l) =>
              l.includes(`"${own}" of this stack already`) ||
              /If another \w+ of this stack (manages|runs) it, remove this declaration/.test(l),
          ),
          console: await snapshot(ksc.raw),
        }).toEqual({
          failed: true,
          errorOnNew: true,
          errorsOnOwn: [],
          namesOwnOrSaysRemove: true,
          console: before,
        });
      },
    );

    afterAll(async () => {
      await declare(stack, []);
      expectSuccess(await stack.up());
    });
  });

  describe("one program: paths with a trailing /, a long value, a push server turned off by hand", () => {
    const program = (group: string) => [
      dp("dp", { deviceName: "milan-dp-01", scopeGroups: [group] }),
      push("push", { hostId: "${dp.hostId}", port: 13295 }),
      policy("policy", { group, name: "Network Agent - push server" }),
    ];

    beforeAll(async () => {
      await declare(stack, program(MILAN));
      expectSuccess(await stack.up());
    });

    afterAll(async () => {
      await declare(stack, []);
      expectSuccess(await stack.up());
    });

    test("a group path copied with its trailing / is the same group: no failure, no change", async () => {
      await declare(stack, program(`${MILAN}/`));
      const r = await stack.preview(["--expect-no-changes"]);
      expect({ code: r.code, errors: errorLines(r) }).toEqual({ code: 0, errors: [] });
      await declare(stack, program(MILAN));
    });

    test("a 10,000-character value is named with its length, never printed in full", async () => {
      const long = "x".repeat(10_000);
      await declare(stack, [...program(MILAN), dp("dp-long", { deviceName: long, scopeGroups: [MILAN] })]);
      const r = await stack.preview();
      await declare(stack, program(MILAN));
      const text = `${r.stdout}\n${r.stderr}`;
      expect({
        failed: r.code !== 0,
        printedInFull: text.includes("x".repeat(200)),
        named: errorsOf(r, "dp-long").some((l) =>
          /deviceName: must be at most 255 characters long, got 10000/.test(l),
        ),
      }).toEqual({ failed: true, printedInFull: false, named: true });
    });

    test("a push server turned off by hand is an update of the existing PushServer, and up turns it on again", async () => {
      const hostId = milanDp;
      await ksc.raw.changeDp(hostId, { [CONSOLE_KEYS.pushServerEnabled]: false });
      const preview = await stack.preview(["--refresh", "--expect-no-changes"]);
      // What a reviewer reads in `preview --diff`: the existing PushServer updated, its push server off.
      const review = (await stack.preview(["--refresh", "--diff"])).stdout;
      console.log(`preview --refresh --diff after the push server was turned off by hand:\n${review}`);
      const up = await stack.up(["--refresh"]);
      const after = await ksc.raw.dp(hostId);
      const again = await stack.preview(["--refresh", "--expect-no-changes"]);
      expect({
        preview: {
          code: preview.code,
          changes: changedResources(preview),
          review: {
            update: /~ pulumi-nodejs:dynamic\/ksc:PushServer: \(update\)/.test(review),
            off: /- running\s*: false/.test(review),
            create: /\+ pulumi-nodejs:dynamic\/ksc:PushServer: \(create\)/.test(review),
          },
        },
        up: { code: up.code, changes: changedResources(up) },
        running: (after as Record<string, unknown> | undefined)?.[CONSOLE_KEYS.pushServerEnabled],
        again: again.code,
      }).toEqual({
        preview: {
          code: 7,
          changes: ["update ksc:PushServer push [-running]"],
          review: { update: true, off: true, create: false },
        },
        up: { code: 0, changes: ["update ksc:PushServer push [-running]"] },
        running: true,
        again: 0,
      });
    });
  });
});
