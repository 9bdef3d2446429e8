// HostGroup class handler (docs/ksc-open-api.md#hostgroup).
import { ClassHandler } from "../handler";
import { parseOrder, parseStringList } from "../models/hostGroup";
import { Models } from "./models";

const findArgs = {
  wstrFilter: { type: "string" },
  vecFieldsToReturn: { type: "array" },
  vecFieldsToOrder: { type: "array", optional: true },
  pParams: { type: "params", optional: true },
  lMaxLifeTime: { type: "int" },
} as const;

export function hostGroupHandler(m: Models): ClassHandler {
  const hg = m.hostGroup;
  return {
    GroupIdGroups: { args: {}, run: () => ({ ret: hg.ids().managed }) },
    GroupIdUnassigned: { args: {}, run: () => ({ ret: hg.ids().unassigned }) },
    GroupIdSuper: { args: {}, run: () => ({ ret: hg.ids().super }) },
    GetGroupId: {
      args: { nParent: { type: "int" }, strName: { type: "string" } },
      run: (a) => ({ ret: hg.getGroupId(a.int("nParent"), a.str("strName")) }),
    },
    GetGroupInfo: {
      args: { nGroupId: { type: "int" } },
      run: (a) => ({ ret: hg.getGroupInfo(a.int("nGroupId"), []) }),
    },
    GetGroupInfoEx: {
      args: { nGroupId: { type: "int" }, pArrAttributes: { type: "array" } },
      run: (a) => ({
        ret: hg.getGroupInfo(a.int("nGroupId"), parseStringList(a.array("pArrAttributes"), "pArrAttributes")),
      }),
    },
    GetSubgroups: {
      args: { nGroupId: { type: "int" }, nDepth: { type: "int" } },
      run: (a) => ({ ret: hg.getSubgroups(a.int("nGroupId"), a.int("nDepth")) }),
    },
    AddGroup: {
      args: { pInfo: { type: "params" } },
      mutates: true,
      run: (a) => ({ ret: hg.addGroup(a.params("pInfo")) }),
    },
    RemoveGroup: {
      args: { nGroup: { type: "int" }, nFlags: { type: "int" } },
      mutates: true,
      run: (a) => ({ out: { strActionGuid: hg.removeGroup(a.int("nGroup"), a.int("nFlags")) } }),
    },
    FindHosts: {
      args: findArgs,
      run: (a) => {
        const r = hg.findHosts(
          a.str("wstrFilter"),
          parseStringList(a.array("vecFieldsToReturn"), "vecFieldsToReturn"),
          parseOrder(a.array("vecFieldsToOrder")),
          a.int("lMaxLifeTime"),
        );
        return { out: { strAccessor: r.accessor }, ret: r.count };
      },
    },
    FindGroups: {
      args: findArgs,
      run: (a) => {
        const r = hg.findGroups(
          a.str("wstrFilter"),
          parseStringList(a.array("vecFieldsToReturn"), "vecFieldsToReturn"),
          parseOrder(a.array("vecFieldsToOrder")),
          a.int("lMaxLifeTime"),
        );
        return { out: { strAccessor: r.accessor }, ret: r.count };
      },
    },
    GetHostInfo: {
      args: { strHostName: { type: "string" }, pFields2Return: { type: "array", optional: true } },
      run: (a) => ({
        ret: hg.getHostInfo(
          a.str("strHostName"),
          parseStringList(a.array("pFields2Return"), "pFields2Return"),
        ),
      }),
    },
    UpdateHost: {
      args: { strHostName: { type: "string" }, pInfo: { type: "params" } },
      mutates: true,
      run: (a) => {
        hg.updateHost(a.str("strHostName"), a.params("pInfo"));
        return {};
      },
    },
    MoveHostsToGroup: {
      args: { nGroup: { type: "int" }, pHostNames: { type: "array" } },
      mutates: true,
      run: (a) => {
        hg.moveHostsToGroup(a.int("nGroup"), parseStringList(a.array("pHostNames"), "pHostNames"));
        return {};
      },
    },
  };
}
