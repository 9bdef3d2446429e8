// What each operation asks of the console (issue 7: calls per create, read, update; checks that repeat nothing
// for an unchanged declaration), and that outputs built from what was written, without a read-back, are exactly
// what a later read reports (otherwise every refresh after an up would show a change).
import { resolveKeyNames } from "../ksc/keys";
import { RESOURCE_NAME_KEY } from "./common";
import { LIST_DEVICES_AFTER } from "./devices";
import * as dp from "./distributionPoint";
import * as na from "./networkAgentPolicy";
import * as ps from "./pushServer";
import type {
  DistributionPointCheckedInputs,
  NetworkAgentPolicyCheckedInputs,
  PushServerCheckedInputs,
} from "./schema.generated";
import { GROUPS, HOSTS, TestConsole, testConsole, TestContext } from "../../../test/support/inProcessConsole";

const dpInputs = (news: Record<string, unknown>): DistributionPointCheckedInputs => {
  const r = dp.check({}, news);
  expect(r.failures).toEqual([]);
  return r.inputs;
};
const psInputs = (news: Record<string, unknown>): PushServerCheckedInputs => {
  const r = ps.check({}, news);
  expect(r.failures).toEqual([]);
  return r.inputs;
};
const naInputs = (news: Record<string, unknown>): NetworkAgentPolicyCheckedInputs => {
  const r = na.check({}, news);
  expect(r.failures).toEqual([]);
  return r.inputs;
};

let ksc: TestConsole;
let ctx: TestContext;
beforeEach(() => {
  ksc = testConsole();
  ctx = ksc.context();
});

/** The calls `run` makes, in order. */
async function callsOf(run: () => Promise<unknown>): Promise<string[]> {
  const before = ksc.calls.length;
  await run();
  return ksc.calls.slice(before);
}

const MILAN_DP = HOSTS["milan-dp-01"];

describe("checks of an existing resource look up only what the program changed", () => {
  test("DistributionPoint: an unchanged declaration asks nothing; new ports read the DP; a new device looks it up", async () => {
    const { outs } = await dp.create(
      ksc.context(),
      dpInputs({ hostId: MILAN_DP, scopeGroups: ["Branch Milan"] }),
    );
    const olds = { ...dp.inputsFrom(outs), deviceName: "milan-dp-01", hostId: MILAN_DP };
    const declared = { deviceName: "milan-dp-01", scopeGroups: ["Branch Milan"], [RESOURCE_NAME_KEY]: "dp" };
    const unchanged = dpInputs(declared);
    expect(await callsOf(() => dp.verify(ctx, olds, unchanged))).toEqual([]);
    expect(unchanged.hostId).toBe(MILAN_DP); // the device of the old inputs, as a lookup would have found it

    const newPort = dpInputs({ ...declared, port: 13001 });
    expect(await callsOf(() => dp.verify(ctx, olds, newPort))).toContain("UaControl.GetUpdateAgentInfo");

    const otherDevice = dpInputs({ ...declared, deviceName: "no-such-device" });
    expect(await dp.verify(ctx, olds, otherDevice)).toEqual([
      { property: "deviceName", reason: 'no managed device has the display name or FQDN "no-such-device"' },
    ]);
  });

  test("PushServer: an unchanged DP and port ask nothing; a new port is checked against the DP", async () => {
    await dp.create(ksc.context(), dpInputs({ hostId: MILAN_DP, scopeGroups: [GROUPS.milan] }));
    const olds = { hostId: MILAN_DP, port: 13295, remoteAddress: "", adopt: false };
    expect(await callsOf(() => ps.verify(ctx, olds, psInputs({ hostId: MILAN_DP })))).toEqual([]);
    expect(await ps.verify(ctx, olds, psInputs({ hostId: MILAN_DP, port: 14000 }))).toEqual([
      {
        property: "port",
        reason: expect.stringContaining("14000 is already used by the distribution point"),
      },
    ]);
  });

  test("PushServer on a DP declared in the program: a new port is checked against the declared ports, no read", async () => {
    const { outs } = await dp.create(
      ksc.context(),
      dpInputs({ hostId: MILAN_DP, scopeGroups: [GROUPS.milan] }),
    );
    const dpOlds: Record<string, unknown> = { ...dp.inputsFrom(outs) };
    await dp.verify(
      ctx,
      dpOlds,
      dpInputs({ hostId: MILAN_DP, scopeGroups: [GROUPS.milan], nonSslPort: 14500 }),
    );
    const olds = { hostId: MILAN_DP, port: 13295, remoteAddress: "", adopt: false };
    expect(await callsOf(() => ps.verify(ctx, olds, psInputs({ hostId: MILAN_DP, port: 14000 })))).toEqual(
      [],
    );
    expect(await ps.verify(ctx, olds, psInputs({ hostId: MILAN_DP, port: 14500 }))).toEqual([
      {
        property: "port",
        reason: expect.stringContaining("14500 is already used by the distribution point"),
      },
    ]);
  });

  test("a PushServer checked after its DP was registered by the same process reads nothing more", async () => {
    await dp.create(ctx, dpInputs({ hostId: MILAN_DP, scopeGroups: [GROUPS.milan] }));
    expect(await callsOf(() => ps.verify(ctx, {}, psInputs({ hostId: MILAN_DP })))).toEqual([]);
    expect(await ps.verify(ctx, {}, psInputs({ hostId: MILAN_DP, port: 14000 }))).toEqual([
      {
        property: "port",
        reason: expect.stringContaining("14000 is already used by the distribution point"),
      },
    ]);
  });
});

