use gradlab::nn::activation::Activation;
use gradlab::nn::data::{DataSpec, Dataset, DatasetKind};
use gradlab::nn::network::{Architecture, Init, Loss, Network};
use gradlab::nn::train::{TrainConfig, TrainingRun};
use gradlab::optim::Optimizer;
fn run(hidden: &[usize], points: usize) -> TrainingRun {
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
    let c: usize = std::env::args().nth(1).unwrap().parse().unwrap();
    let e0: usize = std::env::var("E0").map(|v| v.parse().unwrap()).unwrap_or(100);
    let e1: usize = std::env::var("E1").map(|v| v.parse().unwrap()).unwrap_or(20);
    let (r, e) = if c == 0 { (run(&[4, 2], 250), e0) } else { (run(&[8; 6], 250), e1) };
    for _ in 0..8 {
        std::hint::black_box(r.train_unrecorded(e));
    }
}
