// `make sdk` (tools/sdkgen/run.sh): the Python and Go SDKs generated from schema.json by Pulumi's own code
// generators compile (`go vet`, `go build ./...`; `python -m compileall`), install and import, and register the
// three resources with schema.json's type tokens under Pulumi's mocks (`go test`, check.py). Needs Go and python3, as `make pulumi`
// needs Go: it fails, never skips, without them. The last test shows the check failing on a broken SDK.
// The engine tier because it needs Go and the module proxy (or a warm module cache), like the CLI build.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { repoRoot } from "../engine";

jest.setTimeout(20 * 60 * 1000);

const RUN = path.join(repoRoot, "tools", "sdkgen", "run.sh");
const schema = JSON.parse(fs.readFileSync(path.join(repoRoot, "schema.json"), "utf8")) as {
  resources: Record<string, unknown>;
};
const tokens = Object.keys(schema.resources).sort();
const pinned = (goMod: string, module: string) =>
  fs
    .readFileSync(goMod, "utf8")
    .split("\n")
    .map((l) =>
      l
        .trim()
        .replace(/^require\s+/, "")
        .split(/\s+/),
    )
    .find(([m]) => m === module)?.[1];
const cliVersion = pinned(
  path.join(repoRoot, "tools", "pulumi-cli", "go.mod"),
  "github.com/pulumi/pulumi/pkg/v3",
);

let out: string;

function run(env: Record<string, string> = {}) {
  const r = spawnSync(RUN, {
    env: { ...process.env, SDK_OUT: out, ...env },
    encoding: "utf8",
    maxBuffer: 64 << 20,
  });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

beforeAll(() => {
  out = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-ksc-sdk-"));
});

afterAll(() => {
  fs.rmSync(out, { recursive: true, force: true });
});

describe("make sdk: the Python and Go SDKs", () => {
  test("are generated with the CLI's Pulumi version and pass their compile checks", () => {
    expect(cliVersion).toMatch(/^v3\.\d+\.\d+$/);
    const r = run();
    expect(r).toMatchObject({ status: 0 });
    // One version source: sdkgen is built against the CLI's pkg/v3, the Go SDK requires the same sdk/v3.
    expect(pinned(path.join(repoRoot, "tools", "sdkgen", "go.mod"), "github.com/pulumi/pulumi/pkg/v3")).toBe(
      cliVersion,
    );
    expect(r.output).toContain(`built sdkgen with github.com/pulumi/pulumi/pkg/v3 ${cliVersion}`);
    expect(pinned(path.join(out, "go", "go.mod"), "github.com/pulumi/pulumi/sdk/v3")).toBe(cliVersion);
    expect(r.output).toContain("go SDK: go build ./..., go vet and go test (resources under mocks) passed");
    expect(r.output).toContain("--- PASS: TestResourcesRegisterUnderMocks");
    expect(r.output).toContain("python SDK: compileall, install and import (resources under mocks) passed");
    // Each resource, in each language, with its type token; Python registered all three under mocks.
    const files: Record<string, [string, string]> = {
      "ksc:index:DistributionPoint": [
        "go/ksc/distributionPoint.go",
        "python/pulumi_ksc/distribution_point.py",
      ],
      "ksc:index:PushServer": ["go/ksc/pushServer.go", "python/pulumi_ksc/push_server.py"],
      "ksc:index:NetworkAgentPolicy": [
        "go/ksc/networkAgentPolicy.go",
        "python/pulumi_ksc/network_agent_policy.py",
      ],
    };
    expect(Object.keys(files).sort()).toEqual(tokens);
    for (const [token, [goFile, pyFile]] of Object.entries(files)) {
      expect(fs.readFileSync(path.join(out, goFile), "utf8")).toContain(`"${token}"`);
      expect(fs.readFileSync(path.join(out, pyFile), "utf8")).toContain(`'${token}'`);
    }
    const registered = r.output.match(/^python sdk: (\S+) /gm)?.map((l) => l.split(" ")[2]);
    expect(registered?.sort()).toEqual(tokens);
  });

  test("the check fails on an SDK that does not compile (Go) or import (Python)", () => {
    const goFile = path.join(out, "go", "ksc", "pushServer.go");
    const goText = fs.readFileSync(goFile, "utf8");
    fs.writeFileSync(
      goFile,
      goText.replace("type PushServer struct {", "type PushServer struct {\n\tBroken undefinedType"),
    );
    const brokenGo = run({ SDK_GENERATE: "0" });
    expect(brokenGo.status).not.toBe(0);
    expect(brokenGo.output).toContain("undefined: undefinedType");
    fs.writeFileSync(goFile, goText);

    const pyFile = path.join(out, "python", "pulumi_ksc", "push_server.py");
    fs.appendFileSync(pyFile, "\ndef broken(:\n");
    const brokenPy = run({ SDK_GENERATE: "0" });
    expect(brokenPy.status).not.toBe(0);
    expect(brokenPy.output).toContain(
      "go SDK: go build ./..., go vet and go test (resources under mocks) passed",
    );
    expect(brokenPy.output).toMatch(/SyntaxError|invalid syntax/);
  });
});
