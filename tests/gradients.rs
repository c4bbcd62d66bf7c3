//! Every analytic gradient against central differences, at random points.

use gradlab::linreg::LinearData;
use gradlab::surface::{Surface, SURFACE_IDS};
use proptest::prelude::*;

/// ∂f/∂x and ∂f/∂y by central differences with a step scaled to the point.
fn numeric_gradient(s: &Surface, p: [f64; 2]) -> [f64; 2] {
    let mut g = [0.0; 2];
    for i in 0..2 {
        let h = 1e-6 * p[i].abs().max(1.0);
        let (mut a, mut b) = (p, p);
        a[i] += h;
        b[i] -= h;
        g[i] = (s.value(a) - s.value(b)) / (2.0 * h);
    }
    g
}

fn assert_gradient_matches(s: &Surface, p: [f64; 2]) -> Result<(), TestCaseError> {
    let analytic = s.gradient(p);
    let numeric = numeric_gradient(s, p);
    let scale = analytic[0].abs().max(analytic[1].abs()).max(1.0);
    for i in 0..2 {
        prop_assert!(
            (analytic[i] - numeric[i]).abs() <= 1e-6 * scale,
            "{} at {:?}: analytic {:?}, numeric {:?}",
            s.id(),
            p,
            analytic,
            numeric
        );
    }
    Ok(())
}

proptest! {
    #[test]
    fn built_in_surfaces(index in 0..SURFACE_IDS.len(), u in 0.0..1.0f64, v in 0.0..1.0f64) {
        let s = Surface::from_id(SURFACE_IDS[index]).unwrap();
        let view = s.default_view();
        let p = [view.x_min + u * (view.x_max - view.x_min), view.y_min + v * (view.y_max - view.y_min)];
        assert_gradient_matches(&s, p)?;
    }

    #[test]
    fn bowls_of_any_condition_and_angle(condition in 1.0..100.0f64, angle in -180.0..180.0f64, x in -3.0..3.0f64, y in -3.0..3.0f64) {
        assert_gradient_matches(&Surface::Bowl { condition, angle_deg: angle }, [x, y])?;
    }

    #[test]
    fn linear_regression_on_any_seeded_data(seed in 0u64..1000, m in 1usize..50, x in -5.0..10.0f64, y in -5.0..10.0f64) {
        assert_gradient_matches(&Surface::LinearRegression(LinearData::generate(m, 1.0, seed)), [x, y])?;
    }
}
