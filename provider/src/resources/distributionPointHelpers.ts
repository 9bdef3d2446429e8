// The pure parts of DistributionPoint (./distributionPoint.ts): the declaration compared with, and laid over, the
// console's DP object; the device reference; the messages; the inputs a refresh reports. No console calls here.
import { DP_SETTINGS, DpObject, DpSettingName, DpSettingValue } from "../ksc/dpObject";
import {
  quote,
  sameNumberSet,
  sortedNumbers,
  unchangedDeclaration,
  isUnknown,
  containsUnknown,
} from "./common";
import { Device, DeviceRef } from "./devices";
import { GroupInfo, GroupRef, samePath } from "./groups";
import type {
  DistributionPointCheckedInputs as Inputs,
  DistributionPointOutputs as Outputs,
  ScopeGroup,
} from "./schema.generated";
import { PACKAGE_SCHEMA } from "./schema.generated";
import { RESOURCE_TOKENS } from "./schemaTypes";

export { DP_SETTINGS };

const SPEC = PACKAGE_SCHEMA.resources[RESOURCE_TOKENS.DistributionPoint];

/** A setting as the console holds it; a key the server does not return counts as the schema default. */
export function settingOf(dp: DpObject, name: DpSettingName): DpSettingValue {
  return dp.setting(name) ?? (SPEC.inputProperties[name].default as DpSettingValue);
}

/** Every setting this resource owns, as the console holds it. */
export function settingsOf(dp: DpObject): Record<DpSettingName, DpSettingValue> {
  const out = {} as Record<DpSettingName, DpSettingValue>;
  for (const s of DP_SETTINGS) out[s.name] = settingOf(dp, s.name);
  return out;
}

/** The device reference of the inputs, or undefined while it is unknown. */
export function deviceRefOf(i: Inputs): DeviceRef | undefined {
  if (i.hostId !== undefined) return isUnknown(i.hostId) ? undefined : { hostId: i.hostId };
  if (i.deviceName !== undefined) return isUnknown(i.deviceName) ? undefined : { deviceName: i.deviceName };
  return undefined;
}

export function deviceProperty(i: Inputs): "hostId" | "deviceName" {
  return i.deviceName !== undefined ? "deviceName" : "hostId";
}

export function describeDevice(d: Device): string {
  return `${d.displayName} (hostId ${quote(d.hostId)})`;
}

/** The device of an existing resource whose device reference did not change: its host id is in the old inputs. */
export function declaredDevice(olds: Record<string, unknown>, news: Inputs): Device | undefined {
  const hostId = olds.hostId;
  if (typeof hostId !== "string") return undefined;
  const same =
    news.hostId !== undefined
      ? unchangedDeclaration(olds, news, ["hostId"])
      : unchangedDeclaration(olds, news, ["deviceName"]);
  return same ? { hostId, displayName: news.deviceName ?? hostId } : undefined;
}

export const AUTO_ASSIGNMENT_ON =
  "the Administration Server assigns distribution points automatically, and KSC accepts a manually assigned one only when that is off: turn it off in the console (Administration Server properties → Distribution points) or set disableAutomaticAssignment: true";

export function alreadyDpMessage(device: Device, differences: string[]): string {
  return (
    `${describeDevice(device)} already is a distribution point, with other settings (${differences.join("; ")}). ` +
    "To manage it with this resource, set adopt: true (its settings are then changed to the declared ones), " +
    "or declare the settings it has. If another DistributionPoint of this stack manages it, remove this " +
    "declaration instead: a device has one DistributionPoint"
  );
}

/** What differs between the declaration and a DP object, in words (empty: the console already matches). */
export function differencesFrom(i: Inputs, groups: GroupInfo[], dp: DpObject): string[] {
  const out: string[] = [];
  for (const s of DP_SETTINGS) {
    const actual = settingOf(dp, s.name);
    if (actual !== i[s.name])
      out.push(`${s.name}: ${JSON.stringify(actual)} in the console, ${JSON.stringify(i[s.name])} declared`);
  }
  const scope = dp.scope;
  const actualIds = scope.groups.map((g) => g.id);
  const declaredIds = groups.map((g) => g.id);
  if (!sameNumberSet(actualIds, declaredIds)) {
    out.push(
      `scopeGroups: ids ${JSON.stringify(sortedNumbers(actualIds))} in the console, ${JSON.stringify(sortedNumbers(declaredIds))} declared`,
    );
  }
  if (
    !sameNumberSet(
      scope.nlaNetworks.map((n) => n.id),
      i.scopeNlaNetworks ?? [],
    )
  ) {
    out.push("scopeNlaNetworks differ");
  }
  return out;
}

