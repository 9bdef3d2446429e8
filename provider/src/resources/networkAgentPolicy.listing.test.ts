// The checks of new NetworkAgentPolicies share one listing of all groups' policies per provider process; the create
// of a checked declaration takes that listing instead of asking again (findByNameForCreate), and stays idempotent:
// a policy made before the check is found, and a listing this process may have made stale for a group by a write of
// its own is not used for that group (docs/performance.md#policy-lookups).
import { RESOURCE_NAME_KEY } from "./common";
import * as na from "./networkAgentPolicy";
import type { NetworkAgentPolicyCheckedInputs } from "./schema.generated";
import { GROUPS, TestConsole, TestContext, testConsole } from "../../../test/support/inProcessConsole";

const naInputs = (news: Record<string, unknown>): NetworkAgentPolicyCheckedInputs => {
  const r = na.check({}, news);
  expect(r.failures).toEqual([]);
  return r.inputs;
};
const declared = (name: string, resource = name) =>
  naInputs({ group: GROUPS.milan, name, [RESOURCE_NAME_KEY]: resource });

let ksc: TestConsole;
let ctx: TestContext;
beforeEach(() => {
  ksc = testConsole();
  ctx = ksc.context();
});
afterEach(() => ksc.close());

const LIST = "Policy.GetPoliciesForGroup";

test("a new policy checked and created in one process lists its group once", async () => {
  const inputs = declared("Milan agents");
  expect(await na.verify(ctx, {}, inputs)).toEqual([]);
  await na.create(ctx, inputs);
  expect(ksc.count(LIST)).toBe(1);
  expect(ksc.count("Policy.AddPolicy")).toBe(1);
});

test("a create without a check lists the group itself", async () => {
  await na.create(ctx, declared("Milan agents"));
  expect(ksc.count(LIST)).toBe(1);
});

test("lost reply of an earlier run: the policy it made is in the check's listing, and is managed, not made twice", async () => {
  const earlier = ksc.context();
  await na.create(earlier, declared("Milan agents")); // made; pretend its reply never reached the engine
  const inputs = declared("Milan agents");
  expect(await na.verify(ctx, {}, inputs)).toEqual([]); // equal to the declaration: no failure
  const { outs } = await na.create(ctx, inputs);
  expect(ksc.count("Policy.AddPolicy")).toBe(1);
  expect(outs.adopted).toBe(true);
  expect([...ksc.policies.values()].filter((p) => p.displayName === "Milan agents")).toHaveLength(1);
});

test("a policy this process deletes on the group after the check: create lists again and adds a new one", async () => {
  const earlier = ksc.context();
  const old = await na.create(earlier, declared("Milan agents"));
  const inputs = declared("Milan agents", "new");
  expect(await na.verify(ctx, {}, inputs)).toEqual([]); // the listing holds the old policy
  await na.delete(ctx, String(old.outs.policyId), old.outs); // e.g. the old resource replaced in this run
  const { outs } = await na.create(ctx, inputs);
  expect(outs.policyId).not.toBe(old.outs.policyId);
  expect(outs.adopted).toBe(false);
  expect(ksc.policies.has(outs.policyId)).toBe(true);
});

test("a policy this process adds on the group after the check drops the group's listings", async () => {
  const first = declared("Milan agents");
  expect(await na.verify(ctx, {}, first)).toEqual([]);
  await na.create(ctx, declared("Milan servers")); // lists its own name, then adds on the same group
  await na.create(ctx, first);
  expect(ksc.count(LIST)).toBe(3);
  expect(ksc.count("Policy.AddPolicy")).toBe(2);
});

test("the checks of new policies on several groups share one listing of all groups, and their creates take it", async () => {
  const declarations = [GROUPS.milan, GROUPS.rome, GROUPS.headOffice].map((group) =>
    naInputs({ group, name: "Site agents", [RESOURCE_NAME_KEY]: `agents-${group}` }),
  );
  for (const inputs of declarations) expect(await na.verify(ctx, {}, inputs)).toEqual([]);
  for (const inputs of declarations) await na.create(ctx, inputs);
  expect(ksc.count(LIST)).toBe(1);
  expect(ksc.count("Policy.AddPolicy")).toBe(3);
  const made = [...ksc.policies.values()].filter((p) => p.displayName === "Site agents");
  expect(made.map((p) => p.groupId).sort()).toEqual([GROUPS.milan, GROUPS.rome, GROUPS.headOffice].sort());
});

test("the listing of all groups tells the groups apart: a policy of the same name on another group is not this one", async () => {
  const earlier = ksc.context();
  await na.create(
    earlier,
    naInputs({ group: GROUPS.rome, name: "Site agents", [RESOURCE_NAME_KEY]: "rome" }),
  );
  const milan = naInputs({ group: GROUPS.milan, name: "Site agents", [RESOURCE_NAME_KEY]: "milan" });
  expect(await na.verify(ctx, {}, milan)).toEqual([]);
  const { outs } = await na.create(ctx, milan);
  expect(outs.adopted).toBe(false);
  expect(outs.groupId).toBe(GROUPS.milan);
  expect(ksc.count("Policy.AddPolicy")).toBe(2);
});

test("a policy this process renames on a group makes the listing stale for that group only", async () => {
  const earlier = ksc.context();
  const old = await na.create(earlier, declared("Milan agents", "old"));
  const inputs = declared("Milan agents", "new");
  const rome = naInputs({ group: GROUPS.rome, name: "Rome agents", [RESOURCE_NAME_KEY]: "rome" });
  expect(await na.verify(ctx, {}, rome)).toEqual([]);
  // The old resource renames its policy in this run; the new declaration takes the freed name.
  await na.update(ctx, String(old.outs.policyId), old.outs, declared("Milan agents (old)", "old"));
  const listed = ksc.count(LIST);
  expect(await na.verify(ctx, {}, inputs)).toEqual([]);
  const { outs } = await na.create(ctx, inputs);
  expect(outs.adopted).toBe(false);
  expect(outs.policyId).not.toBe(old.outs.policyId);
  expect(ksc.count(LIST) - listed).toBe(2); // Milan listed by the check and again by the create; Rome's listing not used
  await na.create(ctx, rome);
  expect(ksc.count(LIST) - listed).toBe(2);
});
