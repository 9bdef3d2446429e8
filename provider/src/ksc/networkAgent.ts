// The Network Agent policy's connectivity settings, typed: each a value and its lock, read from and written to the
// policy's network section (product, version and section names from keys.ts) through one SsContents handle
// (PolicySettingsApi.updateInSection: Ss_Read, Ss_Update, Ss_Apply, always released).
import { KscParams, KscValue, PolicyApi, PolicySettingsApi } from "./api";
import { KeyNameError, isNotFound } from "./errors";
import { KeyNames } from "./keys";
import { kscBoolean, kscNumber, isParams } from "./values";

/** A policy setting: its value and whether it is locked (KLPRSS_Mnd) for the policy's devices. */
export interface Locked<T> {
  value: T;
  locked: boolean;
}

/** The Network Agent settings the provider manages, named as NetworkAgentPolicy's schema properties. */
export type NaSettingName = "forceConnectionThroughDp" | "useUdpPort" | "udpPort";
export type NaSettingKind = "boolean" | "udpPort";

export interface NaSettings {
  forceConnectionThroughDp: Locked<boolean>;
  useUdpPort: Locked<boolean>;
  udpPort: Locked<number>;
}

/** Each setting, its kind, and its logical key in keys.ts (group `networkAgent`). */
const SETTINGS: readonly { name: NaSettingName; kind: NaSettingKind; key: keyof KeyNames["networkAgent"] }[] =
  [
    { name: "forceConnectionThroughDp", kind: "boolean", key: "forceConnectionThroughDp" },
    { name: "useUdpPort", kind: "boolean", key: "useUdpPort" },
    { name: "udpPort", kind: "udpPort", key: "udpPort" },
  ];

/** The connectivity settings (Connectivity → Network), in a fixed order, with their kind. */
export const NA_SETTINGS: readonly { name: NaSettingName; kind: NaSettingKind }[] = SETTINGS.map(
  ({ name, kind }) => ({ name, kind }),
);

// ---- the policy format: a variable is {KLPRSS_Val: value, KLPRSS_Mnd: locked} (docs/ksc-key-names.md) ----

/** A setting in policy format. */
export function policyValue(keys: KeyNames, value: KscValue, locked: boolean): KscParams {
  return { [keys.lock.value]: value, [keys.lock.locked]: locked };
}

/** Read a policy-format setting; undefined when the variable is absent or not in policy format. */
export function readPolicyValue(
  keys: KeyNames,
  section: KscParams,
  name: string,
): { value: KscValue; locked: boolean } | undefined {
  const v = section[name];
  if (!isParams(v) || !(keys.lock.value in v)) return undefined;
  return { value: v[keys.lock.value], locked: kscBoolean(v[keys.lock.locked]) ?? false };
}

// ---- the UDP port: an array of ports, the first is the setting (docs/ksc-key-names.md, "The UDP port") ----

/**
 * The "UDP port number" in the value the console holds: the Network Agent keeps its UDP ports as an array of int
 * (by default 15000, 15001) whose FIRST element is the port the Administration Server contacts. A plain number is
 * taken as the port too (a server whose name for the setting, from the probe, holds one port). Anything else,
 * or an empty array: no port.
 */
export function udpPortOf(v: KscValue | undefined): number | undefined {
  if (Array.isArray(v)) return v.length > 0 ? kscNumber(v[0]) : undefined;
  return kscNumber(v);
}

/**
 * The value to write for UDP port `port`, given the value the console holds: in an array only the first element
 * changes, every other element is written back as it was, in its place (an empty array becomes [port]); a plain
 * number is replaced by the port. `sharedWith` lists the other elements equal to the new port: they are kept all
 * the same (pulumi-ksc does not own them), and the caller warns.
 */
export function withUdpPort(
  current: KscValue | undefined,
  port: number,
): { value: KscValue; sharedWith: number[] } {
  if (!Array.isArray(current)) return { value: port, sharedWith: [] };
  const rest = current.slice(1);
  const sharedWith = rest.flatMap((v, i) => (kscNumber(v) === port ? [i + 2] : []));
  return { value: [port, ...rest], sharedWith };
}

/** A setting's value as the provider sees it, from the policy-format value the console holds. */
export function settingValue(kind: NaSettingKind, v: KscValue | undefined): boolean | number | undefined {
  return kind === "udpPort" ? udpPortOf(v) : kscBoolean(v);
}

