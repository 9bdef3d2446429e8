// A minimal stand-in for the `pulumi-language-nodejs` plugin, served in-process on 127.0.0.1 and handed
// to the CLI with `--client=<address>` (the Automation API's inline-program path,
// docs/pulumi-behaviour.md#language-runtime).
//
// Unlike the Automation API's own LanguageServer (which calls a function inside its own process), each
// Run starts a fresh `node @pulumi/pulumi/cmd/run` child, with the same arguments and environment the
// real Go language host passes. So `pulumi up` (which runs the program twice: preview, then update)
// gets two clean program runs, TypeScript is handled by Pulumi's own ts-node setup, and the program
// cannot take the runner down with it.
import { spawn, type ChildProcess } from "child_process";
import * as fs from "fs";
import { createRequire } from "module";
import * as os from "os";
import * as path from "path";
import type * as grpcTypes from "@grpc/grpc-js";
import type * as emptyPbTypes from "google-protobuf/google/protobuf/empty_pb";
import type * as langPbTypes from "@pulumi/pulumi/proto/language_pb";
import type * as langRpcTypes from "@pulumi/pulumi/proto/language_grpc_pb";
import type * as pluginPbTypes from "@pulumi/pulumi/proto/plugin_pb";
import { preloadPath } from "./inspectGuard";

// Exit code of @pulumi/pulumi/cmd/run meaning "the error was already reported to the user".
const EXIT_AFTER_USER_ACTIONABLE_MESSAGE = 32;

// Load gRPC and the generated protobuf code through @pulumi/pulumi, so they are exactly the copies the
// SDK uses (they are its dependencies, not ours).
const sdkRequire = createRequire(require.resolve("@pulumi/pulumi/package.json"));
const grpc = sdkRequire("@grpc/grpc-js") as typeof grpcTypes;
const langPb = sdkRequire("./proto/language_pb") as typeof langPbTypes;
const langRpc = sdkRequire("./proto/language_grpc_pb") as typeof langRpcTypes;
const pluginPb = sdkRequire("./proto/plugin_pb") as typeof pluginPbTypes;
const emptyPb = sdkRequire("google-protobuf/google/protobuf/empty_pb") as typeof emptyPbTypes;
const yaml = sdkRequire("js-yaml") as { load(text: string): unknown };
const sdkVersion = (sdkRequire("./package.json") as { version: string }).version;

