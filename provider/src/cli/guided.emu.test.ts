// probe guided against an emulator that uses other key names than the provider's defaults (standing in for a real
// server). A test prompter plays the administrator: at each prompt it makes the asked-for change with raw API calls.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { startEmulator } from "ksc-emulator";
import { loadKeyNames } from "../ksc/keys";
import { EXIT } from "./exitCodes";
import { GuidedReport } from "./guided";
import { main } from "./main";
import { recordingIo } from "../../../test/support/cli/io";
import {
  EVIDENCE_RIGHT,
  REAL,
  administrator as playAdministrator,
} from "../../../test/support/cli/administrator";
import { RawKsc, WRITE_METHOD, long } from "../../../test/support/raw-ksc";

jest.setTimeout(60_000);

type Emulator = Awaited<ReturnType<typeof startEmulator>>;
let emu: Emulator;
let raw: RawKsc;
let dir: string;
let dpHost: string;

const env = () => ({
  KSC_SERVER_URL: emu.url,
  KSC_USER: emu.credentials.user,
  KSC_PASSWORD: emu.credentials.password,
});
const administrator = (mischief?: Parameters<typeof playAdministrator>[2]) =>
  playAdministrator(raw, dpHost, mischief);

async function freshEmulator(namesFile = "server-names.json"): Promise<void> {
  await raw?.end();
  await emu?.stop();
  emu = await startEmulator({ port: 0, tls: false, keyNamesFile: path.join(dir, namesFile) });
  raw = await RawKsc.open(emu.url, emu.credentials);
  dpHost = await raw.hostId("milan-dp-01");
  await raw.makeDp(dpHost, [await raw.groupId("Branch Milan")]);
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-ksc-guided-"));
  fs.writeFileSync(path.join(dir, "server-names.json"), JSON.stringify(REAL));
  fs.writeFileSync(path.join(dir, "evidence-right.json"), JSON.stringify(EVIDENCE_RIGHT));
});

