import { DYNAMIC_TYPE, importedTypes, importRefusal } from "./importCommand";

const noFile = (file: string): string => {
  throw new Error(`unexpected read of ${file}`);
};

describe("the types a `pulumi import` command line names", () => {
  test("the positional type, after global and import flags with values", () => {
    expect(importedTypes(["import", DYNAMIC_TYPE, "dp", "42"], noFile)).toEqual([DYNAMIC_TYPE]);
    expect(
      importedTypes(
        ["-C", "proj", "--color", "never", "import", "-s", "dev", "--parent", "p=urn", "t:m:R", "n", "1"],
        noFile,
      ),
    ).toEqual(["t:m:R"]);
    expect(importedTypes(["import", "--stack=dev", "t:m:R", "n", "1"], noFile)).toEqual(["t:m:R"]);
  });

  test("the types in --file, relative to --cwd", () => {
    const files: Record<string, string> = {
      "/p/imp.json": JSON.stringify({
        resources: [{ type: "a:b:C", name: "x", id: "1" }, { type: DYNAMIC_TYPE }],
      }),
    };
    const read = (f: string) => files[f] ?? "";
    expect(importedTypes(["--cwd", "/p", "import", "--file", "imp.json"], read)).toEqual([
      "a:b:C",
      DYNAMIC_TYPE,
    ]);
    expect(importedTypes(["import", "-f=/p/imp.json"], read)).toEqual(["a:b:C", DYNAMIC_TYPE]);
  });

  test("an unreadable --file names nothing (the CLI reports it)", () => {
    expect(importedTypes(["import", "--file", "/missing.json"], noFile)).toEqual([]);
  });
});

describe("importRefusal", () => {
  test("a dynamic resource is refused with or without a language host, pointing to adopt and generate", () => {
    for (const languageHost of [true, false]) {
      const message = importRefusal(["import", DYNAMIC_TYPE, "dp", "42", "--yes"], languageHost, noFile);
      expect(message).toContain("Pulumi cannot import dynamic resources");
      expect(message).toContain("https://github.com/pulumi/pulumi/issues/3550");
      expect(message).toContain("adopt: true");
      expect(message).toContain("pulumi-ksc generate");
      expect(message).not.toContain("no language plugin");
    }
  });

  test("without a language host any import is refused, saying why and what to do instead", () => {
    const message = importRefusal(["import", "ksc:index:DistributionPoint", "dp", "42"], false, noFile);
    expect(message).toContain("needs the pulumi-language-nodejs plugin");
    expect(message).toContain("adopt: true");
  });

  test("with a language host, an import of another type goes to the CLI; so does --help", () => {
    expect(
      importRefusal(["import", "ksc:index:DistributionPoint", "dp", "42"], true, noFile),
    ).toBeUndefined();
    expect(importRefusal(["import", "--help"], false, noFile)).toBeUndefined();
  });
});
