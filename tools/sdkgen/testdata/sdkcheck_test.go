// The Go SDK's check (run.sh copies this file into the generated package ksc and runs `go test`): the three
// resources register under Pulumi's mocks, no engine, with their type tokens and inputs.
package ksc

import (
	"sort"
	"sync"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

type mocks struct {
	mu         sync.Mutex
	registered map[string]resource.PropertyMap
}

func (m *mocks) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.registered[args.TypeToken] = args.Inputs
	state := args.Inputs.Copy()
	if _, ok := state["hostId"]; !ok {
		state["hostId"] = resource.NewStringProperty("guid-1")
	}
	return args.Name + "-id", state, nil
}

func (m *mocks) Call(pulumi.MockCallArgs) (resource.PropertyMap, error) {
	return resource.PropertyMap{}, nil
}

func TestResourcesRegisterUnderMocks(t *testing.T) {
	m := &mocks{registered: map[string]resource.PropertyMap{}}
	err := pulumi.RunErr(func(ctx *pulumi.Context) error {
		dp, err := NewDistributionPoint(ctx, "milan-dp", &DistributionPointArgs{
			DeviceName:  pulumi.String("milan-dp-01"),
			ScopeGroups: pulumi.Array{pulumi.String("Branch Milan")},
		})
		if err != nil {
			return err
		}
		if _, err := NewPushServer(ctx, "milan-push", &PushServerArgs{HostId: dp.HostId, Port: pulumi.Int(13295)}); err != nil {
			return err
		}
		_, err = NewNetworkAgentPolicy(ctx, "milan-na", &NetworkAgentPolicyArgs{
			Group: pulumi.String("Branch Milan"),
			Name:  pulumi.String("NA Milan"),
			ForceConnectionThroughDp: &LockedBooleanArgs{
				Value: pulumi.Bool(true), Locked: pulumi.BoolPtr(true),
			},
		})
		return err
	}, pulumi.WithMocks("proj", "stack", m))
	if err != nil {
		t.Fatal(err)
	}
	tokens := make([]string, 0, len(m.registered))
	for token, inputs := range m.registered {
		tokens = append(tokens, token)
		t.Logf("go sdk: %s %v", token, inputs)
	}
	sort.Strings(tokens)
	want := []string{"ksc:index:DistributionPoint", "ksc:index:NetworkAgentPolicy", "ksc:index:PushServer"}
	if len(tokens) != len(want) {
		t.Fatalf("registered %v, want %v", tokens, want)
	}
	for i := range want {
		if tokens[i] != want[i] {
			t.Fatalf("registered %v, want %v", tokens, want)
		}
	}
	if got := m.registered["ksc:index:PushServer"]["hostId"]; got.StringValue() != "guid-1" {
		t.Fatalf("PushServer hostId = %v, want the DP's output guid-1", got)
	}
}
