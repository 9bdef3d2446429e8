// The per-class API files against a recording fake Caller: argument names, paging, release-always.
import { KscLong, KscParams, KscValue } from "./api";
import { CallOptions, Caller } from "./caller";
import { DpObject } from "./dpObject";
import { KscError } from "./errors";
import { HostGroupClient } from "./hostGroup";
import { resolveKeyNames } from "./keys";
import { PolicyClient } from "./policy";
import { PolicySettingsClient } from "./policySettings";
import { SsContentsClient } from "./ssContents";
import { UaControlClient } from "./uaControl";

type Recorded = { method: string; args: Record<string, KscValue | undefined>; idempotent: boolean };

function fakeCaller(route: (method: string, args: Record<string, KscValue | undefined>) => KscParams): {
  caller: Caller;
  calls: Recorded[];
} {
  const calls: Recorded[] = [];
  return {
    calls,
    caller: {
      async call(method: string, args: Record<string, KscValue | undefined>, opts: CallOptions) {
        calls.push({ method, args, idempotent: opts.idempotent });
        return route(method, args);
      },
    },
  };
}
const keys = resolveKeyNames();
const notFound = (m: string) => new KscError(m, { module: "KLSTD", code: 1186, subcode: 0, message: "" });
const logs: string[] = [];
const logger = (_l: string, m: string) => logs.push(m);

describe("HostGroup.findHosts", () => {
  const hosts = Array.from({ length: 250 }, (_, i) => ({
    KLHST_WKS_HOSTNAME: `guid-${i}`,
    KLHST_WKS_DN: `ws-${i}`,
    KLHST_WKS_GROUPID: new KscLong(7),
    KLHST_WKS_FQDN: `ws-${i}.corp.example`,
  }));

  test("pages through the accessor in chunks of 100 and releases it", async () => {
    const { caller, calls } = fakeCaller((m, a): KscParams => {
      if (m === "HostGroup.FindHosts") return { strAccessor: "acc-1", PxgRetVal: 250 };
      if (m === "ChunkAccessor.GetItemsChunk") {
        const start = a.nStart as number;
        const items = hosts.slice(start, start + (a.nCount as number));
        return { pChunk: { KLCSP_ITERATOR_ARRAY: items }, PxgRetVal: items.length };
      }
      return {};
    });
    const found = await new HostGroupClient(caller, keys, logger).findHosts(
      { op: "=", attribute: "KLHST_WKS_DN", value: 'ws "*"' },
      ["KLHST_WKS_FQDN"],
    );
    expect(found).toHaveLength(250);
    expect(found[249]).toMatchObject({
      hostId: "guid-249",
      displayName: "ws-249",
      groupId: 7,
      fqdn: "ws-249.corp.example",
    });
    expect(calls[0]).toEqual({
      method: "HostGroup.FindHosts",
      args: {
        wstrFilter: '(KLHST_WKS_DN = "ws ""[*]""")',
        vecFieldsToReturn: ["KLHST_WKS_HOSTNAME", "KLHST_WKS_DN", "KLHST_WKS_GROUPID", "KLHST_WKS_FQDN"],
        vecFieldsToOrder: [],
        pParams: {},
        lMaxLifeTime: 300,
      },
      idempotent: true,
    });
    expect(
      calls
        .filter((c) => c.method === "ChunkAccessor.GetItemsChunk")
        .map((c) => [c.args.nStart, c.args.nCount]),
    ).toEqual([
      [0, 100],
      [100, 100],
      [200, 50],
    ]);
    expect(calls[calls.length - 1]).toMatchObject({
      method: "ChunkAccessor.Release",
      args: { strAccessor: "acc-1" },
    });
  });

  test("releases the accessor when reading a chunk fails", async () => {
    const { caller, calls } = fakeCaller((m): KscParams => {
      if (m === "HostGroup.FindHosts") return { strAccessor: "acc-2", PxgRetVal: 3 };
      if (m === "ChunkAccessor.GetItemsChunk") throw notFound(m);
      return {};
    });
    await expect(
      new HostGroupClient(caller, keys, logger).findHosts({ op: "=", attribute: "A", value: 1 }, []),
    ).rejects.toMatchObject({
      code: 1186,
    });
    expect(calls.map((c) => c.method)).toEqual([
      "HostGroup.FindHosts",
      "ChunkAccessor.GetItemsChunk",
      "ChunkAccessor.Release",
    ]);
  });

  test("no rows: the accessor is still released", async () => {
    const { caller, calls } = fakeCaller(
      (m): KscParams => (m === "HostGroup.FindGroups" ? { strAccessor: "acc-3", PxgRetVal: 0 } : {}),
    );
    await expect(
      new HostGroupClient(caller, keys, logger).findGroups({ op: "=", attribute: "name", value: "x" }),
    ).resolves.toEqual([]);
    expect(calls.map((c) => c.method)).toEqual(["HostGroup.FindGroups", "ChunkAccessor.Release"]);
  });
});

