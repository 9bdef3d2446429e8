// Policy class handler (docs/ksc-open-api.md#policy).
import { ClassHandler } from "../handler";
import { Models } from "./models";

export function policyHandler(m: Models): ClassHandler {
  const p = m.policy;
  return {
    AddPolicy: {
      args: { pPolicyData: { type: "params" } },
      mutates: true,
      run: (a) => ({ ret: p.add(a.params("pPolicyData")) }),
    },
    GetPolicyData: {
      args: { nPolicy: { type: "int" } },
      run: (a) => ({ ret: p.attributes(p.policy(a.int("nPolicy")), false) }),
    },
    UpdatePolicyData: {
      args: { nPolicy: { type: "int" }, pPolicyData: { type: "params" } },
      mutates: true,
      run: (a) => {
        p.update(a.int("nPolicy"), a.params("pPolicyData"));
        return {};
      },
    },
    DeletePolicy: {
      args: { nPolicy: { type: "int" } },
      mutates: true,
      run: (a) => {
        p.remove(a.int("nPolicy"));
        return {};
      },
    },
    MakePolicyActive: {
      args: { nPolicy: { type: "int" }, bActive: { type: "bool" } },
      mutates: true,
      run: (a) => ({ ret: p.makeActive(a.int("nPolicy"), a.bool("bActive")) }),
    },
    GetPoliciesForGroup: {
      args: { nGroupId: { type: "int" } },
      run: (a) => ({ ret: p.forGroup(a.int("nGroupId")) }),
    },
    GetEffectivePoliciesForGroup: {
      args: { nGroupId: { type: "int" } },
      run: (a) => ({ ret: p.effectiveForGroup(a.int("nGroupId")) }),
    },
    GetPolicyContents: {
      args: { nPolicy: { type: "int" }, nRevisionId: { type: "int" }, nLifeTime: { type: "int" } },
      run: (a) => ({ ret: m.ssContents.open(a.int("nPolicy"), a.int("nRevisionId"), a.int("nLifeTime")) }),
    },
  };
}
