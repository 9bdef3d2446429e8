// The ports Kaspersky Security Center itself uses on an Administration Server or a distribution point (DP), which a
// push server must not take. What each one is and where the list comes from: docs/ports.md (keep both in step; a
// unit test compares them).

export interface KscPort {
  port: number;
  /** tcp, udp, or both */
  protocol: "tcp" | "udp" | "tcp+udp";
  /** who listens on it, in a few words */
  use: string;
}

/** The push server's own default port: the one a push server should use. */
export const PUSH_SERVER_DEFAULT_PORT = 13295;

export const KSC_PORTS: readonly KscPort[] = [
  { port: 8060, protocol: "tcp", use: "Administration Server: installation packages over HTTP" },
  { port: 8061, protocol: "tcp", use: "Administration Server: installation packages over HTTPS" },
  { port: 8080, protocol: "tcp", use: "Kaspersky Security Center Web Console" },
  {
    port: 13000,
    protocol: "tcp+udp",
    use: "Administration Server and DP: Network Agent connections over TLS",
  },
  { port: 13001, protocol: "tcp", use: "Administration Server acting as a DP: TLS port (Cloud Console)" },
  { port: 13111, protocol: "tcp", use: "KSN proxy on the Administration Server or a DP" },
  { port: 13291, protocol: "tcp", use: "Administration Server: Administration Console connections" },
  { port: 13292, protocol: "tcp", use: "Administration Server: mobile devices" },
  { port: 13294, protocol: "tcp", use: "Administration Server: mobile devices (certificate authentication)" },
  { port: 13299, protocol: "tcp", use: "Administration Server: Open API and Web Console Server connections" },
  {
    port: 14000,
    protocol: "tcp",
    use: "Administration Server and DP: Network Agent connections without TLS",
  },
  {
    port: 15000,
    protocol: "udp",
    use: "Network Agent (also on a DP): notifications from the server; DP multicast",
  },
  { port: 15001, protocol: "udp", use: "Network Agent: updates and packages multicast by a DP" },
  { port: 15111, protocol: "udp", use: "KSN proxy on the Administration Server or a DP" },
  { port: 17000, protocol: "tcp", use: "Administration Server: activation proxy for managed devices" },
  { port: 17111, protocol: "tcp", use: "KSN proxy over HTTPS on the Administration Server or a DP" },
  {
    port: 19170,
    protocol: "tcp",
    use: "Administration Server (listed among KSC's ports; purpose not recorded here)",
  },
];

/** The KSC port `port` is, if any. */
export function kscPort(port: number): KscPort | undefined {
  return KSC_PORTS.find((p) => p.port === port);
}
