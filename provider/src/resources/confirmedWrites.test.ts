// Creates and deletes that look before they fail (createConfirmed, deleteConfirmed). Found by the fault tests
// (test/fault): a policy delete whose reply was lost failed the run although the policy was gone; a DP or policy
// delete, or a DP registration or policy creation, answered by a transient HTTP 500/503 or KLSTD 1195 failed the
// run although the console showed that the call had not happened and repeating it was safe.
import { KscAuthError, KscHttpError, KscNetworkError } from "../ksc/errors";
import { createConfirmed, deleteConfirmed } from "./common";
import * as dp from "./distributionPoint";
import * as na from "./networkAgentPolicy";
import { GROUPS, seededHost, TestConsole, testConsole } from "../../../test/support/inProcessConsole";

const lostReply = (method: string) =>
  new KscNetworkError(method, "http://ksc", "reset", `${method}: the connection was closed (ECONNRESET)`);
const http503 = (method: string) => new KscHttpError(method, "http://ksc", 503, "Service Unavailable");

describe("deleteConfirmed", () => {
  test("a lost reply: the object is gone, so the delete is done", async () => {
    let exists = true;
    const del = jest.fn(async () => {
      exists = false;
      throw lostReply("X.Delete");
    });
    await deleteConfirmed("deleting x", del, async () => exists, 1);
    expect(del).toHaveBeenCalledTimes(1);
  });

  test("a transient failure with the object still there is tried again, up to 3 attempts", async () => {
    const del = jest.fn(async () => {
      throw http503("X.Delete");
    });
    await expect(deleteConfirmed("deleting x", del, async () => true, 1)).rejects.toThrow(
      /^deleting x: X\.Delete: HTTP 503/,
    );
    expect(del).toHaveBeenCalledTimes(3);
  });

  test("a failure that is not transient is not repeated", async () => {
    const del = jest.fn(async () => {
      throw new KscAuthError("login failed", { method: "X.Delete", server: "http://ksc", user: "admin" });
    });
    await expect(deleteConfirmed("deleting x", del, async () => true, 1)).rejects.toThrow(
      /deleting x: login failed/,
    );
    expect(del).toHaveBeenCalledTimes(1);
  });

  test("when the check itself fails, the original error is reported", async () => {
    const del = jest.fn(async () => {
      throw http503("X.Delete");
    });
    const exists = async (): Promise<boolean> => {
      throw new Error("cannot look");
    };
    await expect(deleteConfirmed("deleting x", del, exists, 1)).rejects.toThrow(/HTTP 503/);
    expect(del).toHaveBeenCalledTimes(1);
  });
});

describe("createConfirmed", () => {
  test("a lost reply: the object exists, it is the result, and nothing is created twice", async () => {
    let made: number | undefined;
    const create = jest.fn(async () => {
      made = 7;
      throw lostReply("X.Add");
    });
    const recovered = jest.fn();
    await expect(createConfirmed("creating x", create, async () => made, recovered, 1)).resolves.toBe(7);
    expect(create).toHaveBeenCalledTimes(1);
    expect(recovered).toHaveBeenCalledTimes(1);
  });

  test("a transient failure and nothing there: created on the next attempt", async () => {
    let calls = 0;
    const create = jest.fn(async () => {
      if (++calls === 1) throw http503("X.Add");
      return 8;
    });
    await expect(
      createConfirmed(
        "creating x",
        create,
        async () => undefined,
        () => undefined,
        1,
      ),
    ).resolves.toBe(8);
    expect(create).toHaveBeenCalledTimes(2);
  });

  test("when the look finds something that is not ours, the create's error is reported", async () => {
    const create = jest.fn(async (): Promise<number> => {
      throw http503("X.Add");
    });
    const find = async (): Promise<number | undefined> => {
      throw new Error("other settings");
    };
    await expect(createConfirmed("creating x", create, find, () => undefined, 1)).rejects.toThrow(
      /^creating x: X\.Add: HTTP 503/,
    );
    expect(create).toHaveBeenCalledTimes(1);
  });
});

describe("resource creates and deletes", () => {
  let ksc: TestConsole;
  let ctx: ReturnType<TestConsole["context"]>;
  beforeEach(() => {
    ksc = testConsole();
    ctx = ksc.context();
  });
  afterEach(() => ksc.close());

  const policyInputs = () =>
    na.check({}, { group: GROUPS.milan, name: "Network Agent - Branch Milan" }).inputs;
  const dpInputs = () =>
    dp.check({}, { hostId: seededHost("milan-dp-01"), scopeGroups: [GROUPS.milan] }).inputs;

  test("DistributionPoint: RegisterUpdateAgent refused with HTTP 503 once → registered on the next attempt", async () => {
    ksc.fail("UaControl.RegisterUpdateAgent", "http503");
    const { id } = await dp.create(ctx, dpInputs());
    expect(ksc.dps.has(id)).toBe(true);
    expect(ksc.count("UaControl.RegisterUpdateAgent")).toBe(2);
  });

  test("NetworkAgentPolicy: AddPolicy refused with KLSTD 1195 once → one policy, made on the next attempt", async () => {
    ksc.fail("Policy.AddPolicy", "klstd1195");
    const before = ksc.policies.size;
    await na.create(ctx, policyInputs());
    expect(ksc.policies.size).toBe(before + 1);
    expect(ksc.count("Policy.AddPolicy")).toBe(2);
  });

  test("NetworkAgentPolicy: DeletePolicy applied, reply lost → done", async () => {
    const { id, outs } = await na.create(ctx, policyInputs());
    ksc.fail("Policy.DeletePolicy", "dropAfterApply");
    await na.delete(ctx, id, outs);
    expect(ksc.policies.has(Number(id))).toBe(false);
  });

  test("NetworkAgentPolicy: KLSTD 1195 once → deleted on the next attempt", async () => {
    const { id, outs } = await na.create(ctx, policyInputs());
    ksc.fail("Policy.DeletePolicy", "klstd1195");
    await na.delete(ctx, id, outs);
    expect(ksc.policies.has(Number(id))).toBe(false);
    expect(ksc.count("Policy.DeletePolicy")).toBe(2);
  });

  test("DistributionPoint: HTTP 503 once → unregistered on the next attempt", async () => {
    const { id, outs } = await dp.create(ctx, dpInputs());
    ksc.fail("UaControl.UnregisterUpdateAgent", "http503");
    await dp.delete(ctx, id, outs);
    expect(ksc.dps.has(id)).toBe(false);
    expect(ksc.count("UaControl.UnregisterUpdateAgent")).toBe(2);
  });
});
