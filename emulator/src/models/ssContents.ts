// SsContents model: settings-storage handles on a policy (docs/ksc-open-api.md#sscontents, #policy-format).
// Writes are recorded on the handle and invisible to everyone else until Ss_Apply, which replays them on the
// current settings in one step (so two sessions editing different variables of one section both keep their
// changes).
import { clone, isParams, KParams, KValue, typeName } from "../codec";
import { Backend, SsHandle, SsOp } from "../backend";
import { BadFormat, InvalidArgument, NotFound, NotPermitted, SettingsNotExist } from "../errors";
import { cloneStorage, Storage } from "../state";
import { checkStorageName } from "./policy";

/** PROPOSED: handle lifetime when nLifeTime is 0 (the default is undocumented). */
export const DEFAULT_HANDLE_LIFETIME_MS = 5 * 60 * 1000;

export class SsContentsModel {
  constructor(private readonly b: Backend) {}

  open(policyId: number, revision: number, lifetimeMs: number): string {
    if (!this.b.state.policies.has(policyId)) throw new NotFound(`policy ${policyId} not found`);
    // Only the current settings are kept; the emulator has no revision history.
    if (revision !== 0) throw new NotFound(`revision ${revision} of policy ${policyId} not found`);
    if (lifetimeMs < 0) throw new InvalidArgument("nLifeTime must not be negative");
    this.b.sweep();
    const id = this.b.randomId(18);
    this.b.ssHandles.set(id, {
      id,
      policyId,
      pending: [],
      lifetimeMs: lifetimeMs || DEFAULT_HANDLE_LIFETIME_MS,
      lastUsed: this.b.now(),
    });
    return id;
  }

  private handle(id: string): SsHandle {
    this.b.sweep();
    const h = this.b.ssHandles.get(id);
    if (!h) throw new NotFound(`settings storage ${id} not found (released or expired)`);
    h.lastUsed = this.b.now();
    return h;
  }

  private committed(h: SsHandle): Storage {
    const p = this.b.state.policies.get(h.policyId);
    if (!p) throw new NotFound(`policy ${h.policyId} not found (deleted)`);
    return p.storage;
  }

  /** What this handle sees: the committed settings plus its own pending writes. */
  private view(h: SsHandle): Storage {
    const s = cloneStorage(this.committed(h));
    for (const op of h.pending) this.applyOp(s, op);
    return s;
  }

  names(id: string, product: string, version: string): string[] {
    const s = this.view(this.handle(id));
    if (product === "") return [...s.keys()];
    const versions = s.get(product);
    if (!versions) throw new SettingsNotExist(`product ${product} does not exist`);
    if (version === "") return [...versions.keys()];
    const sections = versions.get(version);
    if (!sections) throw new SettingsNotExist(`version ${product}/${version} does not exist`);
    return [...sections.keys()];
  }

  read(id: string, product: string, version: string, section: string): KParams {
    const s = this.view(this.handle(id));
    const content = s.get(product)?.get(version)?.get(section);
    if (!content) throw new SettingsNotExist(`section ${product}/${version}/${section} does not exist`);
    return clone(content);
  }

  /** Record a write after checking it applies to the handle's current view. */
  write(id: string, op: SsOp): void {
    checkStorageName(op.product, "wstrProduct");
    checkStorageName(op.version, "wstrVersion");
    checkStorageName(op.section, "wstrSection");
    if (op.product === "" || op.version === "" || op.section === "") {
      throw new InvalidArgument("product, version and section names must not be empty");
    }
    if ("data" in op) this.checkKnownValues(op);
    const h = this.handle(id);
    const view = this.view(h);
    this.applyOp(view, op); // throws on a rule violation; nothing recorded then
    h.pending.push("data" in op ? { ...op, data: clone(op.data) } : op);
  }

  apply(id: string): void {
    const h = this.handle(id);
    const p = this.b.state.policies.get(h.policyId);
    if (!p) throw new NotFound(`policy ${h.policyId} not found (deleted)`);
    const next = cloneStorage(p.storage);
    for (const op of h.pending) this.applyOp(next, op); // all or nothing
    if (h.pending.length) {
      p.storage = next;
      p.modified = this.b.nowIso();
      this.b.touch();
    }
    h.pending = [];
  }

