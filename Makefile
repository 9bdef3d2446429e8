# pulumi-ksc: the verbs. `make help` lists them; README.md explains them.
SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

# The Pulumi CLI version: its one source of truth is tools/pulumi-cli/go.mod.
PULUMI_VERSION := $(shell awk '$$1 == "github.com/pulumi/pulumi/pkg/v3" { print $$2 }' tools/pulumi-cli/go.mod)
# Emulator port (13299 is a real Administration Server's Open API port).
PORT ?= 13299
JEST := npx jest
# The offline Pulumi environment (tools/engine/offline.env) for commands run from here.
PULUMI_ENV := scripts/pulumi-env.sh

.PHONY: help install build pulumi pulumi-policy-analyzer emulator demo demo-stop demo-clean test test-unit test-emulator test-e2e test-fault bench lint \
	docs sdk clean distclean

help:
	@echo "pulumi-ksc (Pulumi CLI $(PULUMI_VERSION))"
	@echo "  make install        npm ci (exactly package-lock.json)"
	@echo "  make build          compile provider, emulator and the pulumi runner (tsc -b)"
	@echo "  make pulumi         the Pulumi CLI $(PULUMI_VERSION) and its plugins in bin/ (built once)"
	@echo "  make emulator       run the KSC Open API emulator on PORT=$(PORT)"
	@echo "  make demo           the main job: emulator in the background + pulumi up of examples/push-server-basic"
	@echo "  make demo-stop      stop the demo's emulator (state kept) | make demo-clean: destroy the stack, remove all"
	@echo "  make test           lint, then unit, emulator, engine (e2e) and fault tests"
	@echo "  make test-unit | test-emulator | test-e2e | test-fault    one tier"
	@echo "  make lint           eslint, prettier --check, tsc type check"
	@echo "  make bench          benchmark (bench/README.md)   make docs: types and docs from schema.json"
	@echo "  make sdk            the Python and Go SDKs from schema.json into sdk/, compile-checked (needs Go, python3)"
	@echo "  make clean          remove build output and test stacks (keeps bin/pulumi and .pulumi-state)"
	@echo "  make distclean      clean, plus bin/ and .pulumi-home (keeps .pulumi-state: it may describe real servers)"

# A fresh clone installs once; an existing node_modules is never reinstalled behind anyone's back.
node_modules:
	npm ci

install:
	npm ci

build: | node_modules
	npx tsc -b provider emulator tools/pulumi-run

# The CLI (tools/pulumi-cli/build.sh: built with Go, or linked from PULUMI_CLI / a matching `pulumi` on
# PATH; nothing to do when bin/pulumi already is $(PULUMI_VERSION)), the Pulumi YAML language host (pinned in
# tools/pulumi-yaml/go.mod; build.sh), the dynamic-provider plugin (the CLI's own when it ships one, else the one in
# @pulumi/pulumi; build.sh), bin/pulumi-ksc-run (tools/pulumi-run), and the native plugin pulumi-resource-ksc
# installed into .pulumi-home (tools/pulumi-resource-ksc/install.sh; docs/native-plugin.md).
pulumi: | node_modules
	tools/pulumi-cli/build.sh
	npx tsc -b provider tools/pulumi-run
	ln -sfn ../tools/pulumi-run/pulumi-ksc-run bin/pulumi-ksc-run
	tools/pulumi-resource-ksc/install.sh
	$(MAKE) pulumi-policy-analyzer
	@$(PULUMI_ENV) bash -c 'echo "make pulumi: in the offline environment, $$(command -v pulumi) is $$(pulumi version)"'

# The policy pack launcher (`pulumi preview --policy-pack policy/`, policy/README.md): the engine's
# pulumi-analyzer-policy-nodejs, which bin/pulumi-ksc-run runs for the CLI built here (tools/pulumi-run/README.md).
pulumi-policy-analyzer:
	ln -sfn ../tools/pulumi-run/pulumi-analyzer-policy-nodejs bin/pulumi-analyzer-policy-nodejs