afterAll(async () => {
  await raw?.end();
  await emu?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

test("the walk finds every real name and writes the override file the provider reads", async () => {
  await freshEmulator();
  await fetch(`${emu.url}/control/reset-counters`, { method: "POST" });
  const admin = administrator();
  const io = recordingIo({ env: env(), cwd: dir, prompter: admin });
  const writesBefore = Object.keys(emu.counters().calls).filter((m) => WRITE_METHOD.test(m));
  expect(writesBefore).toEqual([]);
  const code = await main(
    ["probe", "guided", "--device", "milan-dp-01", "--out", "keynames.json", "--json"],
    io,
  );
  expect(io.stderr.join("\n")).not.toMatch(/pulumi-ksc: /);
  expect(code).toBe(EXIT.ok);
  expect(admin.seen.map((s) => s.id)).toEqual([
    "start",
    "keep-connection",
    "push-enable",
    "push-address",
    "policy-force",
    "policy-udp-port",
    "policy-use-udp",
  ]);
  expect(admin.seen.every((s) => s.attempt === 1)).toBe(true);
  expect(admin.seen.find((s) => s.id === "push-enable")!.lines.join(" ")).toMatch(
    /milan-dp-01.*Run push server.*13297/,
  );

  const written = JSON.parse(fs.readFileSync(path.join(dir, "keynames.json"), "utf8")) as Record<
    string,
    unknown
  >;
  expect(written).toMatchObject(REAL);
  expect(written.$comment).toMatch(/probe guided/);
  // The provider's mapping module accepts the file and now uses the server's names.
  const names = loadKeyNames(path.join(dir, "keynames.json"));
  expect(names.dp).toMatchObject(REAL.dp);
  expect(names.networkAgent).toMatchObject(REAL.networkAgent);
  expect(names.host.keepConnection).toBe(REAL.host.keepConnection);

  const report = JSON.parse(io.stdout.join("\n")) as GuidedReport;
  expect(report.complete).toBe(true);
  expect(report.written).toBe(true);
  expect(report.results.map((r) => [r.expectation.logical, r.outcome.status])).toEqual([
    ["keepConnection", "found"],
    ["pushServerEnabled", "found"],
    ["pushServerPort", "found"],
    ["pushServerRemoteAddress", "found"],
    ["forceConnectionThroughDp", "found"],
    ["udpPort", "found"],
    ["useUdpPort", "found"],
  ]);
  // The only writes were the administrator's own (the test's raw calls), none from the probe.
  const probeWrites = Object.entries(emu.counters().calls).filter(([m]) => WRITE_METHOD.test(m));
  expect(Object.fromEntries(probeWrites)).toEqual({
    "HostGroup.UpdateHost": 1,
    "UaControl.ModifyUpdateAgent": 2,
    "SsContents.Ss_Replace": 3,
    "SsContents.Ss_Apply": 3,
  });
});

test("with the found names, generate sees the push server the walk turned on", async () => {
  // Same emulator state as the walk left it: push server on milan-dp-01, port 13297.
  const out = path.join(dir, "program");
  const io = recordingIo({ env: env(), cwd: dir });
  expect(
    await main(
      ["generate", "--group", "Branch Milan", "--out", out, "--key-names", "keynames.json", "--json"],
      io,
    ),
  ).toBe(EXIT.ok);
  const index = fs.readFileSync(path.join(out, "index.ts"), "utf8");
  expect(index).toContain("new ksc.PushServer(");
  expect(index).toContain("    port: 13297,");
  expect(index).toContain('    remoteAddress: "push-probe.example.test",');
  expect(index).toContain(`set ksc:keyNamesFile to it`);
});

test("the walk says which defaults this server confirmed and which it corrected", async () => {
  // A server where the names from evidence are right and the placeholders are not.
  await freshEmulator("evidence-right.json");
  const out = path.join(dir, "evidence-right-keynames.json");
  const admin = playAdministrator(raw, dpHost, {}, EVIDENCE_RIGHT);
  const io = recordingIo({ env: env(), cwd: dir, prompter: admin });
  expect(
    await main(["probe", "guided", "--device", "milan-dp-01", "--out", out, "--yes", "--json"], io),
  ).toBe(EXIT.ok);
  const report = JSON.parse(io.stdout.join("\n")) as GuidedReport;
  expect(Object.fromEntries(report.defaults.map((d) => [d.key, [d.verdict, d.status, d.found]]))).toEqual({
    "dp.pushServerEnabled": ["corrected", "proposed", REAL.dp.pushServerEnabled],
    "dp.pushServerPort": ["corrected", "proposed", REAL.dp.pushServerPort],
    "dp.pushServerRemoteAddress": ["corrected", "proposed", REAL.dp.pushServerRemoteAddress],
    "host.keepConnection": ["confirmed", "evidence", "KLHST_WKS_KEEP_CONNECTION"],
    "networkAgent.networkSection": ["confirmed", "evidence", "86"],
    "networkAgent.useUdpPort": ["confirmed", "evidence", "OpenUdpPort"],
    "networkAgent.udpPort": ["confirmed", "evidence", "Nagentports"],
    "networkAgent.forceConnectionThroughDp": [
      "corrected",
      "proposed",
      REAL.networkAgent.forceConnectionThroughDp,
    ],
  });
  // The file holds what was found, confirmed names included: it pins them for this server.
  expect(JSON.parse(fs.readFileSync(out, "utf8"))).toMatchObject(EVIDENCE_RIGHT);
  // And the person reads the same, without --json.
  await freshEmulator("evidence-right.json");
  const io2 = recordingIo({
    env: env(),
    cwd: dir,
    prompter: playAdministrator(raw, dpHost, {}, EVIDENCE_RIGHT),
  });
  expect(await main(["probe", "guided", "--device", "milan-dp-01", "--out", out, "--yes"], io2)).toBe(
    EXIT.ok,
  );
  const text = io2.text();
  expect(text).toMatch(
    /confirmed: +host\.keepConnection = KLHST_WKS_KEEP_CONNECTION, networkAgent\.networkSection = 86, networkAgent\.useUdpPort = OpenUdpPort, networkAgent\.udpPort = Nagentports/,
  );
  expect(text).toMatch(
    /corrected: +dp\.pushServerEnabled: PROPOSED_UaPushServerEnabled → KLUA_PUSH_SRV_ENABLED, .*networkAgent\.forceConnectionThroughDp: PROPOSED_UseDpForceConnection → KLNAG_FORCE_CONN_VIA_UA/,
  );
  expect(text).toMatch(/networkAgent\.udpPort .*Nagentports.*Nagentports \(evidence\).*confirmed/);
});

test("a step without a change, and an ambiguous one, are reported, not guessed (exit 3)", async () => {
  await freshEmulator();
  const out = path.join(dir, "partial.json");
  fs.writeFileSync(out, JSON.stringify({ $comment: "old", host: { keepConnection: "EARLIER_GUESS" } }));
  const admin = administrator({
    // Two DP yes/no keys switched on in one save: which one is "Run push server"?
    "push-enable": async () => {
      await raw.changeDp(dpHost, {
        [REAL.dp.pushServerEnabled]: true,
        CgOpenWebConsolePort: true,
        [REAL.dp.pushServerPort]: long(13297),
      });
      return "done";
    },
    "push-address": async () => "skip",
    // The administrator forgets to save, every time.
    "policy-use-udp": async () => "done",
  });
  const io = recordingIo({ env: env(), cwd: dir, prompter: admin });
  const code = await main(["probe", "guided", "--device", "milan-dp-01", "--out", out, "--yes"], io);
  expect(code).toBe(EXIT.incomplete);
  const text = io.text();
  expect(text).toMatch(
    /ambiguous\s+"Run push server": 2 keys changed that way \(CgOpenWebConsolePort, KLUA_PUSH_SRV_ENABLED\); not guessed/,
  );
  expect(text).toMatch(/no change\s+"Use UDP port"/);
  expect(text).toMatch(/No change at all was seen/);
  // Asked again before giving up.
  expect(admin.seen.filter((s) => s.id === "policy-use-udp").map((s) => s.attempt)).toEqual([1, 2, 3]);
  const written = JSON.parse(fs.readFileSync(out, "utf8")) as {
    dp: Record<string, string>;
    host: Record<string, string>;
    networkAgent: Record<string, string>;
  };
  expect(written.dp).toEqual({ pushServerPort: REAL.dp.pushServerPort });
  expect(written.host).toEqual({ keepConnection: REAL.host.keepConnection }); // merged over the earlier file
  expect(written.networkAgent).toEqual({
    networkSection: REAL.networkAgent.networkSection,
    forceConnectionThroughDp: REAL.networkAgent.forceConnectionThroughDp,
    udpPort: REAL.networkAgent.udpPort,
  });
});

test("without a yes nothing is written; stopping early keeps what was found", async () => {
  await freshEmulator();
  const out = path.join(dir, "declined.json");
  const admin = administrator({ "push-address": async () => "quit" });
  admin.confirm = async () => false;
  const io = recordingIo({ env: env(), cwd: dir, prompter: admin });
  expect(await main(["probe", "guided", "--out", out, "--device", "milan-dp-01"], io)).toBe(EXIT.ok);
  expect(fs.existsSync(out)).toBe(false);
  expect(io.text()).toContain("Not written.");
  expect(io.text()).toContain(`"pushServerEnabled": "${REAL.dp.pushServerEnabled}"`);
  expect(admin.seen.map((s) => s.id)).toEqual(["start", "keep-connection", "push-enable", "push-address"]);
});

test("no DP named: with several DPs it asks for --device (exit 2)", async () => {
  await freshEmulator();
  await raw.makeDp(await raw.hostId("rome-dp-01"), [await raw.groupId("Branch Rome")]);
  const io = recordingIo({ env: env(), cwd: dir, prompter: administrator() });
  expect(await main(["probe", "guided"], io)).toBe(EXIT.usage);
  expect(io.stderr.join("\n")).toMatch(
    /2 distribution points: choose one with --device NAME \(.*milan-dp-01.*rome-dp-01/,
  );
});
