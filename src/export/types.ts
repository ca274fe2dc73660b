/**
 * What every exporter takes and gives. Exporters are pure: a checked network and, when there is
 * one, its parameters file in; the text (or bytes) of the exported model out. Reading and writing
 * files is the CLI's and the editor's job.
 */
import type { ParamsFile } from '../core/engine/params';
import type { Spec } from '../core/format/types';
import type { JsonPath } from '../core/problems';

export interface ExportInput {
  spec: Spec;
  /** The .dnn.json's file name (no folder), named in the exported file's header. */
  source: string;
  /**
   * The folder of the .dnn.json as seen from the folder the export is written to ('.' when they
   * are the same), with '/' separators: the exported script finds the data and an init file there.
   */
  specDir: string;
  /** Weights to embed (trained or initial); without them the script initialises as the file says. */
  params?: ParamsFile;
  /** Where `params` came from, named in the exported file. */
  paramsName?: string;
  /** Numbers in a binary format (ONNX): float32 by default; float64 keeps the engine's precision. */
  dtype?: 'float32' | 'float64';
  /**
   * Told how far the drawing of the initial weights has gone (0 to 1, each whole percent once),
   * when the exporter draws them (ONNX without `params`): for a large network that is most of
   * the export's time (VGG-16: 138 million Gaussians).
   */
  onDraw?: (fraction: number) => void;
}

export interface ExportResult {
  /** The exported file: Python source, or bytes for a binary format. */
  content: string | Uint8Array;
  /** The extension of the file to write, with its dot: '.py'. */
  extension: string;
  /** Files the exported one reads, to be written beside it under these names (built-in data). */
  companions?: { name: string; content: string | Uint8Array }[];
}

/** A layer the export cannot write yet, with the JSON path of the key that says so. */
export class ExportError extends Error {
  constructor(
    message: string,
    readonly path: JsonPath,
  ) {
    super(message);
  }
}

export type Exporter = (input: ExportInput) => ExportResult;
