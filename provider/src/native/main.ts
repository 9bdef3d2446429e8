// pulumi-resource-ksc: the native provider plugin's entry point, run by its launcher (provider/bin/pulumi-resource-ksc)
// when the engine starts the plugin. Serves the provider (./provider) over gRPC and prints its port
// (@pulumi/pulumi/provider main()). docs/native-plugin.md.
import { main } from "@pulumi/pulumi/provider";
import { configure } from "../pulumi/impl";
import { RUN_PROGRAM_ENV } from "../pulumi/config";
import { pulumiConfigSource } from "./config";
import { nativeProvider, pluginVersion } from "./provider";

// The configuration handed to this plugin is the stack's configuration now, in every command (./config). The
// shared glue stops refresh and destroy when it may hold the copy saved at the last `pulumi up` unless the program
// runs (../pulumi/config savedConfigurationRisk); for this plugin that copy never reaches it, which is what
// PULUMI_RUN_PROGRAM=true tells the glue. Set in this process only.
process.env[RUN_PROGRAM_ENV] = "true";
configure(pulumiConfigSource(process.env));

void main(nativeProvider(pluginVersion()), process.argv.slice(2));
