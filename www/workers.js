// The page's work on the other cores: Web Workers running the same wasm take
// shares of the loss landscape's grid under way (NetworkLab.shareLandscape)
// and α values of the learning-rate sweep (shareSweep), compute them and hand
// them back (fillLandscape, fillSweep); the page draws, and with what its
// frames leave takes points of the grid too, after those handed out. Where
// workers cannot start (or one fails), the page computes both itself, a slice
// of each frame, as before.

import { tr } from "./i18n.js";

/** Who computes, after what it computes ("grid 21 × 21, refining … on 3 workers"): nothing for the page alone (0). */
export function onWorkers(count) {
  if (count === 0) return "";
  return count === 1 ? tr(" on one worker") : tr(" on {count} workers", { count });
}

/** How long a share of the grid should take a worker (ms): long enough that messages cost little, short enough that a newer grid soon gets the workers. */
const SHARE_MS = 6;
/**
 * Shares a worker holds at once: the others wait in its queue, so that it
 * computes while the page is busy with a frame. A frame of the page after a
 * Step (the charts drawn, the views' own slices) can take 25 to 35 ms, longer
 * than two shares: with two, the workers waited for it.
 */
const QUEUED = 4;

/**
 * A worker running the page's worker script: the served module, or (the
 * one-file page) its bundled text as a classic script, since a page opened
 * from disk may not start a module worker from a blob.
 */
function startWorker() {
  if (globalThis.GRADLAB_WORKER) return new Worker(URL.createObjectURL(new Blob([globalThis.GRADLAB_WORKER], { type: "text/javascript" })));
  return new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
}

/**
 * The kinds of work `lab` hands out, the grid before the sweep: how to take a
 * share of `points` (grid points) from it ({job, …} or undefined), the
 * context a worker needs for a job, where a worker's answer goes (true when
 * it is taken) and how to say whether the kind is shared out.
 */
function kinds(lab) {
  const parse = (text) => (text === undefined ? undefined : JSON.parse(text));
  return {
    grid: {
      share(points) {
        const share = parse(lab.shareLandscape(points));
        return share && { job: share.grid, from: share.from, indices: Uint32Array.from(share.indices) };
      },
      context: () => lab.landscapeContext(),
      fill: (data) => lab.fillLandscape(data.job, data.from, data.values),
      out: (shared) => lab.shareLandscapeOut(shared),
    },
    sweep: {
      share() {
        const share = parse(lab.shareSweep());
        return share && { job: share.sweep, index: share.index };
      },
      context: () => lab.sweepContext(),
      fill: (data) => lab.fillSweep(data.job, data.index, data.point),
      out: (shared) => lab.shareSweepOut(shared),
    },
  };
}

/**
 * Starts workers for `lab` from the compiled wasm `module`: one for each core
 * but the one the page itself draws on (`navigator.hardwareConcurrency` − 1),
 * at least one and at most eight. The page's core is left to it: on a machine
 * of two cores, a second worker finished the 41 × 41 grid after a Step no
 * sooner (the page's own drawing and the browser's compositing then wait for
 * a core), and made every other frame meanwhile late.
 * `changed(kind)` is called when a share of that kind ("grid", "sweep") came
 * back into the picture; `ready()` when one more worker is ready; `failed(reason)` when the page must compute
 * everything itself again. Returns `{ dispatch, count }`: `dispatch()` hands
 * shares to idle workers (call it when a grid or a sweep may have been
 * made); `count()` is how many workers are computing (0 before they are
 * ready and after a failure).
 */
export function labWorkers(lab, module, { changed, ready, failed }) {
  const wanted = Math.min(8, Math.max(1, (navigator.hardwareConcurrency || 2) - 1));
  const work = kinds(lab);
  const workers = [];
  let msPerPoint = null;
  let stopped = false;

  function stop(reason) {
    if (stopped) return;
    stopped = true;
    for (const w of workers) w.thread.terminate();
    workers.length = 0;
    for (const kind of Object.values(work)) kind.out(false);
    failed(reason);
  }

  /** The next share for worker `w`, of the first kind that has one, as its message (with the context when the worker lacks it). */
  function nextShare(w) {
    const points = Math.min(256, Math.max(4, msPerPoint ? Math.round(SHARE_MS / msPerPoint) : 16));
    for (const [kind, source] of Object.entries(work)) {
      const share = source.share(points);
      if (share === undefined) continue;
      const message = { kind, ...share };
      if (w.jobs[kind] !== share.job) {
        message.context = source.context();
        w.jobs[kind] = share.job;
      }
      return message;
    }
    return undefined;
  }

  /** Gives each ready worker shares until it holds QUEUED, one round of the workers at a time. */
  function dispatch() {
    for (let round = 0; round < QUEUED; round++) {
      for (const w of workers) {
        if (stopped || !w.ready || w.held > round) continue;
        const message = nextShare(w);
        if (message === undefined) return;
        w.held += 1;
        const buffers = [message.indices?.buffer, message.context?.buffer].filter(Boolean);
        w.thread.postMessage(message, buffers);
      }
    }
  }

  function answer(w, data) {
    if (data.failed) return stop(`a worker failed: ${data.failed}`);
    if (data.ready) {
      w.ready = true;
      for (const kind of Object.values(work)) kind.out(true);
      ready();
    } else {
      w.held -= 1;
      if (data.kind === "grid") {
        const perPoint = data.ms / data.values.length;
        msPerPoint = msPerPoint == null ? perPoint : 0.7 * msPerPoint + 0.3 * perPoint;
      }
      if (work[data.kind].fill(data)) changed(data.kind);
    }
    dispatch();
  }

  try {
    for (let k = 0; k < wanted; k++) {
      const w = { thread: startWorker(), ready: false, held: 0, jobs: {} };
      w.thread.addEventListener("message", ({ data }) => {
        try {
          answer(w, data);
        } catch (error) {
          stop(`a worker's answer could not be taken: ${error?.message ?? error}`);
        }
      });
      w.thread.addEventListener("error", (event) => stop(`a worker could not run: ${event.message ?? "no reason given"}`));
      w.thread.postMessage({ module });
      workers.push(w);
    }
  } catch (error) {
    stop(`workers could not start: ${error?.message ?? error}`);
  }
  return { dispatch, count: () => workers.filter((w) => w.ready).length };
}
