// The administrator of a "real server" whose undocumented key names differ from the provider's defaults: at each
// prompt of `probe guided` it makes the asked-for change in the console with raw API calls. Shared by the probe's
// emulator tests and the onboarding engine test.
import { StepAnswer, StepPrompt, Prompter } from "../../../provider/src/cli/io";
import { RawKsc, long, policyVal, policyValue } from "../raw-ksc";

// The "real server's" names. The host flag is not in the probe's attribute list: it must be found anyway.
export const REAL = {
  dp: {
    pushServerEnabled: "KLUA_PUSH_SRV_ENABLED",
    pushServerPort: "KLUA_PUSH_SRV_PORT",
    pushServerRemoteAddress: "KLUA_PUSH_SRV_REMOTE_ADDR",
  },
  host: { keepConnection: "KLHST_WKS_NAG_KEEP_CONN_FLAG" },
  networkAgent: {
    networkSection: "KLNAG_SECTION_NETWORK",
    useUdpPort: "KLNAG_USE_UDP",
    udpPort: "KLNAG_UDP_PORT",
    forceConnectionThroughDp: "KLNAG_FORCE_CONN_VIA_UA",
  },
};

/** A server where the names that rest on evidence are right and only the placeholders differ (the defaults of
 *  docs/ksc-key-names.md for the host flag and the network section, REAL's names for the rest). */
export const EVIDENCE_RIGHT = {
  dp: REAL.dp,
  host: { keepConnection: "KLHST_WKS_KEEP_CONNECTION" },
  networkAgent: {
    networkSection: "86",
    useUdpPort: "OpenUdpPort",
    udpPort: "Nagentports",
    forceConnectionThroughDp: REAL.networkAgent.forceConnectionThroughDp,
  },
};

export type ServerNames = typeof REAL;
export const ROOT_POLICY = 1;

/** The administrator: does what each step asks, through raw API calls. `mischief` changes one step's behaviour. */
export function administrator(
  raw: RawKsc,
  dpHost: string,
  mischief: Partial<Record<string, () => Promise<StepAnswer>>> = {},
  names: ServerNames = REAL,
): Prompter & { seen: StepPrompt[] } {
  const seen: StepPrompt[] = [];
  const na = names.networkAgent;
  const toggle = async (key: string, lock?: boolean) => {
    const section = await raw.policySection(ROOT_POLICY, na.networkSection);
    const now = policyVal(section, key) as boolean;
    const locked = ((section[key] as { value: { KLPRSS_Mnd: boolean } }).value.KLPRSS_Mnd ??
      false) as boolean;
    await raw.changePolicySection(ROOT_POLICY, na.networkSection, {
      [key]: policyValue(!now, lock ?? locked),
    });
  };
  const actions: Record<string, () => Promise<void>> = {
    start: async () => undefined,
    "keep-connection": () =>
      raw
        .call("HostGroup.UpdateHost", { strHostName: dpHost, pInfo: { [names.host.keepConnection]: true } })
        .then(() => undefined),
    "push-enable": () =>
      raw.changeDp(dpHost, { [names.dp.pushServerEnabled]: true, [names.dp.pushServerPort]: long(13297) }),
    "push-address": () =>
      raw.changeDp(dpHost, { [names.dp.pushServerRemoteAddress]: "push-probe.example.test" }),
    "policy-force": () => toggle(na.forceConnectionThroughDp, true),
    // The console saves the UDP port as the first of the Network Agent's UDP ports, keeping the others.
    "policy-udp-port": async () => {
      const ports = policyVal(
        await raw.policySection(ROOT_POLICY, na.networkSection),
        na.udpPort,
      ) as number[];
      await raw.changePolicySection(ROOT_POLICY, na.networkSection, {
        [na.udpPort]: policyValue([15007, ...ports.slice(1)], false),
      });
    },
    "policy-use-udp": () => toggle(na.useUdpPort),
  };
  return {
    seen,
    async step(p) {
      seen.push(p);
      const special = mischief[p.id];
      if (special) return special();
      await actions[p.id]();
      return "done";
    },
    confirm: async () => true,
  };
}
