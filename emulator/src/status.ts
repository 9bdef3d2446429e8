// The read-only status page (outside /api/): groups, DPs, push servers and how many devices each serves,
// and the Network Agent policies' network settings with their locks.
import { isLong, isParams, KParams, KValue } from "./codec";
import { Backend } from "./backend";
import { assignments, pushServerEnabled, scopeGroupIds } from "./balance";
import { NA_PRODUCT, NA_VERSION } from "./seed";
import { childrenOf, fullGroupName, subtreeIds } from "./state";

export interface StatusReport {
  server: { url: string; sessionsActive: number; sessionsOpened: number; assignUasAutomatically: boolean };
  /** devices: directly in the group; devicesWithSubgroups: the group and all below it */
  groups: {
    id: number;
    path: string;
    devices: number;
    devicesWithSubgroups: number;
    distributionPoints: string[];
  }[];
  distributionPoints: {
    hostId: string;
    name: string;
    group: string;
    scope: string[];
    pushServer: boolean;
    pushServerPort: number | null;
    pushServerRemoteAddress: string;
    keepConnection: boolean;
    devicesInScope: number;
    devicesServedByPushServer: number;
  }[];
  devicesWithoutPushServer: number;
  networkAgentPolicies: {
    id: number;
    name: string;
    group: string;
    active: boolean;
    settings: { key: string; value: string; locked: boolean }[];
  }[];
}

function show(v: KValue | undefined): string {
  if (v === undefined) return "(not set)";
  if (v === null) return "null";
  if (typeof v !== "object") return String(v);
  if (Array.isArray(v)) return `[${v.map(show).join(", ")}]`;
  if (v.kind === "params") return "{…}";
  return String(v.value);
}

export function statusReport(
  b: Backend,
  url: string,
  sessionsActive: number,
  sessionsOpened: number,
): StatusReport {
  const s = b.state;
  const a = assignments(b);
  const hostName = (id: string): string => s.hosts.get(id)?.displayName ?? id;

  const groups: StatusReport["groups"] = [];
  const walk = (id: number): void => {
    let devices = 0;
    for (const h of s.hosts.values()) if (h.groupId === id) devices++;
    const dps = [...s.dps.keys()].filter((dp) => s.hosts.get(dp)?.groupId === id).map(hostName);
    const below = subtreeIds(s, id);
    let devicesWithSubgroups = 0;
    for (const h of s.hosts.values()) if (below.has(h.groupId)) devicesWithSubgroups++;
    groups.push({ id, path: fullGroupName(s, id), devices, devicesWithSubgroups, distributionPoints: dps });
    for (const c of childrenOf(s, id).sort((x, y) => x.id - y.id)) walk(c.id);
  };
  walk(s.managedGroupId);
  walk(s.unassignedGroupId);

  const distributionPoints = [...s.dps.entries()]
    .map(([hostId, info]) => {
      const host = s.hosts.get(hostId);
      const port = info.map.get(b.keys.dp.pushServerPort);
      const addr = info.map.get(b.keys.dp.pushServerRemoteAddress);
      return {
        hostId,
        name: hostName(hostId),
        group: host ? fullGroupName(s, host.groupId) : "",
        scope: scopeGroupIds(info).map((g) => fullGroupName(s, g) || `#${g}`),
        pushServer: pushServerEnabled(b, info),
        pushServerPort: isLong(port) ? port.value : typeof port === "number" ? port : null,
        pushServerRemoteAddress: typeof addr === "string" ? addr : "",
        keepConnection: host?.keepConnection ?? false,
        devicesInScope: a.inScope.get(hostId) ?? 0,
        devicesServedByPushServer: a.served.get(hostId) ?? 0,
      };
    })
    .sort((x, y) => x.name.localeCompare(y.name));

  let covered = 0;
  for (const h of s.hosts.keys()) if (a.pushServerOf.has(h)) covered++;

  const na = b.keys.networkAgent;
  const networkAgentPolicies = [...s.policies.values()]
    .filter((p) => p.product === NA_PRODUCT && p.version === NA_VERSION)
    .map((p) => {
      const section = p.storage.get(NA_PRODUCT)?.get(NA_VERSION)?.get(na.networkSection);
      const settings = [na.useUdpPort, na.udpPort, na.forceConnectionThroughDp].map((key) => {
        const v = section?.map.get(key);
        const inner: KParams | undefined = isParams(v) ? v : undefined;
        return {
          key,
          value: show(inner ? inner.map.get("KLPRSS_Val") : v),
          locked: inner?.map.get("KLPRSS_Mnd") === true,
        };
      });
      return {
        id: p.id,
        name: p.displayName,
        group: fullGroupName(s, p.groupId),
        active: p.active,
        settings,
      };
    });

  return {
    server: { url, sessionsActive, sessionsOpened, assignUasAutomatically: s.assignUasAutomatically },
    groups,
    distributionPoints,
    devicesWithoutPushServer: s.hosts.size - covered,
    networkAgentPolicies,
  };
}

