import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as emulatorKeys from "../../../emulator/src/keys";
import {
  DEFAULT_KEYS,
  defaultKeys,
  loadKeyNames,
  proposedKeys,
  resolveKeyNames,
  unconfirmedKeys,
} from "./keys";

describe("key names", () => {
  test("without overrides the names are the table's", () => {
    const names = resolveKeyNames();
    expect(names.dp.pushServerPort).toBe("PROPOSED_UaPushServerPort");
    expect(names.dp.hostId).toBe("UaHostId");
    expect(names.host.keepConnection).toBe("KLHST_WKS_KEEP_CONNECTION");
    expect(names.networkAgent).toMatchObject({
      networkSection: "86",
      useUdpPort: "OpenUdpPort",
      udpPort: "Nagentports",
      forceConnectionThroughDp: "PROPOSED_UseDpForceConnection",
    });
    expect(names.networkAgent.product).toBe("1103");
    expect(names.lock).toEqual({ value: "KLPRSS_Val", locked: "KLPRSS_Mnd" });
  });

  test("an override replaces exactly the named keys and leaves the table untouched", () => {
    const names = resolveKeyNames({
      dp: { pushServerPort: "UaPushPort" },
      networkAgent: { networkSection: "KLNAG_NET", useUdpPort: "UseUdp" },
      $comment: "found on KSC 14.2 with pulumi-ksc probe",
    });
    expect(names.dp.pushServerPort).toBe("UaPushPort");
    expect(names.dp.pushServerEnabled).toBe("PROPOSED_UaPushServerEnabled");
    expect(names.networkAgent.networkSection).toBe("KLNAG_NET");
    expect(names.networkAgent.useUdpPort).toBe("UseUdp");
    expect(DEFAULT_KEYS.dp.pushServerPort.name).toBe("PROPOSED_UaPushServerPort");
    expect(resolveKeyNames().dp.pushServerPort).toBe("PROPOSED_UaPushServerPort");
  });

  test("unknown groups and keys are rejected, naming what is known", () => {
    expect(() => resolveKeyNames({ dps: { pushServerPort: "X" } })).toThrow(
      /unknown group "dps" \(known: dp, /,
    );
    expect(() => resolveKeyNames({ dp: { pushServerPrt: "X" } })).toThrow(
      /unknown key "dp.pushServerPrt" \(known: .*pushServerPort/,
    );
  });

  test("values must be non-empty strings; the file must be an object of objects", () => {
    expect(() => resolveKeyNames({ dp: { pushServerPort: 5 } })).toThrow(
      /"dp.pushServerPort" must be a non-empty string/,
    );
    expect(() => resolveKeyNames({ dp: { pushServerPort: "  " } })).toThrow(/non-empty/);
    expect(() => resolveKeyNames({ dp: ["x"] })).toThrow(/"dp" must be an object/);
    expect(() => resolveKeyNames([])).toThrow(/must be a JSON object/);
    expect(() => resolveKeyNames(null)).toThrow(/must be a JSON object/);
  });

  describe("override file", () => {
    let dir: string;
    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "ksc-keys-"));
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    test("is read and applied", () => {
      const file = path.join(dir, "keys.json");
      fs.writeFileSync(file, JSON.stringify({ host: { keepConnection: "KLHST_KEEP_CONNECTION" } }));
      expect(loadKeyNames(file).host.keepConnection).toBe("KLHST_KEEP_CONNECTION");
    });

    test("errors name the file", () => {
      const bad = path.join(dir, "bad.json");
      fs.writeFileSync(bad, "{ not json");
      expect(() => loadKeyNames(bad)).toThrow(new RegExp(`${bad.replace(/[.\\]/g, "\\$&")}: not valid JSON`));
      const typo = path.join(dir, "typo.json");
      fs.writeFileSync(typo, JSON.stringify({ policy: { nmae: "X" } }));
      expect(() => loadKeyNames(typo)).toThrow(/typo\.json: unknown key "policy.nmae"/);
      expect(() => loadKeyNames(path.join(dir, "missing.json"))).toThrow(/cannot read it/);
    });

    test("no file = defaults", () => {
      expect(loadKeyNames(undefined)).toEqual(resolveKeyNames());
    });
  });

  test("every name has a status and a source; every PROPOSED_ placeholder is marked proposed, and only those", () => {
    const all = defaultKeys();
    for (const e of all) {
      expect(["documented", "evidence", "proposed"]).toContain(e.status);
      expect(e.source.length).toBeGreaterThan(0);
      expect(e.status === "proposed").toBe(e.name.startsWith("PROPOSED_"));
    }
    expect(proposedKeys().map((k) => `${k.group}.${k.logical}`)).toEqual([
      "dp.pushServerEnabled",
      "dp.pushServerPort",
      "dp.pushServerRemoteAddress",
      "networkAgent.forceConnectionThroughDp",
    ]);
    expect(
      defaultKeys()
        .filter((k) => k.status === "evidence")
        .map((k) => `${k.group}.${k.logical} = ${k.name}`),
    ).toEqual([
      "host.keepConnection = KLHST_WKS_KEEP_CONNECTION",
      "networkAgent.networkSection = 86",
      "networkAgent.useUdpPort = OpenUdpPort",
      "networkAgent.udpPort = Nagentports",
    ]);
    expect(unconfirmedKeys()).toHaveLength(8);
  });
});

// The emulator keeps its own table (it shares no code with the provider); reading it here as data keeps the two
// from drifting apart.
describe("the emulator's default names", () => {
  const provider = DEFAULT_KEYS as unknown as Record<
    string,
    Record<string, { name: string; status: string }>
  >;
  const emulator = emulatorKeys.DEFAULT_KEYS as unknown as Record<
    string,
    Record<string, { name: string; status: string }>
  >;

  test("are the provider's defaults, with the same status, for every name the emulator has", () => {
    const pairs = Object.entries(emulator).flatMap(([group, entries]) =>
      Object.entries(entries).map(([logical, e]) => ({
        key: `${group}.${logical}`,
        emulator: e,
        provider: provider[group]?.[logical],
      })),
    );
    expect(pairs.length).toBeGreaterThan(0);
    for (const p of pairs) {
      const { name, status } = p.provider ?? {};
      expect({ key: p.key, ...p.emulator }).toEqual({ key: p.key, name, status });
    }
    expect(emulatorKeys.resolveKeyNames({}).names).toEqual(emulatorKeys.DEFAULT_KEY_NAMES);
  });

  test("cover every undocumented name of the provider (the emulator implements them all)", () => {
    const covered = Object.entries(emulator).flatMap(([g, entries]) =>
      Object.keys(entries).map((l) => `${g}.${l}`),
    );
    expect(covered.sort()).toEqual(
      unconfirmedKeys()
        .map((k) => `${k.group}.${k.logical}`)
        .sort(),
    );
  });
});
