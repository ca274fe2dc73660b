/**
 * The ONNX export: a network and its weights as an ONNX model that onnxruntime, Netron and the
 * frameworks that import ONNX read, computing what the engine's predict computes.
 *
 * Layouts (also written into the model's doc string, where Netron shows them):
 *   - X is the course's layout: (n[0], m), examples as columns, for a network that reads columns;
 *     (m, n_H, n_W, n_C), channels last, for a network whose first layer is a conv or pool layer.
 *   - AL is (n[L], m), examples as columns, as the engine's AL.
 *   - m is the symbolic batch dimension "m".
 * ONNX's Conv and pools are NCHW, so a volume is transposed once on the way in (NHWC -> NCHW),
 * conv weights (f_H, f_W, n_C[l-1], n_C[l]) become (n_C[l], n_C[l-1], f_H, f_W), and a flatten
 * transposes back to NHWC before it reshapes, so its order is the course's reshape(m, -1).T.
 *
 * The model is built as protobuf messages of the ONNX schema (onnx-proto, protobufjs) and encoded
 * by that library; nothing here writes bytes by hand. In float64, a few operators are written out
 * (leaky-relu as Where) because its ONNX attribute is a 32-bit float, which would round alpha
 * away from the engine's value; batch norm is Sub/Div/Mul/Add in both types for the same reason
 * (epsilon), per unit or per channel of a volume in the layout it is in. Dropout is the identity.
 */
import { onnx } from 'onnx-proto';
import type { Standardization } from '../core/data/types';
import type { Activation, Spec } from '../core/format/types';
import type { Matrix } from '../core/matrix';
import { initializeGraph } from '../core/engine/convnet';
import { initializeBatchNorm, initializeParametersDeep } from '../core/engine/init';
import { BN_EPSILON } from '../core/engine/batchnorm';
import { EngineError, nodeKeys, networkOf, parameterDims, parameterKeys, type ConvNode, type DenseNode, type EngineLayer, type Network, type PoolNode } from '../core/engine/network';
import type { Geometry } from '../core/engine/conv';
import { validateParameters } from '../core/engine/params';
import { createRandom } from '../core/engine/random';
import type { Parameters } from '../core/engine/types';

export interface OnnxOptions {
  /** The element type of the weights, X and AL: float32 (the default of frameworks) or float64 (the engine's). */
  dtype: 'float32' | 'float64';
  /**
   * The training set's standardisation (a parameters file's meta.standardization): when given,
   * the model subtracts the means and divides by the deviations first, so X is the raw features
   * as `dnn predict --input` reads them.
   */
  standardization?: Standardization;
  /** How far the drawing of the initial weights has gone, when they are drawn (see ExportInput.onDraw). */
  onDraw?: (fraction: number) => void;
}

/** The operator set the model imports (ONNX 1.12, which every current runtime and Netron read). */
export const ONNX_OPSET = 17;
/** The IR version that goes with opset 17. */
export const ONNX_IR_VERSION = 8;

/**
 * The ONNX model of `spec` with `parameters` (the initial parameters of the file's init, drawn
 * from its seed, or seed 0 when the file sets none, when undefined), as the bytes of a `.onnx` file. Parameters that do not fit the
 * network, or an init that reads a file while no parameters are given, are an EngineError with
 * the JSON path it is about.
 */
