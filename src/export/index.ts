/**
 * The export formats, one generator each, by the name `dnn export --to` and the editor's quick
 * pick use. A new format is one entry here (its generator in its own module).
 */
import { EngineError } from '../core/engine/network';
import { exportNumpy } from './numpy';
import { exportOnnx } from './onnx';
import { exportPytorch } from './pytorch';
import { ExportError, type Exporter } from './types';

/** ONNX bytes; with a parameters file, its training-set standardisation goes into the model. */
const onnx: Exporter = (input) => {
  const standardization = input.params?.meta?.standardization;
  try {
    const content = exportOnnx(input.spec, input.params?.parameters, {
      dtype: input.dtype ?? 'float32',
      ...(standardization ? { standardization } : {}),
      ...(input.onDraw ? { onDraw: input.onDraw } : {}),
    });
    return { content, extension: '.onnx' };
  } catch (e) {
    if (e instanceof EngineError) throw new ExportError(e.message, e.path);
    throw e;
  }
};

export const EXPORTERS: Record<string, { exporter: Exporter; description: string }> = {
  numpy: { exporter: exportNumpy, description: "a standalone Python script in the course's numpy style" },
  pytorch: { exporter: exportPytorch, description: 'a standalone PyTorch script (nn.Module, the course\'s optimisers, torchrun-ready)' },
  onnx: { exporter: onnx, description: 'an ONNX model (float32; --float64 for the engine\'s precision), X and AL as the course lays them out' },
};

export const EXPORT_FORMATS = (): string[] => Object.keys(EXPORTERS);

export { ExportError } from './types';
export type { ExportInput, ExportResult, Exporter } from './types';
