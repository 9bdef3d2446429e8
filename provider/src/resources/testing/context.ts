// A ResourceContext over any KscClient (the fake or a real client against the emulator), collecting log lines. Each
// call is a new provider process: its own state (claims, declared ports, locks, values read once).
import { KscClient } from "../../ksc/api";
import { Level, ResourceContext } from "../common";
import { GroupDirectory } from "../groups";
import { ProcessState } from "../state";

export interface TestContext extends ResourceContext {
  readonly logs: { level: Level; message: string }[];
}

export function testContext(client: KscClient): TestContext {
  const logs: { level: Level; message: string }[] = [];
  return {
    client,
    groups: new GroupDirectory(client),
    state: new ProcessState(),
    logs,
    log: (level, message) => logs.push({ level, message }),
  };
}
