// The files derived from schema.json must be what the generators make of it now: change schema.json, then run
// `npx ts-node scripts/gen-types.ts && npx ts-node scripts/gen-docs.ts`.
import * as fs from "fs";
import * as path from "path";
import { renderDocs } from "./gen-docs";
import { ROOT, loadSchema, renderArgsTypes, renderNativeClasses, renderTypeFiles } from "./gen-types";

describe("files generated from schema.json", () => {
  const schema = loadSchema();

  test.each(Object.keys(renderDocs(schema)))("%s is up to date (npx ts-node scripts/gen-docs.ts)", (file) => {
    expect(fs.readFileSync(path.join(ROOT, file), "utf8")).toBe(renderDocs(schema)[file]);
  });

  test("the generated TypeScript is up to date (npx ts-node scripts/gen-types.ts)", () => {
    const files = renderTypeFiles(schema);
    expect(Object.keys(files).length).toBe(4);
    for (const [file, text] of Object.entries(files)) {
      expect({ file, text: fs.readFileSync(path.join(ROOT, file), "utf8") }).toEqual({ file, text });
    }
  });

  test("each resource page has a usage example and documents every input and output", () => {
    const docs = renderDocs(schema);
    for (const [token, r] of Object.entries(schema.resources)) {
      const page = Object.values(docs).find((d) => d.includes(`Type token \`${token}\``));
      expect(page).toBeDefined();
      expect(page).toContain("## Example Usage");
      expect(page).toContain('import * as ksc from "pulumi-ksc"');
      for (const name of [...Object.keys(r.inputProperties), ...Object.keys(r.properties)]) {
        expect(page).toContain(`| \`${name}\` |`);
      }
    }
    const config = docs["docs/configuration.md"];
    expect(config).toContain("pulumi config set --secret ksc:password");
    for (const name of Object.keys(schema.config.variables)) expect(config).toContain(`\`ksc:${name}\``);
  });

  test("a changed schema changes the generated files (the staleness check can fail)", () => {
    const changed = JSON.parse(JSON.stringify(schema));
    changed.resources["ksc:index:PushServer"].inputProperties.port.description = "Something else.";
    expect(renderDocs(changed)["docs/push-server.md"]).not.toBe(renderDocs(schema)["docs/push-server.md"]);
    expect(renderArgsTypes(changed)).not.toBe(renderArgsTypes(schema));
    expect(renderNativeClasses(changed)).toBe(renderNativeClasses(schema)); // descriptions of inputs: Args only
    changed.resources["ksc:index:PushServer"].properties.firewallNote.description = "Something else.";
    expect(renderNativeClasses(changed)).not.toBe(renderNativeClasses(schema));
  });

  test("the native classes make secret what schema.json marks secret, and nothing else", () => {
    const meta = (text: string, kind: string) =>
      JSON.parse(text.match(new RegExp(`const ${kind}Meta: NativeResourceMeta = (\\{.*?\\});`))![1]);
    const changed = JSON.parse(JSON.stringify(schema));
    const push = changed.resources["ksc:index:PushServer"];
    push.inputProperties.remoteAddress.secret = true;
    push.properties.remoteAddress.secret = true;
    expect(meta(renderNativeClasses(changed), "pushServer")).toMatchObject({
      secretInputs: ["remoteAddress"],
      secretOutputs: ["remoteAddress"],
    });
    // As schema.json stands: exactly its marked properties (none, until the native plugin marks some).
    for (const [token, r] of Object.entries(schema.resources)) {
      const kind = token.slice("ksc:index:".length);
      const marked = (props: typeof r.properties) =>
        Object.keys(props).filter((n) => props[n].secret === true);
      expect(meta(renderNativeClasses(schema), kind[0].toLowerCase() + kind.slice(1))).toEqual({
        outputs: Object.keys(r.properties),
        secretInputs: marked(r.inputProperties),
        secretOutputs: marked(r.properties),
      });
    }
  });
});
