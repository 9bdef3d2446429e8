// The provider process side of the dynamic providers: the shim (./shims) requires this module by package name at
// run time and forwards every call here. One object, the ProviderProcess, holds what the process keeps between
// calls: the configuration handed to configure(), and ONE context (one client, one KSC session, one ProcessState of
// ../resources/state) created on first use and shared by the three resource types. Each resource module exports a
// typed provider (../resources/provider); adapt() below is the one place that turns it into the engine's functions.
import * as pulumi from "@pulumi/pulumi";
import { createClient } from "../ksc";
import * as common from "../resources/common";
import * as distributionPoint from "../resources/distributionPoint";
import { GroupDirectory } from "../resources/groups";
import * as networkAgentPolicy from "../resources/networkAgentPolicy";
import { ResourceProvider } from "../resources/provider";
import * as pushServer from "../resources/pushServer";
import { ResourceKind } from "../resources/schemaTypes";
import { ProcessState } from "../resources/state";
import { ConfigSource, readProviderConfig, savedConfigurationRisk } from "./config";

type Props = Record<string, unknown>;

/** The provider methods of one resource kind as the engine calls them (pulumi.dynamic.ResourceProvider's shapes). */
export interface EngineProvider {
  configure(req: { config: ConfigSource }): Promise<void>;
  check(olds: Props, news: Props): Promise<common.CheckResult<unknown>>;
  diff(id: string, olds: Props, news: Props): Promise<common.DiffResult>;
  create(inputs: Props): Promise<{ id: string; outs: unknown }>;
  read(id: string, props?: Props): Promise<{ id: string; props?: unknown; inputs?: unknown }>;
  update(id: string, olds: Props, news: Props): Promise<{ outs: unknown }>;
  delete(id: string, props: Props): Promise<void>;
}

/**
 * What this provider process holds between the engine's calls. The engine's dynamic-provider host keeps nothing
 * of ours from one call to the next: each method of the serialized shim requires this module and calls it, so the
 * process's one ProviderProcess hangs off this module (`serving`, below).
 */
class ProviderProcess {
  private config: ConfigSource | undefined;
  /**
   * This process has been asked to check, create or update a resource: the program runs in this command and the
   * configuration it was handed is the stack's configuration now (./config savedConfigurationRisk).
   */
  private programCall = false;
  /** The per-process state of the resources (claims, declared DP ports, the per-host lock, values read once). */
  private readonly state = new ProcessState();

  constructor(private ctx?: common.ResourceContext) {}

  configure(config: ConfigSource): void {
    this.config = config;
  }

  /** A check, create or update: the program runs in this command. */
  programRuns(): void {
    this.programCall = true;
  }

  /**
   * The context: one client, created from the configuration on first use. Before that, a process that has only
   * been asked to read or delete may hold the configuration saved at the last `pulumi up`: it stops with an error
   * naming the settings and the fix, before any login (./config savedConfigurationRisk).
   */
  context(): common.ResourceContext {
    if (!this.ctx) {
      const settings = readProviderConfig(this.config, process.env);
      const risk = savedConfigurationRisk(settings.sources, {
        programCall: this.programCall,
        env: process.env,
      });
      if (risk) throw risk;
      const client = createClient({
        ...settings.client,
        logger: (level, message) => log(level === "info" ? "debug" : level, message),
      });
      this.ctx = { client, groups: new GroupDirectory(client), state: this.state, log };
      endSessionOnShutdown();
    }
    return this.ctx;
  }

  /** End the session and forget the client. */
  async shutdown(): Promise<void> {
    const ctx = this.ctx;
    this.ctx = undefined;
    await ctx?.client.close();
  }
}

/**
 * The provider process this module serves. The only module-level variable of provider/src (see ProviderProcess for
 * why it cannot be passed in); tests replace it with useContext().
 */
let serving = new ProviderProcess();

/** configure() of every shim: keep the stack configuration for when the client is first needed. */
export function configure(config: ConfigSource): void {
  serving.configure(config);
}

/** Environment variable that turns on the provider's debug lines: each KSC call, retries, logins, recoveries. */
export const DEBUG_ENV = "KSC_DEBUG";

/**
 * The provider's log. pulumi.log.debug reaches nobody in a dynamic provider's process: it has no connection to the
 * engine, and the SDK then drops debug messages (info and warn go to stdout/stderr, which the engine shows). So with
 * KSC_DEBUG=1 debug lines go to stderr too, and the engine shows them with the run's other messages. They carry no
 * secrets: the client redacts everything it logs.
 */
export function log(level: common.Level, message: string): void {
  if (level === "debug" && /^(1|true|yes|on)$/i.test(process.env[DEBUG_ENV] ?? "")) {
    process.stderr.write(`debug: [pulumi-ksc] ${message}\n`);
    return;
  }
  void (level === "warn"
    ? pulumi.log.warn(message)
    : level === "info"
      ? pulumi.log.info(message)
      : pulumi.log.debug(message));
}