export function exportOnnx(spec: Spec, parameters: Parameters | undefined, options: OnnxOptions = { dtype: 'float32' }): Uint8Array {
  const net = networkOf(spec);
  const params = parameters ?? initialParameters(spec, net, options.onDraw);
  const problems = validateParameters(net, params);
  if (problems.length > 0) throw new EngineError(`the parameters do not fit the network: ${problems.join('; ')}`);
  const std = options.standardization;
  if (std && (std.mean.length !== spec.inputUnits || std.std.length !== spec.inputUnits)) {
    throw new EngineError(`the standardisation must hold ${spec.inputUnits} means and standard deviations, one per input feature`, ['input']);
  }
  const g = new GraphBuilder(options.dtype, params);
  const volumeInput = net.graph?.volumeInput ?? false;
  const inputDims: (number | string)[] = volumeInput ? ['m', ...spec.inputShape] : [spec.inputUnits, 'm'];
  let flow: Flow = { name: 'X', layout: volumeInput ? 'nhwc' : 'columns' };
  if (std) flow = standardizeInput(g, flow, std, volumeInput ? [1, ...spec.inputShape] : [spec.inputUnits, 1]);
  if (net.graph) {
    for (const node of net.graph.nodes) {
      switch (node.kind) {
        case 'dense':
        case 'conv':
          flow = parametric(g, node, flow);
          break;
        case 'pool':
          flow = pool(g, node, flow);
          break;
        case 'flatten':
          flow = flatten(g, flow, node.l);
          break;
        case 'residual': {
          const input = flow;
          const shortcut = node.shortcut ? parametric(g, node.shortcut, input) : input;
          node.layers.forEach((inner, k) => {
            flow = parametric(g, inner, flow, k === node.layers.length - 1 ? shortcut : undefined);
          });
          break;
        }
      }
    }
  } else {
    net.layers.forEach((layer, i) => {
      const l = i + 1;
      let Z = g.node('Gemm', [g.weight(`W${l}`), flow.name, g.weight(`b${l}`)], {}, `Z${l}`);
      if (layer.batchNorm) Z = batchNorm(g, Z, String(l), 'columns');
      flow = { name: activation(g, layer, Z, `A${l}`), layout: 'columns' };
    });
  }
  if (flow.layout !== 'columns') throw new EngineError('the output layer must be dense', spec.layers[spec.layers.length - 1].path);
  g.rename(flow.name, 'AL');
  const nL = net.layerDims[net.layerDims.length - 1];
  const model = onnx.ModelProto.create({
    irVersion: ONNX_IR_VERSION,
    opsetImport: [onnx.OperatorSetIdProto.create({ domain: '', version: ONNX_OPSET })],
    producerName: 'DNN Designer',
    docString: docString(spec, net, volumeInput, options),
    graph: onnx.GraphProto.create({
      name: spec.name ?? 'network',
      node: g.nodes,
      initializer: g.initializers,
      input: [valueInfo('X', g.elemType, inputDims, volumeInput ? 'the input, (m, n_H, n_W, n_C), channels last' : 'the input, (n[0], m), one example per column')],
      output: [valueInfo('AL', g.elemType, [nL, 'm'], 'the output layer\'s activations, (n[L], m), one example per column')],
    }),
  });
  return onnx.ModelProto.encode(model).finish();
}

/** Gaussians drawn between two reports of `onDraw`. */
const DRAW_CHUNK = 1 << 16;

/**
 * What the file's init gives, drawn as training draws it (the same seed, the same order). With
 * `onDraw`, each tensor is drawn in chunks, in the same order, so the values are the same.
 */
function initialParameters(spec: Spec, net: Network, onDraw?: (fraction: number) => void): Parameters {
  const init = spec.training.init;
  if (init.scheme === 'file') {
    throw new EngineError(`init reads the parameters file '${init.path}': load it and export with those parameters`, ['training', 'init']);
  }
  const rng = createRandom(spec.training.seed ?? 0);
  let randn = (out: Float64Array): void => rng.randn(out);
  if (onDraw) {
    // The weights are what is drawn: W and a shortcut's W (biases start at 0, batch norm at 1 and 0).
    let total = 0;
    for (const key of parameterKeys(net)) if (key.startsWith('W')) total += (parameterDims(net, key) ?? []).reduce((a, b) => a * b, 1);
    let drawn = 0;
    let said = -1;
    randn = (out) => {
      for (let i = 0; i < out.length; i += DRAW_CHUNK) {
        const chunk = out.subarray(i, Math.min(out.length, i + DRAW_CHUNK));
        rng.randn(chunk);
        drawn += chunk.length;
        const percent = Math.floor((100 * drawn) / Math.max(1, total));
        if (percent !== said) onDraw(percent / 100);
        said = percent;
      }
    };
  }
  if (net.graph) return initializeGraph(net.graph, init.scheme, init.scale, randn);
  const parameters = initializeParametersDeep(net.layerDims, init.scheme, init.scale, randn);
  initializeBatchNorm(net.layerDims, net.layers.map((l) => l.batchNorm), parameters);
  return parameters;
}

