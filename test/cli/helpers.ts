/** What the CLI tests share: an in-memory terminal that records what a command prints. */
import type { CliIO } from '../../src/cli/main';

/** A CliIO that keeps stdout in `outText` and stderr in `errText`; `signal` stands for Ctrl-C. */
export function capture(signal?: AbortSignal): CliIO & { outText: string; errText: string } {
  const io: CliIO & { outText: string; errText: string } = {
    outText: '',
    errText: '',
    isTTY: false,
    out: (s: string) => {
      io.outText += s;
    },
    err: (s: string) => {
      io.errText += s;
    },
  };
  if (signal) io.signal = signal;
  return io;
}