function esc(s: string): string {
  return s.replace(
    /[&<>"]/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c] as string,
  );
}

function table(headers: string[], rows: string[][]): string {
  const th = headers.map((h) => `<th>${esc(h)}</th>`).join("");
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join("")}</tr>`).join("\n");
  return `<table>\n<tr>${th}</tr>\n${body}\n</table>`;
}

/** Plain-text rendering (also used in reports and the console). */
export function statusText(r: StatusReport): string {
  const lines: string[] = [];
  lines.push(`KSC console emulator — ${r.server.url}`);
  lines.push(
    `sessions active: ${r.server.sessionsActive}, opened: ${r.server.sessionsOpened}, assign DPs automatically: ${r.server.assignUasAutomatically}`,
  );
  lines.push("", "Groups");
  for (const g of r.groups) {
    const dps = g.distributionPoints.length ? `  DPs: ${g.distributionPoints.join(", ")}` : "";
    lines.push(
      `  [${g.id}] ${g.path}  devices: ${g.devices} (with subgroups: ${g.devicesWithSubgroups})${dps}`,
    );
  }
  lines.push("", "Distribution points");
  if (!r.distributionPoints.length) lines.push("  (none)");
  for (const d of r.distributionPoints) {
    const push = d.pushServer
      ? `push server ON port ${d.pushServerPort ?? "?"}${d.pushServerRemoteAddress ? ` remote ${d.pushServerRemoteAddress}` : ""}, serves ${d.devicesServedByPushServer} devices`
      : "push server off";
    lines.push(
      `  ${d.name} (${d.hostId}) in ${d.group}; scope: ${d.scope.join(", ") || "(empty)"}; in scope: ${d.devicesInScope}; ${push}; keep connection: ${d.keepConnection}`,
    );
  }
  lines.push(`  devices without a push server: ${r.devicesWithoutPushServer}`);
  lines.push("", "Network Agent policies (network settings)");
  for (const p of r.networkAgentPolicies) {
    lines.push(`  #${p.id} "${p.name}" on ${p.group} ${p.active ? "active" : "inactive"}`);
    for (const s of p.settings)
      lines.push(`      ${s.key} = ${s.value} ${s.locked ? "(locked)" : "(unlocked)"}`);
  }
  return lines.join("\n") + "\n";
}

export function statusHtml(r: StatusReport): string {
  const parts: string[] = [];
  parts.push(`<p>${esc(r.server.url)} — sessions active: ${r.server.sessionsActive}, opened: ${r.server.sessionsOpened},
assign DPs automatically: ${r.server.assignUasAutomatically}</p>`);
  parts.push("<h2>Groups</h2>");
  parts.push(
    table(
      ["id", "group", "devices", "with subgroups", "distribution points"],
      r.groups.map((g) => [
        String(g.id),
        g.path,
        String(g.devices),
        String(g.devicesWithSubgroups),
        g.distributionPoints.join(", "),
      ]),
    ),
  );
  parts.push("<h2>Distribution points and push servers</h2>");
  parts.push(
    table(
      [
        "DP",
        "host id",
        "group",
        "scope",
        "devices in scope",
        "push server",
        "port",
        "remote address",
        "devices served",
        "keep connection",
      ],
      r.distributionPoints.map((d) => [
        d.name,
        d.hostId,
        d.group,
        d.scope.join(", "),
        String(d.devicesInScope),
        d.pushServer ? "on" : "off",
        d.pushServerPort === null ? "" : String(d.pushServerPort),
        d.pushServerRemoteAddress,
        d.pushServer ? String(d.devicesServedByPushServer) : "",
        String(d.keepConnection),
      ]),
    ),
  );
  parts.push(`<p>Devices without a push server: ${r.devicesWithoutPushServer}</p>`);
  parts.push("<h2>Network Agent policies — Connectivity → Network</h2>");
  for (const p of r.networkAgentPolicies) {
    parts.push(`<h3>#${p.id} ${esc(p.name)} (${esc(p.group)}, ${p.active ? "active" : "inactive"})</h3>`);
    parts.push(
      table(
        ["setting", "value", "lock"],
        p.settings.map((s) => [s.key, s.value, s.locked ? "locked" : "unlocked"]),
      ),
    );
  }
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>KSC console emulator</title>
<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #999;padding:2px 8px;text-align:left}</style>
</head><body><h1>KSC console emulator</h1>
${parts.join("\n")}
<pre>${esc(statusText(r))}</pre>
</body></html>
`;
}
