// The pieces of the engine tests that decide pass or fail without the engine: golden-file comparison, the
// normalisation of `preview --diff` text, and reading which resources a run names.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { changedKeys, changedResources, expectGolden, normalizePreview } from "./lifecycle";

const preview = (stack: string, port: number) => `Previewing update (${stack}):
@ previewing update....
  pulumi:pulumi:Stack: (same)
    [urn=urn:pulumi:${stack}::p::pulumi:pulumi:Stack::p-${stack}]
    ~ pulumi-nodejs:dynamic/ksc:PushServer: (update)
        [urn=urn:pulumi:${stack}::p::pulumi-nodejs:dynamic/ksc:PushServer::b-push]
      ~ port         : 13295 => 13300   
    ~ pulumi-nodejs:dynamic/ksc:PushServer: (update)
        [urn=urn:pulumi:${stack}::p::pulumi-nodejs:dynamic/ksc:PushServer::a-push]
      ~ remoteAddress: "" => "http://127.0.0.1:${port}"
    --outputs:--
  ~ ports: 13295 => 13300
Resources:
    ~ 2 to update
`;

describe("normalizePreview", () => {
  test("removes what changes between runs and orders resource blocks by URN", () => {
    const text = normalizePreview(preview("ksc-test-0123456789", 40123), "ksc-test-0123456789");
    expect(text).toBe(`Previewing update (<stack>):
  pulumi:pulumi:Stack: (same)
    [urn=urn:pulumi:<stack>::p::pulumi:pulumi:Stack::p-<stack>]
    ~ pulumi-nodejs:dynamic/ksc:PushServer: (update)
        [urn=urn:pulumi:<stack>::p::pulumi-nodejs:dynamic/ksc:PushServer::a-push]
      ~ remoteAddress: "" => "<ksc-url>"
    ~ pulumi-nodejs:dynamic/ksc:PushServer: (update)
        [urn=urn:pulumi:<stack>::p::pulumi-nodejs:dynamic/ksc:PushServer::b-push]
      ~ port         : 13295 => 13300
    --outputs:--
  ~ ports: 13295 => 13300
Resources:
    ~ 2 to update
`);
  });

  test("two runs that differ only in stack name and port normalise to the same text", () => {
    expect(normalizePreview(preview("ksc-test-aaaaaaaaaa", 1), "ksc-test-aaaaaaaaaa")).toBe(
      normalizePreview(preview("ksc-test-bbbbbbbbbb", 2), "ksc-test-bbbbbbbbbb"),
    );
  });
});

describe("expectGolden", () => {
  let dir: string;
  const saved = process.env.UPDATE_GOLDEN;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "golden-"));
    delete process.env.UPDATE_GOLDEN;
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
    if (saved === undefined) delete process.env.UPDATE_GOLDEN;
    else process.env.UPDATE_GOLDEN = saved;
  });

  test("passes on equal text, fails on any change, and says how to create a missing file", () => {
    expect(() => expectGolden(dir, "x.txt", "a\n")).toThrow(/missing: run the test with UPDATE_GOLDEN=1/);
    process.env.UPDATE_GOLDEN = "1";
    expectGolden(dir, "x.txt", "a\n");
    delete process.env.UPDATE_GOLDEN;
    expect(fs.readFileSync(path.join(dir, "golden", "x.txt"), "utf8")).toBe("a\n");
    expect(() => expectGolden(dir, "x.txt", "a\n")).not.toThrow();
    expect(() => expectGolden(dir, "x.txt", "b\n")).toThrow();
  });
});

describe("changedResources", () => {
  const run = (stdout: string) => ({ command: "pulumi", code: 7, stdout, stderr: "" });

  test("names what the update would change, not the refresh steps, each once", () => {
    const out = [
      " ~  pulumi-nodejs:dynamic/ksc:PushServer branch-push refreshing ",
      " ~  pulumi-nodejs:dynamic/ksc:PushServer branch-push refresh [diff: ~port]",
      " ~  pulumi-nodejs:dynamic/ksc:PushServer branch-push update [diff: ~port]",
      " ~  pulumi-nodejs:dynamic/ksc:PushServer branch-push updated (0.02s) [diff: ~port]",
      " ++ pulumi-nodejs:dynamic/ksc:PushServer x-push create replacement [diff: ~hostId]",
      " +- pulumi-nodejs:dynamic/ksc:PushServer x-push replace [diff: ~hostId]",
      " -- pulumi-nodejs:dynamic/ksc:PushServer x-push delete original [diff: ~hostId]",
      " +  pulumi-nodejs:dynamic/ksc:DistributionPoint new-dp create ",
      "    pulumi-nodejs:dynamic/ksc:NetworkAgentPolicy policy  ",
    ].join("\n");
    expect(changedResources(run(out))).toEqual([
      "create ksc:DistributionPoint new-dp []",
      "replace ksc:PushServer x-push [~hostId]",
      "update ksc:PushServer branch-push [~port]",
    ]);
  });

  test("reads the native plugin's types (ksc:index:*) the same way", () => {
    const out = [
      " ~  ksc:index:PushServer branch-push refresh [diff: ~port]",
      " ~  ksc:index:PushServer branch-push update [diff: ~port]",
      " +  ksc:index:NetworkAgentPolicy p create ",
      " ~  kscx:index:PushServer other update [diff: ~port]",
    ].join("\n");
    expect(changedResources(run(out))).toEqual([
      "create ksc:NetworkAgentPolicy p []",
      "update ksc:PushServer branch-push [~port]",
    ]);
  });
});

test("changedKeys compares values, not internal keys", () => {
  expect(changedKeys({ port: 1, a: [1], __provider: "x" }, { port: 2, a: [1], __provider: "y" })).toEqual([
    "port",
  ]);
});
