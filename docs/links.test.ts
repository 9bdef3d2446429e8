// Links that a reader follows resolve: every relative link in the repository's Markdown files names a file that
// exists, and a `#anchor` on it names a heading of that file (as GitHub makes anchors from headings); every
// citation of docs in code comments (`docs/ksc-open-api.md#sessions`, also `…#a, #b`) does too.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..");
const SKIP_DIRS = new Set(["node_modules", "dist", "bin", ".git", "coverage", "out", ".emulator"]);
const SELF = "docs/links.test.ts"; // its examples are not links
const CODE_FILES = /\.(ts|js|mjs|sh|env|md)$|^Makefile$/;

function walk(root: string, dir = ""): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name) && !entry.name.startsWith(".pulumi")) out.push(...walk(root, rel));
    } else {
      out.push(rel);
    }
  }
  return out;
}

/** GitHub's anchor for a heading: markup dropped, lower case, punctuation removed, spaces to hyphens. */
export function slug(heading: string): string {
  return heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/[`*]/g, "")
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

/** The anchors of a Markdown text: its headings (repeats get -1, -2, …) and explicit `<a id/name="…">`. */
export function anchors(markdown: string): Set<string> {
  const out = new Set<string>();
  const seen = new Map<string, number>();
  let fence = false;
  for (const line of markdown.split("\n")) {
    if (/^\s*(```|~~~)/.test(line)) fence = !fence;
    if (fence) continue;
    const h = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (h) {
      const base = slug(h[1]);
      const n = seen.get(base) ?? 0;
      seen.set(base, n + 1);
      out.add(n === 0 ? base : `${base}-${n}`);
    }
    for (const m of line.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) out.add(m[1]);
  }
  return out;
}

/** Relative link targets of a Markdown text, outside code blocks and code spans. */
export function markdownLinks(markdown: string): string[] {
  const out: string[] = [];
  let fence = false;
  for (const line of markdown.split("\n")) {
    if (/^\s*(```|~~~)/.test(line)) fence = !fence;
    if (fence) continue;
    const text = line.replace(/`[^`]*`/g, "");
    for (const m of text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) out.push(m[1]);
    const ref = /^\s*\[[^\]]+\]:\s+(\S+)/.exec(text);
    if (ref) out.push(ref[1]);
  }
  return out.filter((t) => !/^[a-z][a-z0-9+.-]*:/i.test(t));
}

/** Citations of docs in source text: `docs/x.md`, `docs/x.md#a`, `docs/x.md#a, #b` (possibly over lines). */
export function docCitations(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/(?<![\w/.])docs\/[\w./-]+\.md(?:#[\w-]+(?:,\s+(?:(?:\/\/|\*)\s+)?#[\w-]+)*)?/g)) {
    const [file, ...rest] = m[0].split("#");
    if (rest.length === 0) out.push(file);
    for (const part of rest) out.push(`${file}#${part.replace(/[,\s/*]+$/, "")}`);
  }
  return out;
}

/** Problems of one link `target` found in `from` (a path relative to `root`); undefined when it resolves. */
export function checkLink(root: string, from: string, target: string, base = path.dirname(from)): string | undefined {
  const [file, anchor] = target.split("#", 2);
  const resolved = file ? path.normalize(path.join(base, decodeURIComponent(file))) : from;
  const full = path.join(root, resolved);
  if (!fs.existsSync(full)) return `${from}: ${target}: no file ${resolved}`;
  if (anchor === undefined || !resolved.endsWith(".md")) return undefined;
  if (!anchors(fs.readFileSync(full, "utf8")).has(anchor)) return `${from}: ${target}: no heading #${anchor}`;
  return undefined;
}

/** Every broken link and doc citation under `root`. */
export function brokenLinks(root: string): string[] {
  const problems: string[] = [];
  for (const file of walk(root)) {
    if (!CODE_FILES.test(path.basename(file)) || file === SELF) continue;
    const text = fs.readFileSync(path.join(root, file), "utf8");
    if (file.endsWith(".md")) {
      for (const target of markdownLinks(text)) problems.push(checkLink(root, file, target) ?? "");
    }
    for (const cite of docCitations(text)) problems.push(checkLink(root, file, cite, ".") ?? "");
  }
  return [...new Set(problems.filter((p) => p !== ""))];
}

describe("links", () => {
  test("every relative link in Markdown and every docs/… citation in the repository resolves", () => {
    expect(brokenLinks(ROOT)).toEqual([]);
  });

  test("headings become GitHub's anchors", () => {
    expect(slug("Which configuration each command uses")).toBe("which-configuration-each-command-uses");
    expect(slug("`make pulumi`: the CLI")).toBe("make-pulumi-the-cli");
    expect(slug("UaControl")).toBe("uacontrol");
    expect([...anchors("# A\n## Same\n```\n# not a heading\n```\n## Same\n<a id=\"x\"></a>\n")]).toEqual([
      "a",
      "same",
      "same-1",
      "x",
    ]);
  });

  describe("the check itself", () => {
    let dir: string;
    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "links-"));
      fs.mkdirSync(path.join(dir, "docs"));
      fs.writeFileSync(path.join(dir, "docs", "api.md"), "# API\n\n## Sessions\n\ntext\n");
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    test("accepts links and citations that resolve", () => {
      fs.writeFileSync(
        path.join(dir, "README.md"),
        "See [sessions](docs/api.md#sessions), [the page](./docs/api.md), [web](https://example.com/x#y)\n" +
          "and `[not a link](nowhere.md)`.\n",
      );
      fs.writeFileSync(path.join(dir, "a.ts"), "// (docs/api.md#sessions, #api)\nexport {};\n");
      expect(brokenLinks(dir)).toEqual([]);
    });

    test("reports a missing file, a missing heading, and a bad anchor in a code citation", () => {
      fs.writeFileSync(path.join(dir, "README.md"), "[gone](docs/gone.md) [bad](docs/api.md#login)\n");
      fs.writeFileSync(path.join(dir, "a.ts"), "// (docs/api.md#api,\n// #logout)\nexport {};\n");
      expect(brokenLinks(dir)).toEqual([
        "README.md: docs/gone.md: no file docs/gone.md",
        "README.md: docs/api.md#login: no heading #login",
        "a.ts: docs/api.md#logout: no heading #logout",
      ]);
    });
  });
});
