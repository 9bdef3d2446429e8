// The provider process side of the dynamic providers: the shim (./shims) requires this module by package name at
// run time and forwards every call here. It holds the process-wide state: the configuration handed to configure(),
// and ONE client (one KSC session), created on first use and shared by the three resource types.
import * as pulumi from "@pulumi/pulumi";
import { createClient } from "../ksc";
import { KscClient } from "../ksc/api";
import { KeyNames } from "../ksc/keys";
import * as common from "../resources/common";
import * as distributionPoint from "../resources/distributionPoint";
import { GroupDirectory } from "../resources/groups";
import * as networkAgentPolicy from "../resources/networkAgentPolicy";
import * as pushServer from "../resources/pushServer";
import { ResourceKind } from "../resources/schemaTypes";
import { ConfigSource, readProviderConfig, savedConfigurationRisk } from "./config";

type Props = Record<string, unknown>;

interface Logic {
  check(olds: Props, news: Props): common.CheckResult<unknown>;
  verify(ctx: common.ResourceContext, olds: Props, news: never): Promise<common.CheckFailure[]>;
  diff(olds: never, news: never): common.DiffResult;
  create(ctx: common.ResourceContext, inputs: never): Promise<{ id: string; outs: unknown }>;
  read(
    ctx: common.ResourceContext,
    id: string,
    props: never,
  ): Promise<{ id: string; props?: unknown; inputs?: unknown }>;
  update(ctx: common.ResourceContext, id: string, olds: never, news: never): Promise<{ outs: unknown }>;
  delete(ctx: common.ResourceContext, id: string, props: never): Promise<void>;
}

const LOGIC: Record<ResourceKind, Logic> = {
  DistributionPoint: distributionPoint,
  PushServer: pushServer,
  NetworkAgentPolicy: networkAgentPolicy,
};

let configSource: ConfigSource | undefined;
let runtime: { client: KscClient; keys: KeyNames; ctx: common.ResourceContext } | undefined;
/**
 * This process has been asked to check, create or update a resource: the program runs in this command and the
 * configuration it was handed is the stack's configuration now (./config savedConfigurationRisk).
 */
let programCall = false;

/** configure() of every shim: keep the stack configuration for when the client is first needed. */
export function configure(config: ConfigSource): void {
  configSource = config;
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

/**
 * The process's context: one client, created from the configuration on first use. Before that, a process that has
 * only been asked to read or delete may hold the configuration saved at the last `pulumi up`: it stops with an
 * error naming the settings and the fix, before any login (./config savedConfigurationRisk).
 */
export function context(): common.ResourceContext {
  if (!runtime) {
    const settings = readProviderConfig(configSource, process.env);
    const risk = savedConfigurationRisk(settings.sources, { programCall, env: process.env });
    if (risk) throw risk;
    const client = createClient({
      ...settings.client,
      logger: (level, message) => log(level === "info" ? "debug" : level, message),
    });
    const ctx: common.ResourceContext = { client, groups: new GroupDirectory(client), log };
    runtime = { client, keys: client.keyNames, ctx };
    endSessionOnShutdown();
  }
  return runtime.ctx;
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

/** For tests: use this context instead of one built from the configuration; forget that a check was seen. */
export function useContext(ctx: common.ResourceContext | undefined): void {
  runtime = ctx && { client: ctx.client, keys: ctx.client.keyNames, ctx };
  programCall = false;
}

/** For tests: end the session and forget the client. */
export async function shutdown(): Promise<void> {
  const r = runtime;
  runtime = undefined;
  await r?.client.close();
}

export async function check(
  kind: ResourceKind,
  olds: Props,
  news: Props,
): Promise<common.CheckResult<unknown>> {
  programCall = true;
  const logic = LOGIC[kind];
  const result = logic.check(olds ?? {}, news);
  if (result.failures.length > 0) return { ...result, failures: common.echoSafe(result.failures, news) };
  // Read-only lookups for what is known, so that `pulumi preview` already reports a missing device or group.
  const failures = await logic.verify(context(), olds ?? {}, result.inputs as never);
  return { inputs: result.inputs, failures: common.echoSafe(failures, news) };
}

export async function diff(
  kind: ResourceKind,
  _id: string,
  olds: Props,
  news: Props,
): Promise<common.DiffResult> {
  return LOGIC[kind].diff(olds as never, news as never);
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

export async function create(kind: ResourceKind, inputs: Props): Promise<{ id: string; outs: unknown }> {
  programCall = true;
  const result = await LOGIC[kind].create(context(), inputs as never);
  return { ...result, outs: withResourceName(result.outs, inputs) };
}

export async function read(
  kind: ResourceKind,
  id: string,
  props: Props | undefined,
): Promise<{ id: string; props?: unknown; inputs?: unknown }> {
  const result = await LOGIC[kind].read(context(), id, (props ?? {}) as never);
  if (!result.id) return result;
  return {
    ...result,
    props: withResourceName(result.props, props),
    inputs: withResourceName(result.inputs, props),
  };
}

export async function update(
  kind: ResourceKind,
  id: string,
  olds: Props,
  news: Props,
): Promise<{ outs: unknown }> {
  programCall = true;
  const result = await LOGIC[kind].update(context(), id, olds as never, news as never);
  return { outs: withResourceName(result.outs, news) };
}

export async function remove(kind: ResourceKind, id: string, props: Props): Promise<void> {
  return LOGIC[kind].delete(context(), id, props as never);
}

/** The provider methods of one resource kind, as the shim calls them (see ./dp, ./ps, ./nap). */
export function forKind(kind: ResourceKind) {
  return {
    configure: async (req: { config: ConfigSource }) => configure(req.config),
    check: (olds: Props, news: Props) => check(kind, olds, news),
    diff: (id: string, olds: Props, news: Props) => diff(kind, id, olds, news),
    create: (inputs: Props) => create(kind, inputs),
    read: (id: string, props?: Props) => read(kind, id, props),
    update: (id: string, olds: Props, news: Props) => update(kind, id, olds, news),
    delete: (id: string, props: Props) => remove(kind, id, props),
  };
}
