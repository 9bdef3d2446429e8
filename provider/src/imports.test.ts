// No import cycles in provider/src, and imports only downward through its layers. Two modules that import each other (even only for a type) cannot be read, moved
// or tested one without the other, and a cycle of value imports leaves one of them half-initialised at load time.
// The graph is built with the TypeScript compiler's own import scanner, so `import type`, `export … from` and
// `require()` all count.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as ts from "typescript";

/** Every .ts file under `root` and the files (under `root`) it imports, as paths relative to `root`. */
export function importGraph(root: string): Map<string, string[]> {
  const files = listTs(root);
  const known = new Set(files);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const text = fs.readFileSync(path.join(root, file), "utf8");
    const targets = ts
      .preProcessFile(text, true, true)
      .importedFiles.map((f) => f.fileName)
      .filter((spec) => spec.startsWith("."))
      .map((spec) => resolve(known, path.posix.join(path.posix.dirname(file), spec)))
      .filter((t): t is string => t !== undefined);
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

function listTs(root: string, dir = ""): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      if (entry.name !== "node_modules" && entry.name !== "dist") out.push(...listTs(root, rel));
    } else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) {
      out.push(rel);
    }
  }
  return out.sort();
}

function resolve(known: Set<string>, spec: string): string | undefined {
  const base = path.posix.normalize(spec);
  return [base, `${base}.ts`, `${base}/index.ts`].find((c) => known.has(c));
}

/** The import cycles of a graph, one per strongly connected component, each as a path back to its start. */
export function importCycles(graph: Map<string, string[]>): string[][] {
  // Tarjan's algorithm (recursive: the graph is a few hundred files).
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      const selfLoop = (graph.get(v) ?? []).includes(v);
      if (component.length > 1 || selfLoop) components.push(component);
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return components.map((c) => cyclePath(graph, new Set(c)));
}

/** A shortest path from the component's first file (alphabetically) back to itself, staying inside it. */
function cyclePath(graph: Map<string, string[]>, members: Set<string>): string[] {
  const start = [...members].sort()[0];
  const from = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const v = queue.shift()!;
    for (const w of graph.get(v) ?? []) {
      if (!members.has(w)) continue;
      if (w === start) {
        const back = [v];
        while (back[0] !== start) back.unshift(from.get(back[0])!);
        return [...back, start];
      }
      if (!from.has(w)) {
        from.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start, start];
}

/** The layers of provider/src, lowest first: a module may import from its own layer and the ones below. */
const LAYERS = ["ksc", "resources", "pulumi", "cli"];

/** Imports that go up a layer ("ksc/x.ts → resources/y.ts"); files outside the layers are not judged. */
export function upwardImports(graph: Map<string, string[]>, layers = LAYERS): string[] {
  const rank = (file: string): number => layers.indexOf(file.split("/")[0]);
  const out: string[] = [];
  for (const [from, targets] of graph) {
    for (const to of targets) {
      if (rank(from) >= 0 && rank(to) > rank(from)) out.push(`${from} → ${to}`);
    }
  }
  return out;
}

describe("layers", () => {
  test("provider/src imports only downward: cli → pulumi → resources → ksc", () => {
    expect(upwardImports(importGraph(__dirname))).toEqual([]);
  });

  test("the check finds an upward import", () => {
    const graph = new Map([
      ["ksc/a.ts", ["ksc/b.ts", "resources/r.ts"]],
      ["resources/r.ts", ["ksc/a.ts"]],
      ["cli/c.ts", ["pulumi/p.ts", "ksc/a.ts"]],
      ["index.ts", ["cli/c.ts"]],
    ]);
    expect(upwardImports(graph)).toEqual(["ksc/a.ts → resources/r.ts"]);
  });
});

describe("import cycles", () => {
  test("provider/src has none", () => {
    const cycles = importCycles(importGraph(__dirname)).map((c) => c.join(" → "));
    expect(cycles).toEqual([]);
  });

  describe("the check itself", () => {
    let dir: string;
    const write = (files: Record<string, string>): void => {
      for (const [name, text] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
        fs.writeFileSync(path.join(dir, name), text);
      }
    };
    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "import-cycles-"));
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    test("finds two modules that import each other, even when one import is type-only", () => {
      write({
        "a.ts": 'import type { B } from "./b";\nexport const a = 1;\nexport type A = B;\n',
        "b.ts": 'import { a } from "./a";\nexport type B = string;\nexport const b = a;\n',
        "c.ts": 'import { a } from "./a";\nexport const c = a;\n',
      });
      expect(importCycles(importGraph(dir))).toEqual([["a.ts", "b.ts", "a.ts"]]);
    });

    test("follows folders (index.ts), parent paths, re-exports and require()", () => {
      write({
        "x/index.ts": 'export * from "../y";\n',
        "y.ts": 'const z = require("./sub/z");\nexport const y = z;\n',
        "sub/z.ts": 'import { w } from "../x";\nexport const z = w;\n',
        "ok.ts": 'import { y } from "./y";\nexport const ok = y;\n',
      });
      expect(importCycles(importGraph(dir))).toEqual([["sub/z.ts", "x/index.ts", "y.ts", "sub/z.ts"]]);
    });

    test("finds nothing in a graph without cycles", () => {
      write({
        "a.ts": 'import { b } from "./b";\nexport const a = b;\n',
        "b.ts": 'import { c } from "./c";\nexport const b = c;\n',
        "c.ts": "export const c = 1;\n",
      });
      expect(importCycles(importGraph(dir))).toEqual([]);
    });
  });
});
