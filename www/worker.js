// A Web Worker of the page: computes shares of the page's work with the same
// wasm as the page: losses at points of the landscape's grid (GridWorker) and
// points of the learning-rate sweep (SweepWorker).
// Messages in: {module} once, then {kind: "grid", job, from, indices, context?}
// or {kind: "sweep", job, index, context?}; out: {ready}, then for each share
// {kind, job, from, values, ms} or {kind, job, index, point, ms}, or {failed}
// with the reason.
import init, { GridWorker, SweepWorker } from "../pkg/gradlab.js";

const makers = { grid: (context) => new GridWorker(context), sweep: (context) => new SweepWorker(context) };
/** The job of each kind this worker holds the context of. */
const jobs = {};
let started;

addEventListener("message", async ({ data }) => {
  try {
    if (data.module) {
      started = init({ module_or_path: data.module });
      await started;
      postMessage({ ready: true });
      return;
    }
    await started;
    const { kind, job } = data;
    if (data.context) {
      jobs[kind]?.free();
      jobs[kind] = makers[kind](data.context);
    }
    const worker = jobs[kind];
    if ((kind === "grid" ? worker?.grid() : worker?.sweep()) !== job) throw new Error(`no context for ${kind} ${job}`);
    const t0 = performance.now();
    if (kind === "grid") {
      const values = worker.losses(data.indices);
      postMessage({ kind, job, from: data.from, values, ms: performance.now() - t0 }, [values.buffer]);
    } else {
      const point = worker.point(data.index);
      postMessage({ kind, job, index: data.index, point, ms: performance.now() - t0 }, [point.buffer]);
    }
  } catch (error) {
    postMessage({ failed: error?.message ?? String(error) });
  }
});