  release(id: string): void {
    this.handle(id);
    this.b.ssHandles.delete(id);
  }

  private applyOp(s: Storage, op: SsOp): void {
    let versions = s.get(op.product);
    let sections = versions?.get(op.version);
    const ensureSection = (): Map<string, KValue> => {
      if (!versions) {
        versions = new Map();
        s.set(op.product, versions);
      }
      if (!sections) {
        sections = new Map();
        versions.set(op.version, sections);
      }
      let content = sections.get(op.section);
      if (!content) {
        content = { kind: "params", map: new Map() };
        sections.set(op.section, content);
      }
      return content.map;
    };
    const existing = sections?.get(op.section)?.map;
    const where = `${op.product}/${op.version}/${op.section}`;
    switch (op.op) {
      case "update": {
        if (!existing) throw new SettingsNotExist(`section ${where} does not exist`);
        for (const k of op.data.map.keys()) {
          if (!existing.has(k)) throw new SettingsNotExist(`variable ${k} does not exist in ${where}`);
        }
        for (const [k, v] of op.data.map) existing.set(k, clone(v));
        return;
      }
      case "add": {
        const m = existing ?? ensureSection();
        for (const k of op.data.map.keys()) {
          if (m.has(k)) throw new NotPermitted(`variable ${k} already exists in ${where}`);
        }
        for (const [k, v] of op.data.map) m.set(k, clone(v));
        return;
      }
      case "replace": {
        const m = existing ?? ensureSection();
        for (const [k, v] of op.data.map) m.set(k, clone(v));
        return;
      }
      case "clear": {
        const m = ensureSection();
        m.clear();
        for (const [k, v] of op.data.map) m.set(k, clone(v));
        return;
      }
      case "delete": {
        if (!existing) throw new SettingsNotExist(`section ${where} does not exist`);
        for (const k of op.data.map.keys()) existing.delete(k);
        return;
      }
      case "createSection":
        ensureSection();
        return;
      case "deleteSection":
        if (!existing) throw new SettingsNotExist(`section ${where} does not exist`);
        sections?.delete(op.section);
        return;
    }
  }

  /**
   * The NA network keys must arrive in policy format with the right value type (docs/ksc-key-names.md): a client
   * that sends a bare value, a long where an int belongs, or a single port where the array of UDP ports belongs
   * gets an error here, as it would from a typed store.
   */
  private checkKnownValues(op: SsOp & { data: KParams }): void {
    const na = this.b.keys.networkAgent;
    if (op.section !== na.networkSection || op.op === "delete") return;
    const types: Record<string, "bool" | "ports"> = {
      [na.useUdpPort]: "bool",
      [na.udpPort]: "ports",
      [na.forceConnectionThroughDp]: "bool",
    };
    for (const [k, v] of op.data.map) {
      const type = types[k];
      if (!type) continue;
      if (!isParams(v)) {
        throw new BadFormat(
          `pNewData.${k}: expected policy format {"KLPRSS_Val": …, "KLPRSS_Mnd": …}, got ${typeName(v)}`,
        );
      }
      const val = v.map.get("KLPRSS_Val");
      const mnd = v.map.get("KLPRSS_Mnd");
      if (val === undefined) throw new InvalidArgument(`pNewData.${k}.KLPRSS_Val is mandatory`);
      if (type === "bool" && typeof val !== "boolean") {
        throw new BadFormat(`pNewData.${k}.KLPRSS_Val: expected boolean, got ${typeName(val)}`);
      }
      if (type === "ports") {
        if (!Array.isArray(val))
          throw new BadFormat(`pNewData.${k}.KLPRSS_Val: expected an array of int, got ${typeName(val)}`);
        val.forEach((port, i) => {
          if (typeof port !== "number")
            throw new BadFormat(`pNewData.${k}.KLPRSS_Val[${i}]: expected int, got ${typeName(port)}`);
          if (port < 1 || port > 65535)
            throw new InvalidArgument(`pNewData.${k}.KLPRSS_Val[${i}]: port ${port} is outside 1..65535`);
        });
      }
      if (mnd !== undefined && typeof mnd !== "boolean") {
        throw new BadFormat(`pNewData.${k}.KLPRSS_Mnd: expected boolean, got ${typeName(mnd)}`);
      }
    }
  }
}
