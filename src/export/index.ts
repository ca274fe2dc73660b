/**
 * The export formats, one generator each, by the name `dnn export --to` and the editor's quick
 * pick use. A new format is one entry here (its generator in its own module).
 */
import { exportNumpy } from './numpy';
import { exportPytorch } from './pytorch';
import type { Exporter } from './types';

export const EXPORTERS: Record<string, { exporter: Exporter; description: string }> = {
  numpy: { exporter: exportNumpy, description: "a standalone Python script in the course's numpy style" },
  pytorch: { exporter: exportPytorch, description: 'a standalone PyTorch script (nn.Module, the course\'s optimisers, torchrun-ready)' },
};

export const EXPORT_FORMATS = (): string[] => Object.keys(EXPORTERS);

export { ExportError } from './types';
export type { ExportInput, ExportResult, Exporter } from './types';
