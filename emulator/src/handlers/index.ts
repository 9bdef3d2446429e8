// Every class handler of the Open API, by class name.
import { ClassHandler } from "../handler";
import { chunkAccessorHandler } from "./chunkAccessor";
import { hostGroupHandler } from "./hostGroup";
import { Models } from "./models";
import { policyHandler } from "./policy";
import { sessionHandler } from "./session";
import { ssContentsHandler } from "./ssContents";
import { uaControlHandler } from "./uaControl";

export function classHandlers(models: Models): Record<string, ClassHandler> {
  return {
    Session: sessionHandler(models),
    HostGroup: hostGroupHandler(models),
    ChunkAccessor: chunkAccessorHandler(models),
    UaControl: uaControlHandler(models),
    Policy: policyHandler(models),
    SsContents: ssContentsHandler(models),
  };
}
