// No resources: `pulumi preview` of this program is the engine and the program starting, nothing else
// (bench/startup.ts). It imports what a pulumi-ksc program imports, so that loading them counts.
import * as pulumi from "@pulumi/pulumi";
import * as ksc from "pulumi-ksc";

export const started = pulumi.getStack() !== "" && typeof ksc.PushServer === "function";
