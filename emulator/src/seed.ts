// The seeded inventory: a small company (default) or N sites × M devices for load tests.
import { createHash } from "crypto";
import { KParams, KValue, params } from "./codec";
import { DEFAULT_NETWORK_AGENT_UDP_PORTS, KeyNames } from "./keys";
import { Group, Host, Policy, State, Storage } from "./state";

export type SeedOption = "default" | { sites: number; devicesPerSite: number };

export const NA_PRODUCT = "1103";
export const NA_VERSION = "1.0.0.0";
export const NA_POLICY_NAME = "Kaspersky Security Center Network Agent";

/** KLHST_WKS_STATUS: visible (1) + Network Agent installed (4) + Network Agent alive (8). */
export const STATUS_WITH_NETWORK_AGENT = 1 | 4 | 8;

const SEED_TIME = "2024-05-06T09:00:00Z";

/** A value in policy format (docs/ksc-open-api.md#policy-format): {"KLPRSS_Val": v, "KLPRSS_Mnd": locked}. */
export function policyValue(value: KValue, locked = false): KParams {
  return params({ KLPRSS_Val: value, KLPRSS_Mnd: locked });
}

/** What a new Network Agent policy contains: the Network Agent's main section with the network settings (names from
 *  keys.ts: evidence and placeholders, or the key-names file's) plus a few documented sections. */
export function networkAgentPolicyDefaults(keys: KeyNames): Storage {
  const na = keys.networkAgent;
  const sections = new Map<string, KParams>([
    // The network settings, defaults as in the UI; the UDP port is the first of the Network Agent's UDP ports.
    [
      na.networkSection,
      params({
        [na.useUdpPort]: policyValue(true),
        [na.udpPort]: policyValue([...DEFAULT_NETWORK_AGENT_UDP_PORTS]),
        [na.forceConnectionThroughDp]: policyValue(false),
      }),
    ],
    // Documented sections (docs/ksc-open-api.md#network-agent-policy), so snapshots have something
    // real-looking to read.
    ["KLNAG_SVCPRT", params({ KLNAG_SVCPRT_PROTECT_NAGENT_SVC: policyValue(false) })],
    ["KLNAG_SECTION_TAGS_INFO", params({ KLCONN_HOST_TAGS: policyValue([]) })],
  ]);
  return new Map([[NA_PRODUCT, new Map([[NA_VERSION, sections]])]]);
}