/** A tensor between layers: columns (n, m), or a volume in ONNX's NCHW or the input's NHWC. */
interface Flow {
  name: string;
  layout: 'columns' | 'nchw' | 'nhwc';
}

/** Integers and lists of integers; a float is `{ float: x }`, since ONNX types each attribute. */
type Attributes = Record<string, number | number[] | { float: number }>;

/** Collects nodes and initializers; names tensors as the course does (Z3, A3, W3, ...). */
class GraphBuilder {
  readonly nodes: onnx.INodeProto[] = [];
  readonly initializers: onnx.ITensorProto[] = [];
  readonly elemType: number;
  private readonly names = new Set<string>(['X']);

  constructor(
    readonly dtype: 'float32' | 'float64',
    private readonly parameters: Parameters,
  ) {
    this.elemType = dtype === 'float32' ? onnx.TensorProto.DataType.FLOAT : onnx.TensorProto.DataType.DOUBLE;
  }

  /** A fresh tensor name: `base`, or `base_2`, `base_3`, ... when taken. */
  unique(base: string): string {
    let name = base;
    for (let k = 2; this.names.has(name); k++) name = `${base}_${k}`;
    this.names.add(name);
    return name;
  }

  /** One node; returns the name of its output. */
  node(op: string, inputs: string[], attrs: Attributes, output: string): string {
    const out = this.unique(output);
    const attribute = Object.entries(attrs).map(([name, v]) =>
      Array.isArray(v)
        ? onnx.AttributeProto.create({ name, type: onnx.AttributeProto.AttributeType.INTS, ints: v })
        : typeof v === 'number'
          ? onnx.AttributeProto.create({ name, type: onnx.AttributeProto.AttributeType.INT, i: v })
          : onnx.AttributeProto.create({ name, type: onnx.AttributeProto.AttributeType.FLOAT, f: v.float }),
    );
    this.nodes.push(onnx.NodeProto.create({ name: `${op}_${out}`, opType: op, input: inputs, output: [out], attribute }));
    return out;
  }

  /** A constant of the model's element type. */
  constant(name: string, dims: number[], values: ArrayLike<number>): string {
    const unique = this.unique(name);
    this.initializers.push(onnx.TensorProto.create({ name: unique, dims, dataType: this.elemType, rawData: rawData(this.dtype, values) }));
    return unique;
  }

  /** An int64 constant (shapes). */
  ints(name: string, values: number[]): string {
    const unique = this.unique(name);
    this.initializers.push(onnx.TensorProto.create({ name: unique, dims: [values.length], dataType: onnx.TensorProto.DataType.INT64, int64Data: values }));
    return unique;
  }

  /** A parameter by its key, with the given dims (its matrix's shape unless said). */
  weight(key: string, dims?: number[], values?: ArrayLike<number>): string {
    const M = this.matrix(key);
    return this.constant(key, dims ?? [M.rows, M.cols], values ?? M.data);
  }

  matrix(key: string): Matrix {
    const M = this.parameters.get(key);
    if (!M) throw new EngineError(`the parameters lack ${key}`);
    return M;
  }

  /** Gives the tensor `from` the name `to` (the graph's output must be called AL). */
  rename(from: string, to: string): void {
    for (const node of this.nodes) {
      if (node.output) node.output = node.output.map((o) => (o === from ? to : o));
      if (node.input) node.input = node.input.map((i) => (i === from ? to : i));
    }
    if (from === 'X') this.nodes.push(onnx.NodeProto.create({ name: 'Identity_AL', opType: 'Identity', input: ['X'], output: [to] }));
  }
}

/**
 * The values as raw_data, the schema's fixed-width little-endian IEEE 754 entries: one typed array
 * per tensor rather than float_data's list of numbers, which a large network (VGG-16's 138 million
 * weights) would not fit in memory as.
 */
function rawData(dtype: 'float32' | 'float64', values: ArrayLike<number>): Uint8Array {
  const size = dtype === 'float32' ? 4 : 8;
  const bytes = new Uint8Array(values.length * size);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) {
    if (dtype === 'float32') view.setFloat32(i * size, values[i], true);
    else view.setFloat64(i * size, values[i], true);
  }
  return bytes;
}

