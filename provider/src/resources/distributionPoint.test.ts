import { InputError, UNKNOWN } from "./common";
import * as dp from "./distributionPoint";
import type { DistributionPointCheckedInputs, DistributionPointOutputs } from "./schema.generated";
import {
  GROUPS,
  HOSTS,
  SHARED_NAME,
  TestConsole,
  testConsole,
  TestContext,
} from "../../../test/support/inProcessConsole";

const checked = (news: Record<string, unknown>): DistributionPointCheckedInputs => {
  const r = dp.check({}, news);
  expect(r.failures).toEqual([]);
  return r.inputs;
};

describe("DistributionPoint check", () => {
  const base = { deviceName: "milan-dp-01", scopeGroups: ["Managed devices/Branch Milan"] };
  test.each<[string, Record<string, unknown>, { property: string; reason: string }[]]>([
    ["a device by name and one group", base, []],
    ["a device by host id, groups by id and path", { hostId: "guid", scopeGroups: [20, "Branch Rome"] }, []],
    ["only NLA networks as scope", { hostId: "guid", scopeNlaNetworks: [3] }, []],
    [
      "a group path with a trailing / (copied from the status page)",
      { ...base, scopeGroups: ["Managed devices/Branch Milan/"] },
      [],
    ],
    [
      "port out of range",
      { ...base, port: 70000 },
      [{ property: "port", reason: "must be between 1 and 65535, got 70000" }],
    ],
    ["port 0", { ...base, port: 0 }, [{ property: "port", reason: "must be between 1 and 65535, got 0" }]],
    [
      "port as text",
      { ...base, port: "13000" },
      [{ property: "port", reason: 'must be a whole number, got "13000"' }],
    ],
    [
      "both hostId and deviceName",
      { ...base, hostId: "guid" },
      [
        {
          property: "deviceName",
          reason: "set exactly one of hostId (the device's host id) or deviceName (its display name or FQDN)",
        },
      ],
    ],
    [
      "neither hostId nor deviceName",
      { scopeGroups: [20] },
      [
        {
          property: "deviceName",
          reason: "set exactly one of hostId (the device's host id) or deviceName (its display name or FQDN)",
        },
      ],
    ],
    [
      "no scope",
      { deviceName: "milan-dp-01", scopeGroups: [] },
      [{ property: "scopeGroups", reason: expect.stringContaining("a distribution point needs a scope") }],
    ],
    [
      "same port twice",
      { ...base, port: 14000 },
      [{ property: "nonSslPort", reason: "must differ from port (both are 14000)" }],
    ],
    [
      "not a multicast address",
      { ...base, multicastAddress: "10.0.0.1" },
      [
        {
          property: "multicastAddress",
          reason: 'must be an IPv4 multicast address (224.0.0.0 to 239.255.255.255) or empty, got "10.0.0.1"',
        },
      ],
    ],
    ["a multicast address", { ...base, multicastAddress: "239.255.0.1" }, []],
    [
      "a group path with an empty segment",
      { deviceName: "x", scopeGroups: ["Managed devices//Milan"] },
      [
        {
          property: "scopeGroups",
          reason: expect.stringMatching(/^item 1: must be a group id .* got "Managed devices\/\/Milan"$/),
        },
      ],
    ],
    [
      "a negative group id",
      { deviceName: "x", scopeGroups: [-1] },
      [{ property: "scopeGroups", reason: "item 1: must be at least 0, got -1" }],
    ],
    [
      "the same group twice",
      { deviceName: "x", scopeGroups: [20, 20] },
      [{ property: "scopeGroups", reason: "lists the same value twice (items 1 and 2)" }],
    ],
    [
      "a custom folder too long",
      { ...base, customFolder: "x".repeat(261) },
      [{ property: "customFolder", reason: "must be at most 260 characters long, got 261" }],
    ],
    [
      "an unknown property",
      { ...base, pushPort: 1 },
      [
        {
          property: "pushPort",
          reason: expect.stringMatching(/^unknown property \(known: hostId, deviceName/),
        },
      ],
    ],
    [
      "a device name with spaces around",
      { ...base, deviceName: " milan" },
      [{ property: "deviceName", reason: expect.stringContaining("without leading or trailing spaces") }],
    ],
  ])("%s", (_name, news, failures) => {
    expect(dp.check({}, { __provider: "p", ...news }).failures).toEqual(failures);
  });

  test("fills in the defaults from schema.json and keeps __provider", () => {
    expect(dp.check({}, { __provider: "p", ...base }).inputs).toEqual({
      __provider: "p",
      ...base,
      port: 13000,
      nonSslPort: 14000,
      scopeNlaNetworks: [],
      multicastAddress: "",
      distributeUpdates: true,
      distributePackages: true,
      customFolder: "",
      connectionGateway: false,
      gatewayRemoteAddress: "",
      gatewayServerInitiatesConnection: false,
      disableAutomaticAssignment: true,
      adopt: false,
    });
  });

  test("at preview, unknown values pass and are kept as they are", () => {
    const r = dp.check({}, { hostId: UNKNOWN, scopeGroups: [20, UNKNOWN], port: UNKNOWN });
    expect(r.failures).toEqual([]);
    expect(r.inputs).toMatchObject({
      hostId: UNKNOWN,
      scopeGroups: [20, UNKNOWN],
      port: UNKNOWN,
      nonSslPort: 14000,
    });
    // A whole unknown scope is not reported as an empty scope.
    expect(dp.check({}, { hostId: "h", scopeGroups: UNKNOWN }).failures).toEqual([]);
  });
});

/** Outputs as read after creating milan-dp-01 with Branch Milan + Branch Rome. */
function outputs(overrides: Partial<DistributionPointOutputs> = {}): DistributionPointOutputs {
  return {
    hostId: HOSTS["milan-dp-01"],
    deviceName: "milan-dp-01",
    displayName: "milan-dp-01",
    fqdn: "milan-dp-01.corp.example",
    scopeGroups: ["Managed devices/Branch Milan", 30],
    scopeNlaNetworks: [],
    scope: {
      groups: [
        { id: 20, name: "Branch Milan", path: "Managed devices/Branch Milan" },
        { id: 30, name: "Branch Rome", path: "Managed devices/Branch Rome" },
      ],
      nlaNetworks: [],
    },
    port: 13000,
    nonSslPort: 14000,
    multicastAddress: "",
    distributeUpdates: true,
    distributePackages: true,
    customFolder: "",
    connectionGateway: false,
    gatewayRemoteAddress: "",
    gatewayServerInitiatesConnection: false,
    disableAutomaticAssignment: true,
    adopt: false,
    adopted: false,
    ...overrides,
  };
}

test("DistributionPoint check drops a trailing / from group paths (ids and unknowns stay)", () => {
  const r = dp.check({}, { hostId: "h", scopeGroups: ["Managed devices/Branch Milan/", 30, UNKNOWN] });
  expect(r.failures).toEqual([]);
  expect(r.inputs.scopeGroups).toEqual(["Managed devices/Branch Milan", 30, UNKNOWN]);
});

describe("DistributionPoint diff", () => {
  const declared = { deviceName: "milan-dp-01", scopeGroups: ["Managed devices/Branch Milan", 30] };
  test.each<[string, Partial<DistributionPointOutputs>, Record<string, unknown>, string[], string[]]>([
    ["nothing changed", {}, declared, [], []],
    ["a default left out vs written out", {}, { ...declared, port: 13000, distributeUpdates: true }, [], []],
    [
      "scope groups in another order",
      {},
      { ...declared, scopeGroups: [30, "Managed devices/Branch Milan"] },
      [],
      [],
    ],
    ["a group by id instead of by path", {}, { ...declared, scopeGroups: [20, 30] }, [], []],
    [
      "a group path with a trailing / (as KSC's full group names have it)",
      {},
      { ...declared, scopeGroups: ["Managed devices/Branch Milan/", 30] },
      [],
      [],
    ],
    [
      "a group by path instead of by id",
      {},
      { ...declared, scopeGroups: ["Branch Milan", "Managed devices/Branch Rome"] },
      [],
      [],
    ],
    [
      "a path in other letter case",
      {},
      { ...declared, scopeGroups: ["managed devices/branch milan", 30] },
      [],
      [],
    ],
    [
      "the device by host id instead of by name",
      {},
      { hostId: HOSTS["milan-dp-01"], scopeGroups: declared.scopeGroups },
      [],
      [],
    ],
    ["the device by FQDN", {}, { ...declared, deviceName: "MILAN-DP-01.corp.example" }, [], []],
    ["adopt changed", {}, { ...declared, adopt: true }, [], []],
    ["disableAutomaticAssignment changed", {}, { ...declared, disableAutomaticAssignment: false }, [], []],
    [
      "another provider version",
      { __provider: "old" } as Partial<DistributionPointOutputs>,
      { ...declared, __provider: "new" },
      [],
      [],
    ],
    [
      "the push server's fields in the outputs",
      { keepConnection: true } as Partial<DistributionPointOutputs>,
      declared,
      [],
      [],
    ],
    ["port changed in the console", { port: 13001 }, declared, ["port"], []],
    [
      "a setting changed in the program",
      {},
      { ...declared, distributePackages: false },
      ["distributePackages"],
      [],
    ],
    ["a group removed", {}, { ...declared, scopeGroups: [20] }, ["scopeGroups"], []],
    ["a group added", {}, { ...declared, scopeGroups: [20, 30, 10] }, ["scopeGroups"], []],
    [
      "a group added in the console",
      {
        scope: {
          groups: [
            ...outputs().scope.groups,
            { id: 10, name: "Head Office", path: "Managed devices/Head Office" },
          ],
          nlaNetworks: [],
        },
      },
      declared,
      ["scopeGroups"],
      [],
    ],
    [
      "the same group twice (by id and by path)",
      {},
      { ...declared, scopeGroups: [20, "Branch Milan", 30] },
      ["scopeGroups"],
      [],
    ],
    ["an NLA network added", {}, { ...declared, scopeNlaNetworks: [4] }, ["scopeNlaNetworks"], []],
    [
      "another device by name",
      {},
      { ...declared, deviceName: "milan-dp-02" },
      ["deviceName"],
      ["deviceName"],
    ],
    [
      "another device by host id",
      {},
      { ...declared, deviceName: undefined, hostId: "guid-other" },
      ["hostId"],
      ["hostId"],
    ],
    [
      "a device not known yet",
      {},
      { ...declared, deviceName: undefined, hostId: UNKNOWN },
      ["hostId"],
      ["hostId"],
    ],
    ["scope not known yet", {}, { ...declared, scopeGroups: [20, UNKNOWN] }, ["scopeGroups"], []],
    ["a port not known yet", {}, { ...declared, port: UNKNOWN }, ["port"], []],
  ])("%s", (_name, olds, news, diffs, replaces) => {
    const r = dp.diff({ ...outputs(), ...olds }, dp.check({}, news).inputs);
    expect({ diffs: r.diffs, replaces: r.replaces, changes: r.changes }).toEqual({
      diffs,
      replaces,
      changes: diffs.length > 0,
    });
  });
});

describe("DistributionPoint against the console", () => {
  let ksc: TestConsole;
  let ctx: TestContext;
  const milanDp = HOSTS["milan-dp-01"];
  const declared = () =>
    checked({
      deviceName: "milan-dp-01",
      scopeGroups: ["Managed devices/Branch Milan", GROUPS.rome],
      port: 13001,
    });

  beforeEach(() => {
    ksc = testConsole();
    ctx = ksc.context();
  });

  const consoleScopeIds = (hostId: string) => ksc.dp(hostId)!.scopeGroupIds;

  test("create registers the device with the declared settings and reads them back", async () => {
    const { id, outs } = await dp.create(ctx, declared());
    expect(id).toBe(milanDp);
    const stored = ksc.dp(milanDp)!;
    expect(stored.port).toBe(13001);
    expect(consoleScopeIds(milanDp)).toEqual([GROUPS.milan, GROUPS.rome]);
    expect(stored.pushServerEnabled).toBe(false); // the push server's fields are left alone
    expect(outs).toMatchObject({
      hostId: milanDp,
      displayName: "milan-dp-01",
      deviceName: "milan-dp-01",
      fqdn: "milan-dp-01.corp.example",
      port: 13001,
      scopeGroups: ["Managed devices/Branch Milan", GROUPS.rome],
      scope: {
        groups: [
          { id: GROUPS.milan, name: "Branch Milan", path: "Managed devices/Branch Milan" },
          { id: GROUPS.rome, name: "Branch Rome", path: "Managed devices/Branch Rome" },
        ],
        nlaNetworks: [],
      },
      adopted: false,
    });
    expect(dp.diff(outs, declared()).changes).toBe(false);
  });

  test("create turns automatic assignment off (and says so), or fails when told not to", async () => {
    ksc.assignAutomatically = true;
    await expect(dp.create(ctx, { ...declared(), disableAutomaticAssignment: false })).rejects.toThrow(
      /^disableAutomaticAssignment: the Administration Server assigns distribution points automatically/,
    );
    expect(ksc.dps.size).toBe(0);
    await dp.create(ctx, declared());
    expect(ksc.assignAutomatically).toBe(false);
    expect(ctx.logs).toContainEqual({
      level: "warn",
      message: expect.stringContaining("turned off the automatic assignment"),
    });
  });

  test("create fails on a device that already is a DP with other settings, and says how to adopt", async () => {
    await dp.create(ctx, checked({ hostId: milanDp, scopeGroups: [GROUPS.milan] }));
    const err = await dp.create(ctx, declared()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).property).toBe("deviceName");
    expect((err as Error).message).toMatch(
      new RegExp(
        String.raw`already is a distribution point, with other settings \(port: 13000 in the console, 13001 declared; scopeGroups: ids \[${GROUPS.milan}\] in the console, \[${GROUPS.milan},${GROUPS.rome}\] declared\)\. To manage it with this resource, set adopt: true`,
      ),
    );
    expect(ksc.dp(milanDp)!.port).toBe(13000); // untouched
  });

  test("create with adopt: true takes over an existing DP and converges it", async () => {
    await dp.create(ctx, checked({ hostId: milanDp, scopeGroups: [GROUPS.milan] }));
    const { outs } = await dp.create(ctx, { ...declared(), adopt: true });
    expect(outs.adopted).toBe(true);
    expect(outs.port).toBe(13001);
    expect(consoleScopeIds(milanDp)).toEqual([GROUPS.milan, GROUPS.rome]);
  });

  test("create of a DP that exists exactly as declared (an earlier run's lost result) manages it without writing", async () => {
    await dp.create(ctx, declared());
    const writes = () =>
      ksc.count("UaControl.RegisterUpdateAgent") + ksc.count("UaControl.ModifyUpdateAgent");
    const before = writes();
    const { id, outs } = await dp.create(ctx, declared());
    expect(id).toBe(milanDp);
    expect(outs.adopted).toBe(true);
    expect(writes()).toBe(before);
  });

  test("create whose registration reply is lost still succeeds once, without a second registration", async () => {
    ksc.fail("UaControl.RegisterUpdateAgent", "dropAfterApply");
    const { outs } = await dp.create(ctx, declared());
    expect(outs.port).toBe(13001);
    expect(ksc.count("UaControl.RegisterUpdateAgent")).toBe(1);
  });

  test("create fails with what it was doing when the registration is refused", async () => {
    // Refused on every attempt (a transient refusal is tried CREATE_ATTEMPTS times: confirmedWrites.test.ts).
    ksc.fail("UaControl.RegisterUpdateAgent", "klstd1195", 3);
    await expect(dp.create(ctx, declared())).rejects.toThrow(
      new RegExp(
        String.raw`^making milan-dp-01 \(hostId "${HOSTS["milan-dp-01"]}"\) a distribution point: UaControl.RegisterUpdateAgent: KLSTD 1195`,
      ),
    );
    expect(ksc.dps.size).toBe(0);
  });

  test("update overlays only the DP's own fields: the push server's and unknown keys survive", async () => {
    await dp.create(ctx, declared());
    const stored = ksc.dp(milanDp)!;
    stored.pushServerEnabled = true;
    stored.pushServerPort = 13295;
    ksc.dps.get(milanDp)!.map.set("SomeFutureKey", "kept");
    const olds = (await dp.read(ctx, milanDp, { deviceName: "milan-dp-01" })).props!;
    const { outs } = await dp.update(ctx, milanDp, olds, {
      ...declared(),
      distributePackages: false,
      scopeGroups: [GROUPS.milan],
    });
    const after = ksc.dp(milanDp)!;
    expect(after.pushServerEnabled).toBe(true);
    expect(after.pushServerPort).toBe(13295);
    expect(ksc.dps.get(milanDp)!.map.get("SomeFutureKey")).toBe("kept");
    expect(after.distributePackages).toBe(false);
    expect(consoleScopeIds(milanDp)).toEqual([GROUPS.milan]);
    expect(outs).toMatchObject({ distributePackages: false, scopeGroups: [GROUPS.milan] });
  });

  test("update refuses a port the DP's push server uses", async () => {
    await dp.create(ctx, declared());
    ksc.dp(milanDp)!.pushServerEnabled = true;
    const olds = (await dp.read(ctx, milanDp, {})).props!;
    await expect(dp.update(ctx, milanDp, olds, { ...declared(), port: 13295 })).rejects.toThrow(
      /^port: 13295 is the port of the push server running on this distribution point/,
    );
  });

  test("read reports a change made in the console, and diff shows it", async () => {
    const { outs } = await dp.create(ctx, declared());
    ksc.dp(milanDp)!.port = 13555;
    const r = await dp.read(ctx, milanDp, outs);
    expect(r.id).toBe(milanDp);
    expect(r.props!.port).toBe(13555);
    expect(r.inputs).toMatchObject({
      deviceName: "milan-dp-01",
      port: 13555,
      scopeGroups: ["Managed devices/Branch Milan", GROUPS.rome],
    });
    expect(dp.diff(r.props!, declared()).diffs).toEqual(["port"]);
  });

  test("read keeps the declared form of scope groups and appends groups added in the console as paths", async () => {
    const { outs } = await dp.create(ctx, declared());
    const stored = ksc.dp(milanDp)!;
    stored.scopeGroupIds = [...stored.scopeGroupIds, GROUPS.servers];
    const r = await dp.read(ctx, milanDp, outs);
    expect(r.props!.scopeGroups).toEqual([
      "Managed devices/Branch Milan",
      GROUPS.rome,
      "Managed devices/Head Office/Servers",
    ]);
    expect(dp.diff(r.props!, declared()).diffs).toEqual(["scopeGroups"]);
    // The inputs read back produce no diff against the outputs read back.
    expect(dp.diff(r.props!, r.inputs!).changes).toBe(false);
  });

  test("read of a DP removed in the console drops it (empty id)", async () => {
    const { outs } = await dp.create(ctx, declared());
    ksc.dps.delete(milanDp);
    expect(await dp.read(ctx, milanDp, outs)).toEqual({ id: "" });
  });

  test("delete removes the DP role, and a second delete is fine", async () => {
    const { outs } = await dp.create(ctx, declared());
    await dp.delete(ctx, milanDp, outs);
    expect(ksc.dps.has(milanDp)).toBe(false);
    await expect(dp.delete(ctx, milanDp, outs)).resolves.toBeUndefined();
  });
});