/** Deterministic GUID-like host id, so a fresh start without a state file always looks the same. */
export function guidFor(seedText: string): string {
  const h = createHash("sha1").update(seedText).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

const WINDOWS_WS = ["Microsoft Windows 10 Pro x64", "Microsoft Windows 11 Pro x64"];
const LINUX_WS = ["Ubuntu 22.04 LTS x64", "Astra Linux 1.7 x64"];
const WINDOWS_SRV = [
  "Microsoft Windows Server 2019 Standard x64",
  "Microsoft Windows Server 2022 Standard x64",
];
const LINUX_SRV = ["Red Hat Enterprise Linux 9 x64", "Debian 12 x64"];

interface Builder {
  state: State;
  ipCounter: number;
}

function addGroup(b: Builder, name: string, parentId: number): number {
  const id = b.state.nextGroupId++;
  b.state.groups.set(id, { id, name, parentId, created: SEED_TIME });
  return id;
}

function addHost(b: Builder, displayName: string, groupId: number, osName: string, site: number): Host {
  const n = b.ipCounter++;
  const hostId = guidFor(`ksc-emulator-host:${displayName}:${n}`);
  const host: Host = {
    hostId,
    displayName,
    groupId,
    fqdn: `${displayName}.corp.example`,
    osName,
    // 10.<site>.<n/250>.<n%250+1>
    ipLong: ((10 << 24) >>> 0) + ((site & 255) << 16) + (Math.floor(n / 250) % 256 << 8) + ((n % 250) + 1),
    status: STATUS_WITH_NETWORK_AGENT,
    instanceId: guidFor(`ksc-emulator-instance:${hostId}`),
    nagVersion: "14.0.0.4490",
    keepConnection: false,
    created: SEED_TIME,
    fromUnassigned: false,
  };
  b.state.hosts.set(hostId, host);
  return host;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, "0");

export function seedState(keys: KeyNames, seed: SeedOption = "default"): State {
  const superGroupId = 1;
  const managedGroupId = 0;
  const unassignedGroupId = 2;
  const groups = new Map<number, Group>([
    [superGroupId, { id: superGroupId, name: "Super", parentId: null, created: SEED_TIME }],
    [
      managedGroupId,
      { id: managedGroupId, name: "Managed devices", parentId: superGroupId, created: SEED_TIME },
    ],
    [
      unassignedGroupId,
      { id: unassignedGroupId, name: "Unassigned devices", parentId: superGroupId, created: SEED_TIME },
    ],
  ]);
  const state: State = {
    superGroupId,
    managedGroupId,
    unassignedGroupId,
    groups,
    hosts: new Map(),
    dps: new Map(),
    policies: new Map(),
    // Automatic assignment is on out of the box; manual DP registration needs it off
    // (docs/ksc-open-api.md#uacontrol).
    assignUasAutomatically: true,
    nextGroupId: 10,
    nextPolicyId: 1,
    keyNamesTag: JSON.stringify(keys),
  };
  const b: Builder = { state, ipCounter: 0 };

  const ho = addGroup(b, "Head Office", managedGroupId);
  const hoServers = addGroup(b, "Servers", ho);
  const hoWs = addGroup(b, "Workstations", ho);
  addHost(b, "hq-dp-01", ho, WINDOWS_SRV[1], 1);
  for (let i = 1; i <= 5; i++)
    addHost(b, `hq-srv-${pad(i)}`, hoServers, (i > 3 ? LINUX_SRV : WINDOWS_SRV)[i % 2], 1);
  for (let i = 1; i <= 8; i++) addHost(b, `hq-ws-${pad(i)}`, hoWs, (i > 6 ? LINUX_WS : WINDOWS_WS)[i % 2], 1);

  if (seed === "default") {
    const milan = addGroup(b, "Branch Milan", managedGroupId);
    const milanWs = addGroup(b, "Workstations", milan);
    addHost(b, "milan-dp-01", milan, WINDOWS_SRV[0], 2);
    addHost(b, "milan-dp-02", milan, LINUX_SRV[0], 2);
    for (let i = 1; i <= 8; i++)
      addHost(b, `milan-ws-${pad(i)}`, milanWs, (i > 6 ? LINUX_WS : WINDOWS_WS)[i % 2], 2);
    addHost(b, "shared-name-01", milanWs, WINDOWS_WS[0], 2);

    const rome = addGroup(b, "Branch Rome", managedGroupId);
    const romeWs = addGroup(b, "Workstations", rome);
    addHost(b, "rome-dp-01", rome, WINDOWS_SRV[1], 3);
    addHost(b, "rome-dp-02", rome, LINUX_SRV[1], 3);
    for (let i = 1; i <= 7; i++)
      addHost(b, `rome-ws-${pad(i)}`, romeWs, (i > 5 ? LINUX_WS : WINDOWS_WS)[i % 2], 3);
    addHost(b, "shared-name-01", romeWs, LINUX_WS[0], 3);
  } else {
    const sites = Math.max(0, Math.floor(seed.sites));
    const perSite = Math.max(0, Math.floor(seed.devicesPerSite));
    for (let s = 1; s <= sites; s++) {
      const site = addGroup(b, `Site ${pad(s, 3)}`, managedGroupId);
      const siteWs = addGroup(b, "Workstations", site);
      for (let d = 1; d <= perSite; d++) {
        // The first two devices of a site are its DP candidates, the rest are workstations.
        const isDp = d <= 2;
        const name = isDp ? `site${pad(s, 3)}-dp-${pad(d)}` : `site${pad(s, 3)}-ws-${pad(d - 2, 4)}`;
        const os = isDp ? WINDOWS_SRV[d % 2] : (d % 5 === 0 ? LINUX_WS : WINDOWS_WS)[d % 2];
        addHost(b, name, isDp ? site : siteWs, os, 10 + s);
      }
    }
  }

  const unassigned1 = addHost(b, "new-laptop-01", unassignedGroupId, WINDOWS_WS[1], 9);
  const unassigned2 = addHost(b, "new-laptop-02", unassignedGroupId, LINUX_WS[1], 9);
  unassigned1.fromUnassigned = true;
  unassigned2.fromUnassigned = true;

  const policy: Policy = {
    id: state.nextPolicyId++,
    displayName: NA_POLICY_NAME,
    product: NA_PRODUCT,
    version: NA_VERSION,
    groupId: managedGroupId,
    active: true,
    roaming: false,
    acceptParent: true,
    forceDistribToChildren: false,
    hideOnSlaves: false,
    created: SEED_TIME,
    modified: SEED_TIME,
    storage: networkAgentPolicyDefaults(keys),
  };
  state.policies.set(policy.id, policy);
  return state;
}
