import { KscLong, KscParams, KscTyped } from "./api";
import {
  asBoolean,
  asNumber,
  decodeParams,
  decodeReply,
  decodeStrict,
  encodeArgs,
  encodeParams,
  encodeStrict,
} from "./codec";
import { KscProtocolError } from "./errors";

// Decoding then encoding must give back exactly the wire JSON of the reference's examples.
function roundTripBody(json: string): void {
  const wire = JSON.parse(json) as Record<string, unknown>;
  expect(JSON.stringify(encodeArgs(decodeReply(wire)))).toBe(JSON.stringify(wire));
}
function roundTripParams(json: string): void {
  const wire = JSON.parse(json) as Record<string, unknown>;
  expect(JSON.stringify(encodeParams(decodeParams(wire)))).toBe(JSON.stringify(wire));
}

describe("codec: the reference's examples round-trip exactly", () => {
  test.each([
    // DP scope example (docs/ksc-open-api.md#typed-values)
    ['{"ScopeGroups":[{"type":"params","value":{"ScopeId":{"type":"long","value":53}}}]}'],
    // each strongly typed form inside params (docs/ksc-open-api.md#typed-values)
    [
      '{"s":"text","b":true,"i":42,"l":{"type":"long","value":42},"dt":{"type":"datetime","value":"2016-09-19T15:22:35Z"},' +
        '"d":{"type":"date","value":"2016-09-19"},"bin":{"type":"binary","value":"AAEC"},"f":{"type":"float","value":1.5},' +
        '"dbl":{"type":"double","value":1.5},"p":{"type":"params","value":{"x":1}},"arr":[1,"a",null,{"type":"params","value":{}}]}',
    ],
    // lock wrapper, nested (docs/ksc-open-api.md#policy-format)
    [
      '{"SomeSetting":{"type":"params","value":{"KLPRSS_Val":true,"KLPRSS_Mnd":true}},' +
        '"Container":{"type":"params","value":{"KLPRSS_Val":{"type":"params","value":{"a":1}},"KLPRSS_Mnd":true}}}',
    ],
  ])("params %#", (json) => roundTripParams(json));

  test.each([
    // replies (docs/ksc-open-api.md#replies)
    ['{"strAccessor":"ua1eizhXcYqZUuv64j8yB1","PxgRetVal":1}'],
    [
      '{"PxgRetVal":[{"type":"params","value":{"KLPOL_ID":5,"KLPOL_DN":"Kaspersky Security Center Network Agent","KLPOL_PRODUCT":"1103","KLPOL_VERSION":"1.0.0.0","KLPOL_ACTIVE":true}}]}',
    ],
    [
      '{"PxgRetVal":{"KLPOL_ID":5,"KLPOL_DN":"x","KLPOL_CREATED":{"type":"datetime","value":"2024-01-02T03:04:05Z"}}}',
    ],
    [
      '{"pChunk":{"KLCSP_ITERATOR_ARRAY":[{"type":"params","value":{"KLHST_WKS_HOSTNAME":"3f2a","KLHST_WKS_DN":"dp-01","KLHST_WKS_GROUPID":7}}]},"PxgRetVal":1}',
    ],
    ['{"strActionGuid":"a1b2"}'],
    ["{}"],
    // requests (docs/ksc-open-api.md#the-whole-sequence)
    [
      '{"wstrFilter":"(KLHST_WKS_DN = \\"dp-01\\")","vecFieldsToReturn":["KLHST_WKS_HOSTNAME","KLHST_WKS_DN","KLHST_WKS_GROUPID"],"vecFieldsToOrder":[],"pParams":{},"lMaxLifeTime":60}',
    ],
    ['{"strAccessor":"acc","nStart":0,"nCount":100}'],
    ['{"PxgRetVal":0}'],
    ['{"pUasArr":[{"type":"params","value":{"UaHostId":"h1","UaHostDisplayName":"dp-01","UaIsCg":false}}]}'],
    ['{"bEnabled":false}'],
    [
      '{"pUaInfo":{"UaHostId":"<guid>","UaScope":{"type":"params","value":{"ScopeGroups":[{"type":"params","value":{"ScopeId":{"type":"long","value":12}}}],"ScopeNlaNetworks":[]}},' +
        '"PROPOSED_UaPushServerEnabled":true,"PROPOSED_UaPushServerPort":{"type":"long","value":13295}}}',
    ],
    ['{"wstrUaHostId":"<guid>"}'],
    ['{"nGroupId":3}'],
    [
      '{"pPolicyData":{"KLPOL_DN":"NA","KLPOL_PRODUCT":"1103","KLPOL_VERSION":"1.0.0.0","KLPOL_GROUP_ID":3,"KLPOL_ACTIVE":true}}',
    ],
    ['{"nPolicy":5,"nRevisionId":0,"nLifeTime":0}'],
    [
      '{"wstrID":"ss1","wstrProduct":"1103","wstrVersion":"1.0.0.0","wstrSection":"86","pNewData":{' +
        '"PROPOSED_UseDpForceConnection":{"type":"params","value":{"KLPRSS_Val":true,"KLPRSS_Mnd":true}},' +
        '"OpenUdpPort":{"type":"params","value":{"KLPRSS_Val":false,"KLPRSS_Mnd":false}}}}',
    ],
    ['{"wstrID":"ss1"}'],
  ])("body %#", (json) => roundTripBody(json));
});

