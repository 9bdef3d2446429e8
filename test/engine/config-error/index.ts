// The user's case of issue 13 item 9: a program whose own config is invalid (`n` given "abc"), nothing else.
import * as pulumi from "@pulumi/pulumi";
import * as util from "util";

const config = new pulumi.Config();

// With `inspectProbe` set, the program first does what the SDK's error handler does with every error it
// reports (@pulumi/pulumi/cmd/run/run.js): inspect it with colours. The stack has a frame of the shape the
// SDK's source maps give its own code, on which Node 20's inspect loops until "Invalid string length"
// (tools/pulumi-run/src/inspectGuard.ts). It returns only when the runner's guard is in this process.
if (config.getBoolean("inspectProbe")) {
  const probe = new Error("inspect probe");
  probe.stack = `Error: inspect probe\n    at probe (${__dirname}/node_modules/@pulumi/config.ts:1:1)`;
  pulumi.log.info(`inspected: ${util.inspect(probe, { colors: true }).includes("inspect probe")}`);
}

export const n = config.requireNumber("n");