/** The DP object with this resource's fields as declared. The scope is always written in full (Modify replaces it). */
export function withDeclared(dp: DpObject, i: Inputs, groups: GroupInfo[]): DpObject {
  const settings = {} as Record<DpSettingName, DpSettingValue>;
  for (const s of DP_SETTINGS) settings[s.name] = i[s.name] as DpSettingValue;
  return dp.withSettings(settings, {
    groups: groups.map((g) => g.id),
    nlaNetworks: i.scopeNlaNetworks ?? [],
  });
}

/** The declared scope groups, in their declared form, reconciled with what the console has: entries still in the
 *  console stay as written (id or path), groups added in the console are appended by path. */
export function reconcileScopeGroups(declared: GroupRef[] | undefined, actual: ScopeGroup[]): GroupRef[] {
  const out: GroupRef[] = [];
  const used = new Set<number>();
  for (const ref of declared ?? []) {
    const match =
      typeof ref === "number" ? actual.find((g) => g.id === ref) : actual.find((g) => samePath(g.path, ref));
    if (match && !used.has(match.id)) {
      out.push(ref);
      used.add(match.id);
    }
  }
  for (const g of actual) if (!used.has(g.id)) out.push(g.path);
  return out;
}

/** Whether the declared scope groups name exactly the groups of the last read (ids and paths both count). */
export function sameScopeGroups(olds: Partial<Outputs>, news: Inputs): boolean {
  if (containsUnknown(news.scopeGroups)) return false;
  const actual = olds.scope?.groups;
  if (!actual) return JSON.stringify(olds.scopeGroups ?? []) === JSON.stringify(news.scopeGroups ?? []);
  const ids: number[] = [];
  for (const ref of news.scopeGroups ?? []) {
    const g =
      typeof ref === "number" ? actual.find((a) => a.id === ref) : actual.find((a) => samePath(a.path, ref));
    if (!g) return false;
    ids.push(g.id);
  }
  return (
    ids.length === new Set(ids).size &&
    sameNumberSet(
      ids,
      actual.map((a) => a.id),
    )
  );
}

/** What the outputs carry over from the declaration (or the last outputs) rather than read from the console. */
export interface Carried {
  deviceName?: string;
  scopeGroups?: GroupRef[];
  adopt?: boolean;
  disableAutomaticAssignment?: boolean;
  adopted: boolean;
}

export function carriedFrom(i: Inputs, adopted: boolean): Carried {
  return {
    deviceName: i.deviceName,
    scopeGroups: i.scopeGroups,
    adopt: i.adopt,
    disableAutomaticAssignment: i.disableAutomaticAssignment,
    adopted,
  };
}

/** The inputs that would produce these outputs (for `pulumi refresh`). */
export function inputsFrom(o: Outputs): Inputs {
  const i: Inputs = {
    scopeGroups: o.scopeGroups,
    scopeNlaNetworks: o.scopeNlaNetworks,
    port: o.port,
    nonSslPort: o.nonSslPort,
    multicastAddress: o.multicastAddress,
    distributeUpdates: o.distributeUpdates,
    distributePackages: o.distributePackages,
    customFolder: o.customFolder,
    connectionGateway: o.connectionGateway,
    gatewayRemoteAddress: o.gatewayRemoteAddress,
    gatewayServerInitiatesConnection: o.gatewayServerInitiatesConnection,
    disableAutomaticAssignment: o.disableAutomaticAssignment ?? true,
    adopt: o.adopt ?? false,
  };
  if (o.deviceName !== undefined) i.deviceName = o.deviceName;
  i.hostId = o.hostId;
  return i;
}
