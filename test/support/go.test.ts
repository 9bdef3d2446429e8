// goModCache asks Go, so the metaschema check works for any user and any GOPATH (no home folder written in).
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { goModCache } from "./go";

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "go-env-"));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A `go` on PATH that answers `go env GOMODCACHE` with `answer` and records its arguments. */
function fakeGo(answer: string): { env: NodeJS.ProcessEnv; bin: string } {
  const bin = fs.mkdtempSync(path.join(dir, "bin-"));
  fs.writeFileSync(path.join(bin, "go"), `#!/bin/sh\necho "$@" > "${bin}/args"\necho "${answer}"\n`, {
    mode: 0o755,
  });
  const env = {
    PATH: `${bin}:/usr/bin:/bin`,
    HOME: "/nonexistent",
    GOPATH: "/somewhere/else",
    GOMODCACHE: "",
  };
  return { env, bin };
}

test("the folder Go names, whatever HOME and GOPATH say", () => {
  const { env, bin } = fakeGo("/srv/go-cache/mod");
  expect(goModCache(env)).toBe("/srv/go-cache/mod");
  expect(fs.readFileSync(path.join(bin, "args"), "utf8").trim()).toBe("env GOMODCACHE");
});

test("no Go on PATH: undefined (the metaschema check is then skipped, visibly)", () => {
  expect(goModCache({ PATH: dir, HOME: os.homedir() })).toBeUndefined();
});
