// Session class handler (docs/ksc-open-api.md#sessions). StartSession is handled by the HTTP layer: it needs
// the Authorization header, not a session.
import { randomBytes } from "crypto";
import { ClassHandler } from "../handler";
import { Models } from "./models";

export function sessionHandler(m: Models): ClassHandler {
  return {
    Ping: { args: {}, run: () => ({}) },
    EndSession: {
      args: {},
      run: (_a, ctx) => {
        m.sessions.end(ctx.session.id);
        return {};
      },
    },
    CreateToken: { args: {}, run: (_a, ctx) => ({ ret: m.sessions.createToken(ctx.session.user) }) },
    CreateBlob: {
      args: { pParams: { type: "params", optional: true } },
      run: () => ({ ret: { kind: "binary", value: randomBytes(32).toString("base64") } }),
    },
  };
}
