// probe snapshot and probe diff against the emulator: read-only, handles released, and a change made in the
// "console" (raw API calls) between two snapshots shows as its key.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { startEmulator } from "ksc-emulator";
import { EXIT } from "./exitCodes";
import { main } from "./main";
import { Snapshot } from "./snapshot";
import { recordingIo } from "../../../test/support/cli/io";
import { RawKsc, WRITE_METHOD, long } from "../../../test/support/raw-ksc";

jest.setTimeout(60_000);

type Emulator = Awaited<ReturnType<typeof startEmulator>>;
let emu: Emulator;
let raw: RawKsc;
let dir: string;
let milanDp: string;
let romeDp: string;

const env = () => ({
  KSC_SERVER_URL: emu.url,
  KSC_USER: emu.credentials.user,
  KSC_PASSWORD: emu.credentials.password,
  KSC_INTERNAL: "true",
});

async function resetCounters(): Promise<void> {
  await fetch(`${emu.url}/control/reset-counters`, { method: "POST" });
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-ksc-snap-"));
  emu = await startEmulator({ port: 0, tls: false });
  raw = await RawKsc.open(emu.url, emu.credentials);
  milanDp = await raw.hostId("milan-dp-01");
  romeDp = await raw.hostId("rome-dp-01");
  await raw.makeDp(milanDp, [await raw.groupId("Branch Milan")]);
  await raw.makeDp(romeDp, [await raw.groupId("Branch Rome")], { PROPOSED_UaPushServerEnabled: true });
});

afterAll(async () => {
  await raw?.end();
  await emu?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

test("snapshot reads every DP, its host and every policy section, and writes nothing to the server", async () => {
  const file = path.join(dir, "all.json");
  await resetCounters();
  const io = recordingIo({ env: env(), cwd: dir });
  expect(await main(["probe", "snapshot", "--out", "all.json"], io)).toBe(EXIT.ok);
  const calls = emu.counters().calls;
  const methods = Object.keys(calls);
  expect(methods.filter((m) => WRITE_METHOD.test(m))).toEqual([]);
  for (const m of methods) {
    expect(m).toMatch(
      /^(Session\.(StartSession|EndSession)|[A-Za-z]+\.(Get\w*|Find\w*|GroupId\w*|SS_GetNames|Ss_Read|Ss_Release|Release))$/,
    );
  }
  // Every SsContents handle and every result set opened was released.
  expect(calls["Policy.GetPolicyContents"]).toBeGreaterThan(0);
  expect(calls["SsContents.Ss_Release"]).toBe(calls["Policy.GetPolicyContents"]);
  expect(calls["ChunkAccessor.Release"]).toBe(
    (calls["HostGroup.FindHosts"] ?? 0) + (calls["HostGroup.FindGroups"] ?? 0),
  );

  const s = JSON.parse(fs.readFileSync(file, "utf8")) as Snapshot;
  expect(Object.keys(s.data.distributionPoints).sort()).toEqual([milanDp, romeDp].sort());
  expect(s.data.distributionPoints[milanDp]).toMatchObject({
    UaPort: 13000,
    PROPOSED_UaPushServerEnabled: false,
    PROPOSED_UaPushServerPort: 13295,
  });
  expect(s.data.defaultDpRegistrationInfo).toMatchObject({ PROPOSED_UaPushServerPort: 13295 });
  expect(s.data.hosts[romeDp]).toMatchObject({
    KLHST_WKS_DN: "rome-dp-01",
    KLHST_WKS_KEEP_CONNECTION: true,
  });
  const [policy] = Object.values(s.data.policies);
  expect(policy.attributes).toMatchObject({
    KLPOL_PRODUCT: "1103",
    KLPOL_DN: "Kaspersky Security Center Network Agent",
  });
  expect(policy.sections["86"]).toEqual({
    OpenUdpPort: { KLPRSS_Val: true, KLPRSS_Mnd: false },
    Nagentports: { KLPRSS_Val: [15000, 15001], KLPRSS_Mnd: false },
    PROPOSED_UseDpForceConnection: { KLPRSS_Val: false, KLPRSS_Mnd: false },
  });
  expect(Object.keys(policy.sections)).toContain("KLNAG_SVCPRT");
  expect(s.labels[milanDp]).toBe("milan-dp-01");
  expect(io.stdout.join("\n")).toMatch(/2 distribution point\(s\), 2 host\(s\), 1 policy\(ies\)/);
});

test("a toggle made in the console between two snapshots shows as its key, and only the asked-for DP is read", async () => {
  const before = path.join(dir, "before.json");
  const after = path.join(dir, "after.json");
  const io = recordingIo({ env: env(), cwd: dir });
  expect(await main(["probe", "snapshot", "--device", "milan-dp-01", "--out", before], io)).toBe(EXIT.ok);
  expect(
    Object.keys((JSON.parse(fs.readFileSync(before, "utf8")) as Snapshot).data.distributionPoints),
  ).toEqual([milanDp]);

  await raw.changeDp(milanDp, { PROPOSED_UaPushServerEnabled: true, PROPOSED_UaPushServerPort: long(13297) });
  expect(
    await main(
      ["probe", "snapshot", "--device", "milan-dp-01", "--out", after],
      recordingIo({ env: env(), cwd: dir }),
    ),
  ).toBe(EXIT.ok);

  const diff = recordingIo({ cwd: dir });
  expect(await main(["probe", "diff", before, after, "--json"], diff)).toBe(EXIT.ok);
  const changes = (
    JSON.parse(diff.stdout.join("\n")) as { changes: { path: string[]; old: unknown; new: unknown }[] }
  ).changes;
  const interesting = changes.filter((c) => !c.path.includes("KLHST_WKS_LAST_VISIBLE"));
  expect(interesting).toEqual(
    expect.arrayContaining([
      expect.objectContaining({
        path: ["distributionPoints", milanDp, "PROPOSED_UaPushServerEnabled"],
        old: false,
        new: true,
      }),
      expect.objectContaining({
        path: ["distributionPoints", milanDp, "PROPOSED_UaPushServerPort"],
        old: 13295,
        new: 13297,
      }),
      expect.objectContaining({
        path: ["hosts", milanDp, "KLHST_WKS_KEEP_CONNECTION"],
        old: false,
        new: true,
      }),
    ]),
  );
  expect(interesting).toHaveLength(3);
});

test("a wrong password is a failure talking to the server (exit 1), without the password in the output", async () => {
  const io = recordingIo({ env: { ...env(), KSC_PASSWORD: "Wrong-Pa55word" }, cwd: dir });
  expect(await main(["probe", "snapshot", "--out", "x.json"], io)).toBe(EXIT.failure);
  expect(io.stderr.join("\n")).toMatch(/pulumi-ksc: /);
  expect(io.text()).not.toContain("Wrong-Pa55word");
});

test("--device that matches several devices is a usage error naming them", async () => {
  const io = recordingIo({ env: env(), cwd: dir });
  expect(await main(["probe", "snapshot", "--device", "shared-name-01", "--out", "x.json"], io)).toBe(
    EXIT.usage,
  );
  expect(io.stderr.join("\n")).toMatch(/2 devices match/);
});
