// Two branch sites with two push-server DPs each. Sites come from stack config (`sites`), or the defaults
// below; each site is one BranchSite component (site.ts).
import * as pulumi from "@pulumi/pulumi";
import { BranchSite, SiteArgs } from "./site";

interface SiteConfig extends SiteArgs {
  /** Short name, used in resource names and the policy name. */
  name: string;
}

const DEFAULT_SITES: SiteConfig[] = [
  { name: "milan", group: "Managed devices/Branch Milan", dpDevices: ["milan-dp-01", "milan-dp-02"] },
  { name: "rome", group: "Managed devices/Branch Rome", dpDevices: ["rome-dp-01", "rome-dp-02"] },
];

const config = new pulumi.Config();
const sites = config.getObject<SiteConfig[]>("sites") ?? DEFAULT_SITES;
// One port for every site unless a site sets its own.
const pushServerPort = config.getNumber("pushServerPort");

const deployed = sites.map((site) => ({
  name: site.name,
  site: new BranchSite(site.name, { ...site, pushServerPort: site.pushServerPort ?? pushServerPort }),
}));

const bySite = <T>(pick: (s: BranchSite) => T): Record<string, T> =>
  Object.fromEntries(deployed.map(({ name, site }) => [name, pick(site)]));

export const dpHostIds = bySite((s) => s.dpHostIds);
export const pushServerPorts = bySite((s) => s.pushServerPorts);
export const policyIds = bySite((s) => s.policyId);