/** The settings a network section holds (those it lacks, or holds in another form, are left out). */
export function settingsOf(keys: KeyNames, section: KscParams): Partial<NaSettings> {
  const out: Partial<Record<NaSettingName, Locked<boolean | number>>> = {};
  for (const s of SETTINGS) {
    const v = readPolicyValue(keys, section, keys.networkAgent[s.key]);
    const value = v && settingValue(s.kind, v.value);
    if (v && value !== undefined) out[s.name] = { value, locked: v.locked };
  }
  return out as Partial<NaSettings>;
}

/**
 * The variables to Ss_Update for the declared settings, made from the section as the console holds it. A setting
 * whose key the section does not hold is never sent (Ss_Update would fail, a replace would create a meaningless
 * variable): those keys are returned in `missing`, and the caller writes nothing.
 */
export function settingsUpdate(
  keys: KeyNames,
  section: KscParams,
  declared: NaSettings,
): { data: KscParams; missing: string[]; warnings: string[] } {
  const data: KscParams = {};
  const missing: string[] = [];
  const warnings: string[] = [];
  for (const s of SETTINGS) {
    const v = declared[s.name];
    const key = keys.networkAgent[s.key];
    const held = readPolicyValue(keys, section, key);
    if (held === undefined) {
      missing.push(key);
      continue;
    }
    let value: KscValue = v.value;
    if (s.kind === "udpPort") {
      const w = withUdpPort(held.value, v.value as number);
      value = w.value;
      if (w.sharedWith.length > 0)
        warnings.push(
          `UDP port ${v.value} is also element ${w.sharedWith.join(", ")} of ${key} (${JSON.stringify(value)}); pulumi-ksc changes only the first element and leaves the others as they are`,
        );
    }
    data[key] = policyValue(keys, value, v.locked);
  }
  return { data, missing, warnings };
}

export interface NetworkAgentApi {
  /** The Network Agent's product and version, as policies name them. */
  readonly product: { product: string; version: string };
  /** The settings the policy holds; none when it does not hold the network section (yet). */
  readSettings(policyId: number): Promise<Partial<NaSettings>>;
  /**
   * Writes the declared settings: Ss_Update, never Ss_Replace, and only of variables the section holds (a missing
   * one is a KeyNameError, and nothing is written). `warn` hears what the caller should pass on. Fails with
   * isNotFound when the policy does not exist.
   */
  writeSettings(policyId: number, declared: NaSettings, warn: (message: string) => void): Promise<void>;
}

export class NetworkAgentSettings implements NetworkAgentApi {
  constructor(
    private readonly policy: PolicyApi,
    private readonly settings: PolicySettingsApi,
    private readonly keys: KeyNames,
  ) {}

  get product(): { product: string; version: string } {
    return { product: this.keys.networkAgent.product, version: this.keys.networkAgent.version };
  }

  async readSettings(policyId: number): Promise<Partial<NaSettings>> {
    const na = this.keys.networkAgent;
    let section: KscParams;
    try {
      section = await this.settings.readSection(policyId, na.product, na.version, na.networkSection);
    } catch (err) {
      if (isNotFound(err)) return {}; // the policy does not hold the section (yet)
      throw err;
    }
    return settingsOf(this.keys, section);
  }

  async writeSettings(
    policyId: number,
    declared: NaSettings,
    warn: (message: string) => void,
  ): Promise<void> {
    const na = this.keys.networkAgent;
    // Every Network Agent policy holds these settings, so one that is missing means the key name is not this
    // server's (a placeholder, or a name the probe has not confirmed), and must not be created as a new,
    // meaningless variable.
    await this.settings
      .updateInSection(policyId, na.product, na.version, na.networkSection, (section) => {
        const { data, missing, warnings } = settingsUpdate(this.keys, section, declared);
        if (missing.length > 0)
          throw new KeyNameError(
            `Network Agent policy setting (section ${JSON.stringify(na.networkSection)})`,
            missing,
          );
        warnings.forEach(warn);
        return data;
      })
      .catch(async (err: unknown) => {
        if (err instanceof KeyNameError || !isNotFound(err)) throw err;
        // Not found: the policy itself (deleted in the console), or its network section.
        if (!(await this.exists(policyId))) throw err;
        throw new KeyNameError("Network Agent policy setting", [
          na.networkSection,
          ...SETTINGS.map((s) => na[s.key]),
        ]);
      });
  }

  private async exists(policyId: number): Promise<boolean> {
    try {
      await this.policy.getPolicyData(policyId);
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }
}
