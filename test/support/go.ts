// Where Go keeps its module cache, as Go itself says (`go env GOMODCACHE`: it knows GOMODCACHE, GOPATH, go.env
// and the user's home folder). The unit tier reads the Pulumi package metaschema from there.
import { execFileSync } from "child_process";
import * as os from "os";

/** Go's module cache folder, or undefined when Go is not on PATH (or cannot answer). */
export function goModCache(env: NodeJS.ProcessEnv = process.env): string | undefined {
  try {
    const out = execFileSync("go", ["env", "GOMODCACHE"], {
      encoding: "utf8",
      // Outside any module, and never fetching a toolchain a go.mod might ask for.
      cwd: os.tmpdir(),
      env: { ...env, GOTOOLCHAIN: "local" },
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
    return out === "" ? undefined : out;
  } catch {
    return undefined;
  }
}
