// The loss landscape's grid computed on every core: Web Workers running the
// same wasm take shares of the grid under way (NetworkLab.shareLandscape),
// compute their losses and hand them back (fillLandscape); the page only
// draws. Where workers cannot start (or one fails), the page computes the
// grid itself, a slice of each frame, as before.

/** How long a share should take a worker (ms): long enough that messages cost little, short enough that a newer grid soon gets the workers. */
const SHARE_MS = 6;
/** Shares a worker holds at once: the next one waits in its queue, so that it computes while the page is busy with a frame. */
const QUEUED = 2;

/**
 * A worker running the grid's script: the served module, or (the one-file
 * page) its bundled text as a classic script, since a page opened from disk
 * may not start a module worker from a blob.
 */
function startWorker() {
  if (globalThis.GRADLAB_WORKER) return new Worker(URL.createObjectURL(new Blob([globalThis.GRADLAB_WORKER], { type: "text/javascript" })));
  return new Worker(new URL("./grid_worker.js", import.meta.url), { type: "module" });
}

/**
 * Starts workers for `lab`'s landscape from the compiled wasm `module`:
 * `navigator.hardwareConcurrency` of them, at least two and at most eight.
 * `changed()` is called when a share came back into the picture; `failed(reason)`
 * when the page must compute the grid itself again. Returns `{ dispatch, count }`:
 * `dispatch()` hands shares to idle workers (call it when a grid may have
 * been made); `count()` is how many workers are computing (0 before they are ready and after a failure).
 */
export function gridWorkers(lab, module, { changed, failed }) {
  const wanted = Math.min(8, Math.max(2, navigator.hardwareConcurrency || 2));
  const workers = [];
  let msPerPoint = null;
  let stopped = false;

  function stop(reason) {
    if (stopped) return;
    stopped = true;
    for (const w of workers) w.thread.terminate();
    workers.length = 0;
    lab.shareLandscapeOut(false);
    failed(reason);
  }

  /** Gives each ready worker shares until it holds QUEUED, one round of the workers at a time. */
  function dispatch() {
    for (let round = 0; round < QUEUED; round++) {
      for (const w of workers) {
        if (stopped || !w.ready || w.held > round) continue;
        const size = msPerPoint ? Math.round(SHARE_MS / msPerPoint) : 16;
        const text = lab.shareLandscape(Math.min(256, Math.max(4, size)));
        if (text === undefined) return;
        const share = JSON.parse(text);
        const message = { grid: share.grid, from: share.from, indices: Uint32Array.from(share.indices) };
        if (w.grid !== share.grid) {
          message.context = lab.landscapeContext();
          w.grid = share.grid;
        }
        w.held += 1;
        w.thread.postMessage(message, [message.indices.buffer, ...(message.context ? [message.context.buffer] : [])]);
      }
    }
  }

  function answer(w, data) {
    if (data.failed) return stop(`a worker failed: ${data.failed}`);
    if (data.ready) {
      w.ready = true;
      lab.shareLandscapeOut(true);
    } else {
      w.held -= 1;
      const perPoint = data.ms / data.values.length;
      msPerPoint = msPerPoint == null ? perPoint : 0.7 * msPerPoint + 0.3 * perPoint;
      if (lab.fillLandscape(data.grid, data.from, data.values)) changed();
    }
    dispatch();
  }

  try {
    for (let k = 0; k < wanted; k++) {
      const w = { thread: startWorker(), ready: false, held: 0, grid: null };
      w.thread.addEventListener("message", ({ data }) => answer(w, data));
      w.thread.addEventListener("error", (event) => stop(`a worker could not run: ${event.message ?? "no reason given"}`));
      w.thread.postMessage({ module });
      workers.push(w);
    }
  } catch (error) {
    stop(`workers could not start: ${error?.message ?? error}`);
  }
  return { dispatch, count: () => workers.filter((w) => w.ready).length };
}