/** (X - mean) / std, the training set's standardisation, over features in the input's layout. */
function standardizeInput(g: GraphBuilder, flow: Flow, std: Standardization, dims: number[]): Flow {
  const centred = g.node('Sub', [flow.name, g.constant('mean', dims, std.mean)], {}, 'X_centred');
  return { name: g.node('Div', [centred, g.constant('std', dims, std.std)], {}, 'X_standardized'), layout: flow.layout };
}

/** A conv or dense layer of a graph: Z = W * A_prev + b (+ the residual sum), A = g(Z). */
function parametric(g: GraphBuilder, node: DenseNode | ConvNode, flow: Flow, added?: Flow): Flow {
  const [Wkey, bkey] = nodeKeys(node);
  const suffix = Wkey.slice(1);
  let Z: Flow;
  if (node.kind === 'dense') {
    if (flow.layout !== 'columns') throw new EngineError(`layer ${node.l} is dense but its input is a volume`, node.path);
    Z = { name: g.node('Gemm', [g.weight(Wkey), flow.name, g.weight(bkey)], {}, `Z${suffix}`), layout: 'columns' };
  } else if (g.dtype === 'float32') {
    const geo = node.g;
    const W = g.matrix(Wkey).data;
    // (f_H, f_W, n_C[l-1], n_C[l]) row-major -> ONNX's (n_C[l], n_C[l-1], f_H, f_W).
    const Wt = new Float64Array(W.length);
    for (let y = 0; y < geo.fH; y++)
      for (let x = 0; x < geo.fW; x++)
        for (let i = 0; i < geo.cPrev; i++)
          for (let o = 0; o < geo.c; o++) Wt[((o * geo.cPrev + i) * geo.fH + y) * geo.fW + x] = W[((y * geo.fW + x) * geo.cPrev + i) * geo.c + o];
    const weights = g.weight(Wkey, [geo.c, geo.cPrev, geo.fH, geo.fW], Wt);
    const bias = g.weight(bkey, [geo.c]);
    const input = toLayout(g, flow, 'nchw');
    Z = { name: g.node('Conv', [input, weights, bias], { kernel_shape: [geo.fH, geo.fW], strides: [geo.sH, geo.sW], pads: [geo.top, geo.left, geo.bottom, geo.right] }, `Z${suffix}`), layout: 'nchw' };
  } else {
    // onnxruntime has no float64 Conv: the course's im2col instead, channels last. Each window
    // offset (y, x) is one strided Slice of the padded input; their Concat along channels is a row
    // of the engine's cols, (f_H·f_W·n_C[l-1]) in (y, x, c) order, which is W's matrix's rows.
    const cols = g.node('Concat', windows(g, toLayout(g, flow, 'nhwc'), node.g, 0, `A${suffix}_prev`), { axis: 3 }, `cols${suffix}`);
    const product = g.node('MatMul', [cols, g.weight(Wkey)], {}, `Z${suffix}_product`);
    Z = { name: g.node('Add', [product, g.weight(bkey, [node.g.c])], {}, `Z${suffix}`), layout: 'nhwc' };
  }
  // Batch norm with the running averages, per unit or per channel, before the residual sum.
  if (node.batchNorm) Z = { name: batchNorm(g, Z.name, suffix, Z.layout), layout: Z.layout };
  // A residual block adds its input (or its shortcut's output) to the last layer's Z before g.
  if (added) Z = { name: g.node('Add', [Z.name, Z.layout === 'columns' ? added.name : toLayout(g, added, Z.layout)], {}, `Z${suffix}_sum`), layout: Z.layout };
  return { name: activation(g, node, Z.name, `A${suffix}`), layout: Z.layout };
}

/**
 * The (y, x) windows of a volume (m, n_H, n_W, n_C) channels last, padded with `padValue`: one
 * strided Slice (m, n_H[l], n_W[l], n_C) per offset, in row-major (y, x) order.
 */
