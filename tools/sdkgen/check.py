"""Imports the generated pulumi_ksc package and registers its three resources under Pulumi's mocks (no engine):
each with its type token from schema.json and its inputs. Run by run.sh; prints one line per resource."""

import json
import sys

import pulumi
import pulumi_ksc as ksc

registered = []


class Mocks(pulumi.runtime.Mocks):
    def new_resource(self, args: pulumi.runtime.MockResourceArgs):
        registered.append((args.typ, args.name, dict(args.inputs)))
        return [args.name + "-id", dict(args.inputs, hostId=args.inputs.get("hostId", "guid-1"))]

    def call(self, args: pulumi.runtime.MockCallArgs):
        return {}


pulumi.runtime.set_mocks(Mocks(), preview=False)


@pulumi.runtime.test
def check_resources():
    dp = ksc.DistributionPoint("milan-dp", device_name="milan-dp-01", scope_groups=["Branch Milan"])
    ksc.PushServer("milan-push", host_id=dp.host_id, port=13295)
    ksc.NetworkAgentPolicy(
        "milan-na",
        group="Branch Milan",
        name="NA Milan",
        force_connection_through_dp=ksc.LockedBooleanArgs(value=True, locked=True),
    )
    return dp.host_id.apply(lambda _: None)


check_resources()
tokens = sorted(json.load(open(sys.argv[1]))["resources"])
got = sorted(t for t, _, _ in registered)
if got != tokens:
    sys.exit(f"check.py: registered {got}, schema.json has {tokens}")
for typ, name, inputs in registered:
    print(f"python sdk: {typ} {name} {json.dumps(inputs, sort_keys=True)}")
