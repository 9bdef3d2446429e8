// Throughput of the emulator on loopback: calls per second for a read and a write, with one and several
// sessions. The emulator runs in its own process (node dist/main.js), the load comes from this one; each
// session keeps one call in flight on its own keep-alive connection, as the Open API prescribes.
//   node emulator/dist/bench-throughput.js [--seconds 3] [--sessions 1,4,16] [--state-file]
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as http from "http";
import * as os from "os";
import * as path from "path";

// Its own few lines of HTTP: it is built with the emulator (rootDir src/), so it cannot import the test helpers
// of test/support.
const kscBasic = (user: string, password: string): string => {
  const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64");
  return `KSCBasic user="${b64(user)}", pass="${b64(password)}", internal="1"`;
};

function post(
  url: string,
  path: string,
  body: unknown,
  opts: { agent: http.Agent; headers: Record<string, string> },
): Promise<{ status: number; text: string; json: unknown }> {
  const data = JSON.stringify(body);
  const headers = {
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(data),
    ...opts.headers,
  };
  return new Promise((resolve, reject) => {
    const req = http.request(new URL(path, url), { method: "POST", agent: opts.agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("error", reject);
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        try {
          resolve({ status: res.statusCode ?? 0, text, json: JSON.parse(text) });
        } catch (err) {
          reject(err);
        }
      });
    });
    req.on("error", reject);
    req.end(data);
  });
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const seconds = Number(arg("seconds", "3"));
const sessionCounts = arg("sessions", "1,4,16").split(",").map(Number);
const withStateFile = process.argv.includes("--state-file");

function startChild(): Promise<{ child: ChildProcess; url: string; dir: string }> {
  const mainJs = fs.existsSync(path.join(__dirname, "main.js"))
    ? path.join(__dirname, "main.js")
    : path.join(__dirname, "..", "dist", "main.js");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ksc-emu-bench-"));
  const args = [mainJs, "--http", "--port", "0", "--data-dir", dir];
  if (withStateFile) args.push("--state-file", path.join(dir, "state.json"));
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (c: Buffer) => {
      out += c.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve({ child, url: m[1], dir });
    });
    child.on("exit", (code) => reject(new Error(`emulator exited with ${code}`)));
  });
}

interface Session {
  id: string;
  agent: http.Agent;
}

async function openSession(url: string): Promise<Session> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const r = await post(
    url,
    "/api/v1.0/Session.StartSession",
    {},
    {
      agent,
      headers: { Authorization: kscBasic("admin", "KscEmulator-Pa55") },
    },
  );
  return { id: (r.json as { PxgRetVal: string }).PxgRetVal, agent };
}

async function call(
  url: string,
  s: Session,
  method: string,
  body: unknown,
): Promise<Record<string, unknown>> {
  const r = await post(url, `/api/v1.0/${method}`, body, {
    agent: s.agent,
    headers: { "X-KSC-Session": s.id },
  });
  const json = r.json as Record<string, unknown>;
  if (r.status !== 200 || "PxgError" in json) throw new Error(`${method}: ${r.status} ${r.text}`);
  return json;
}

/** Run `work` in a loop on every session for the given time; return calls per second over all sessions. */
async function measure(
  sessions: Session[],
  work: (s: Session, i: number) => Promise<unknown>,
): Promise<number> {
  const end = Date.now() + seconds * 1000;
  let calls = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    sessions.map(async (s, i) => {
      while (Date.now() < end) {
        await work(s, i);
        calls++;
      }
    }),
  );
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  return calls / elapsed;
}

async function main(): Promise<void> {
  const { child, url, dir } = await startChild();
  try {
    const admin = await openSession(url);
    const find = await call(url, admin, "HostGroup.FindHosts", {
      wstrFilter: '(KLHST_WKS_DN = "hq-dp-01")',
      vecFieldsToReturn: ["KLHST_WKS_HOSTNAME"],
      vecFieldsToOrder: [],
      pParams: {},
      lMaxLifeTime: 60,
    });
    const chunk = await call(url, admin, "ChunkAccessor.GetItemsChunk", {
      strAccessor: find.strAccessor,
      nStart: 0,
      nCount: 1,
    });
    const hostId = (chunk.pChunk as { KLCSP_ITERATOR_ARRAY: { value: { KLHST_WKS_HOSTNAME: string } }[] })
      .KLCSP_ITERATOR_ARRAY[0].value.KLHST_WKS_HOSTNAME;
    await call(url, admin, "UaControl.SetAssignUasAutomatically", { bEnabled: false });
    const scope = {
      type: "params",
      value: { ScopeGroups: [{ type: "params", value: { ScopeId: { type: "long", value: 0 } } }] },
    };
    await call(url, admin, "UaControl.RegisterUpdateAgent", {
      pUaInfo: { UaHostId: hostId, UaScope: scope },
    });
    const info = (await call(url, admin, "UaControl.GetUpdateAgentInfo", { wstrUaHostId: hostId }))
      .pUaInfo as Record<string, unknown>;

    const rows: string[] = [];
    rows.push(
      `KSC emulator throughput on loopback (${os.cpus().length} CPUs, ${seconds} s per run${withStateFile ? ", state file on" : ""})`,
    );
    rows.push("operation                                   sessions   calls/s");
    for (const n of sessionCounts) {
      const sessions = await Promise.all(Array.from({ length: n }, () => openSession(url)));
      const read = await measure(sessions, (s) =>
        call(url, s, "UaControl.GetUpdateAgentInfo", { wstrUaHostId: hostId }),
      );
      rows.push(
        `read  UaControl.GetUpdateAgentInfo          ${String(n).padStart(8)}  ${read.toFixed(0).padStart(8)}`,
      );
      const write = await measure(sessions, (s, i) =>
        call(url, s, "UaControl.ModifyUpdateAgent", {
          pUaInfo: { ...info, PROPOSED_UaPushServerPort: { type: "long", value: 13000 + i }, UaScope: scope },
        }),
      );
      rows.push(
        `write UaControl.ModifyUpdateAgent           ${String(n).padStart(8)}  ${write.toFixed(0).padStart(8)}`,
      );
      for (const s of sessions) s.agent.destroy();
    }
    const counters = await new Promise<string>((resolve, reject) => {
      http
        .get(`${url}/control/counters`, (res) => {
          let t = "";
          res.on("data", (c: Buffer) => (t += c.toString()));
          res.on("end", () => resolve(t));
        })
        .on("error", reject);
    });
    const total = Object.values((JSON.parse(counters) as { calls: Record<string, number> }).calls).reduce(
      (a, b) => a + b,
      0,
    );
    rows.push(`(server counted ${total} calls)`);
    process.stdout.write(`${rows.join("\n")}\n`);
    admin.agent.destroy();
  } finally {
    child.kill("SIGTERM");
    await new Promise((r) => child.once("exit", r));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
