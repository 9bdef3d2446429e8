// The provider-process side: dispatch, check = validation + read-only lookups, the firewall note, the one client.
import * as pulumi from "@pulumi/pulumi";
import { RESOURCE_NAME_KEY } from "../resources/common";
import { GROUPS, HOSTS, TestConsole, testConsole, TestContext } from "../../../test/support/inProcessConsole";
import * as impl from "./impl";

describe("impl (provider process)", () => {
  let ksc: TestConsole;
  beforeEach(() => {
    ksc = testConsole();
    impl.useContext(ksc.context());
  });
  afterAll(() => impl.useContext(undefined));

  test("check stops at schema failures without calling the console", async () => {
    const r = await impl.check("PushServer", {}, { hostId: HOSTS["milan-dp-01"], port: 70000 });
    expect(r.failures).toEqual([{ property: "port", reason: "must be between 1 and 65535, got 70000" }]);
    expect(ksc.calls).toEqual([]);
  });

  test("check then looks up what it can, read-only, and names the property", async () => {
    const r = await impl.check(
      "DistributionPoint",
      {},
      { deviceName: "shared-name-01", scopeGroups: ["Branch Milan"] },
    );
    expect(r.failures).toEqual([
      { property: "deviceName", reason: expect.stringMatching(/^2 managed devices match "shared-name-01"/) },
    ]);
    expect(ksc.calls.every((c) => /\.(Get|Find|GroupId)/.test(c))).toBe(true);
  });

  test("a failure about a long value is given without the property, so the engine does not echo the value in full", async () => {
    const long = "x".repeat(10000);
    const r = await impl.check("DistributionPoint", {}, { deviceName: long, scopeGroups: [GROUPS.milan] });
    expect(r.failures).toEqual([
      { property: "", reason: "deviceName: must be at most 255 characters long, got 10000" },
    ]);
    const unknown = await impl.check("PushServer", {}, { hostId: "h", [long]: 1 });
    expect(unknown.failures).toEqual([
      {
        property: "",
        reason: expect.stringMatching(
          /^"x{96}\.\.\. \(10000 characters\): unknown property \(known: hostId,/,
        ),
      },
    ]);
    // A short value keeps the engine's form (property and value).
    const short = await impl.check("PushServer", {}, { hostId: "h", port: 0 });
    expect(short.failures).toEqual([{ property: "port", reason: "must be between 1 and 65535, got 0" }]);
  });

  test("two PushServer resources on one DP fail at check", async () => {
    await impl.check("DistributionPoint", {}, { hostId: HOSTS["milan-dp-01"], scopeGroups: [GROUPS.milan] });
    const a = await impl.check(
      "PushServer",
      {},
      { hostId: HOSTS["milan-dp-01"], [RESOURCE_NAME_KEY]: "push-a" },
    );
    const b = await impl.check(
      "PushServer",
      {},
      { hostId: HOSTS["milan-dp-01"], port: 14000, [RESOURCE_NAME_KEY]: "push-b" },
    );
    expect(a.failures).toEqual([]);
    expect(b.failures).toEqual([
      { property: "hostId", reason: expect.stringContaining('PushServer "push-a" of this program') },
    ]);
  });

  test("create of a push server logs the firewall note, and so does a port change; the full lifecycle goes through", async () => {
    const logs = (impl.context() as TestContext).logs;
    const notes = () => logs.map((l) => l.message).filter((m) => m.includes("firewall"));
    const dpIn = (
      await impl.check("DistributionPoint", {}, { hostId: HOSTS["milan-dp-01"], scopeGroups: [GROUPS.milan] })
    ).inputs as Record<string, unknown>;
    const dp = await impl.create("DistributionPoint", dpIn);
    const psIn = (await impl.check("PushServer", {}, { hostId: dp.id })).inputs as Record<string, unknown>;
    const ps = await impl.create("PushServer", psIn);
    expect(notes()).toEqual([
      expect.stringMatching(/^Open TCP port 13295 for incoming connections in the firewall of milan-dp-01/),
    ]);
    const diff = await impl.diff("PushServer", ps.id, ps.outs as Record<string, unknown>, {
      ...psIn,
      port: 13296,
    });
    expect(diff).toMatchObject({ changes: true, replaces: [] });
    const updated = await impl.update("PushServer", ps.id, ps.outs as Record<string, unknown>, {
      ...psIn,
      port: 13296,
    });
    expect(updated.outs).toMatchObject({ port: 13296 });
    expect(notes()).toEqual([
      expect.stringMatching(/^Open TCP port 13295 for incoming connections in the firewall of milan-dp-01/),
      expect.stringMatching(/^Open TCP port 13296 for incoming connections in the firewall of milan-dp-01/),
    ]);
    await impl.remove("PushServer", ps.id, updated.outs as Record<string, unknown>);
    expect(await impl.read("PushServer", ps.id, updated.outs as Record<string, unknown>)).toMatchObject({
      id: ps.id,
      props: { running: false },
    });
    await impl.remove("DistributionPoint", dp.id, dp.outs as Record<string, unknown>);
    expect(ksc.dps.size).toBe(0);
  });

  test("the hidden resource name survives create, update and read, so a refresh does not change the inputs", async () => {
    const named = { hostId: HOSTS["milan-dp-01"], scopeGroups: [GROUPS.milan], __resourceName: "branch-dp" };
    const checked = (await impl.check("DistributionPoint", {}, named)).inputs as Record<string, unknown>;
    expect(checked.__resourceName).toBe("branch-dp");
    const dp = await impl.create("DistributionPoint", checked);
    expect(dp.outs).toMatchObject({ __resourceName: "branch-dp" });
    const updated = await impl.update("DistributionPoint", dp.id, dp.outs as Record<string, unknown>, {
      ...checked,
      port: 13010,
    });
    expect(updated.outs).toMatchObject({ __resourceName: "branch-dp", port: 13010 });
    const read = await impl.read("DistributionPoint", dp.id, updated.outs as Record<string, unknown>);
    expect(read.props).toMatchObject({ __resourceName: "branch-dp" });
    expect(read.inputs).toEqual({ ...checked, port: 13010 });
    await impl.remove("DistributionPoint", dp.id, updated.outs as Record<string, unknown>);
  });

  test("without configuration, the first call that needs the console says what to set", async () => {
    impl.useContext(undefined);
    const saved = { ...process.env };
    for (const k of Object.keys(process.env)) if (k.startsWith("KSC_")) delete process.env[k];
    try {
      impl.configure({ get: () => undefined });
      await expect(impl.read("PushServer", "h", {})).rejects.toThrow(
        /the KSC server is not configured: run `pulumi config set ksc:serverUrl/,
      );
    } finally {
      process.env = saved;
    }
  });

  describe("configuration saved at the last up (refresh, destroy and --refresh without the program)", () => {
    const saved = { ...process.env };
    const stored = { "ksc:serverUrl": "http://127.0.0.1:1", "ksc:user": "svc", "ksc:password": "Old-Pa55" };
    beforeEach(() => {
      impl.useContext(undefined);
      for (const k of Object.keys(process.env)) if (k.startsWith("KSC_")) delete process.env[k];
      delete process.env.PULUMI_RUN_PROGRAM;
      impl.configure({ get: (k) => stored[k as keyof typeof stored] });
    });
    afterEach(async () => {
      await impl.shutdown();
      process.env = { ...saved };
    });

    test("a process asked first to read or delete stops before building a client, naming the settings", async () => {
      for (const call of [() => impl.read("PushServer", "h", {}), () => impl.remove("PushServer", "h", {})]) {
        await expect(call()).rejects.toThrow(
          /^not using ksc:serverUrl, ksc:user, ksc:password: without the program/,
        );
      }
      // Still no client: every later read is refused the same way.
      expect(() => impl.context()).toThrow(/PULUMI_RUN_PROGRAM=true/);
    });

    test("once the process has checked a resource, the configuration is the program's (current) one", async () => {
      // A check that fails validation: nothing is sent, but the program is running in this command.
      await impl.check("PushServer", {}, { hostId: HOSTS["milan-dp-01"], port: 70000 });
      expect(() => impl.context()).not.toThrow();
    });

    test("with PULUMI_RUN_PROGRAM=true the CLI ran the program for this command: reads go ahead", () => {
      process.env.PULUMI_RUN_PROGRAM = "true";
      expect(() => impl.context()).not.toThrow();
    });
  });

  // Found by the fault tests: in the provider process pulumi.log.debug is dropped, so the client's per-call lines
  // and its retry notices never showed, whatever the engine's verbosity.
  describe("debug lines", () => {
    const saved = process.env[impl.DEBUG_ENV];
    afterEach(() => {
      if (saved === undefined) delete process.env[impl.DEBUG_ENV];
      else process.env[impl.DEBUG_ENV] = saved;
      jest.restoreAllMocks();
    });

    test("with KSC_DEBUG=1 they go to stderr, where the engine shows them", () => {
      process.env[impl.DEBUG_ENV] = "1";
      const write = jest.spyOn(process.stderr, "write").mockReturnValue(true);
      const debug = jest.spyOn(pulumi.log, "debug").mockResolvedValue();
      impl.log("debug", "KSC UaControl.GetUpdateAgentInfo ok in 3 ms");
      expect(write).toHaveBeenCalledWith("debug: [pulumi-ksc] KSC UaControl.GetUpdateAgentInfo ok in 3 ms\n");
      expect(debug).not.toHaveBeenCalled();
    });

    test("without it they go to pulumi.log.debug, and stderr stays quiet", () => {
      delete process.env[impl.DEBUG_ENV];
      const write = jest.spyOn(process.stderr, "write").mockReturnValue(true);
      const debug = jest.spyOn(pulumi.log, "debug").mockResolvedValue();
      impl.log("debug", "KSC UaControl.GetUpdateAgentInfo ok in 3 ms");
      expect(debug).toHaveBeenCalledTimes(1);
      expect(write).not.toHaveBeenCalled();
    });
  });
});