emulator: build
	node emulator/dist/main.js --port $(PORT)

# The main job (scripts/demo.sh): check prerequisites, install, build, `make pulumi`, start the emulator in the
# background (HTTPS, state in .emulator/), `pulumi up` of examples/push-server-basic as stack "demo" on the
# local backend, print the outputs and the console. Run it again at any time.
demo:
	@PORT=$(PORT) scripts/demo.sh up

# Stop the background emulator; its state stays in .emulator/ for the next `make demo`.
demo-stop:
	@scripts/demo.sh stop

# Destroy the demo stack (starting the emulator if needed), stop the emulator, delete .emulator/.
demo-clean:
	@PORT=$(PORT) scripts/demo.sh clean

# Tiers in order, stopping at the first failure. Per-tier timeouts are given here: Jest 29 ignores
# testTimeout inside `projects`.
# The CLI first: with Go, its build brings the pinned Pulumi package metaschema, against which the unit tier checks
# schema.json; it must not be skipped then (KSC_REQUIRE_METASCHEMA).
test:
	$(MAKE) pulumi
	$(MAKE) lint
	KSC_REQUIRE_METASCHEMA=$$(command -v go >/dev/null && echo 1) $(MAKE) test-unit
	$(MAKE) test-emulator
	$(MAKE) test-e2e
	$(MAKE) test-fault

test-unit: build
	$(JEST) --selectProjects unit

test-emulator: build
	$(JEST) --selectProjects emulator --testTimeout=30000

test-e2e: build pulumi
	$(JEST) --selectProjects engine --testTimeout=600000

# Faults, bad input, secrets, TLS, account safety and concurrency with the real CLI (test/fault/README.md).
test-fault: build pulumi
	$(JEST) --selectProjects fault --testTimeout=900000

# Benchmark (bench/README.md): estates of SIZES resources against the emulator with LATENCY_MS per console call,
# beside the floor (no-op resources). Writes bench/out/ (results.json, REPORT.md, chart.png); PUBLISH=1 also copies
# them to bench/ (committed); BENCH_MERGE=1 keeps the other sizes of an earlier bench/out/results.json.
# NATIVE=100 then also measures the native plugin against the dynamic provider at N=100 (bench/native.ts: state
# bytes per resource, plugin start-up; bench/out/native.json).
LATENCY_MS ?= 20
SIZES ?= 10 100 500
bench: build pulumi
	LATENCY_MS="$(LATENCY_MS)" SIZES="$(SIZES)" $(if $(MAX_IN_FLIGHT),MAX_IN_FLIGHT="$(MAX_IN_FLIGHT)") $(if $(PUBLISH),PUBLISH=1) npx ts-node --transpile-only bench/run.ts
	$(if $(NATIVE),N="$(NATIVE)" npx ts-node --transpile-only bench/native.ts)

lint: build
	npx eslint .
	npx prettier --check .
	npx tsc -p tsconfig.json

# Types and reference docs generated from schema.json (a unit test fails when they are stale).
docs: | node_modules
	npx ts-node --transpile-only scripts/gen-types.ts
	npx ts-node --transpile-only scripts/gen-docs.ts

# The Python and Go SDKs (tools/sdkgen/README.md): generated into sdk/ (git-ignored) with the code generators of
# the CLI's Pulumi version (read from tools/pulumi-cli/go.mod by run.sh), then `go build` and a Python import.
sdk:
	tools/sdkgen/run.sh

clean:
	rm -rf provider/dist emulator/dist tools/pulumi-run/dist .stacks coverage
	find . -name '*.tsbuildinfo' -not -path './node_modules/*' -delete
	rm -f bin/pulumi-ksc-run bin/pulumi-resource-pulumi-nodejs bin/pulumi-analyzer-policy-nodejs bin/pulumi.tmp bin/pulumi-language-yaml.tmp

distclean: clean
	rm -rf bin .pulumi-home sdk
