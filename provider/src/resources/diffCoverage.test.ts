// Every input of every resource is either compared by diff (a change shows, and replaces where schema.json says
// replaceOnChanges) or marked create-only in schema.json (a change is ignored). A new property in schema.json
// fails this test until it gets a row here and is handled by diff.
import * as dp from "./distributionPoint";
import * as na from "./networkAgentPolicy";
import * as ps from "./pushServer";
import { PACKAGE_SCHEMA } from "./schema.generated";
import { DOCS_KEY, RESOURCE_KINDS, RESOURCE_TOKENS, ResourceKind } from "./schemaTypes";
import { GROUPS, HOSTS, testConsole, TestContext } from "../../../test/support/inProcessConsole";

type Logic = {
  check(
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
  ): { inputs: unknown; failures: unknown[] };
  create(ctx: TestContext, inputs: never): Promise<{ outs: unknown }>;
  diff(olds: never, news: never): { diffs: string[]; replaces: string[]; changes: boolean };
};
const LOGIC: Record<ResourceKind, Logic> = {
  DistributionPoint: dp,
  PushServer: ps,
  NetworkAgentPolicy: na,
} as never;

/** A declaration, and for each input another valid value. */
const CASES: Record<ResourceKind, { base: Record<string, unknown>; other: Record<string, unknown> }> = {
  DistributionPoint: {
    base: { hostId: HOSTS["milan-dp-01"], scopeGroups: [GROUPS.milan], scopeNlaNetworks: [] },
    other: {
      hostId: HOSTS["rome-dp-01"],
      deviceName: "rome-dp-01",
      scopeGroups: [GROUPS.rome],
      scopeNlaNetworks: [5],
      port: 13002,
      nonSslPort: 14002,
      multicastAddress: "239.1.1.1",
      distributeUpdates: false,
      distributePackages: false,
      customFolder: "D:\\x",
      connectionGateway: true,
      gatewayRemoteAddress: "gw.example",
      gatewayServerInitiatesConnection: true,
      disableAutomaticAssignment: false,
      adopt: true,
    },
  },
  PushServer: {
    base: { hostId: HOSTS["milan-dp-01"] },
    other: { hostId: HOSTS["rome-dp-01"], port: 14295, remoteAddress: "push.example", adopt: true },
  },
  NetworkAgentPolicy: {
    base: { group: GROUPS.milan, name: "NA Milan" },
    other: {
      group: GROUPS.rome,
      name: "NA Milan 2",
      active: false,
      inheritFromParent: false,
      forceInheritance: true,
      forceConnectionThroughDp: { value: false },
      useUdpPort: { value: true, locked: true },
      udpPort: { value: 15001 },
      adopt: true,
    },
  },
};

describe.each(RESOURCE_KINDS)("%s diff covers schema.json", (kind) => {
  const spec = PACKAGE_SCHEMA.resources[RESOURCE_TOKENS[kind]];
  const logic = LOGIC[kind];

  test("every input has an alternative value in this table", () => {
    expect(Object.keys(CASES[kind].other).sort()).toEqual(Object.keys(spec.inputProperties).sort());
  });

  test.each(Object.keys(spec.inputProperties))("%s", async (name) => {
    const ksc = testConsole();
    const ctx = ksc.context();
    if (kind === "PushServer") {
      await dp.create(
        ctx,
        dp.check({}, { hostId: HOSTS["milan-dp-01"], scopeGroups: [GROUPS.milan] }).inputs,
      );
    }
    const base = logic.check({}, CASES[kind].base);
    expect(base.failures).toEqual([]);
    const { outs } = await logic.create(ctx, base.inputs as never);
    const changedDecl = { ...CASES[kind].base, [name]: CASES[kind].other[name] };
    // A device is given one way only.
    if (name === "deviceName") delete changedDecl.hostId;
    const changed = logic.check({}, changedDecl);
    expect(changed.failures).toEqual([]);
    const r = logic.diff(outs as never, changed.inputs as never);
    const p = spec.inputProperties[name];
    if (p.language?.[DOCS_KEY]?.createOnly === true) {
      expect(r).toMatchObject({ changes: false, replaces: [] });
    } else {
      expect(r.diffs).toEqual([name]);
      expect(r.replaces).toEqual(p.replaceOnChanges ? [name] : []);
    }
  });
});
