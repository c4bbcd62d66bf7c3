// The backprop lab's slow views: the decision boundary, the line from θ₀
// through θₜ, the loss landscape and inside each layer. The core computes
// them a slice of each frame (the landscape's grid mostly on the workers,
// when there are any, see workers.js); each is drawn when its picture changes.
import { $, atNextFrame, errorText, frameWork, onScreen } from "./ui.js";
import { tr } from "./i18n.js";

/** Each view's canvas, whose box is marked as updating while its picture is older than the weights. */
const CANVASES = { boundary: "nn-boundary-canvas", line: "nn-line-canvas", landscape: "nn-landscape-canvas", inside: "nn-inside-canvas" };

/**
 * The slow views of `lab`: `draws[name]()` draws one, `isPlaying()` says
 * whether training plays, `showMessage(text)` says what failed, `dispatch()`
 * hands shares of the grid to the workers. Returns `draw(redraw)`,
 * `compute()`, `gridShareArrived()` and `shown()`.
 */
export function slowViews(lab, { draws, isPlaying, showMessage, dispatch }) {
  /** Each view's picture as last drawn (the core's version of it). */
  const drawnVersions = {};
  /** Whether the views are being computed a slice of each frame. */
  let computing = false;
  /** A share of the grid came back while the views compute: their next frame draws it before its slices. */
  let shareWaiting = false;
  const failed = (error) => showMessage(tr("Drawing failed: {reason}", { reason: errorText(error) }));

  /** The views on screen (their names, for `lab.updateViews`): while training plays, the others wait. */
  const shown = () => Object.keys(CANVASES).filter((name) => onScreen($(CANVASES[name]))).join(" ");
  shown(); // watched from now on, so that Play's first frames know

  /**
   * Draws each view whose picture changed since it was last drawn, or for
   * which `redraw(name)` says so (while playing, only those on screen: the
   * others wait until they come into view), and marks those whose picture is
   * older than the weights now as updating (not while playing: then every
   * picture is a little behind).
   */
  function draw(redraw) {
    const { texts, ...views } = JSON.parse(lab.viewsJson());
    $("nn-line-canvas-text").textContent = texts.line;
    $("nn-landscape-canvas-text").textContent = texts.landscape;
    for (const [name, view] of Object.entries(views)) {
      const canvas = $(CANVASES[name]);
      canvas.parentElement.classList.toggle("updating", view.updating && !isPlaying());
      if (isPlaying() && !onScreen(canvas)) continue;
      if (redraw(name) || view.version !== drawnVersions[name]) {
        draws[name]();
        drawnVersions[name] = view.version;
      }
    }
  }

  /**
   * Computes the views with what is left of each frame until
   * `frameWork.ms`, redrawing each as its picture changes, until all are done:
   * first what the workers' shares changed since the last frame (when one
   * came back), then slices with the time left, then what they changed. A
   * frame already spent (a long epoch) is skipped, but never two in a row:
   * then it takes 2 ms all the same.
   */
  function compute() {
    if (computing) return;
    computing = true;
    let skipped = false;
    requestAnimationFrame(function frame(start) {
      let left = 1;
      try {
        if ($("network-panel").hidden) {
          left = 0;
        } else if (performance.now() < start + frameWork.ms || skipped) {
          skipped = false;
          lab.updateViews(isPlaying(), shown());
          if (shareWaiting) draw(() => false);
          shareWaiting = false;
          const until = Math.max(performance.now() + 2, start + frameWork.ms);
          left = lab.advanceViews(0);
          // After each piece the workers get shares first: a grid made in this
          // frame goes out at once, and the page takes the points after theirs.
          while (left > 0 && performance.now() < until) {
            left = lab.advanceViews(1);
            dispatch();
          }
          draw(() => false);
        } else {
          skipped = true;
        }
      } catch (error) {
        failed(error);
        left = 0;
      }
      if (left > 0) requestAnimationFrame(frame);
      else computing = false;
    });
  }

  /** A share of the grid came back while the views do not compute: a frame of its own draws it. */
  const drawSoon = atNextFrame(() => {
    try {
      draw(() => false);
    } catch (error) {
      failed(error);
    }
  });

  /** Draws what a worker's share of the grid changed: in the views' next frame while they compute, else in a frame of its own. */
  function gridShareArrived() {
    if (computing) {
      shareWaiting = true;
      return;
    }
    drawSoon();
  }

  return { draw, compute, gridShareArrived, shown };
}
