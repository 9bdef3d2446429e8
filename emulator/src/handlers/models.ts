// The models one emulator instance runs, handed to every class handler.
import { ChunkAccessorModel } from "../models/chunkAccessor";
import { HostGroupModel } from "../models/hostGroup";
import { PolicyModel } from "../models/policy";
import { SessionModel } from "../models/session";
import { SsContentsModel } from "../models/ssContents";
import { UaControlModel } from "../models/uaControl";

export interface Models {
  sessions: SessionModel;
  hostGroup: HostGroupModel;
  chunks: ChunkAccessorModel;
  uaControl: UaControlModel;
  policy: PolicyModel;
  ssContents: SsContentsModel;
}