describe("policy settings helper", () => {
  function route(failOn?: string) {
    return fakeCaller((m): KscParams => {
      if (m === failOn) throw notFound(m);
      if (m === "Policy.GetPolicyContents") return { PxgRetVal: "ss-1" };
      if (m === "SsContents.SS_GetNames") return { PxgRetVal: ["A", "B"] };
      if (m === "SsContents.Ss_Read") return { PxgRetVal: { v: { KLPRSS_Val: 1, KLPRSS_Mnd: true } } };
      return {};
    });
  }
  const helper = (caller: Caller) =>
    new PolicySettingsClient(new PolicyClient(caller, keys), new SsContentsClient(caller), logger);

  test("updateInSection: open, read, update, apply, release", async () => {
    const { caller, calls } = route();
    await helper(caller).updateInSection(5, "1103", "1.0.0.0", "SEC", (current) => {
      expect(current).toEqual({ v: { KLPRSS_Val: 1, KLPRSS_Mnd: true } });
      return { v: { KLPRSS_Val: 2, KLPRSS_Mnd: false } };
    });
    expect(calls.map((c) => c.method)).toEqual([
      "Policy.GetPolicyContents",
      "SsContents.Ss_Read",
      "SsContents.Ss_Update",
      "SsContents.Ss_Apply",
      "SsContents.Ss_Release",
    ]);
    expect(calls[0].args).toEqual({ nPolicy: 5, nRevisionId: 0, nLifeTime: 0 });
    expect(calls[2].args).toEqual({
      wstrID: "ss-1",
      wstrProduct: "1103",
      wstrVersion: "1.0.0.0",
      wstrSection: "SEC",
      pNewData: { v: { KLPRSS_Val: 2, KLPRSS_Mnd: false } },
    });
  });

  test.each(["SsContents.Ss_Update", "SsContents.Ss_Apply"])(
    "releases the handle when %s fails",
    async (failOn) => {
      const { caller, calls } = route(failOn);
      await expect(
        helper(caller).updateInSection(5, "1103", "1.0.0.0", "SEC", () => ({})),
      ).rejects.toMatchObject({
        method: failOn,
      });
      expect(calls[calls.length - 1]).toMatchObject({
        method: "SsContents.Ss_Release",
        args: { wstrID: "ss-1" },
      });
      expect(calls.map((c) => c.method)).not.toContain(
        failOn === "SsContents.Ss_Update" ? "SsContents.Ss_Apply" : "none",
      );
    },
  );

  test("updateInSection: a change that throws writes nothing and releases the handle", async () => {
    const { caller, calls } = route();
    const refused = new Error("refused");
    await expect(
      helper(caller).updateInSection(5, "1103", "1.0.0.0", "SEC", () => {
        throw refused;
      }),
    ).rejects.toBe(refused);
    expect(calls.map((c) => c.method)).toEqual([
      "Policy.GetPolicyContents",
      "SsContents.Ss_Read",
      "SsContents.Ss_Release",
    ]);
  });

  test("readAllSections reads every section and releases without applying", async () => {
    const { caller, calls } = route();
    const all = await helper(caller).readAllSections(5, "1103", "1.0.0.0");
    expect(Object.keys(all)).toEqual(["A", "B"]);
    expect(calls.map((c) => c.method)).not.toContain("SsContents.Ss_Apply");
    expect(calls[calls.length - 1].method).toBe("SsContents.Ss_Release");
  });

  test("readAllSections: a section that cannot be read is told to onSectionError, the others are read", async () => {
    const failing = fakeCaller((m, args): KscParams => {
      if (m === "Policy.GetPolicyContents") return { PxgRetVal: "ss-1" };
      if (m === "SsContents.SS_GetNames") return { PxgRetVal: ["A", "B"] };
      if (m === "SsContents.Ss_Read" && args.wstrSection === "A") throw notFound(m);
      if (m === "SsContents.Ss_Read") return { PxgRetVal: { v: 1 } };
      return {};
    });
    const errors: string[] = [];
    const all = await helper(failing.caller).readAllSections(5, "1103", "1.0.0.0", (section) => {
      errors.push(section);
    });
    expect(all).toEqual({ B: { v: 1 } });
    expect(errors).toEqual(["A"]);
    expect(failing.calls[failing.calls.length - 1].method).toBe("SsContents.Ss_Release");
    // Without the callback, the first failure is the result (and the handle is released all the same).
    const strict = await helper(failing.caller)
      .readAllSections(5, "1103", "1.0.0.0")
      .catch((e: unknown) => e);
    expect(strict).toMatchObject({ method: "SsContents.Ss_Read" });
    expect(failing.calls[failing.calls.length - 1].method).toBe("SsContents.Ss_Release");
  });

  test("a failing release does not hide the result", async () => {
    const { caller } = route("SsContents.Ss_Release");
    await expect(helper(caller).readSection(5, "1103", "1.0.0.0", "A")).resolves.toEqual({
      v: { KLPRSS_Val: 1, KLPRSS_Mnd: true },
    });
  });
});

