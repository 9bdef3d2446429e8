import { InputError, RESOURCE_NAME_KEY, UNKNOWN } from "./common";
import * as dp from "./distributionPoint";
import * as ps from "./pushServer";
import type { PushServerCheckedInputs, PushServerOutputs } from "./schema.generated";
import { GROUPS, HOSTS, TestConsole, testConsole, TestContext } from "../../../test/support/inProcessConsole";

const HOST = HOSTS["milan-dp-01"];
const checked = (news: Record<string, unknown>): PushServerCheckedInputs => {
  const r = ps.check({}, news);
  expect(r.failures).toEqual([]);
  return r.inputs;
};

describe("PushServer check", () => {
  test.each<[string, Record<string, unknown>, { property: string; reason: string }[]]>([
    ["a DP and the default port", { hostId: HOST }, []],
    ["a port and a remote address", { hostId: HOST, port: 14295, remoteAddress: "push.corp.example" }, []],
    ["an IPv6 remote address", { hostId: HOST, remoteAddress: "[fd00::1]" }, []],
    [
      "port out of range",
      { hostId: HOST, port: 70000 },
      [{ property: "port", reason: "must be between 1 and 65535, got 70000" }],
    ],
    [
      "port not a whole number",
      { hostId: HOST, port: 13295.5 },
      [{ property: "port", reason: "must be a whole number, got 13295.5" }],
    ],
    [
      "port NaN (said as NaN, not null)",
      { hostId: HOST, port: NaN },
      [{ property: "port", reason: "must be a whole number, got NaN" }],
    ],
    [
      "a remote address of 10,000 characters (echoed cut, its length said)",
      { hostId: HOST, remoteAddress: "x".repeat(9999) + "!" },
      [
        {
          property: "remoteAddress",
          reason: `must be a host name or an IP address, got "${"x".repeat(96)}... (10000 characters)`,
        },
      ],
    ],
    ["no DP", { port: 13295 }, [{ property: "hostId", reason: "is required" }]],
    ["an empty host id", { hostId: "" }, [{ property: "hostId", reason: "must not be empty" }]],
    [
      "a remote address with a space",
      { hostId: HOST, remoteAddress: "push server" },
      [{ property: "remoteAddress", reason: 'must be a host name or an IP address, got "push server"' }],
    ],
    ["a DP not known yet (preview)", { hostId: UNKNOWN, port: UNKNOWN }, []],
  ])("%s", (_name, news, failures) => {
    expect(ps.check({}, news).failures).toEqual(failures);
  });

  test("fills in the port default 13295", () => {
    expect(checked({ hostId: HOST })).toEqual({ hostId: HOST, port: 13295, remoteAddress: "", adopt: false });
  });
});

function outputs(o: Partial<PushServerOutputs> = {}): PushServerOutputs {
  return {
    hostId: HOST,
    displayName: "milan-dp-01",
    port: 13295,
    remoteAddress: "",
    keepConnection: true,
    firewallNote: ps.firewallNote(13295, "milan-dp-01"),
    adopt: false,
    adopted: false,
    ...o,
  };
}

describe("PushServer diff", () => {
  test.each<[string, Partial<PushServerOutputs>, Record<string, unknown>, string[], string[]]>([
    ["nothing changed", {}, { hostId: HOST }, [], []],
    ["the default port written out", {}, { hostId: HOST, port: 13295 }, [], []],
    [
      "keep-connection turned off by hand is not this resource's field",
      { keepConnection: false },
      { hostId: HOST },
      [],
      [],
    ],
    ["adopt changed", {}, { hostId: HOST, adopt: true }, [], []],
    ["the port changed in the console", { port: 14000 }, { hostId: HOST }, ["port"], []],
    ["a new remote address", {}, { hostId: HOST, remoteAddress: "push.corp.example" }, ["remoteAddress"], []],
    ["another DP", {}, { hostId: HOSTS["rome-dp-01"] }, ["hostId"], ["hostId"]],
    ["a DP not known yet", {}, { hostId: UNKNOWN }, ["hostId"], ["hostId"]],
  ])("%s", (_name, olds, news, diffs, replaces) => {
    const r = ps.diff({ ...outputs(), ...olds }, ps.check({}, news).inputs);
    expect({ diffs: r.diffs, replaces: r.replaces, changes: r.changes }).toEqual({
      diffs,
      replaces,
      changes: diffs.length > 0,
    });
  });
});