/** The process's context (ProviderProcess.context). */
export function context(): common.ResourceContext {
  return serving.context();
}

/**
 * The engine stops the provider process with SIGINT (then SIGKILL after 5 s): end the KSC session first, so every
 * `pulumi up` does not leave a session open on the server. Bounded, so the process always exits in time.
 */
function endSessionOnShutdown(): void {
  const stop = (): void => {
    setTimeout(() => process.exit(0), 3000).unref();
    void shutdown()
      .catch(() => undefined)
      .finally(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

/** For tests: serve as a new process (no configuration, no check seen), with this context when given. */
export function useContext(ctx: common.ResourceContext | undefined): void {
  serving = new ProviderProcess(ctx);
}

/** End the session and forget the client (on SIGINT, and for tests). */
export async function shutdown(): Promise<void> {
  await serving.shutdown();
}

/**
 * The hidden resource name (an input the classes add for check's duplicate detection) is kept in the outputs and
 * given back by read(). Otherwise the inputs read back differ from the checked inputs after every refresh, and the
 * engine rewrites the whole checkpoint once per resource on the next update (O(N²) state writes, measured by
 * `make bench`).
 */
function withResourceName<T>(values: T, from: Props | undefined): T {
  const name = from?.[common.RESOURCE_NAME_KEY];
  if (name === undefined || values === null || typeof values !== "object") return values;
  return { ...values, [common.RESOURCE_NAME_KEY]: name };
}

/**
 * A resource's typed provider as the engine's untyped functions: the one place where the engine's property bags
 * become typed values. What the engine hands diff, create and update as new inputs is what check() returned: inputs
 * that passed ajv validation against schema.json and the cross-field rules (../resources/validation); what it hands
 * diff, read, update and delete as old properties is what create, read or update returned (the outputs type). So
 * `typed` converts nothing: it states what the engine guarantees.
 */
function adapt<I extends object, O extends object>(p: ResourceProvider<I, O>): EngineProvider {
  const typed = <T>(props: Props | undefined): T => (props ?? {}) as T;
  return {
    configure: async (req) => configure(req.config),
    check: async (olds, news) => {
      serving.programRuns();
      const result = p.check(olds ?? {}, news);
      if (result.failures.length > 0) return { ...result, failures: common.echoSafe(result.failures, news) };
      // Read-only lookups for what is known, so that `pulumi preview` already reports a missing device or group.
      const failures = await p.verify(context(), olds ?? {}, result.inputs);
      return { inputs: result.inputs, failures: common.echoSafe(failures, news) };
    },
    diff: async (_id, olds, news) => p.diff(typed<Partial<O>>(olds), typed<I>(news)),
    create: async (inputs) => {
      serving.programRuns();
      const result = await p.create(context(), typed<I>(inputs));
      return { ...result, outs: withResourceName(result.outs, inputs) };
    },
    read: async (id, props) => {
      const result = await p.read(context(), id, typed<Partial<O>>(props));
      if (!result.id) return result;
      return {
        ...result,
        props: withResourceName(result.props, props),
        inputs: withResourceName(result.inputs, props),
      };
    },
    update: async (id, olds, news) => {
      serving.programRuns();
      const result = await p.update(context(), id, typed<O>(olds), typed<I>(news));
      return { outs: withResourceName(result.outs, news) };
    },
    delete: async (id, props) => p.delete(context(), id, typed<Partial<O>>(props)),
  };
}

const ENGINE: Record<ResourceKind, EngineProvider> = {
  DistributionPoint: adapt(distributionPoint.provider),
  PushServer: adapt(pushServer.provider),
  NetworkAgentPolicy: adapt(networkAgentPolicy.provider),
};

/** The provider methods of one resource kind, as the shim calls them (see ./dp, ./ps, ./nap). */
export function forKind(kind: ResourceKind): EngineProvider {
  return ENGINE[kind];
}

// The same, by kind (for tests and callers that hold the kind as a value).
export const check = (kind: ResourceKind, olds: Props, news: Props) => ENGINE[kind].check(olds, news);
export const diff = (kind: ResourceKind, id: string, olds: Props, news: Props) =>
  ENGINE[kind].diff(id, olds, news);
export const create = (kind: ResourceKind, inputs: Props) => ENGINE[kind].create(inputs);
export const read = (kind: ResourceKind, id: string, props: Props | undefined) =>
  ENGINE[kind].read(id, props);
export const update = (kind: ResourceKind, id: string, olds: Props, news: Props) =>
  ENGINE[kind].update(id, olds, news);
export const remove = (kind: ResourceKind, id: string, props: Props) => ENGINE[kind].delete(id, props);