describe("argument names and idempotency marks", () => {
  test("UaControl and Policy", async () => {
    const { caller, calls } = fakeCaller((m): KscParams => {
      if (m === "UaControl.GetUpdateAgentsList")
        return { pUasArr: [{ UaHostId: "h1", UaHostDisplayName: "dp-01", UaIsCg: false }] };
      if (m === "Policy.AddPolicy") return { PxgRetVal: 9 };
      if (m === "Policy.GetPoliciesForGroup")
        return {
          PxgRetVal: [
            {
              KLPOL_ID: 9,
              KLPOL_DN: "NA",
              KLPOL_PRODUCT: "1103",
              KLPOL_VERSION: "1.0.0.0",
              KLPOL_GROUP_ID: 3,
              KLPOL_ACTIVE: true,
            },
          ],
        };
      return {};
    });
    const ua = new UaControlClient(caller, keys);
    const pol = new PolicyClient(caller, keys);
    expect(await ua.getUpdateAgentsList()).toEqual([
      { hostId: "h1", displayName: "dp-01", isConnectionGateway: false },
    ]);
    await ua.setAssignUasAutomatically(false);
    await ua.registerUpdateAgent(new DpObject(keys, { UaHostId: "h1" }));
    await ua.modifyUpdateAgent(new DpObject(keys, { UaHostId: "h1" }));
    await ua.unregisterUpdateAgent("h1");
    expect(
      await pol.addPolicy({
        displayName: "NA",
        product: "1103",
        version: "1.0.0.0",
        groupId: 3,
        active: true,
      }),
    ).toBe(9);
    const [p] = await pol.getPoliciesForGroup(3);
    expect(p).toMatchObject({
      id: 9,
      product: "1103",
      groupId: 3,
      active: true,
      acceptParent: true,
      inherited: false,
    });
    expect((await pol.getAllPolicies()).map((x) => x.groupId)).toEqual([3]);
    expect(calls.map((c) => [c.method, c.args, c.idempotent])).toEqual([
      ["UaControl.GetUpdateAgentsList", {}, true],
      ["UaControl.SetAssignUasAutomatically", { bEnabled: false }, true],
      ["UaControl.RegisterUpdateAgent", { pUaInfo: { UaHostId: "h1" } }, false],
      ["UaControl.ModifyUpdateAgent", { pUaInfo: { UaHostId: "h1" } }, true],
      ["UaControl.UnregisterUpdateAgent", { wstrUaHostId: "h1" }, false],
      [
        "Policy.AddPolicy",
        {
          pPolicyData: {
            KLPOL_DN: "NA",
            KLPOL_PRODUCT: "1103",
            KLPOL_VERSION: "1.0.0.0",
            KLPOL_GROUP_ID: 3,
            KLPOL_ACTIVE: true,
          },
        },
        false,
      ],
      ["Policy.GetPoliciesForGroup", { nGroupId: 3 }, true],
      ["Policy.GetPoliciesForGroup", { nGroupId: -1 }, true], // -1: "all groups"
    ]);
  });
});