describe("PushServer against the console", () => {
  let ksc: TestConsole;
  let ctx: TestContext;
  beforeEach(async () => {
    ksc = testConsole();
    ctx = ksc.context();
    await dp.create(
      ctx,
      dp.check({}, { hostId: HOST, scopeGroups: [GROUPS.milan], customFolder: "D:\\KSC" }).inputs,
    );
  });
  const stored = () => ksc.dp(HOST)!;
  const push = (k: "pushServerEnabled" | "pushServerPort" | "pushServerRemoteAddress") => stored()[k];

  test("create turns the push server on through read-modify-write and reports keep-connection and the firewall note", async () => {
    const { id, outs } = await ps.create(
      ctx,
      checked({ hostId: HOST, port: 14295, remoteAddress: "push.corp.example" }),
    );
    expect(id).toBe(HOST);
    expect(push("pushServerEnabled")).toBe(true);
    expect(push("pushServerPort")).toBe(14295);
    expect(push("pushServerRemoteAddress")).toBe("push.corp.example");
    expect(stored().customFolder).toBe("D:\\KSC"); // the DP's own settings are untouched
    expect(outs).toEqual({
      hostId: HOST,
      displayName: "milan-dp-01",
      port: 14295,
      remoteAddress: "push.corp.example",
      keepConnection: true,
      firewallNote:
        "Open TCP port 14295 for incoming connections in the firewall of milan-dp-01: KSC does not add the push-server port to the firewall exceptions of the distribution point.",
      adopt: false,
      adopted: false,
    });
  });

  test("create on a device that is not a DP says to declare a DistributionPoint", async () => {
    const err = await ps.create(ctx, checked({ hostId: HOSTS["rome-dp-01"] })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toBe(
      `hostId: rome-dp-01 (hostId "${HOSTS["rome-dp-01"]}") is not a distribution point: declare a DistributionPoint for it and pass its hostId (dp.hostId)`,
    );
  });

  test("create on an unknown host says so", async () => {
    await expect(ps.create(ctx, checked({ hostId: "guid-nope" }))).rejects.toThrow(
      'hostId: no managed device has host id "guid-nope"',
    );
  });

  test("create with a port the DP already uses fails and writes nothing", async () => {
    await expect(ps.create(ctx, checked({ hostId: HOST, port: 13000 }))).rejects.toThrow(
      "port: 13000 is already used by the distribution point as its TLS port for Network Agents (DistributionPoint port); choose another port",
    );
    expect(push("pushServerEnabled")).toBe(false);
  });

  test("create when a push server already runs with other settings needs adopt: true", async () => {
    stored().pushServerEnabled = true;
    stored().pushServerPort = 15295;
    await expect(ps.create(ctx, checked({ hostId: HOST }))).rejects.toThrow(
      new RegExp(
        String.raw`^hostId: a push server already runs on milan-dp-01 \(hostId "${HOSTS["milan-dp-01"]}"\) \(port 15295\)\. To manage it with this resource, set adopt: true`,
      ),
    );
    const { outs } = await ps.create(ctx, checked({ hostId: HOST, adopt: true }));
    expect(outs).toMatchObject({ port: 13295, adopted: true });
    expect(push("pushServerPort")).toBe(13295);
  });

  test("create when the push server already runs exactly as declared manages it without writing", async () => {
    await ps.create(ctx, checked({ hostId: HOST }));
    const modifies = ksc.count("UaControl.ModifyUpdateAgent");
    const { outs } = await ps.create(ctx, checked({ hostId: HOST }));
    expect(outs.adopted).toBe(true);
    expect(ksc.count("UaControl.ModifyUpdateAgent")).toBe(modifies);
  });

  test("create whose write reply is lost succeeds", async () => {
    ksc.fail("UaControl.ModifyUpdateAgent", "dropAfterApply");
    const { outs } = await ps.create(ctx, checked({ hostId: HOST }));
    expect(outs.port).toBe(13295);
  });

  test("read reports a port changed in the console; diff shows it", async () => {
    const { outs } = await ps.create(ctx, checked({ hostId: HOST }));
    stored().pushServerPort = 16000;
    const r = await ps.read(ctx, HOST, outs);
    expect(r.props!.port).toBe(16000);
    expect(r.inputs).toEqual({ hostId: HOST, port: 16000, remoteAddress: "", adopt: false });
    expect(ps.diff(r.props!, checked({ hostId: HOST })).diffs).toEqual(["port"]);
  });

  test("read reports a push server turned off in the console as drift (running: false, an update); a removed DP drops the resource", async () => {
    const { outs } = await ps.create(ctx, checked({ hostId: HOST }));
    stored().pushServerEnabled = false;
    const off = await ps.read(ctx, HOST, outs);
    expect(off).toEqual({
      id: HOST,
      props: { ...outs, running: false },
      inputs: { hostId: HOST, port: 13295, remoteAddress: "", adopt: false, running: false },
    });
    const declared = checked({ hostId: HOST });
    expect(ps.diff(off.props!, declared)).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
      diffs: ["running"],
    });
    const on = await ps.update(ctx, HOST, off.props!, declared);
    expect(push("pushServerEnabled")).toBe(true);
    expect(on.outs).toEqual(outs);
    expect(ps.diff(on.outs, declared).changes).toBe(false);
    // While it runs, read gives back exactly the checked inputs (no "running" key): a refresh changes nothing.
    expect((await ps.read(ctx, HOST, on.outs)).inputs).toEqual(declared);
    ksc.dps.delete(HOST);
    expect(await ps.read(ctx, HOST, outs)).toEqual({ id: "" });
  });

  test("update changes the port in place and leaves the DP's settings", async () => {
    const { outs } = await ps.create(ctx, checked({ hostId: HOST }));
    const r = await ps.update(ctx, HOST, outs, checked({ hostId: HOST, port: 13296 }));
    expect(r.outs.port).toBe(13296);
    expect(push("pushServerPort")).toBe(13296);
    expect(stored().customFolder).toBe("D:\\KSC");
  });

  test("the firewall note is logged on create, on a port change and when turned on again; not for an address change", async () => {
    const notes = () => ctx.logs.filter((l) => l.message.includes("firewall")).map((l) => l.message);
    const { outs } = await ps.create(ctx, checked({ hostId: HOST }));
    expect(notes()).toEqual([ps.firewallNote(13295, "milan-dp-01")]);
    const moved = await ps.update(ctx, HOST, outs, checked({ hostId: HOST, port: 13296 }));
    expect(notes()).toEqual([ps.firewallNote(13295, "milan-dp-01"), ps.firewallNote(13296, "milan-dp-01")]);
    const addressed = await ps.update(
      ctx,
      HOST,
      moved.outs,
      checked({ hostId: HOST, port: 13296, remoteAddress: "push.corp.example" }),
    );
    expect(notes()).toHaveLength(2);
    stored().pushServerEnabled = false; // turned off in the console
    await ps.update(
      ctx,
      HOST,
      addressed.outs,
      checked({ hostId: HOST, port: 13296, remoteAddress: "push.corp.example" }),
    );
    expect(notes()).toHaveLength(3);
  });

  test("delete turns the push server off and leaves the DP; again is fine; a removed DP is fine", async () => {
    const { outs } = await ps.create(ctx, checked({ hostId: HOST }));
    await ps.delete(ctx, HOST, outs);
    expect(push("pushServerEnabled")).toBe(false);
    expect(ksc.dps.has(HOST)).toBe(true);
    expect(stored().customFolder).toBe("D:\\KSC");
    await ps.delete(ctx, HOST, outs);
    ksc.dps.delete(HOST);
    await expect(ps.delete(ctx, HOST, outs)).resolves.toBeUndefined();
  });
});

