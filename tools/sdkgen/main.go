// sdkgen generates the Python and Go SDKs of the ksc package from schema.json with Pulumi's own code
// generators (github.com/pulumi/pulumi/pkg/v3/codegen/{python,go}), the ones `pulumi package gen-sdk` runs
// inside the language hosts, which cannot be built here (README.md beside this file).
//
//	go run . -schema ../../schema.json -out ../../sdk -sdk-version v3.274.1
//
// writes <out>/python (the pulumi_ksc package and its pyproject.toml) and <out>/go (module
// github.com/pulumi-ksc/pulumi-ksc/sdk/go, package ksc). schema.json is not changed: the language sections
// the generators need and schema.json does not carry are added here, in memory.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/blang/semver"
	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	pygen "github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

const tool = "pulumi-ksc sdkgen"

// goModule is the Go SDK's module; the package itself is <goModule>/ksc.
const goModule = "github.com/pulumi-ksc/pulumi-ksc/sdk/go"

// languageDefaults are the language sections used when schema.json has none for that language.
var languageDefaults = map[string]any{
	"go": map[string]any{
		"importBasePath":                 goModule + "/ksc",
		"generateResourceContainerTypes": true,
		"respectSchemaVersion":           true,
	},
	"python": map[string]any{
		"packageName":          "pulumi_ksc",
		"pythonRequires":       ">=3.9",
		"respectSchemaVersion": true,
	},
}

func main() {
	schemaFile := flag.String("schema", "schema.json", "the package schema")
	out := flag.String("out", "sdk", "output directory: <out>/python and <out>/go are replaced")
	sdkVersion := flag.String("sdk-version", "", "version of github.com/pulumi/pulumi/sdk/v3 the Go SDK requires")
	flag.Parse()
	if *sdkVersion == "" {
		fail(fmt.Errorf("-sdk-version is required"))
	}
	pkg, err := load(*schemaFile)
	if err != nil {
		fail(err)
	}
	pyFiles, err := pygen.GeneratePackage(tool, pkg, nil, noLoader{})
	if err != nil {
		fail(fmt.Errorf("python: %w", err))
	}
	// Bind again: GeneratePackage imports its language section into the package it is given.
	if pkg, err = load(*schemaFile); err != nil {
		fail(err)
	}
	goFiles, err := gogen.GeneratePackage(tool, pkg, nil)
	if err != nil {
		fail(fmt.Errorf("go: %w", err))
	}
	goFiles["go.mod"] = []byte(fmt.Sprintf("module %s\n\ngo 1.24\n\nrequire github.com/pulumi/pulumi/sdk/v3 %s\n",
		goModule, *sdkVersion))
	for dir, files := range map[string]map[string][]byte{"python": pyFiles, "go": goFiles} {
		if err := write(filepath.Join(*out, dir), files); err != nil {
			fail(err)
		}
	}
}

// load reads schema.json, adds the missing language sections and binds it, failing on any diagnostic.
func load(file string) (*schema.Package, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var spec schema.PackageSpec
	if err := json.Unmarshal(data, &spec); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	if spec.Language == nil {
		spec.Language = map[string]schema.RawMessage{}
	}
	for lang, info := range languageDefaults {
		if _, ok := spec.Language[lang]; ok {
			continue
		}
		raw, err := json.Marshal(info)
		if err != nil {
			return nil, err
		}
		spec.Language[lang] = raw
	}
	pkg, diags, err := schema.BindSpec(spec, noLoader{}, schema.ValidationOptions{})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	if diags.HasErrors() {
		return nil, fmt.Errorf("%s: %s", file, diags.Error())
	}
	return pkg, nil
}

// noLoader loads no package: schema.json refers to no other package, so nothing is ever loaded (a
// plugin loader would start provider plugins to read their schemas).
type noLoader struct{}

func (noLoader) LoadPackage(name string, _ *semver.Version) (*schema.Package, error) {
	return nil, fmt.Errorf("schema.json refers to package %q: sdkgen loads no other package", name)
}

func (l noLoader) LoadPackageV2(_ context.Context, d *schema.PackageDescriptor) (*schema.Package, error) {
	return l.LoadPackage(d.Name, nil)
}

func (l noLoader) LoadPackageReference(name string, v *semver.Version) (schema.PackageReference, error) {
	_, err := l.LoadPackage(name, v)
	return nil, err
}

func (l noLoader) LoadPackageReferenceV2(
	_ context.Context, d *schema.PackageDescriptor,
) (schema.PackageReference, error) {
	return l.LoadPackageReference(d.Name, nil)
}

// write replaces dir with the generated files.
func write(dir string, files map[string][]byte) error {
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, files[name], 0o644); err != nil {
			return err
		}
	}
	fmt.Printf("sdkgen: wrote %d files to %s\n", len(names), dir)
	return nil
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "sdkgen:", err)
	os.Exit(1)
}
