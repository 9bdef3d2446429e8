// `pulumi-ksc devices` against the seeded emulator: every managed device with its name, host id and group, the
// DPs marked, unassigned devices left out, --group narrowing to a group and its subgroups, and nothing written.
import { startEmulator } from "ksc-emulator";
import { EXIT } from "./exitCodes";
import { main } from "./main";
import { recordingIo } from "../../../test/support/cli/io";
import { DeviceRow } from "./devices";
import { RawKsc, WRITE_METHOD } from "../../../test/support/raw-ksc";

jest.setTimeout(60_000);

type Emulator = Awaited<ReturnType<typeof startEmulator>>;
let emu: Emulator;
let raw: RawKsc;

const run = async (...argv: string[]) => {
  const io = recordingIo({
    env: { KSC_SERVER_URL: emu.url, KSC_USER: emu.credentials.user, KSC_PASSWORD: emu.credentials.password },
  });
  const code = await main(["devices", ...argv], io);
  return { code, io };
};

beforeAll(async () => {
  emu = await startEmulator({ port: 0, tls: false });
  raw = await RawKsc.open(emu.url, emu.credentials);
  // rome-dp-01 is a DP (made by hand); an unassigned device exists in the seed or is moved there.
  await raw.call("UaControl.SetAssignUasAutomatically", { bEnabled: false });
  await raw.makeDp(await raw.hostId("rome-dp-01"), [await raw.groupId("Branch Rome")]);
});

afterAll(async () => {
  await raw?.end();
  await emu?.stop();
});

test("lists every managed device (as the administrator sees them), the DPs marked, unassigned ones left out", async () => {
  const devices = await raw.devices();
  const groups = await raw.groups();
  const managedRoot = await raw.groupId("Managed devices");
  const dps = new Set(await raw.dpHostIds());
  const before = emu.counters();
  const { code, io } = await run("--json");
  expect(code).toBe(EXIT.ok);
  const rows = JSON.parse(io.stdout.join("\n")) as DeviceRow[];
  // What the administrator's own view says is managed: a device whose group path starts at "Managed devices".
  const managed = devices.filter(
    (d) => d.groupId === managedRoot || (groups.get(d.groupId) ?? "").startsWith("Managed devices/"),
  );
  expect(managed.length).toBeGreaterThan(30);
  expect(managed.length).toBeLessThan(devices.length); // the seed has unassigned devices too
  expect(rows.map((r) => [r.hostId, r.name, r.distributionPoint]).sort()).toEqual(
    managed.map((d) => [d.hostId, d.name, dps.has(d.hostId)]).sort(),
  );
  expect(rows.find((r) => r.name === "rome-dp-01")).toMatchObject({
    group: "Managed devices/Branch Rome",
    distributionPoint: true,
  });
  expect(rows.find((r) => r.name === "milan-dp-01")).toMatchObject({
    group: "Managed devices/Branch Milan",
    distributionPoint: false,
  });
  const calls = Object.keys(emu.counters().calls).filter(
    (m) => (emu.counters().calls[m] ?? 0) !== (before.calls[m] ?? 0),
  );
  expect(calls.filter((m) => WRITE_METHOD.test(m))).toEqual([]);
});

test("--group narrows to the group and its subgroups; a path copied with its trailing / works", async () => {
  const { code, io } = await run("--group", "Managed devices/Branch Milan/", "--json");
  expect(code).toBe(EXIT.ok);
  const rows = JSON.parse(io.stdout.join("\n")) as DeviceRow[];
  expect(rows.length).toBeGreaterThan(2);
  expect(
    rows.every(
      (r) =>
        r.group === "Managed devices/Branch Milan" || r.group.startsWith("Managed devices/Branch Milan/"),
    ),
  ).toBe(true);
  expect(rows.some((r) => r.group.startsWith("Managed devices/Branch Milan/"))).toBe(true); // a subgroup's device
  expect(rows.map((r) => r.name)).toContain("milan-dp-01");
});

test("the table for people: name, host id, group, DP", async () => {
  const { code, io } = await run("--group", "Branch Rome");
  expect(code).toBe(EXIT.ok);
  const text = io.stdout.join("\n");
  expect(text).toMatch(/^name\s+host id\s+group\s+DP$/m);
  const hostId = await raw.hostId("rome-dp-01");
  expect(text).toMatch(new RegExp(`^rome-dp-01\\s+${hostId}\\s+Managed devices/Branch Rome\\s+yes$`, "m"));
  expect(text).toMatch(/already distribution point\(s\)/);
});

test("an unknown group is a usage error that names it", async () => {
  const { code, io } = await run("--group", "Managed devices/Atlantis");
  expect(code).toBe(EXIT.usage);
  expect(io.stderr.join("\n")).toMatch(
    /--group "Managed devices\/Atlantis": no administration group at path/,
  );
});
