// The bad-input verdict (verdict.ts) on planted faults: each check fails when what it guards is broken, and
// passes on a run as the real suite sees it (messages copied from a run of bad-input.fault.test.ts).
import { CaseRun, checkError, problems, writesBetween } from "./verdict";

const PUSH = "pulumi-nodejs:dynamic/ksc:PushServer";
const clash = (property: string, value: string) => ({
  severity: "error",
  message:
    `error: ${PUSH} resource 'push': property ${property} value {${value}} has a problem: 13000 is already used by ` +
    "the distribution point as its TLS port for Network Agents (DistributionPoint port); choose another port\n",
});
const refused = (diagnostics: CaseRun["diagnostics"]): CaseRun => ({
  code: 255,
  diagnostics,
  writes: {},
  unchanged: true,
  planned: {},
});
const PORT_CLASH = { property: "port", reason: /13000 is already used by the distribution point/ };

describe("the engine's check error, split into its slots", () => {
  test("with a property", () => {
    expect(checkError(clash("port", "13000").message)).toEqual({
      type: PUSH,
      resource: "push",
      property: "port",
      value: "13000",
      reason:
        "13000 is already used by the distribution point as its TLS port for Network Agents (DistributionPoint port); choose another port",
    });
  });

  test("a value with braces and quotes, a nested property's reason", () => {
    const m =
      "error: pulumi-nodejs:dynamic/ksc:NetworkAgentPolicy resource 'policy': property forceConnectionThroughDp " +
      "value {map[lockd:{true} value:{true}]} has a problem: lockd: unknown property";
    expect(checkError(m)).toMatchObject({
      property: "forceConnectionThroughDp",
      value: "map[lockd:{true} value:{true}]",
      reason: "lockd: unknown property",
    });
  });

  test("without a property", () => {
    expect(checkError(`error: ${PUSH} resource 'push' has a problem: port 13000 is taken`)).toEqual({
      type: PUSH,
      resource: "push",
      reason: "port 13000 is taken",
    });
    expect(checkError("error: preview failed")).toBeUndefined();
  });

  test("a value too long to echo: no engine slot, the property's name first in the reason", () => {
    const m =
      "error: pulumi-nodejs:dynamic/ksc:DistributionPoint resource 'dp' has a problem: scopeGroups: item 1: " +
      "must be at most 1024 characters long, got 1029";
    expect(checkError(m)).toEqual({
      type: "pulumi-nodejs:dynamic/ksc:DistributionPoint",
      resource: "dp",
      property: "scopeGroups",
      reason: "item 1: must be at most 1024 characters long, got 1029",
    });
    // Only at the start: a reason that merely mentions a property (here "port") names none.
    expect(
      checkError(`error: ${PUSH} resource 'push' has a problem: choose another port: 13000 is taken`),
    ).toEqual({
      type: PUSH,
      resource: "push",
      reason: "choose another port: 13000 is taken",
    });
  });
});

describe("a refused input: the property must be in the engine's property slot", () => {
  test("passes when it is", () => {
    expect(problems(PORT_CLASH, refused([clash("port", "13000")]))).toEqual([]);
  });

  test("planted: the property word only in the reason text (the old substring check passed it)", () => {
    const planted = clash("hostId", "31f3dee8-e3bc-2116-ac13-6c19912aac6c");
    expect(planted.message.includes("port") && PORT_CLASH.reason.test(planted.message)).toBe(true);
    expect(problems(PORT_CLASH, refused([planted]))).toEqual([
      expect.stringMatching(/^no error carries port in its property slot/),
    ]);
  });

  test("planted: an error with no property slot, and a warning that names it", () => {
    const noSlot = {
      severity: "error",
      message: `error: ${PUSH} resource 'push' has a problem: port 13000 is taken`,
    };
    expect(problems(PORT_CLASH, refused([noSlot]))).toHaveLength(1);
    expect(problems(PORT_CLASH, refused([{ ...clash("port", "13000"), severity: "warning" }]))).toHaveLength(
      1,
    );
  });

  test("planted: the right property with another reason, and a preview that succeeded", () => {
    const other = {
      severity: "error",
      message: `error: ${PUSH} resource 'push': property port value {0} has a problem: must be between 1 and 65535`,
    };
    expect(problems(PORT_CLASH, refused([other]))).toHaveLength(1);
    expect(problems(PORT_CLASH, { ...refused([clash("port", "13000")]), code: 0 })).toEqual([
      "the preview succeeded",
    ]);
  });
});

describe("no write: judged by the emulator's counters, not by the console's look", () => {
  const before = { "UaControl.GetUpdateAgentInfo": 4, "UaControl.SetAssignUasAutomatically": 1 };

  test("only write methods that were called in between count", () => {
    const after = {
      ...before,
      "UaControl.GetUpdateAgentInfo": 9,
      "HostGroup.FindHosts": 2,
      "Session.StartSession": 1,
      "ChunkAccessor.Release": 2,
      "SsContents.Ss_Release": 1,
    };
    expect(writesBetween(before, after)).toEqual({});
  });

  test("planted: a write that sets the value the console already has (the snapshot stays equal)", () => {
    const after = { ...before, "UaControl.SetAssignUasAutomatically": 2, "UaControl.ModifyUpdateAgent": 1 };
    const writes = writesBetween(before, after);
    expect(writes).toEqual({ "UaControl.SetAssignUasAutomatically": 1, "UaControl.ModifyUpdateAgent": 1 });
    expect(problems(PORT_CLASH, { ...refused([clash("port", "13000")]), writes })).toEqual([
      "write calls reached the console during the preview: UaControl.SetAssignUasAutomatically ×1, UaControl.ModifyUpdateAgent ×1",
    ]);
  });

  test("planted: a console that changed", () => {
    expect(problems(PORT_CLASH, { ...refused([clash("port", "13000")]), unchanged: false })).toEqual([
      "the console changed during the preview",
    ]);
  });
});

describe("an input that must work: the preview succeeds and plans what was meant", () => {
  const ok: CaseRun = {
    code: 0,
    diagnostics: [],
    writes: {},
    unchanged: true,
    planned: { dp: { deviceName: "rome-dp-*", hostId: "host-rome-dp-star" } },
  };
  const expected = { planned: { dp: { hostId: "host-rome-dp-star" } } };

  test("passes when it does", () => {
    expect(problems(expected, ok)).toEqual([]);
  });

  test("planted: the name resolved to another device", () => {
    const wrong = { ...ok, planned: { dp: { deviceName: "rome-dp-*", hostId: "host-rome-dp-01" } } };
    expect(problems(expected, wrong)).toEqual([
      'dp.hostId planned as "host-rome-dp-01", expected "host-rome-dp-star"',
    ]);
    expect(problems(expected, { ...ok, planned: {} })).toEqual(["no planned inputs for dp"]);
  });

  test("planted: a failed preview", () => {
    expect(problems({}, { ...ok, code: 255, planned: {} })).toEqual([
      expect.stringMatching(/^the preview failed/),
    ]);
  });
});
