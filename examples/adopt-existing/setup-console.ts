// Stands in for an administrator who set things up in the console before Pulumi: makes hq-dp-01 a distribution
// point for the Head Office group and creates the Network Agent policy "Head Office agents" there, by raw Open
// API calls. Safe to run twice.
//
//   npx ts-node examples/adopt-existing/setup-console.ts https://127.0.0.1:13299 .emulator/ksc-emulator-ca.pem
//
// Logs in as KSC_USER / KSC_PASSWORD, by default the emulator's admin account.
import { RawKsc } from "../../test/support/raw-ksc";

export const EXISTING = {
  dpDevice: "hq-dp-01",
  group: "Managed devices/Head Office",
  policyName: "Head Office agents",
};

/** What an administrator would have clicked; returns the DP's host id and the policy id. */
export async function setupConsole(ksc: RawKsc): Promise<{ dpHostId: string; policyId: number }> {
  const groupId = await ksc.groupId(EXISTING.group);
  const dpHostId = await ksc.hostId(EXISTING.dpDevice);
  if (!(await ksc.dp(dpHostId))) await ksc.makeDp(dpHostId, [groupId]);
  const policyId = await ksc
    .policyId(EXISTING.group, EXISTING.policyName)
    .catch(() => ksc.addPolicy(groupId, EXISTING.policyName));
  return { dpHostId, policyId };
}

if (require.main === module) {
  const [url, caFile] = process.argv.slice(2);
  if (!url) {
    process.stderr.write("usage: setup-console.ts <server url> [CA certificate file]\n");
    process.exit(2);
  }
  const user = process.env.KSC_USER ?? "admin";
  const password = process.env.KSC_PASSWORD ?? "KscEmulator-Pa55";
  (async () => {
    const ksc = await RawKsc.open(url, { user, password, caFile });
    try {
      const made = await setupConsole(ksc);
      process.stdout.write(
        `distribution point ${EXISTING.dpDevice} (host ${made.dpHostId}) serves ${EXISTING.group}; ` +
          `Network Agent policy "${EXISTING.policyName}" has id ${made.policyId}\n`,
      );
    } finally {
      await ksc.end();
    }
  })().catch((err: unknown) => {
    process.stderr.write(`setup-console: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
