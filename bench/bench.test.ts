// The benchmark's own logic: the estate's 10% change, the lower bound, the CLI summary, the PNG writer.
import * as zlib from "zlib";
import { census, estate } from "./estate";
import { phaseLowerBound } from "./lowerBound";
import { Raster } from "./png";
import { parseSummary } from "./figures";

describe("estate", () => {
  test("5 resources per site, and the changed variant changes one resource in ten, every kind in turn", () => {
    const { total, changed } = census(100);
    expect(total).toEqual({ DistributionPoint: 200, PushServer: 200, NetworkAgentPolicy: 100 });
    expect(changed).toEqual({ DistributionPoint: 20, PushServer: 20, NetworkAgentPolicy: 10 });
  });

  test("names match the emulator's large seed", () => {
    const [first] = estate(1, false);
    expect(first.group).toBe("Managed devices/Site 001");
    expect(first.dps.map((d) => d.device)).toEqual(["site001-dp-01", "site001-dp-02"]);
  });
});

describe("lower bound", () => {
  test("per operation, weighted by the estate", () => {
    const per = (phase: Parameters<typeof phaseLowerBound>[0]) => {
      const lb = phaseLowerBound(phase, 100);
      return lb.calls / lb.operations;
    };
    expect(per("up")).toBeCloseTo(2.4);
    expect(per("refresh")).toBeCloseTo(1.6);
    expect(phaseLowerBound("refresh", 100).operations).toBe(1000); // two passes over 500 resources
    expect(per("update")).toBeCloseTo(2.4);
    expect(per("destroy")).toBeCloseTo(1.4);
    expect(phaseLowerBound("preview", 100)).toEqual({ calls: 0, operations: 0 });
  });
});

describe("CLI summary", () => {
  test("reads the last Resources block", () => {
    const stdout = [
      "Resources:",
      "    + 11 to create",
      "",
      "Updating (dev):",
      "Resources:",
      "    + 10 created",
      "    ~ 2 updated",
      "    1 unchanged",
      "",
      "Duration: 3s",
    ].join("\n");
    expect(parseSummary(stdout)).toEqual({ created: 10, updated: 2, unchanged: 1 });
    expect(parseSummary("no summary")).toEqual({});
  });
});

describe("PNG", () => {
  test("a valid PNG whose pixels are the raster's", () => {
    const img = new Raster(3, 2, [255, 255, 255]);
    img.set(1, 0, [10, 20, 30]);
    const png = img.png();
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.readUInt32BE(16)).toBe(3); // IHDR width
    expect(png.readUInt32BE(20)).toBe(2); // IHDR height
    const idatAt = png.indexOf("IDAT");
    const raw = zlib.inflateSync(png.subarray(idatAt + 4, idatAt + 4 + png.readUInt32BE(idatAt - 4)));
    expect(raw.length).toBe((3 * 3 + 1) * 2);
    expect([...raw.subarray(1 + 3, 1 + 6)]).toEqual([10, 20, 30]);
    expect([...raw.subarray(1, 4)]).toEqual([255, 255, 255]);
  });
});
