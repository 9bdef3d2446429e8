// A ResourceContext over any KscClient (the client on the in-process console, or on a running emulator), collecting
// log lines.
import { KscClient } from "../../provider/src/ksc/api";
import { KeyNames, resolveKeyNames } from "../../provider/src/ksc/keys";
import { Level, ResourceContext } from "../../provider/src/resources/common";
import { GroupDirectory } from "../../provider/src/resources/groups";

export interface TestContext extends ResourceContext {
  readonly logs: { level: Level; message: string }[];
}

export function testContext(client: KscClient, keys: KeyNames = resolveKeyNames({})): TestContext {
  const logs: { level: Level; message: string }[] = [];
  return {
    client,
    keys,
    groups: new GroupDirectory(client, keys),
    logs,
    log: (level, message) => logs.push({ level, message }),
  };
}
