// Two sites, each from stack config (or the defaults below), each one BranchSite component.
import * as pulumi from "@pulumi/pulumi";
import { BranchSite, SiteArgs } from "./site";

interface SiteConfig extends SiteArgs {
  name: string;
}

const DEFAULT_SITES: SiteConfig[] = [
  { name: "milan", group: "Managed devices/Branch Milan", dpDevices: ["milan-dp-01", "milan-dp-02"] },
  { name: "rome", group: "Managed devices/Branch Rome", dpDevices: ["rome-dp-01", "rome-dp-02"] },
];

const config = new pulumi.Config();
const sites = config.getObject<SiteConfig[]>("sites") ?? DEFAULT_SITES;
const pushServerPort = config.getNumber("pushServerPort");

const deployed = Object.fromEntries(
  sites.map((site) => [site.name, new BranchSite(site.name, { pushServerPort, ...site })]),
);

export const dpHostIds = Object.fromEntries(Object.entries(deployed).map(([n, s]) => [n, s.dpHostIds]));
export const pushServerPorts = Object.fromEntries(
  Object.entries(deployed).map(([n, s]) => [n, s.pushServerPorts]),
);
export const policyIds = Object.fromEntries(Object.entries(deployed).map(([n, s]) => [n, s.policyId]));