function windows(g: GraphBuilder, input: string, geo: Geometry, padValue: number, name: string): string[] {
  let padded = input;
  if (geo.top + geo.bottom + geo.left + geo.right > 0) {
    const pads = g.ints(`${name}_pads`, [0, geo.top, geo.left, 0, 0, geo.bottom, geo.right, 0]);
    padded = g.node('Pad', [input, pads, g.constant(`${name}_padValue`, [], [padValue])], {}, `${name}_padded`);
  }
  const slices: string[] = [];
  const axes = g.ints(`${name}_axes`, [1, 2]);
  const steps = g.ints(`${name}_steps`, [geo.sH, geo.sW]);
  for (let y = 0; y < geo.fH; y++) {
    for (let x = 0; x < geo.fW; x++) {
      const starts = g.ints(`${name}_start${y}_${x}`, [y, x]);
      const ends = g.ints(`${name}_end${y}_${x}`, [y + (geo.h - 1) * geo.sH + 1, x + (geo.w - 1) * geo.sW + 1]);
      slices.push(g.node('Slice', [padded, starts, ends, axes, steps], {}, `${name}_window${y}_${x}`));
    }
  }
  return slices;
}

/** Max or average pooling; the padding takes no part in a window, as in the engine. */
function pool(g: GraphBuilder, node: PoolNode, flow: Flow): Flow {
  const geo = node.g;
  if (g.dtype === 'float32') {
    const attrs: Attributes = { kernel_shape: [geo.fH, geo.fW], strides: [geo.sH, geo.sW], pads: [geo.top, geo.left, geo.bottom, geo.right] };
    // The engine averages over the real entries of a window only, as count_include_pad = 0 does.
    if (node.mode === 'average') attrs.count_include_pad = 0;
    return { name: g.node(node.mode === 'max' ? 'MaxPool' : 'AveragePool', [toLayout(g, flow, 'nchw')], attrs, `A${node.l}`), layout: 'nchw' };
  }
  // onnxruntime's float64 pools are incomplete: the windows, then their Max, or their Sum divided
  // by the number of real entries in each window (padding with −∞ keeps it out of a max).
  const input = toLayout(g, flow, 'nhwc');
  if (node.mode === 'max') return { name: g.node('Max', windows(g, input, geo, -Infinity, `A${node.l}_prev`), {}, `A${node.l}`), layout: 'nhwc' };
  const sum = g.node('Sum', windows(g, input, geo, 0, `A${node.l}_prev`), {}, `A${node.l}_sum`);
  const counts = new Float64Array(geo.h * geo.w);
  for (let oy = 0; oy < geo.h; oy++) {
    const rows = Math.min(oy * geo.sH - geo.top + geo.fH, geo.hPrev) - Math.max(oy * geo.sH - geo.top, 0);
    for (let ox = 0; ox < geo.w; ox++) counts[oy * geo.w + ox] = rows * (Math.min(ox * geo.sW - geo.left + geo.fW, geo.wPrev) - Math.max(ox * geo.sW - geo.left, 0));
  }
  return { name: g.node('Div', [sum, g.constant(`count${node.l}`, [1, geo.h, geo.w, 1], counts)], {}, `A${node.l}`), layout: 'nhwc' };
}

/** The tensor of a volume in the layout asked for: itself, or a Transpose of it. */
function toLayout(g: GraphBuilder, flow: Flow, layout: 'nchw' | 'nhwc'): string {
  if (flow.layout === layout) return flow.name;
  if (flow.layout === 'columns') throw new Error('a column is not a volume');
  return g.node('Transpose', [flow.name], { perm: layout === 'nchw' ? [0, 3, 1, 2] : [0, 2, 3, 1] }, `${flow.name}_${layout}`);
}

/** (m, n_C, n_H, n_W) -> (n_H·n_W·n_C, m): back to channels last, then reshape(m, -1).T. */
function flatten(g: GraphBuilder, flow: Flow, l: number): Flow {
  if (flow.layout === 'columns') return flow;
  const nhwc = toLayout(g, flow, 'nhwc');
  const rows = g.node('Reshape', [nhwc, g.ints(`shape${l}`, [0, -1])], {}, `A${l}_rows`);
  return { name: g.node('Transpose', [rows], { perm: [1, 0] }, `A${l}`), layout: 'columns' };
}

