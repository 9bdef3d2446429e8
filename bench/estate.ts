// The benchmark estate, shared by the two programs (ours and the floor) and the runner: N resources as sites
// of 5 (2 distribution points, a push server on each, 1 Network Agent policy), on the emulator's large seed
// (`{ sites, devicesPerSite }`: group "Site 001", devices "site001-dp-01" and "site001-dp-02", workstations).

/** Resources per site: 2 DistributionPoint, 2 PushServer, 1 NetworkAgentPolicy. */
export const RESOURCES_PER_SITE = 5;
export const DPS_PER_SITE = 2;

/** Devices per site in the emulator seed: the 2 DP candidates and workstations they serve. */
export const DEVICES_PER_SITE = 10;

export type Kind = "DistributionPoint" | "PushServer" | "NetworkAgentPolicy";
export const KINDS: Kind[] = ["DistributionPoint", "PushServer", "NetworkAgentPolicy"];

export interface DpSpec {
  name: string;
  device: string;
  /** The changed input of the "10% of inputs changed" phase. */
  distributePackages: boolean;
}

export interface PushSpec {
  name: string;
  port: number;
}

export interface SiteSpec {
  code: string;
  group: string;
  dps: DpSpec[];
  pushServers: PushSpec[];
  policy: { name: string; displayName: string; useUdpPort: boolean };
}

const pad = (n: number, width: number): string => String(n).padStart(width, "0");

/** Number of sites for N resources (at least one). */
export function sitesFor(resources: number): number {
  return Math.max(1, Math.round(resources / RESOURCES_PER_SITE));
}

/**
 * The estate. With `changed`, one resource in ten gets one input changed, the kinds in turn: on every other
 * site, resource (site/2) mod 5 of DP 1, DP 2, push server 1, push server 2, policy. A DP stops distributing
 * packages, a push server moves to port 13296, a policy turns the UDP port on: all updates, no replacement.
 */
export function estate(sites: number, changed: boolean): SiteSpec[] {
  const out: SiteSpec[] = [];
  for (let s = 0; s < sites; s++) {
    const code = `site${pad(s + 1, 3)}`;
    const pick = changed && s % 2 === 0 ? (s / 2) % RESOURCES_PER_SITE : -1;
    const dps: DpSpec[] = [];
    const pushServers: PushSpec[] = [];
    for (let d = 0; d < DPS_PER_SITE; d++) {
      const device = `${code}-dp-${pad(d + 1, 2)}`;
      dps.push({ name: device, device, distributePackages: pick !== d });
      pushServers.push({ name: `${device}-push`, port: pick === DPS_PER_SITE + d ? 13296 : 13295 });
    }
    out.push({
      code,
      group: `Managed devices/Site ${pad(s + 1, 3)}`,
      dps,
      pushServers,
      policy: {
        name: `${code}-agent-policy`,
        displayName: `Network Agent - ${code}`,
        useUdpPort: pick === 4,
      },
    });
  }
  return out;
}

/** How many resources of each kind the estate has, and how many the "changed" phase updates. */
export function census(sites: number): { total: Record<Kind, number>; changed: Record<Kind, number> } {
  const base = estate(sites, false);
  const next = estate(sites, true);
  const total: Record<Kind, number> = { DistributionPoint: 0, PushServer: 0, NetworkAgentPolicy: 0 };
  const changed: Record<Kind, number> = { DistributionPoint: 0, PushServer: 0, NetworkAgentPolicy: 0 };
  base.forEach((site, i) => {
    total.DistributionPoint += site.dps.length;
    total.PushServer += site.pushServers.length;
    total.NetworkAgentPolicy += 1;
    site.dps.forEach((dp, d) => {
      if (dp.distributePackages !== next[i].dps[d].distributePackages) changed.DistributionPoint++;
      if (site.pushServers[d].port !== next[i].pushServers[d].port) changed.PushServer++;
    });
    if (site.policy.useUdpPort !== next[i].policy.useUdpPort) changed.NetworkAgentPolicy++;
  });
  return { total, changed };
}