/** The `runtime.options` of Pulumi.yaml that the Node.js language host honours. */
export interface NodeRuntimeOptions {
  typescript: boolean;
  tsconfig?: string;
  nodeargs: string[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * With `--client`, the CLI replaces the project's runtime by "client", so the options in Pulumi.yaml
 * never reach us: read them ourselves, with the Go host's defaults (typescript on).
 */
export function parseRuntimeOptions(projectYaml: unknown): NodeRuntimeOptions {
  const result: NodeRuntimeOptions = { typescript: true, nodeargs: [] };
  const runtime = isRecord(projectYaml) ? projectYaml.runtime : undefined;
  const options = isRecord(runtime) ? runtime.options : undefined;
  if (!isRecord(options)) return result;
  if (options.typescript !== undefined) {
    if (typeof options.typescript !== "boolean")
      throw new Error("runtime.options.typescript must be a boolean");
    result.typescript = options.typescript;
  }
  if (typeof options.tsconfig === "string") result.tsconfig = options.tsconfig;
  if (typeof options.nodeargs === "string")
    result.nodeargs = options.nodeargs.split(/\s+/).filter((a) => a !== "");
  return result;
}

function readRuntimeOptions(rootDirectory: string): NodeRuntimeOptions {
  for (const name of ["Pulumi.yaml", "Pulumi.yml"]) {
    const file = path.join(rootDirectory, name);
    if (fs.existsSync(file)) return parseRuntimeOptions(yaml.load(fs.readFileSync(file, "utf8")));
  }
  return parseRuntimeOptions(undefined);
}

/** What one program run needs, taken from the engine's RunRequest. */
interface RunPlan {
  rootDirectory: string;
  programDirectory: string;
  entryPoint: string;
  args: string[];
  env: NodeJS.ProcessEnv;
}

function planRun(req: langPbTypes.RunRequest): RunPlan {
  const info = req.getInfo();
  const rootDirectory = info?.getRootDirectory() || req.getPwd() || process.cwd();
  const programDirectory = info?.getProgramDirectory() || req.getPwd() || rootDirectory;
  const entryPoint = info?.getEntryPoint() || req.getProgram() || ".";
  const options = readRuntimeOptions(rootDirectory);

  // The same resolution the Go host does: @pulumi/pulumi as seen from the program's directory.
  const runPath = createRequire(path.join(programDirectory, "index.js")).resolve("@pulumi/pulumi/cmd/run");

  // The guard goes first, so that it is in place before the SDK or the program loads (inspectGuard.ts).
  const args = ["--require", preloadPath, ...options.nodeargs, runPath, "--monitor", req.getMonitorAddress()];
  const addArg = (name: string, value: string) => {
    if (value !== "") args.push(`--${name}`, value);
  };
  // In client mode the CLI sends the engine's address as the first argument (the Automation API's
  // LanguageServer reads it the same way); with it, the program's log calls reach the CLI's display.
  const [engineAddress = "", ...programArgs] = req.getArgsList();
  addArg("engine", engineAddress);
  addArg("organization", req.getOrganization());
  addArg("project", req.getProject());
  addArg("root-directory", rootDirectory);
  addArg("stack", req.getStack());
  addArg("pwd", programDirectory);
  if (req.getDryrun()) args.push("--dry-run");
  addArg("parallel", String(req.getParallel()));
  args.push(entryPoint, ...programArgs);

  const config: Record<string, string> = {};
  for (const [key, value] of req.getConfigMap().entries()) config[key] = value;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PULUMI_CONFIG: JSON.stringify(config),
    PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(req.getConfigsecretkeysList()),
  };
  if (options.typescript) env.PULUMI_NODEJS_TYPESCRIPT = "true";
  if (options.tsconfig !== undefined) env.PULUMI_NODEJS_TSCONFIG_PATH = options.tsconfig;
  return { rootDirectory, programDirectory, entryPoint, args, env };
}

/** The environment of a RunPluginRequest (`NAME=value` lines), or ours when it sends none. */
function pluginEnv(list: string[]): NodeJS.ProcessEnv {
  if (list.length === 0) return { ...process.env };
  const env: NodeJS.ProcessEnv = {};
  for (const entry of list) {
    const eq = entry.indexOf("=");
    if (eq > 0) env[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  return env;
}

/** The policy pack launcher: on PATH (`make pulumi` links it into bin/), else the one beside this runner. */
export function policyLauncher(searchPath = process.env.PATH ?? ""): string {
  const name = "pulumi-analyzer-policy-nodejs";
  for (const dir of searchPath.split(path.delimiter)) {
    if (dir === "") continue;
    const file = path.join(dir, name);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return path.resolve(__dirname, "..", name);
}

export interface LanguageRuntime {
  /** host:port to pass as `--client=`. */
  address: string;
  /** The port, for PULUMI_DEBUG_LANGUAGES=nodejs:<port> (the engine attaches to it to start policy packs). */
  port: number;
  stop(): Promise<void>;
}

export async function startLanguageRuntime(): Promise<LanguageRuntime> {
  const running = new Set<ChildProcess>();

  const run: grpcTypes.handleUnaryCall<langPbTypes.RunRequest, langPbTypes.RunResponse> = (
    call,
    callback,
  ) => {
    const resp = new langPb.RunResponse();
    let plan: RunPlan;
    try {
      plan = planRun(call.request);
    } catch (e) {
      resp.setError(`pulumi-ksc-run: ${e instanceof Error ? e.message : String(e)}`);
      callback(null, resp);
      return;
    }
    if (process.env.PULUMI_KSC_RUN_DEBUG) {
      const extra = JSON.stringify({
        requestArgs: call.request.getArgsList(),
        plan: { ...plan, env: undefined },
      });
      process.stderr.write(`pulumi-ksc-run: run ${extra}\n`);
    }
    // The program's stdout goes to our stderr: the CLI's stdout must stay clean for `--json`.
    const child = spawn(process.execPath, plan.args, {
      cwd: plan.programDirectory,
      env: plan.env,
      stdio: ["ignore", process.stderr, process.stderr],
    });
    running.add(child);
    let answered = false;
    const answer = () => {
      if (answered) return;
      answered = true;
      running.delete(child);
      callback(null, resp);
    };
    child.on("error", (err) => {
      resp.setError(`Problem executing program (could not run node): ${err.message}`);
      answer();
    });
    child.on("exit", (code, signal) => {
      if (code === EXIT_AFTER_USER_ACTIONABLE_MESSAGE) resp.setBail(true);
      else if (signal !== null) resp.setError(`Program was stopped by signal ${signal}`);
      else if (code !== 0) resp.setError(`Program exited with non-zero exit code: ${code}`);
      answer();
    });
  };

  // Policy packs (`--policy-pack <dir>`, runtime nodejs): the engine starts them only through the nodejs language
  // host's RunPlugin, never through the `pulumi-analyzer-policy-nodejs` fallback (CLI v3.274.1:
  // pkg/resource/plugin/plugin.go, ExecPlugin). The runner's CLI attaches to this server as that host
  // (PULUMI_DEBUG_LANGUAGES, main.ts); a policy pack runs as the launcher <engine> <pack dir>, whose stdout (the
  // pack's port first) and stderr are streamed back, then its exit code.
  const runPlugin: grpcTypes.handleServerStreamingCall<
    langPbTypes.RunPluginRequest,
    langPbTypes.RunPluginResponse
  > = (call) => {
    const req = call.request;
    if (req.getKind() !== "analyzer") {
      call.destroy(
        Object.assign(
          new Error(`pulumi-ksc-run runs policy packs only, not ${req.getKind() || "plugin"} plugins`),
          {
            code: grpc.status.UNIMPLEMENTED,
          },
        ),
      );
      return;
    }
    const packDir = req.getInfo()?.getProgramDirectory() || req.getPwd();
    const launcher = policyLauncher();
    if (process.env.PULUMI_KSC_RUN_DEBUG) {
      process.stderr.write(
        `pulumi-ksc-run: policy pack ${JSON.stringify({ launcher, packDir, args: req.getArgsList() })}\n`,
      );
    }
    const child = spawn(launcher, [...req.getArgsList(), packDir], {
      cwd: packDir,
      env: pluginEnv(req.getEnvList()),
      stdio: ["ignore", "pipe", "pipe"],
    });
    running.add(child);
    let ended = false;
    const end = (code: number) => {
      if (ended) return;
      ended = true;
      running.delete(child);
      if (!call.cancelled) {
        call.write(new langPb.RunPluginResponse().setExitcode(code));
        call.end();
      }
    };
    child.stdout.on("data", (b: Buffer) => call.write(new langPb.RunPluginResponse().setStdout(b)));
    child.stderr.on("data", (b: Buffer) => call.write(new langPb.RunPluginResponse().setStderr(b)));
    child.on("error", (err) => {
      call.write(
        new langPb.RunPluginResponse().setStderr(Buffer.from(`cannot run ${launcher}: ${err.message}\n`)),
      );
      end(127);
    });
    child.on("close", (code, signal) =>
      end(code ?? 128 + (signal ? (os.constants.signals[signal] ?? 0) : 0)),
    );
    // The engine cancels the call when it is done with the pack.
    call.on("cancelled", () => child.kill("SIGTERM"));
  };

  // Methods left out answer UNIMPLEMENTED, which the CLI tolerates (as for the Automation API's server).
  const implementation: Pick<
    langRpcTypes.ILanguageRuntimeServer,
    | "handshake"
    | "getRequiredPlugins"
    | "getRequiredPackages"
    | "getPluginInfo"
    | "run"
    | "runPlugin"
    | "cancel"
  > = {
    // Attaching (PULUMI_DEBUG_LANGUAGES) requires an answer to the handshake.
    handshake: (_call, callback) => callback(null, new langPb.LanguageHandshakeResponse()),
    // No plugins to install: dynamic resources use the bundled pulumi-nodejs provider
    // (docs/pulumi-behaviour.md#no-plugin-downloads).
    getRequiredPlugins: (_call, callback) => callback(null, new langPb.GetRequiredPluginsResponse()),
    getRequiredPackages: (_call, callback) => callback(null, new langPb.GetRequiredPackagesResponse()),
    getPluginInfo: (_call, callback) => callback(null, new pluginPb.PluginInfo().setVersion(sdkVersion)),
    run,
    runPlugin,
    cancel: (_call, callback) => {
      for (const child of running) child.kill("SIGINT");
      callback(null, new emptyPb.Empty());
    },
  };

  const server = new grpc.Server({ "grpc.max_receive_message_length": 400 * 1024 * 1024 });
  server.addService(langRpc.LanguageRuntimeService, implementation);
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) =>
      err ? reject(err) : resolve(p),
    );
  });
  return {
    address: `127.0.0.1:${port}`,
    port,
    stop: async () => {
      for (const child of running) child.kill("SIGKILL");
      server.forceShutdown();
    },
  };
}
