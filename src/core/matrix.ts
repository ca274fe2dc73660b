/**
 * A dense float64 matrix, row-major. Examples are columns, as in the course: X is (n[0], m).
 * `data[i * cols + j]` is the entry in row i, column j.
 */
export interface Matrix {
  rows: number;
  cols: number;
  data: Float64Array;
  /**
   * The logical shape when it is not (rows, cols): a conv layer's W (f_H, f_W, n_C[l-1], n_C[l])
   * is the matrix (f_H·f_W·n_C[l-1], n_C[l]) and its b (1, 1, 1, n_C[l]) the matrix (1, n_C[l]),
   * the same entries in the same row-major order. The parameters file writes these dims.
   */
  dims?: number[];
}

export function zeros(rows: number, cols: number): Matrix {
  return { rows, cols, data: new Float64Array(rows * cols) };
}

/** A matrix from nested row arrays (the parameters file's layout). */
export function fromRows(rows: number[][]): Matrix {
  const r = rows.length;
  const c = r === 0 ? 0 : rows[0].length;
  const m = zeros(r, c);
  for (let i = 0; i < r; i++) {
    if (rows[i].length !== c) throw new Error(`row ${i} has ${rows[i].length} entries, expected ${c}`);
    for (let j = 0; j < c; j++) m.data[i * c + j] = rows[i][j];
  }
  return m;
}

export function toRows(m: Matrix): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < m.rows; i++) out.push(Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
  return out;
}
