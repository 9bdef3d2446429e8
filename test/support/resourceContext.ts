// A ResourceContext over any KscClient (the client on the in-process console, or on a running emulator), collecting
// log lines. Each call is a new provider process: its own state (claims, declared ports, locks, values read once).
import { KscClient } from "../../provider/src/ksc/client";
import { Level, ResourceContext } from "../../provider/src/resources/common";
import { GroupDirectory } from "../../provider/src/resources/groups";
import { ProcessState } from "../../provider/src/resources/state";

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
