//! The core's loops natively, for the wasm/native ratio of `cargo xtask bench`.
//! Prints one JSON object: for each workload, the per-repeat times in ms.

use std::time::Instant;

use gradlab::descent::run::{Apply, DescentRun};
use gradlab::descent::surface::{Surface, ViewBox, SURFACE_IDS};
use gradlab::descent::typed::TypedSurface;
use gradlab::draw::layer::SurfaceLayer;
use gradlab::nn::activation::Activation;
use gradlab::nn::data::{DataSpec, Dataset, DatasetKind};
use gradlab::nn::network::{Architecture, Init, Loss, Network};
use gradlab::nn::train::{TrainConfig, TrainingRun};
use gradlab::optim::Optimizer;

const REPEATS: usize = 7;

/// ms of each of REPEATS runs of `work`, after one warm-up run.
fn time(mut work: impl FnMut()) -> Vec<f64> {
    work();
    (0..REPEATS)
        .map(|_| {
            let start = Instant::now();
            work();
            start.elapsed().as_secs_f64() * 1e3
        })
        .collect()
}

/// The TensorFlow Playground configuration: tanh everywhere, squared error,
/// circle data, mini-batches of 10, plain gradient descent with α = 0.03.
fn playground_run(hidden: &[usize], points: usize) -> TrainingRun {
    let mut sizes = vec![2];
    sizes.extend_from_slice(hidden);
    sizes.push(1);
    let layers = sizes.len() - 1;
    let arch = Architecture { sizes, activations: vec![Activation::Tanh; layers], loss: Loss::Mse };
    let data = Dataset::generate(DatasetKind::Circle, DataSpec { points, noise: 0.0, seed: 1, classes: 3 }).unwrap();
    let empty = data.split(1.0, 1).unwrap().1;
    let config = TrainConfig { optimizer: Optimizer::Sgd, lr: 0.03, batch_size: 10, l2: 0.0, seed: 1 };
    TrainingRun::new(Network::init(arch, Init::Xavier, 1).unwrap(), data, empty, config).unwrap()
}

fn main() {
    // Under `cargo bench` libtest passes --bench; nothing else is expected.
    let mut results = serde_json::Map::new();
    const EPOCHS: usize = 200;
    for (name, hidden, points) in
        [("train_4_2_250", vec![4, 2], 250), ("train_8x6_250", vec![8; 6], 250), ("train_8x6_450", vec![8; 6], 450)]
    {
        let mut run = playground_run(&hidden, points);
        let alone = time(|| {
            std::hint::black_box(run.train_unrecorded(EPOCHS));
        });
        results.insert(name.into(), serde_json::json!({ "ms": alone, "per": EPOCHS }));
        let recorded = time(|| {
            run.reset();
            for _ in 0..EPOCHS {
                run.step_epoch();
            }
        });
        results.insert(format!("{name}_recorded"), serde_json::json!({ "ms": recorded, "per": EPOCHS }));
    }
    const STEPS: usize = 1000;
    for id in SURFACE_IDS {
        let surface = Surface::from_id(id).unwrap();
        let (lr, start) = (surface.default_lr(), surface.default_start());
        let mut run = DescentRun::new(surface, Optimizer::Sgd, lr, start).unwrap();
        let times = time(|| {
            run.reset();
            for _ in 0..STEPS {
                run.step();
            }
        });
        results.insert(format!("descent_{id}"), serde_json::json!({ "ms": times, "per": STEPS }));
    }
    let surface = Surface::from_id("linear_regression").unwrap();
    let mut run = DescentRun::new(surface.clone(), Optimizer::Sgd, 0.1, [0.0, 0.0]).unwrap();
    for _ in 0..STEPS {
        run.step();
    }
    let mut lr = 0.1;
    let rerun = time(|| {
        lr = if lr == 0.1 { 0.05 } else { 0.1 };
        run.set_lr(lr, Apply::Replay).unwrap();
    });
    results.insert("lr_rerun_1000".into(), serde_json::json!({ "ms": rerun, "per": 1 }));
    let heatmap = time(|| {
        std::hint::black_box(SurfaceLayer::compute(&surface, surface.default_view(), 512, 512));
    });
    results.insert("heatmap_512".into(), serde_json::json!({ "ms": heatmap, "per": 1 }));
    let typed = Surface::Typed(Box::new(TypedSurface::new("sin(x)*cos(y) + 0.1*(x^2 + y^2)", ViewBox::new(-3.0, 3.0, -3.0, 3.0)).unwrap()));
    let typed_heatmap = time(|| {
        std::hint::black_box(SurfaceLayer::compute(&typed, typed.default_view(), 512, 512));
    });
    results.insert("typed_heatmap_512".into(), serde_json::json!({ "ms": typed_heatmap, "per": 1 }));
    println!("{}", serde_json::Value::Object(results));
}
