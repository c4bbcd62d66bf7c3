// Small helpers shared by the two labs.

export const $ = (id) => document.getElementById(id);

/** Sizes a canvas to the width of its box (CSS pixels), at `aspect` height/width, at most `maxHeight` high. */
export function fitCanvas(canvas, aspect, maxHeight) {
  const width = Math.max(200, Math.floor(canvas.parentElement.clientWidth));
  const height = Math.max(160, Math.floor(Math.min(width * aspect, maxHeight)));
  if (canvas.width !== width || canvas.height !== height) {
    canvas.width = width;
    canvas.height = height;
  }
}

/** The message of an error thrown by the core. */
export function errorText(error) {
  return error instanceof Error ? error.message : String(error);
}
