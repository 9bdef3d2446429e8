// UaControl class handler (docs/ksc-open-api.md#uacontrol).
import { ClassHandler } from "../handler";
import { Models } from "./models";

export function uaControlHandler(m: Models): ClassHandler {
  const ua = m.uaControl;
  return {
    GetAssignUasAutomatically: { args: {}, run: () => ({ ret: ua.getAssignAutomatically() }) },
    SetAssignUasAutomatically: {
      args: { bEnabled: { type: "bool" } },
      mutates: true,
      run: (a) => {
        ua.setAssignAutomatically(a.bool("bEnabled"));
        return {};
      },
    },
    GetDefaultUpdateAgentRegistrationInfo: { args: {}, run: () => ({ out: { pUaInfo: ua.defaults() } }) },
    RegisterUpdateAgent: {
      args: { pUaInfo: { type: "params" } },
      mutates: true,
      run: (a) => {
        ua.register(a.params("pUaInfo"));
        return {};
      },
    },
    ModifyUpdateAgent: {
      args: { pUaInfo: { type: "params" } },
      mutates: true,
      run: (a) => {
        ua.modify(a.params("pUaInfo"));
        return {};
      },
    },
    UnregisterUpdateAgent: {
      args: { wstrUaHostId: { type: "string" } },
      mutates: true,
      run: (a) => {
        ua.unregister(a.str("wstrUaHostId"));
        return {};
      },
    },
    GetUpdateAgentInfo: {
      args: { wstrUaHostId: { type: "string" } },
      run: (a) => ({ out: { pUaInfo: ua.info(a.str("wstrUaHostId")) } }),
    },
    GetUpdateAgentsList: { args: {}, run: () => ({ out: { pUasArr: ua.list() } }) },
    GetUpdateAgentsDisplayInfoForHost: {
      args: { wstrHostId: { type: "string" } },
      run: (a) => ({ out: { pUaInfo: ua.forHost(a.str("wstrHostId")) } }),
    },
    RegisterDmzGateway: {
      args: { pCgInfo: { type: "params" } },
      mutates: true,
      run: (a) => {
        ua.registerDmzGateway(a.params("pCgInfo"));
        return {};
      },
    },
  };
}
