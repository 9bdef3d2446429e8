// A ResourceContext over any KscClient (the fake or a real client against the emulator), collecting log lines.
import { KscClient } from "../../ksc/api";
import { Level, ResourceContext } from "../common";
import { GroupDirectory } from "../groups";

export interface TestContext extends ResourceContext {
  readonly logs: { level: Level; message: string }[];
}

export function testContext(client: KscClient): TestContext {
  const logs: { level: Level; message: string }[] = [];
  return {
    client,
    groups: new GroupDirectory(client),
    logs,
    log: (level, message) => logs.push({ level, message }),
  };
}
