// Account safety: a wrong password costs exactly one login attempt per `pulumi up`, however many resources the
// program has (multi-site: 13) and whatever the engine runs in parallel — never a loop that could lock the account.
// The emulator locks an account after 5 failed logins in a row, like a real server's lockout policy.
import { kscStack, Ksc, countersSince, report } from "../support/fault/fixture";
import { multiSiteDir } from "../support/fault/multiSite";
import { expectSuccess } from "../../tools/engine";

jest.setTimeout(15 * 60 * 1000);

const loginAttempts = (calls: Record<string, number>): number =>
  (calls["Session.StartSession"] ?? 0) + (calls.login ?? 0);

describe("a wrong password", () => {
  let ksc: Ksc;
  const rows: string[] = [];

  beforeAll(async () => {
    ksc = await Ksc.start({ lockoutThreshold: 5 });
  });

  afterAll(async () => {
    report("account safety", rows);
    await ksc?.stop();
  });

  test("costs one login attempt per `pulumi up`, and the account is not locked after three", async () => {
    const stack = await kscStack(multiSiteDir, ksc, {
      config: { "ksc:password": { value: "not-the-password", secret: true } },
    });
    try {
      for (let run = 1; run <= 3; run++) {
        const before = ksc.counters();
        const up = await stack.up();
        const c = countersSince(before, ksc.counters());
        rows.push(
          `up ${run} with a wrong password: exit ${up.code}, ${loginAttempts(c.calls)} login attempt(s), ${c.sessionsOpened} sessions`,
        );
        expect(up.code).not.toBe(0);
        expect(up.stdout).toMatch(
          /login to .* failed: .*Not retried, because repeated failed logins lock the account/,
        );
        expect(loginAttempts(c.calls)).toBe(1);
        expect(c.sessionsOpened).toBe(0);
        // Nothing else was called: the provider stopped at the refused login.
        expect(Object.keys(c.calls)).toEqual(["Session.StartSession"]);
      }
      // Three failures, below the lockout threshold: the right password still works.
      await stack.setConfig("ksc:password", ksc.emu.credentials.password, { secret: true });
      const before = ksc.counters();
      expectSuccess(await stack.preview());
      const c = countersSince(before, ksc.counters());
      rows.push(`preview with the right password: ${loginAttempts(c.calls)} login attempt(s)`);
      expect(c.sessionsOpened).toBe(1);
    } finally {
      await stack.dispose();
    }
  });
});