describe("DistributionPoint verify (read-only lookups at preview)", () => {
  let ksc: TestConsole;
  let ctx: TestContext;
  beforeEach(() => {
    ksc = testConsole();
    ctx = ksc.context();
  });
  const writes = () => ksc.calls.filter((c) => !/\.(Get|Find|GroupId)/.test(c));

  test.each<
    [
      string,
      Record<string, unknown>,
      { property: string; reason: string | ReturnType<typeof expect.stringMatching> }[],
    ]
  >([
    ["a known device and groups", { deviceName: "milan-dp-01", scopeGroups: ["Branch Milan"] }, []],
    [
      "no such device",
      { deviceName: "nowhere-01", scopeGroups: [GROUPS.milan] },
      [{ property: "deviceName", reason: 'no managed device has the display name or FQDN "nowhere-01"' }],
    ],
    [
      "a name two devices share",
      { deviceName: "shared-name-01", scopeGroups: [GROUPS.milan] },
      [
        {
          property: "deviceName",
          reason: expect.stringMatching(
            new RegExp(
              String.raw`^2 managed devices match "shared-name-01": shared-name-01 \(hostId "${SHARED_NAME.milan}", group "Managed devices\/Branch Milan\/Workstations"\); shared-name-01 \(hostId "${SHARED_NAME.rome}", group "Managed devices\/Branch Rome\/Workstations"\)\. Set hostId`,
            ),
          ),
        },
      ],
    ],
    [
      "no such host id",
      { hostId: "guid-nope", scopeGroups: [GROUPS.milan] },
      [{ property: "hostId", reason: 'no managed device has host id "guid-nope"' }],
    ],
    [
      "no such group path",
      { deviceName: "milan-dp-01", scopeGroups: [GROUPS.milan, "Managed devices/Branch Napoli"] },
      [
        {
          property: "scopeGroups",
          reason: expect.stringMatching(
            /^item 2: no administration group at path "Managed devices\/Branch Napoli"/,
          ),
        },
      ],
    ],
    [
      "no such group id",
      { deviceName: "milan-dp-01", scopeGroups: [777] },
      [{ property: "scopeGroups", reason: "item 1: no administration group has id 777" }],
    ],
    [
      "the same group by id and by path",
      { deviceName: "milan-dp-01", scopeGroups: [GROUPS.milan, "Branch Milan"] },
      [
        {
          property: "scopeGroups",
          reason: 'items 1 and 2 name the same group ("Managed devices/Branch Milan")',
        },
      ],
    ],
  ])("%s", async (_name, news, failures) => {
    expect(await dp.verify(ctx, {}, checked(news))).toEqual(failures);
    expect(writes()).toEqual([]);
  });

  test("two DistributionPoints of one program on one device: the second fails, even by another form", async () => {
    const named = (name: string, news: Record<string, unknown>) => ({
      ...checked(news),
      __resourceName: name,
    });
    expect(
      await dp.verify(ctx, {}, named("dp-a", { deviceName: "milan-dp-01", scopeGroups: [GROUPS.milan] })),
    ).toEqual([]);
    expect(
      await dp.verify(ctx, {}, named("dp-a", { deviceName: "milan-dp-01", scopeGroups: [GROUPS.milan] })),
    ).toEqual([]);
    expect(
      await dp.verify(ctx, {}, named("dp-b", { hostId: HOSTS["milan-dp-01"], scopeGroups: [GROUPS.milan] })),
    ).toEqual([
      {
        property: "hostId",
        reason: `DistributionPoint "dp-a" of this program already manages milan-dp-01 (hostId "${HOSTS["milan-dp-01"]}") (a device has one DistributionPoint)`,
      },
    ]);
  });

  test("a new DistributionPoint for a device the stack's DistributionPoint manages fails, whichever is checked first", async () => {
    // The stack's "dp-old" made milan-dp-01 a DP; "dp-new" is added to the program for the same device.
    const declared = { deviceName: "milan-dp-01", scopeGroups: [GROUPS.milan] };
    await dp.create(ctx, checked(declared));
    const olds = { ...checked(declared), hostId: HOSTS["milan-dp-01"] };
    const existing = () => ({ ...checked(declared), __resourceName: "dp-old" });
    const added = (news: Record<string, unknown>) => ({ ...checked(news), __resourceName: "dp-new" });
    const other = { hostId: HOSTS["milan-dp-01"], scopeGroups: [GROUPS.rome] };
    // The stack's own resource first: the new one fails, names it, and does not suggest adopt.
    expect(await dp.verify(ctx, olds, existing())).toEqual([]);
    expect(await dp.verify(ctx, {}, added(other))).toEqual([
      {
        property: "hostId",
        reason: `DistributionPoint "dp-old" of this stack already manages milan-dp-01 (hostId "${HOSTS["milan-dp-01"]}") (a device has one DistributionPoint): remove this declaration, or set it to another one`,
      },
    ]);
    // The new one first: the console shows a DP with other settings, so it fails on its own (saying what to do if
    // this stack manages it); the stack's resource passes.
    ctx = ksc.context(); // another run: a new provider process
    expect(await dp.verify(ctx, {}, added(other))).toEqual([
      {
        property: "hostId",
        reason: expect.stringContaining(
          "If another DistributionPoint of this stack manages it, remove this declaration",
        ),
      },
    ]);
    expect(await dp.verify(ctx, olds, existing())).toEqual([]);
    // The new one first, declared exactly as the DP is (it would pass as a recovered create): the stack's resource,
    // checked second, stops the run and names the new declaration as the one to remove.
    ctx = ksc.context(); // another run: a new provider process
    expect(await dp.verify(ctx, {}, added({ ...declared, hostId: undefined }))).toEqual([]);
    expect(await dp.verify(ctx, olds, existing())).toEqual([
      {
        property: "deviceName",
        reason: expect.stringMatching(
          /^DistributionPoint "dp-new", a new declaration in this program, is for milan-dp-01 .*remove that declaration/,
        ),
      },
    ]);
  });

  test("a device declared by name gets its host id in the checked inputs (known to a PushServer at preview)", async () => {
    const inputs = checked({ deviceName: "milan-dp-01", scopeGroups: [GROUPS.milan] });
    expect(inputs.hostId).toBeUndefined();
    expect(await dp.verify(ctx, {}, inputs)).toEqual([]);
    expect(inputs.hostId).toBe(HOSTS["milan-dp-01"]);
    // Compared by id from now on: the same device under another name in the console is not a replacement.
    expect(dp.diff({ hostId: HOSTS["milan-dp-01"], displayName: "renamed" }, inputs).replaces).toEqual([]);
    expect(dp.diff({ hostId: "guid-other" }, inputs).replaces).toEqual(["deviceName"]);
  });

  test("skips what is not known yet", async () => {
    const news = dp.check({}, { hostId: UNKNOWN, scopeGroups: [UNKNOWN] }).inputs;
    expect(await dp.verify(ctx, {}, news)).toEqual([]);
    expect(ksc.calls).toEqual([]);
  });

  test("a new resource on a device that already is a different DP fails at preview; an existing one does not", async () => {
    await dp.create(ctx, checked({ hostId: HOSTS["milan-dp-01"], scopeGroups: [GROUPS.milan] }));
    const news = checked({ deviceName: "milan-dp-01", scopeGroups: [GROUPS.milan], port: 13001 });
    expect(await dp.verify(ctx, {}, news)).toEqual([
      { property: "deviceName", reason: expect.stringContaining("set adopt: true") },
    ]);
    expect(await dp.verify(ctx, { deviceName: "milan-dp-01" }, news)).toEqual([]);
    expect(await dp.verify(ctx, {}, { ...news, adopt: true })).toEqual([]);
  });

  test("a declared port equal to the running push server's port fails at preview", async () => {
    await dp.create(ctx, checked({ hostId: HOSTS["milan-dp-01"], scopeGroups: [GROUPS.milan] }));
    ksc.dp(HOSTS["milan-dp-01"])!.pushServerEnabled = true;
    expect(ksc.dps.has(HOSTS["milan-dp-01"])).toBe(true);
    expect(
      await dp.verify(
        ctx,
        { hostId: "x" },
        checked({ hostId: HOSTS["milan-dp-01"], scopeGroups: [GROUPS.milan], nonSslPort: 13295 }),
      ),
    ).toEqual([
      {
        property: "nonSslPort",
        reason:
          "13295 is the port of the push server running on this distribution point; choose another port",
      },
    ]);
  });

  test("automatic assignment on and not allowed to turn it off fails at preview", async () => {
    ksc.assignAutomatically = true;
    expect(
      await dp.verify(
        ctx,
        {},
        checked({
          deviceName: "milan-dp-01",
          scopeGroups: [GROUPS.milan],
          disableAutomaticAssignment: false,
        }),
      ),
    ).toEqual([
      {
        property: "disableAutomaticAssignment",
        reason: expect.stringContaining("assigns distribution points automatically"),
      },
    ]);
    expect(ksc.assignAutomatically).toBe(true);
  });
});

describe("reconcileScopeGroups", () => {
  const actual = [
    { id: 20, name: "Branch Milan", path: "Managed devices/Branch Milan" },
    { id: 30, name: "Branch Rome", path: "Managed devices/Branch Rome" },
  ];
  test.each<[string, (number | string)[] | undefined, (number | string)[]]>([
    ["keeps the declared form", [30, "Branch Milan"], [30, "Branch Milan"]],
    ["drops groups no longer in the console", [30, 20, 10], [30, 20]],
    ["adds groups only the console has, by path", [30], [30, "Managed devices/Branch Milan"]],
    ["nothing declared", undefined, ["Managed devices/Branch Milan", "Managed devices/Branch Rome"]],
  ])("%s", (_n, declared, expected) => {
    expect(dp.reconcileScopeGroups(declared, actual)).toEqual(expected);
  });
});
