/**
 * The `dnn` command line. `main(argv)` returns the exit status: 0 ok, 1 problems in the user's
 * input, 2 usage error. Each subcommand lives in its own module.
 */
export const USAGE = `usage:
  dnn check [--json] [--no-data] FILE...
      the shape table per layer; problems of the file and its data as FILE:LINE:COL
  dnn train FILE [--init P] [--save P] [--iterations N] [--learning-rate A] [--seed S] [--precision D|full] [--costs CSV] [--json] [--verbose]
      trains, printing the cost as the course does, and saves the parameters
  dnn predict FILE --params P --input CSV [--output CSV] [--label NAME] [--json]
      predictions, and the accuracy when the input has labels
  dnn gradcheck FILE [--epsilon E] [--init P] [--json]
      the gradient check of the initial parameters, per layer
  dnn export FILE --to numpy|pytorch|onnx [--params P] [--float64] [-o OUT]
      the network (and the weights of P) as a standalone script beside FILE
  dnn COMMAND --help   the options of one command
`;

export interface CliIO {
  out: (s: string) => void;
  err: (s: string) => void;
  /** True when stdout is a terminal (progress bars, colours). */
  isTTY: boolean;
  /** Aborts a long command like Ctrl-C does (tests); commands also listen to SIGINT themselves. */
  signal?: AbortSignal;
  /** A progress line on stderr, written as is: the one place that moves the cursor on purpose. */
  status?: (s: string) => void;
  /** When set (--json), the problems printed on stderr are also kept here (see common.ts `collecting`). */
  problems?: { code: string; severity: string; message: string; file: string; line?: number; column?: number }[];
}

/**
 * Text from a user's file as the terminal shows it: control characters (an ESC that recolours the
 * terminal, a carriage return that overwrites the line, bidirectional overrides) become visible
 * `\u001b`-style escapes; newlines and tabs stay.
 */
export function printable(s: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const control = (c < 0x20 && c !== 9 && c !== 10) || (c >= 0x7f && c <= 0x9f) || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
    if (!control) continue;
    out += s.slice(from, i) + '\\u' + c.toString(16).padStart(4, '0');
    from = i + 1;
  }
  return from === 0 ? s : out + s.slice(from);
}

/** The terminal every command writes to: what it prints is printable(), progress lines aside. */
function safeIO(io: CliIO): CliIO {
  return { ...io, out: (s) => io.out(printable(s)), err: (s) => io.err(printable(s)), status: io.status ?? ((s) => io.err(s)) };
}

export const processIO: CliIO = {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
  isTTY: Boolean(process.stdout.isTTY),
};

type Command = (args: string[], io: CliIO) => Promise<number>;

const commands: Record<string, () => Promise<Command>> = {};

/** Registered by each subcommand module (see src/cli/commands.ts). */
export function registerCommand(name: string, load: () => Promise<Command>): void {
  commands[name] = load;
}

export async function main(argv: string[], terminal: CliIO = processIO): Promise<number> {
  const io = safeIO(terminal);
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    (name ? io.out : io.err)(USAGE);
    return name ? 0 : 2;
  }
  if (name === '--version') {
    io.out('0.1.0\n');
    return 0;
  }
  const load = commands[name];
  if (!load) {
    io.err(`dnn: unknown command '${name}'\n${USAGE}`);
    return 2;
  }
  try {
    return await (await load())(rest, io);
  } catch (e) {
    // A bug, not the user's fault: say so plainly, without hiding the cause.
    io.err(`dnn ${name}: internal error: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
    return 70;
  }
}
