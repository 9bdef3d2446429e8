// Loaded with `node --require` into every program process the runner starts (languageRuntime.ts, or
// NODE_OPTIONS when the CLI has its own language host), before @pulumi/pulumi: see inspectGuard.ts.
import { installInspectGuard } from "./inspectGuard";

installInspectGuard(require("util") as { inspect: typeof import("util").inspect });
