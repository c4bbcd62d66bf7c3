// A Web Worker of the page: computes the loss at points of the landscape's
// grid, a share at a time, with the same wasm as the page (GridWorker).
// Messages in: {module} once, then {grid, from, indices, context?}; out:
// {ready}, {grid, from, values, ms} for each share, or {failed} with the reason.
import init, { GridWorker } from "../pkg/gradlab.js";

let started;
let worker = null;

addEventListener("message", async ({ data }) => {
  try {
    if (data.module) {
      started = init({ module_or_path: data.module });
      await started;
      postMessage({ ready: true });
      return;
    }
    await started;
    if (data.context) {
      worker?.free();
      worker = new GridWorker(data.context);
    }
    if (worker?.grid() !== data.grid) throw new Error(`no context for grid ${data.grid}`);
    const t0 = performance.now();
    const values = worker.losses(data.indices);
    postMessage({ grid: data.grid, from: data.from, values, ms: performance.now() - t0 }, [values.buffer]);
  } catch (error) {
    postMessage({ failed: error?.message ?? String(error) });
  }
});
