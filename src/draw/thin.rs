//! Long lines thinned to what their pixels can show, so that a run of a
//! hundred thousand steps draws as fast as a short one and looks the same.

/// The points of a path that change its pixel: a point in the same pixel
/// as the last one kept is dropped; the first and the last always stay.
pub fn distinct_pixels<P: Copy>(points: &[P], pixel: impl Fn(P) -> (i32, i32)) -> Vec<P> {
    let mut kept: Vec<P> = Vec::with_capacity(points.len().min(4096));
    let mut last = None;
    for (k, &p) in points.iter().enumerate() {
        let at = pixel(p);
        if last != Some(at) || k + 1 == points.len() {
            kept.push(p);
            last = Some(at);
        }
    }
    kept
}

/// The most points a path is drawn with: a noisy path (stochastic steps)
/// changes pixel at nearly every step, and a scribble of tens of thousands of
/// thick segments takes the browser longer to paint than a frame lasts.
pub const MOST_PATH_POINTS: usize = 3_000;

/// [`distinct_pixels`], then at most [`MOST_PATH_POINTS`] of those, evenly
/// spaced, the first and the last among them.
pub fn path_to_draw<P: Copy>(points: &[P], pixel: impl Fn(P) -> (i32, i32)) -> Vec<P> {
    let distinct = distinct_pixels(points, pixel);
    let n = distinct.len();
    if n <= MOST_PATH_POINTS {
        return distinct;
    }
    (0..MOST_PATH_POINTS).map(|k| distinct[k * (n - 1) / (MOST_PATH_POINTS - 1)]).collect()
}

/// The points of a line drawn left to right (x never decreasing) that its
/// pixel columns can show: in each run of points in one column, the first,
/// the lowest, the highest and the last, in their order. The line drawn
/// through them covers the same pixels of each column as through them all.
pub fn column_envelope(points: &[(f64, f64)], column: impl Fn((f64, f64)) -> i32) -> Vec<(f64, f64)> {
    let mut kept = Vec::with_capacity(points.len().min(4096));
    let mut start = 0;
    while start < points.len() {
        let here = column(points[start]);
        let end = (start..points.len()).find(|&k| column(points[k]) != here).unwrap_or(points.len());
        let run = &points[start..end];
        let by_y = |a: &&(f64, f64), b: &&(f64, f64)| a.1.total_cmp(&b.1);
        let lowest = run.iter().enumerate().min_by(|a, b| by_y(&a.1, &b.1)).map_or(0, |(k, _)| k);
        let highest = run.iter().enumerate().max_by(|a, b| by_y(&a.1, &b.1)).map_or(0, |(k, _)| k);
        let mut picks = [0, lowest.min(highest), lowest.max(highest), run.len() - 1];
        picks.sort_unstable();
        let mut previous = None;
        for k in picks {
            if previous != Some(k) {
                kept.push(run[k]);
                previous = Some(k);
            }
        }
        start = end;
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_keeps_a_point_a_pixel_with_its_ends() {
        let points: Vec<(f64, f64)> = (0..100).map(|k| (k as f64 / 10.0, 0.0)).collect();
        let kept = distinct_pixels(&points, |p| (p.0.floor() as i32, 0));
        assert_eq!(kept.len(), 11, "the first of each pixel (0 … 9), and the last point");
        assert_eq!((kept[0], kept[10]), (points[0], points[99]));
        assert_eq!(kept[3], (3.0, 0.0), "the first point of each pixel");
    }

    #[test]
    fn a_long_scribble_is_drawn_with_at_most_a_few_thousand_points_from_its_start_to_its_end() {
        let points: Vec<(i32, i32)> = (0..50_000).map(|k| ((k * 37) % 101, (k * 53) % 97)).collect();
        let drawn = path_to_draw(&points, |p| p);
        assert_eq!(drawn.len(), MOST_PATH_POINTS);
        assert_eq!((drawn[0], drawn[MOST_PATH_POINTS - 1]), (points[0], points[49_999]));
        let short: Vec<(i32, i32)> = (0..100).map(|k| (k, 0)).collect();
        assert_eq!(path_to_draw(&short, |p| p), short, "a short path is drawn whole");
    }

    #[test]
    fn each_column_keeps_its_first_lowest_highest_and_last_in_order() {
        // Columns of ten points each, zig-zagging.
        let points: Vec<(f64, f64)> = (0..40).map(|k| (k as f64, [3.0, -1.0, 7.0, 2.0][k % 4] + k as f64 / 100.0)).collect();
        let kept = column_envelope(&points, |p| (p.0 / 10.0).floor() as i32);
        assert_eq!(kept.len(), 16);
        for (column, four) in kept.chunks(4).enumerate() {
            let run = &points[10 * column..10 * column + 10];
            let ys: Vec<f64> = run.iter().map(|p| p.1).collect();
            let (lo, hi) = ys.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &y| (a.min(y), b.max(y)));
            assert_eq!(four[0], run[0]);
            assert_eq!(four[3], run[9]);
            assert!(four[1..3].iter().any(|p| p.1 == lo) && four[1..3].iter().any(|p| p.1 == hi), "{four:?}");
            assert!(four.windows(2).all(|w| w[0].0 < w[1].0), "in their order");
        }
        assert_eq!(column_envelope(&points[..1], |_| 0), points[..1].to_vec());
        assert!(column_envelope(&[], |_| 0).is_empty());
    }
}