describe("NetworkAgentPolicy: an unchanged group is not looked up, and duplicates are still caught", () => {
  const policy = { group: "Managed devices/Branch Milan", name: "Milan agents" };
  const named = (resourceName: string, news: Record<string, unknown>) => ({
    ...naInputs(news),
    [RESOURCE_NAME_KEY]: resourceName,
  });

  test("an existing policy with an unchanged group asks the console nothing", async () => {
    expect(await callsOf(() => na.verify(ctx, policy, named("na-a", policy)))).toEqual([]);
  });

  test.each([
    ["the existing one first", true],
    ["the new one first", false],
  ])(
    "an existing policy and a new one naming the same group another way conflict (%s)",
    async (_n, existingFirst) => {
      const existing = () => na.verify(ctx, policy, named("na-a", policy));
      const added = () => na.verify(ctx, {}, named("na-b", { ...policy, group: GROUPS.milan }));
      const [first, second] = existingFirst ? [existing, added] : [added, existing];
      expect(await first()).toEqual([]);
      expect(await second()).toEqual([
        {
          property: "name",
          reason: expect.stringMatching(
            /^NetworkAgentPolicy "na-[ab]" of this program already manages the policy "Milan agents"/,
          ),
        },
      ]);
      // A policy of that name on another group is no conflict.
      expect(await na.verify(ctx, {}, named("na-c", { ...policy, group: GROUPS.rome }))).toEqual([]);
    },
  );
});

