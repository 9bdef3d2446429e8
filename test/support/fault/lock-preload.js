// @ts-check
// Test only: watches, forces and removes pulumi-ksc's per-host lock (provider/src/resources/state.ts) in the
// provider process of one `pulumi` command. concurrency.fault.test.ts loads it into that command's node processes
// with NODE_OPTIONS="--require <this file>"; the shipped provider has no switch for any of this.
//
// When the module exporting pulumi-ksc's KeyedLock and ProcessState is loaded, KeyedLock.run is wrapped. By
// KSC_TEST_LOCK:
//   observe            the lock as it is
//   meet               each caller first waits at the door until a second caller for the same host arrives (the
//                      two read-modify-write cycles of a host are made to start together), then the lock as it is
//   meet-without-lock  the same meeting, then no lock at all: both cycles run at once
// Every call appends a line to the file KSC_TEST_LOCK_LOG: "overlap <host>" when another cycle on the same host
// was already under way (waiting or running) as it came, else "alone <host>".
const fs = require("fs");
const Module = require("module");

const mode = process.env.KSC_TEST_LOCK ?? "observe";
const logFile = process.env.KSC_TEST_LOCK_LOG;

/** Callers of run() per host that have not finished. */
const underWay = new Map();
/** Hosts with one caller waiting at the door, and how to let it in. */
const door = new Map();

/** @param {string} key @returns {Promise<void>} */
function meet(key) {
  const waiting = door.get(key);
  if (waiting) {
    door.delete(key);
    waiting();
    return Promise.resolve();
  }
  return new Promise((resolve) => door.set(key, resolve));
}

/** @param {{ prototype: { run: (key: string, fn: () => Promise<unknown>) => Promise<unknown> } }} KeyedLock */
function wrap(KeyedLock) {
  const locked = KeyedLock.prototype.run;
  KeyedLock.prototype.run = async function (key, fn) {
    if (mode === "meet" || mode === "meet-without-lock") await meet(key);
    const busy = (underWay.get(key) ?? 0) > 0;
    underWay.set(key, (underWay.get(key) ?? 0) + 1);
    if (logFile) fs.appendFileSync(logFile, `${busy ? "overlap" : "alone"} ${key}\n`);
    try {
      return await (mode === "meet-without-lock" ? fn() : locked.call(this, key, fn));
    } finally {
      underWay.set(key, underWay.get(key) - 1);
    }
  };
}

// @ts-expect-error Module._load is node's internal loader, not in its types
const load = Module._load;
let wrapped = false;
// @ts-expect-error see above
Module._load = function (/** @type {unknown[]} */ ...args) {
  const exports = load.apply(this, args);
  if (
    !wrapped &&
    exports &&
    typeof exports.KeyedLock === "function" &&
    typeof exports.ProcessState === "function"
  ) {
    wrapped = true;
    wrap(exports.KeyedLock);
  }
  return exports;
};
