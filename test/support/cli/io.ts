// A CliIo for tests: collects what the CLI prints.
import * as os from "os";
import { CliIo, Prompter } from "../../../provider/src/cli/io";

export interface RecordingIo extends CliIo {
  stdout: string[];
  stderr: string[];
  text(): string;
}

export function recordingIo(extra: Partial<CliIo> & { prompter?: Prompter } = {}): RecordingIo {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    out: (t) => stdout.push(t),
    err: (t) => stderr.push(t),
    env: {},
    cwd: os.tmpdir(),
    stdoutIsTty: false,
    ...extra,
    stdout,
    stderr,
    text: () => [...stdout, ...stderr].join("\n"),
  };
}