describe("PushServer verify (read-only lookups at preview)", () => {
  let ksc: TestConsole;
  let ctx: TestContext;
  beforeEach(async () => {
    ksc = testConsole();
    ctx = ksc.context();
  });
  const named = (name: string, news: Record<string, unknown>) => ({
    ...checked(news),
    [RESOURCE_NAME_KEY]: name,
  });

  test("two PushServers of one program on one DP: the second fails; the same resource checked again does not", async () => {
    await dp.create(ctx, dp.check({}, { hostId: HOST, scopeGroups: [GROUPS.milan] }).inputs);
    expect(await ps.verify(ctx, {}, named("push-a", { hostId: HOST }))).toEqual([]);
    expect(await ps.verify(ctx, {}, named("push-a", { hostId: HOST }))).toEqual([]);
    expect(await ps.verify(ctx, {}, named("push-b", { hostId: HOST, port: 14000 }))).toEqual([
      {
        property: "hostId",
        reason:
          'PushServer "push-a" of this program already runs the push server of this distribution point (a distribution point runs one push server)',
      },
    ]);
    expect(await ps.verify(ctx, {}, named("push-c", { hostId: HOSTS["rome-dp-01"] }))).toEqual([
      { property: "hostId", reason: expect.stringContaining("is not a distribution point") },
    ]);
  });

  test("a new PushServer for a DP the stack's PushServer already runs fails, whichever is checked first", async () => {
    // The stack's PushServer "push-old" runs the push server on 13295 (made by an earlier run, another process);
    // "push-new" is added to the program.
    const earlier = ksc.context();
    await dp.create(earlier, dp.check({}, { hostId: HOST, scopeGroups: [GROUPS.milan] }).inputs);
    await ps.create(earlier, checked({ hostId: HOST }));
    const existing = named("push-old", { hostId: HOST });
    const olds = { hostId: HOST, port: 13295 };
    const added = (port: number) => named("push-new", { hostId: HOST, port });
    // The stack's own resource first: the new one fails, names it, and does not suggest adopt.
    expect(await ps.verify(ctx, olds, existing)).toEqual([]);
    const second = await ps.verify(ctx, {}, added(14500));
    expect(second).toEqual([
      {
        property: "hostId",
        reason:
          'PushServer "push-old" of this stack already runs the push server of this distribution point (a distribution point runs one push server): remove this declaration, or set it to another one',
      },
    ]);
    // The new one first (the engine checks in registration order): it cannot know the stack's resource yet; the
    // console shows another push server, so it fails on its own, and the stack's resource passes.
    ctx = ksc.context(); // another run: a new provider process
    expect(await ps.verify(ctx, {}, added(14500))).toEqual([
      {
        property: "hostId",
        reason: expect.stringContaining(
          "If another PushServer of this stack runs it, remove this declaration",
        ),
      },
    ]);
    expect(await ps.verify(ctx, olds, existing)).toEqual([]);
    // The new one first, declared exactly as what runs (it would pass as a recovered create): the stack's resource,
    // checked second, is the last check that can stop the run; it names the new declaration as the one to remove.
    ctx = ksc.context(); // another run: a new provider process
    expect(await ps.verify(ctx, {}, added(13295))).toEqual([]);
    expect(await ps.verify(ctx, olds, existing)).toEqual([
      {
        property: "hostId",
        reason: expect.stringMatching(
          /^PushServer "push-new", a new declaration in this program, is for the push server of this distribution point, which this resource already runs .*remove that declaration/,
        ),
      },
    ]);
  });

  test("a port equal to a DP port declared in the same program fails, before the DP exists", async () => {
    await dp.verify(
      ctx,
      {},
      dp.check({}, { hostId: HOST, scopeGroups: [GROUPS.milan], nonSslPort: 13295 }).inputs,
    );
    expect(await ps.verify(ctx, {}, checked({ hostId: HOST }))).toEqual([
      {
        property: "port",
        reason:
          "13295 is already used by the distribution point as its non-TLS port for Network Agents (DistributionPoint nonSslPort); choose another port",
      },
    ]);
  });

  test("a port equal to the console DP's port fails", async () => {
    await dp.create(ctx, dp.check({}, { hostId: HOST, scopeGroups: [GROUPS.milan] }).inputs);
    expect(await ps.verify(ctx, {}, checked({ hostId: HOST, port: 14000 }))).toEqual([
      {
        property: "port",
        reason: expect.stringContaining("14000 is already used by the distribution point"),
      },
    ]);
  });

  test("an unknown host fails; a host that is not a DP fails unless a DistributionPoint of the program declares it", async () => {
    expect(await ps.verify(ctx, {}, checked({ hostId: "guid-nope" }))).toEqual([
      { property: "hostId", reason: 'no managed device has host id "guid-nope"' },
    ]);
    expect(await ps.verify(ctx, {}, checked({ hostId: HOSTS["rome-dp-01"] }))).toEqual([
      {
        property: "hostId",
        reason: `rome-dp-01 (hostId "${HOSTS["rome-dp-01"]}") is not a distribution point, and no DistributionPoint of this program declares it: declare a DistributionPoint for it and pass its hostId (hostId: dp.hostId), which also makes the push server wait for its distribution point`,
      },
    ]);
    expect(ksc.calls.every((c) => /\.(Get|Find|GroupId)/.test(c))).toBe(true);
    // Declared in the program (checked before the push server): it becomes a DP in this run.
    await dp.verify(
      ctx,
      {},
      dp.check({}, { hostId: HOSTS["rome-dp-01"], scopeGroups: [GROUPS.rome] }).inputs,
    );
    expect(await ps.verify(ctx, {}, checked({ hostId: HOSTS["rome-dp-01"] }))).toEqual([]);
  });

  test("a new PushServer where a different push server already runs fails unless adopt", async () => {
    // The DP was made by an earlier run (another provider process), its push server turned on by hand since.
    await dp.create(ksc.context(), dp.check({}, { hostId: HOST, scopeGroups: [GROUPS.milan] }).inputs);
    ksc.dp(HOST)!.pushServerEnabled = true;
    expect(await ps.verify(ctx, {}, checked({ hostId: HOST, port: 15000 }))).toEqual([
      {
        property: "hostId",
        reason: expect.stringContaining("a push server already runs on this distribution point (port 13295)"),
      },
    ]);
    expect(await ps.verify(ctx, {}, checked({ hostId: HOST, port: 15000, adopt: true }))).toEqual([]);
    expect(await ps.verify(ctx, { hostId: HOST }, checked({ hostId: HOST, port: 15000 }))).toEqual([]);
    expect(await ps.verify(ctx, {}, checked({ hostId: HOST }))).toEqual([]); // equal to what runs
  });

  test("nothing is looked up while the DP is unknown", async () => {
    expect(await ps.verify(ctx, {}, ps.check({}, { hostId: UNKNOWN }).inputs)).toEqual([]);
    expect(ksc.calls).toEqual([]);
  });
});
