// SsContents class handler (docs/ksc-open-api.md#sscontents).
import { ClassHandler, MethodSpec } from "../handler";
import { Models } from "./models";

const where = {
  wstrID: { type: "string" },
  wstrProduct: { type: "string" },
  wstrVersion: { type: "string" },
  wstrSection: { type: "string" },
} as const;

export function ssContentsHandler(m: Models): ClassHandler {
  const ss = m.ssContents;
  const writer = (op: "update" | "add" | "replace" | "clear" | "delete", dataArg: string): MethodSpec => ({
    args: { ...where, [dataArg]: { type: "params" } },
    run: (a) => {
      ss.write(a.str("wstrID"), {
        op,
        product: a.str("wstrProduct"),
        version: a.str("wstrVersion"),
        section: a.str("wstrSection"),
        data: a.params(dataArg),
      });
      return {};
    },
  });
  const sectionOp = (op: "createSection" | "deleteSection"): MethodSpec => ({
    args: where,
    run: (a) => {
      ss.write(a.str("wstrID"), {
        op,
        product: a.str("wstrProduct"),
        version: a.str("wstrVersion"),
        section: a.str("wstrSection"),
      });
      return {};
    },
  });
  const release: MethodSpec = {
    args: { wstrID: { type: "string" } },
    run: (a) => {
      ss.release(a.str("wstrID"));
      return {};
    },
  };
  return {
    SS_GetNames: {
      args: { wstrID: { type: "string" }, wstrProduct: { type: "string" }, wstrVersion: { type: "string" } },
      run: (a) => ({ ret: ss.names(a.str("wstrID"), a.str("wstrProduct"), a.str("wstrVersion")) }),
    },
    Ss_Read: {
      args: where,
      run: (a) => ({
        ret: ss.read(a.str("wstrID"), a.str("wstrProduct"), a.str("wstrVersion"), a.str("wstrSection")),
      }),
    },
    Ss_Update: writer("update", "pNewData"),
    Ss_Add: writer("add", "pNewData"),
    Ss_Replace: writer("replace", "pNewData"),
    Ss_Clear: writer("clear", "pNewData"),
    // Note the parameter name: pData, not pNewData (KlAkOAPI SsContents.py).
    Ss_Delete: writer("delete", "pData"),
    Ss_CreateSection: sectionOp("createSection"),
    Ss_DeleteSection: sectionOp("deleteSection"),
    Ss_Apply: {
      args: { wstrID: { type: "string" } },
      mutates: true,
      run: (a) => {
        ss.apply(a.str("wstrID"));
        return {};
      },
    },
    Ss_Release: release,
    // The doc prose spells it SS_Release; KlAkOAPI calls Ss_Release. Both are accepted.
    SS_Release: release,
  };
}