describe("devices are listed once a process has looked up a few", () => {
  test(`the first ${LIST_DEVICES_AFTER} names are searched one by one, later ones come from one listing`, async () => {
    const names = ["milan-dp-01", "milan-dp-02", "rome-dp-01", "hq-srv-01", "milan-ws-01"];
    for (const name of names) {
      await dp.verify(ctx, {}, dpInputs({ deviceName: name, scopeGroups: [GROUPS.milan] }));
    }
    // One search per name up to the threshold, then one listing (an unfiltered search) for all the rest.
    expect(ksc.count("HostGroup.FindHosts")).toBe(LIST_DEVICES_AFTER + 1);
  });

  test("a device added after the listing is still found; a listed device by id needs no call", async () => {
    for (const name of ["milan-dp-01", "milan-dp-02", "rome-dp-01", "hq-srv-01"]) {
      await dp.verify(ctx, {}, dpInputs({ deviceName: name, scopeGroups: [GROUPS.milan] }));
    }
    const added = ksc.addHost("milan-dp-03", GROUPS.milan);
    const late = dpInputs({ deviceName: "milan-dp-03", scopeGroups: [GROUPS.milan] });
    expect(await dp.verify(ctx, {}, late)).toEqual([]);
    expect(late.hostId).toBe(added);
    expect(await callsOf(() => ps.verify(ctx, {}, psInputs({ hostId: HOSTS["milan-dp-02"] })))).not.toContain(
      "HostGroup.GetHostInfo",
    );
  });
  test("from the listing, names match regardless of case, and one that only KSC's comparison equates is not missed", async () => {
    ksc.addHost("ＲＯＭＥ-ＤＰ-０１", GROUPS.rome); // full-width letters: the same name as rome-dp-01 to the collator
    for (const name of ["milan-dp-01", "milan-dp-02", "hq-srv-01", "milan-ws-01"]) {
      await dp.verify(ctx, {}, dpInputs({ deviceName: name, scopeGroups: [GROUPS.milan] }));
    }
    const upper = dpInputs({ deviceName: "MILAN-DP-02", scopeGroups: [GROUPS.milan] });
    expect(await dp.verify(ctx, {}, upper)).toEqual([]);
    expect(upper.hostId).toBe(HOSTS["milan-dp-02"]);
    expect(
      await dp.verify(ctx, {}, dpInputs({ deviceName: "rome-dp-01", scopeGroups: [GROUPS.rome] })),
    ).toEqual([
      { property: "deviceName", reason: expect.stringMatching(/^2 managed devices match "rome-dp-01"/) },
    ]);
    expect(ksc.count("HostGroup.FindHosts")).toBe(LIST_DEVICES_AFTER + 1); // both answered from the listing
  });

  test("a listed device without the keep-connection flag is asked for it on its own", async () => {
    const { outs } = await setUpPushServer();
    const flag = resolveKeyNames({}).host.keepConnection;
    const listAll = ksc.client.hostGroup.findHosts.bind(ksc.client.hostGroup);
    // A server that leaves empty attributes out of FindHosts rows.
    jest
      .spyOn(ksc.client.hostGroup, "findHosts")
      .mockImplementation(async (filter, fields) =>
        (await listAll(filter, fields)).map(
          (r) => Object.fromEntries(Object.entries(r).filter(([k]) => k !== flag)) as typeof r,
        ),
      );
    const reader = ksc.context();
    for (const name of ["milan-dp-02", "rome-dp-01", "hq-srv-01", "milan-ws-01"]) {
      await dp.verify(reader, {}, dpInputs({ deviceName: name, scopeGroups: [GROUPS.milan] }));
    }
    const calls = await callsOf(async () => {
      expect((await ps.read(reader, MILAN_DP, outs)).props?.keepConnection).toBe(true);
    });
    expect(calls).toContain("HostGroup.GetHostInfo");
  });
});