/**
 * Batch norm with the running averages, as the engine predicts (course 2, week 3):
 * Ztilde = gamma · (Z − runningMean) / sqrt(runningVar + ε) + beta, per unit (a row of columns) or
 * per channel of a volume, whose four tensors are shaped to broadcast over the layout's channel
 * axis. `suffix` is the keys' ("3" for gamma3, "s5" for a shortcut's gammas5). Written out rather
 * than as BatchNormalization, whose epsilon attribute is a 32-bit float.
 */
function batchNorm(g: GraphBuilder, Z: string, suffix: string, layout: Flow['layout']): string {
  const M = g.matrix(`gamma${suffix}`);
  const n = M.rows * M.cols;
  const dims = layout === 'columns' ? [n, 1] : layout === 'nchw' ? [1, n, 1, 1] : [1, 1, 1, n];
  const variance = g.node('Add', [g.weight(`runningVar${suffix}`, dims), g.constant('epsilon', [], [BN_EPSILON])], {}, `var${suffix}_eps`);
  const sd = g.node('Sqrt', [variance], {}, `std${suffix}`);
  const centred = g.node('Sub', [Z, g.weight(`runningMean${suffix}`, dims)], {}, `Z${suffix}_centred`);
  const norm = g.node('Div', [centred, sd], {}, `Z${suffix}_norm`);
  const scaled = g.node('Mul', [g.weight(`gamma${suffix}`, dims), norm], {}, `Z${suffix}_scaled`);
  return g.node('Add', [scaled, g.weight(`beta${suffix}`, dims)], {}, `Z${suffix}_tilde`);
}

/** A = g(Z); softmax normalises each column (axis 0), since examples are columns. */
function activation(g: GraphBuilder, layer: EngineLayer, Z: string, A: string): string {
  const ops: Record<Exclude<Activation, 'leaky-relu' | 'linear' | 'softmax'>, string> = { sigmoid: 'Sigmoid', tanh: 'Tanh', relu: 'Relu' };
  switch (layer.activation) {
    case 'linear':
      return Z;
    case 'softmax':
      return g.node('Softmax', [Z], { axis: 0 }, A);
    case 'leaky-relu': {
      if (g.dtype === 'float32') return g.node('LeakyRelu', [Z], { alpha: { float: layer.alpha } }, A);
      // LeakyRelu's alpha is a 32-bit float; z > 0 ? z : alpha·z keeps the engine's alpha.
      const positive = g.node('Greater', [Z, g.constant('zero', [], [0])], {}, `${Z}_positive`);
      const slope = g.node('Mul', [Z, g.constant('alpha', [], [layer.alpha])], {}, `${Z}_slope`);
      return g.node('Where', [positive, Z, slope], {}, A);
    }
    default:
      return g.node(ops[layer.activation], [Z], {}, A);
  }
}

function valueInfo(name: string, elemType: number, dims: (number | string)[], doc: string): onnx.IValueInfoProto {
  return onnx.ValueInfoProto.create({
    name,
    docString: doc,
    type: onnx.TypeProto.create({
      tensorType: onnx.TypeProto.Tensor.create({
        elemType,
        shape: onnx.TensorShapeProto.create({ dim: dims.map((d) => onnx.TensorShapeProto.Dimension.create(typeof d === 'number' ? { dimValue: d } : { dimParam: d })) }),
      }),
    }),
  });
}

function docString(spec: Spec, net: Network, volumeInput: boolean, options: OnnxOptions): string {
  const input = volumeInput
    ? `X is (m, ${spec.inputShape.join(', ')}): (m, n_H, n_W, n_C), channels last, one picture per example as the course holds them.`
    : `X is (${spec.inputUnits}, m): (n[0], m), one example per column, as the course holds them.`;
  const nL = net.layerDims[net.layerDims.length - 1];
  return [
    `${spec.name ?? 'A network'} exported by DNN Designer (${options.dtype}).`,
    input,
    `AL is (${nL}, m): (n[L], m), the output layer's activations, one example per column.`,
    options.standardization ? 'X is the raw features: the model standardises them with the training set\'s means and deviations.' : 'X is given as the network was trained on it.',
    'Inside, volumes are NCHW as ONNX\'s Conv needs them; a flatten returns to channels last first, so its order is reshape(m, -1).T.',
  ].join('\n');
}
