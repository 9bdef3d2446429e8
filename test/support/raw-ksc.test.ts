// WRITE_METHOD, by which every tier judges "nothing was written" from the emulator's call counters, covers every
// method the emulator marks as changing its state; and it takes no read for a write.
import { classHandlers } from "../../emulator/src/handlers";
import type { Models } from "../../emulator/src/handlers/models";
import { WRITE_METHOD } from "./raw-ksc";

// The handlers only keep the models for their calls; listing the methods needs none.
const models = {} as Models;
const methods = Object.entries(classHandlers(models)).flatMap(([cls, handler]) =>
  Object.entries(handler).map(([name, spec]) => ({
    method: `${cls}.${name}`,
    mutates: spec.mutates === true,
  })),
);

test("every method the emulator marks as changing its state is a write", () => {
  const mutating = methods.filter((m) => m.mutates).map((m) => m.method);
  expect(mutating.length).toBeGreaterThan(10);
  expect(mutating.filter((m) => !WRITE_METHOD.test(m))).toEqual([]);
});

test("reads, searches, sessions and handle bookkeeping are not writes", () => {
  const reads = methods.map((m) => m.method).filter((m) => /\.(Get|Find|Ss_Read|SS_GetNames)/.test(m));
  expect(reads.length).toBeGreaterThan(10);
  expect(reads.filter((m) => WRITE_METHOD.test(m))).toEqual([]);
  for (const m of ["Session.StartSession", "Session.EndSession", "Session.Ping", "ChunkAccessor.Release"]) {
    expect({ m, write: WRITE_METHOD.test(m) }).toEqual({ m, write: false });
  }
});
