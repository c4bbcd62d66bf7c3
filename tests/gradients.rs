//! Every analytic gradient against central differences, at random points.

use gradlab::descent::linreg::LinearData;
use gradlab::descent::surface::{Surface, SURFACE_IDS};
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

/// A random architecture: 1 or 2 inputs, 0 to 3 hidden layers of 1 to 6 neurons, any activations and loss.
fn architecture() -> impl Strategy<Value = gradlab::nn::network::Architecture> {
    use gradlab::nn::activation::Activation;
    use gradlab::nn::network::{Architecture, Loss};
    let act = prop_oneof![Just(Activation::Sigmoid), Just(Activation::Tanh), Just(Activation::Relu), Just(Activation::Linear)];
    (
        1usize..=2,
        proptest::collection::vec((1usize..=6, act), 0..=3),
        prop_oneof![Just(Loss::Mse), Just(Loss::Bce), Just(Loss::Ce)],
        prop_oneof![Just(Activation::Sigmoid), Just(Activation::Tanh), Just(Activation::Linear)],
        2usize..=5,
    )
        .prop_map(|(inputs, hidden, loss, out, classes)| {
            let mut sizes = vec![inputs];
            let mut activations = Vec::new();
            for (n, a) in hidden {
                sizes.push(n);
                activations.push(a);
            }
            // A softmax output has a neuron a class; the others one output.
            sizes.push(if loss == Loss::Ce { classes } else { 1 });
            activations.push(match loss {
                Loss::Bce => Activation::Sigmoid,
                Loss::Ce => Activation::Softmax,
                Loss::Mse => out,
            });
            Architecture { sizes, activations, loss }
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn backprop_matches_central_differences_on_random_networks(arch in architecture(), seed in 0u64..10_000) {
        use gradlab::nn::data::{DataSpec, Dataset, DatasetKind};
        use gradlab::nn::gradcheck::gradient_check;
        use gradlab::nn::network::{Init, Network};
        let inputs = arch.sizes[0];
        let mut net = Network::init(arch, Init::Xavier, seed).unwrap();
        // Biases start at 0, which puts dead ReLUs exactly on their kink: move them off it.
        for (i, p) in net.params.iter_mut().enumerate() {
            *p += 0.01 * (i as f64 + 1.0).sin();
        }
        let id = if inputs == 2 { DatasetKind::Moons } else { DatasetKind::Sine };
        let mut data = Dataset::generate(id, DataSpec { points: 12, noise: 0.3, seed, classes: 3 }).unwrap();
        match net.arch.loss {
            // Targets for cross-entropy must be classes, one-hot for a softmax output.
            gradlab::nn::network::Loss::Bce => data.y.data.iter_mut().for_each(|t| *t = if *t > 0.0 { 1.0 } else { 0.0 }),
            gradlab::nn::network::Loss::Ce => {
                let k = net.arch.sizes[net.arch.layers()];
                data.y.data.iter_mut().enumerate().for_each(|(r, t)| *t = (r % k) as f64);
                data = data.one_hot(k).unwrap();
            }
            gradlab::nn::network::Loss::Mse => {}
        }
        // A central difference across ReLU's kink measures neither side's slope:
        // only points whose ReLU inputs sit clear of 0 (by far more than a step moves them) are compared.
        let forward = net.forward(&data.x);
        let near_kink = net.arch.activations.iter().zip(&forward.z).any(|(act, z)| {
            *act == gradlab::nn::activation::Activation::Relu && z.data.iter().any(|v| v.abs() < 1e-3)
        });
        prop_assume!(!near_kink);
        for (l, check) in gradient_check(&net, &data.x, &data.y).iter().enumerate() {
            prop_assert!(check.agrees && check.relative_error < 1e-5, "layer {}: {:?} in {:?}", l + 1, check, net.arch);
        }
    }
}