describe("creates and updates write, and do not read back", () => {
  test("the second DP of a process: the device and the registration, nothing else", async () => {
    await dp.create(ctx, dpInputs({ hostId: MILAN_DP, scopeGroups: [GROUPS.milan] }));
    expect(
      await callsOf(() =>
        dp.create(ctx, dpInputs({ hostId: HOSTS["milan-dp-02"], scopeGroups: [GROUPS.milan] })),
      ),
    ).toEqual(["HostGroup.GetHostInfo", "UaControl.RegisterUpdateAgent"]);
  });

  test("a device made a DP by hand after the list of DPs was taken is still caught (adopt rules hold)", async () => {
    await dp.create(ctx, dpInputs({ hostId: MILAN_DP, scopeGroups: [GROUPS.milan] })); // the list is taken
    await dp.create(ksc.context(), dpInputs({ hostId: HOSTS["rome-dp-01"], scopeGroups: [GROUPS.rome] }));
    const declared = { hostId: HOSTS["rome-dp-01"], scopeGroups: [GROUPS.milan] };
    await expect(dp.create(ctx, dpInputs(declared))).rejects.toThrow(
      /already is a distribution point.*adopt: true/,
    );
    const { outs } = await dp.create(ctx, dpInputs({ ...declared, adopt: true }));
    expect(outs.adopted).toBe(true);
    expect(outs.scope.groups.map((g) => g.id)).toEqual([GROUPS.milan]);
  });

  test("a push server turned on: read and write the DP; keep-connection is on with it, not asked for", async () => {
    await dp.create(ctx, dpInputs({ hostId: MILAN_DP, scopeGroups: [GROUPS.milan] }));
    let outs;
    const calls = await callsOf(
      async () => ({ outs } = await ps.create(ctx, psInputs({ hostId: MILAN_DP }))),
    );
    expect(calls).toEqual(["UaControl.GetUpdateAgentInfo", "UaControl.ModifyUpdateAgent"]);
    expect(outs!.keepConnection).toBe(true);
    expect(ksc.keepsConnection(MILAN_DP)).toBe(true); // as the console has it
  });

  test("a push server that already ran, taken over: its device's flag is asked for (someone may have set it)", async () => {
    await setUpPushServer();
    const news = psInputs({ hostId: MILAN_DP, port: 14295, adopt: true });
    let outs;
    const calls = await callsOf(async () => ({ outs } = await ps.create(ksc.context(), news)));
    expect(calls).toContain("HostGroup.GetHostInfo");
    expect(outs!.keepConnection).toBe(ksc.keepsConnection(MILAN_DP));
  });

  test("a push server whose port changes: read and write the DP, its device's flag stands", async () => {
    const { outs: psOuts } = await setUpPushServer();
    const calls = await callsOf(() =>
      ps.update(ctx, MILAN_DP, psOuts, psInputs({ hostId: MILAN_DP, port: 14295 })),
    );
    expect(calls).toEqual(["UaControl.GetUpdateAgentInfo", "UaControl.ModifyUpdateAgent"]);
  });

  test("a policy whose settings change: one SsContents write, no GetPolicyData", async () => {
    const { outs } = await na.create(ctx, naInputs({ group: GROUPS.milan, name: "Milan agents" }));
    const calls = await callsOf(() =>
      na.update(
        ctx,
        String(outs.policyId),
        outs,
        naInputs({ group: GROUPS.milan, name: "Milan agents", useUdpPort: { value: false } }),
      ),
    );
    expect(calls).not.toContain("Policy.GetPolicyData");
  });

  test("a policy deleted in the console: a settings update says so (not a key-name error)", async () => {
    const { outs } = await na.create(ctx, naInputs({ group: GROUPS.milan, name: "Milan agents" }));
    ksc.policies.delete(outs.policyId);
    const news = naInputs({ group: GROUPS.milan, name: "Milan agents", useUdpPort: { value: false } });
    await expect(na.update(ctx, String(outs.policyId), outs, news)).rejects.toThrow(
      /no longer exists.*pulumi refresh/,
    );
  });
});

async function setUpPushServer() {
  await dp.create(ctx, dpInputs({ hostId: MILAN_DP, scopeGroups: [GROUPS.milan] }));
  return ps.create(ctx, psInputs({ hostId: MILAN_DP }));
}

describe("outputs built from what was written equal what a read reports", () => {
  test("DistributionPoint: create and update", async () => {
    const declared = { deviceName: "milan-dp-01", scopeGroups: ["Branch Milan", GROUPS.rome], port: 13001 };
    const created = await dp.create(ctx, dpInputs(declared));
    expect((await dp.read(ksc.context(), MILAN_DP, created.outs)).props).toEqual(created.outs);
    const updated = await dp.update(ctx, MILAN_DP, created.outs, dpInputs({ ...declared, port: 13002 }));
    expect((await dp.read(ksc.context(), MILAN_DP, updated.outs)).props).toEqual(updated.outs);
  });

  test("PushServer: create and update", async () => {
    const created = await setUpPushServer();
    expect(created.outs.keepConnection).toBe(true);
    expect((await ps.read(ksc.context(), MILAN_DP, created.outs)).props).toEqual(created.outs);
    const updated = await ps.update(ctx, MILAN_DP, created.outs, psInputs({ hostId: MILAN_DP, port: 14295 }));
    expect((await ps.read(ksc.context(), MILAN_DP, updated.outs)).props).toEqual(updated.outs);
  });

  test("NetworkAgentPolicy: create and update (attributes and settings)", async () => {
    const declared = {
      group: "Managed devices/Branch Milan",
      name: "Milan agents",
      forceConnectionThroughDp: { value: true, locked: true },
      useUdpPort: { value: false },
    };
    const created = await na.create(ctx, naInputs(declared));
    const id = String(created.outs.policyId);
    expect((await na.read(ksc.context(), id, created.outs)).props).toEqual(created.outs);
    const news = naInputs({ ...declared, active: false, udpPort: { value: 15001, locked: true } });
    const updated = await na.update(ctx, id, created.outs, news);
    expect((await na.read(ksc.context(), id, updated.outs)).props).toEqual(updated.outs);
  });
});
