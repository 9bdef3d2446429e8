// The dynamic providers as the engine stores them: serialized into every resource's state (`__provider`) and run
// in the provider process. Each method only requires its resource's provider methods by package name at run
// time (./dp, ./ps, ./nap → ./impl), so the serialized text stays under 2 KB and holds no client, configuration
// or credential (docs/pulumi-behaviour.md#serialized-provider). Object literals of one-line arrows: every
// serialized function costs ~190 bytes of wrapper, so nothing else may be captured. Do not import anything
// here at run time.
import type * as pulumi from "@pulumi/pulumi";
import type Dp = require("./dp");
import type Ps = require("./ps");
import type Nap = require("./nap");

type P = pulumi.dynamic.ResourceProvider;

export const distributionPointProvider: P = {
  configure: (...a) => (require("pulumi-ksc/dist/pulumi/dp") as typeof Dp).configure(...a),
  check: (...a) => (require("pulumi-ksc/dist/pulumi/dp") as typeof Dp).check(...a),
  diff: (...a) => (require("pulumi-ksc/dist/pulumi/dp") as typeof Dp).diff(...a),
  create: (...a) => (require("pulumi-ksc/dist/pulumi/dp") as typeof Dp).create(...a),
  read: (...a) => (require("pulumi-ksc/dist/pulumi/dp") as typeof Dp).read(...a),
  update: (...a) => (require("pulumi-ksc/dist/pulumi/dp") as typeof Dp).update(...a),
  delete: (...a) => (require("pulumi-ksc/dist/pulumi/dp") as typeof Dp).delete(...a),
};

export const pushServerProvider: P = {
  configure: (...a) => (require("pulumi-ksc/dist/pulumi/ps") as typeof Ps).configure(...a),
  check: (...a) => (require("pulumi-ksc/dist/pulumi/ps") as typeof Ps).check(...a),
  diff: (...a) => (require("pulumi-ksc/dist/pulumi/ps") as typeof Ps).diff(...a),
  create: (...a) => (require("pulumi-ksc/dist/pulumi/ps") as typeof Ps).create(...a),
  read: (...a) => (require("pulumi-ksc/dist/pulumi/ps") as typeof Ps).read(...a),
  update: (...a) => (require("pulumi-ksc/dist/pulumi/ps") as typeof Ps).update(...a),
  delete: (...a) => (require("pulumi-ksc/dist/pulumi/ps") as typeof Ps).delete(...a),
};

export const networkAgentPolicyProvider: P = {
  configure: (...a) => (require("pulumi-ksc/dist/pulumi/nap") as typeof Nap).configure(...a),
  check: (...a) => (require("pulumi-ksc/dist/pulumi/nap") as typeof Nap).check(...a),
  diff: (...a) => (require("pulumi-ksc/dist/pulumi/nap") as typeof Nap).diff(...a),
  create: (...a) => (require("pulumi-ksc/dist/pulumi/nap") as typeof Nap).create(...a),
  read: (...a) => (require("pulumi-ksc/dist/pulumi/nap") as typeof Nap).read(...a),
  update: (...a) => (require("pulumi-ksc/dist/pulumi/nap") as typeof Nap).update(...a),
  delete: (...a) => (require("pulumi-ksc/dist/pulumi/nap") as typeof Nap).delete(...a),
};
