// The check of a new NetworkAgentPolicy lists its group's policies; the create of the same provider process takes
// that listing instead of asking again (findByNameForCreate), and stays idempotent: a policy made before the
// check is found, and a listing this process may have made stale by a write of its own is not used.
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