describe("codec: decoding", () => {
  test("typed values become KscLong / KscTyped / params", () => {
    const d = decodeParams({
      l: { type: "long", value: 53 },
      dt: { type: "datetime", value: "2016-09-19T15:22:35Z" },
      p: { type: "params", value: { a: { type: "long", value: 1 } } },
    });
    expect(d.l).toEqual(new KscLong(53));
    expect(d.l).toBeInstanceOf(KscLong);
    expect(d.dt).toEqual(new KscTyped("datetime", "2016-09-19T15:22:35Z"));
    expect((d.p as KscParams).a).toEqual(new KscLong(1));
  });

  test("wrapped and plain forms of params decode to the same value", () => {
    const wrapped = decodeReply({ pChunk: { KLCSP_ITERATOR_ARRAY: [{ type: "params", value: { a: 1 } }] } });
    const plain = decodeReply({ pChunk: { KLCSP_ITERATOR_ARRAY: [{ a: 1 }] } });
    expect(plain).toEqual(wrapped);
    expect(decodeStrict({ a: { b: 2 } })).toEqual(
      decodeStrict({ type: "params", value: { a: { type: "params", value: { b: 2 } } } }),
    );
  });

  test("a wrapped value at the top level is accepted (servers differ)", () => {
    expect(decodeReply({ PxgRetVal: { type: "long", value: 7 } }).PxgRetVal).toEqual(new KscLong(7));
    expect(decodeReply({ PxgRetVal: { type: "params", value: { a: true } } }).PxgRetVal).toEqual({ a: true });
  });

  test("only an object with exactly type+value and a known type is a wrapper", () => {
    expect(decodeStrict({ type: "long", value: 1, extra: 2 })).toEqual({ type: "long", value: 1, extra: 2 });
    expect(decodeStrict({ type: "device", value: "x" })).toEqual({ type: "device", value: "x" });
    expect(decodeStrict({ type: "long", value: "9007199254740000" })).toEqual(new KscLong(9007199254740000));
  });

  test("malformed wrappers are protocol errors", () => {
    expect(() => decodeStrict({ type: "long", value: "abc" })).toThrow(KscProtocolError);
    expect(() => decodeStrict({ type: "params", value: 5 })).toThrow(KscProtocolError);
    expect(() => decodeReply([1, 2])).toThrow(KscProtocolError);
  });

  test("readers accept int and long, and 0/1 flags", () => {
    expect(asNumber(5, "x")).toBe(5);
    expect(asNumber(new KscLong(6), "x")).toBe(6);
    expect(asBoolean(1, "x")).toBe(true);
    expect(() => asNumber("5", "UaControl.X PxgRetVal")).toThrow(
      /UaControl.X PxgRetVal: expected a number, got a string/,
    );
  });
});

describe("codec: encoding", () => {
  test("top-level arguments are loose, their params contents strict", () => {
    expect(
      encodeArgs({
        nPolicy: new KscLong(5),
        when: new KscTyped("datetime", "2016-09-19T15:22:35Z"),
        pInfo: { l: new KscLong(5), nested: { x: 1 } },
        skipped: undefined,
      }),
    ).toEqual({
      nPolicy: 5,
      when: "2016-09-19T15:22:35Z",
      pInfo: { l: { type: "long", value: 5 }, nested: { type: "params", value: { x: 1 } } },
    });
  });

  test("array elements are strictly typed at every level", () => {
    expect(encodeArgs({ a: [new KscLong(1), { p: 1 }, null] })).toEqual({
      a: [{ type: "long", value: 1 }, { type: "params", value: { p: 1 } }, null],
    });
  });

  test("an integer beyond 32 bits inside params is sent as long", () => {
    expect(encodeStrict(2 ** 31)).toEqual({ type: "long", value: 2 ** 31 });
    expect(encodeStrict(-(2 ** 31) - 1)).toEqual({ type: "long", value: -(2 ** 31) - 1 });
    expect(encodeStrict(2 ** 31 - 1)).toBe(2 ** 31 - 1);
  });

  test("null values are omitted from params (not allowed there), kept in arrays", () => {
    expect(encodeParams({ a: null, b: 1, c: [null] })).toEqual({ b: 1, c: [null] });
  });

  test("non-finite numbers are refused with the key's path", () => {
    expect(() => encodeArgs({ pInfo: { port: NaN } })).toThrow(/pInfo\.port/);
    expect(() => encodeArgs({ n: Infinity })).toThrow(/n: Infinity/);
  });
});
