import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DEFAULT_KEYS, loadKeyNames, proposedKeys, resolveKeyNames } from "./keys";

describe("key names", () => {
  test("without overrides the names are the table's", () => {
    const names = resolveKeyNames();
    expect(names.dp.pushServerPort).toBe("PROPOSED_UaPushServerPort");
    expect(names.dp.hostId).toBe("UaHostId");
    expect(names.networkAgent.product).toBe("1103");
    expect(names.lock).toEqual({ value: "KLPRSS_Val", locked: "KLPRSS_Mnd" });
  });

  test("an override replaces exactly the named keys and leaves the table untouched", () => {
    const names = resolveKeyNames({
      dp: { pushServerPort: "UaPushPort" },
      networkAgent: { networkSection: "86", useUdpPort: "UseUdp" },
      $comment: "found on KSC 14.2 with pulumi-ksc probe",
    });
    expect(names.dp.pushServerPort).toBe("UaPushPort");
    expect(names.dp.pushServerEnabled).toBe("PROPOSED_UaPushServerEnabled");
    expect(names.networkAgent.networkSection).toBe("86");
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

  test("every PROPOSED_ placeholder is marked proposed, and only those", () => {
    const proposed = proposedKeys();
    expect(proposed.length).toBeGreaterThan(0);
    for (const p of proposed) expect(p.name.startsWith("PROPOSED_")).toBe(true);
    const all = Object.values(DEFAULT_KEYS).flatMap(
      (g) => Object.values(g) as Array<{ name: string; status: string }>,
    );
    for (const e of all) expect(e.status === "proposed").toBe(e.name.startsWith("PROPOSED_"));
  });
});
