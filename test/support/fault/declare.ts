// The test program programs/declare: resources listed in stack config as JSON. Helpers to build the list, to set
// it on a stack, and to pick a fault seed that hits exactly one call.
import * as path from "path";
import { mulberry32 } from "ksc-emulator/dist/faults";
import type { TestStack } from "../../../tools/engine";
import { programsDir } from "./fixture";

export const declareDir = path.join(programsDir, "declare");

export interface Declaration {
  /** PlantedWrite (tests of the tests only): args {method, args}, a raw call made before anything is declared. */
  kind: "DistributionPoint" | "PushServer" | "NetworkAgentPolicy" | "PlantedWrite";
  name: string;
  args: Record<string, unknown>;
}

export async function declare(stack: TestStack, resources: Declaration[]): Promise<void> {
  await stack.setConfig("resources", JSON.stringify(resources));
}

/**
 * A seed for which, with `dropAfterApplyRate: rate` and no other fault, the first call of the targeted methods is
 * executed and its reply dropped, and the next `quiet` calls are answered. (Each eligible call draws two numbers from
 * the emulator's PRNG; the first decides.)
 */
export function firstCallOnlySeed(rate = 0.5, quiet = 12): number {
  for (let seed = 1; seed < 1_000_000; seed++) {
    const next = mulberry32(seed);
    const decisions: number[] = [];
    for (let i = 0; i <= quiet; i++) {
      decisions.push(next());
      next();
    }
    if (decisions[0] < rate && decisions.slice(1).every((d) => d >= rate)) return seed;
  }
  throw new Error("no seed found");
}
