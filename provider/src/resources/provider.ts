// A resource as the glue sees it: its checked inputs type, its outputs type and a few methods (as in Pulumi's own
// dynamic providers and pulumi-go-provider's `infer`). Each resource module exports one `provider` of this shape;
// the glue (../pulumi/impl.ts) turns it into the engine's untyped functions, and derives the rest: what forces a
// replacement comes from schema.json (`replaceOnChanges`), never from the resource's code.
import { CheckFailure, CheckResult, DiffResult, RESOURCE_NAME_KEY, ResourceContext } from "./common";
import { PACKAGE_SCHEMA } from "./schema.generated";
import { RESOURCE_TOKENS, ResourceKind, ResourceSpec } from "./schemaTypes";

/** Checked inputs as verify() gets them: with the resource's name, which the resource classes add. */
export type Named<I> = I & { [RESOURCE_NAME_KEY]?: string };

export interface ResourceProvider<I, O> {
  readonly kind: ResourceKind;
  /** Validation against schema.json (ajv) and the rules across properties; calls nothing on the console. */
  check(olds: Record<string, unknown>, news: Record<string, unknown>): CheckResult<I>;
  /** The read-only console lookups of a preview, for inputs that passed check(). */
  verify(ctx: ResourceContext, olds: Record<string, unknown>, news: Named<I>): Promise<CheckFailure[]>;
  /** Declared inputs against the last outputs: the properties that differ (and drift), replaces from schema.json. */
  diff(olds: Partial<O>, news: I): DiffResult;
  create(ctx: ResourceContext, inputs: I): Promise<{ id: string; outs: O }>;
  /** `id: ""` when the object is gone; `inputs` are those that would produce `props` (for refresh). */
  read(ctx: ResourceContext, id: string, props: Partial<O>): Promise<{ id: string; props?: O; inputs?: I }>;
  update(ctx: ResourceContext, id: string, olds: O, news: I): Promise<{ outs: O }>;
  delete(ctx: ResourceContext, id: string, props: Partial<O>): Promise<void>;
}

/** Of the properties that changed, those whose change replaces the resource: `replaceOnChanges` in schema.json. */
export function replacesOf(
  kind: ResourceKind,
  changed: readonly string[],
  spec: ResourceSpec = PACKAGE_SCHEMA.resources[RESOURCE_TOKENS[kind]],
): string[] {
  return changed.filter((p) => spec.inputProperties[p]?.replaceOnChanges === true);
}

/** The diff of a resource whose `changed` properties differ (inputs, or drift such as `running`). */
export function diffResult(kind: ResourceKind, changed: string[]): DiffResult {
  return {
    changes: changed.length > 0,
    replaces: replacesOf(kind, changed),
    deleteBeforeReplace: false,
    diffs: changed,
  };
}
