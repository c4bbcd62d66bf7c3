//! Conformance: every case in `../shared/reference/*.json` (or `$GRADLAB_REFERENCE`), its
//! `training/`, `descent-extras/` and `multiclass/` folders, and each folder
//! of `GRADLAB_REFERENCE_DIRS` (separated by `:`), as the reference README
//! defines them. A case of an unknown kind fails; a mismatch names the file,
//! the case, the field and the index.

use std::path::{Path, PathBuf};

use gradlab::descent::batches::Batches;
use gradlab::descent::linreg::{gradient_descent, LinearData};
use gradlab::descent::run::{check_lr, Apply, DescentRun, StepOutcome};
use gradlab::descent::schedule::Schedule;
use gradlab::descent::surface::Surface;
use gradlab::named::Named;
use gradlab::nn::activation::Activation;
use gradlab::nn::data::Dataset;
use gradlab::nn::matrix::Mat;
use gradlab::nn::network::{Architecture, Loss, Network};
use gradlab::nn::train::{TrainConfig, TrainOutcome, TrainingRun};
use gradlab::optim::Optimizer;
use serde_json::Value;

/// |got − want| ≤ 1e-9·max(1, |want|); `null` in the reference means a non-finite value.
fn close(got: f64, want: &Value) -> bool {
    match want.as_f64() {
        Some(w) => (got - w).abs() <= 1e-9 * w.abs().max(1.0),
        None => want.is_null() && !got.is_finite(),
    }
}

fn reference_dirs() -> Vec<PathBuf> {
    // The project's reference folder, or GRADLAB_REFERENCE where the tree was copied away from it (mutation testing).
    let reference = std::env::var_os("GRADLAB_REFERENCE")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/reference"));
    // The folders of the features built so far (see the reference README).
    let mut dirs = vec![reference.join("training"), reference.join("descent-extras"), reference.join("multiclass"), reference];
    if let Ok(extra) = std::env::var("GRADLAB_REFERENCE_DIRS") {
        dirs.extend(extra.split(':').filter(|s| !s.is_empty()).map(PathBuf::from));
    }
    dirs
}

fn f64s(v: &Value) -> Vec<f64> {
    v.as_array().expect("an array of numbers").iter().map(|x| x.as_f64().expect("a number")).collect()
}

struct Checker {
    failures: Vec<String>,
}

impl Checker {
    fn value(&mut self, at: &str, field: &str, index: usize, got: f64, want: &Value) {
        if !close(got, want) {
            self.failures.push(format!("{at}: {field}[{index}]: got {got}, want {want}"));
        }
    }
}

/// The seed's cases with one feature run as the page runs them: the
/// regression surface on the case's points, stepped by the descent run. Cases
/// the page cannot show (several features, α = 0, which the page refuses) run
/// through the seed's own function for any number of features.
fn seed_gradient_descent(case: &Value, at: &str, check: &mut Checker) {
    let x: Vec<Vec<f64>> = case["X"].as_array().unwrap().iter().map(f64s).collect();
    let (y, theta0, alpha) = (f64s(&case["y"]), f64s(&case["theta0"]), case["alpha"].as_f64().unwrap());
    let iterations = case["iterations"].as_u64().unwrap() as usize;
    let one_feature = x.iter().all(|row| row.len() == 1);
    let (thetas, costs, diverged_at) = match check_lr(alpha) {
        Ok(alpha) if one_feature => {
            let data = LinearData { x: x.iter().map(|row| row[0]).collect(), y };
            let mut run = DescentRun::new(Surface::LinearRegression(data), Optimizer::Sgd, alpha, [theta0[0], theta0[1]]).unwrap();
            let mut diverged_at = None;
            for _ in 0..iterations {
                if let StepOutcome::Diverged(k) = run.step() {
                    diverged_at = Some(k);
                    break;
                }
            }
            let thetas = run.history()[1..].iter().map(|s| s.theta.to_vec()).collect();
            let costs = run.history().iter().map(|s| s.value).collect();
            (thetas, costs, diverged_at)
        }
        refused => {
            if one_feature && refused.is_ok() == (alpha == 0.0) {
                check.failures.push(format!("{at}: the page must refuse α = 0 and only that here"));
            }
            match gradient_descent(&x, &y, &theta0, alpha, iterations) {
                Ok(run) => (run.thetas, run.costs, run.diverged_at),
                Err(e) => return check.failures.push(format!("{at}: refused: {e}")),
            }
        }
    };
    let want_thetas = case["theta_per_iteration"].as_array().unwrap();
    let want_costs = case["cost_per_iteration"].as_array().unwrap();
    for (k, want) in want_thetas.iter().enumerate() {
        match thetas.get(k) {
            Some(theta) => {
                for (j, w) in want.as_array().unwrap().iter().enumerate() {
                    check.value(at, &format!("theta_per_iteration[{k}]"), j, theta[j], w);
                }
                check.value(at, "cost_per_iteration", k, costs[k], &want_costs[k]);
            }
            None if want.is_null() || want.as_array().is_some_and(|w| w.iter().any(Value::is_null)) => {}
            None => check.failures.push(format!("{at}: theta_per_iteration[{k}]: the run stopped early")),
        }
    }
    let want_diverged = case["first_non_finite_iteration"].as_u64().map(|k| k as usize);
    if diverged_at != want_diverged {
        check.failures.push(format!("{at}: first_non_finite_iteration: got {diverged_at:?}, want {want_diverged:?}"));
    }
}

fn optimizer_on_surface(case: &Value, at: &str, check: &mut Checker) {
    let surface = Surface::from_id(case["surface"].as_str().unwrap()).unwrap();
    let mut optimizer = Optimizer::from_id(case["optimizer"].as_str().unwrap()).unwrap();
    for (name, value) in case["hyper"].as_object().unwrap() {
        if let Err(e) = optimizer.set_hyper(name, value.as_f64().unwrap()) {
            return check.failures.push(format!("{at}: hyper {name}: {e}"));
        }
    }
    let start = f64s(&case["start"]);
    let mut run = DescentRun::new(surface, optimizer, case["lr"].as_f64().unwrap(), [start[0], start[1]]).unwrap();
    check.value(at, "value_at_start", 0, run.current().value, &case["value_at_start"]);
    for (j, w) in case["gradient_at_start"].as_array().unwrap().iter().enumerate() {
        check.value(at, "gradient_at_start", j, run.current().gradient[j], w);
    }
    for (k, want) in case["trajectory"].as_array().unwrap().iter().enumerate() {
        match run.step() {
            StepOutcome::Stepped(_) => {
                for (j, w) in want.as_array().unwrap().iter().enumerate() {
                    check.value(at, &format!("trajectory[{k}]"), j, run.current().theta[j], w);
                }
            }
            outcome => return check.failures.push(format!("{at}: trajectory[{k}]: {outcome:?}")),
        }
    }
    // Stepping back and forth again must land on the same numbers.
    let end = run.current().clone();
    for _ in 0..7 {
        run.back();
    }
    for _ in 0..7 {
        run.step();
    }
    if run.current() != &end {
        check.failures.push(format!("{at}: back 7 then step 7 did not return to the same snapshot"));
    }
    // A replay with the same α must give the same run.
    run.set_lr(run.lr(), Apply::Replay).unwrap();
    if run.current() != &end {
        check.failures.push(format!("{at}: a replay with the same α changed the run"));
    }
}

/// Plain descent with the case's schedule, run by the page's descent run (α₀ is its learning rate).
fn scheduled_descent(case: &Value, at: &str, check: &mut Checker) {
    let mut schedule = match Schedule::from_id(case["schedule"].as_str().unwrap()) {
        Ok(schedule) => schedule,
        Err(e) => return check.failures.push(format!("{at}: {e}")),
    };
    let params = case["params"].as_object().unwrap();
    for (name, value) in params.iter().filter(|(name, _)| *name != "alpha0") {
        if let Err(e) = schedule.set_param(name, value.as_f64().unwrap()) {
            return check.failures.push(format!("{at}: params {name}: {e}"));
        }
    }
    let (surface, start) = (Surface::from_id(case["surface"].as_str().unwrap()).unwrap(), f64s(&case["start"]));
    let alpha0 = params["alpha0"].as_f64().unwrap();
    let mut run = DescentRun::new(surface, Optimizer::Sgd, alpha0, [start[0], start[1]]).unwrap().with_schedule(schedule).unwrap();
    let want_alphas = case["alpha_per_update"].as_array().unwrap();
    for (k, want) in case["trajectory"].as_array().unwrap().iter().enumerate() {
        if !matches!(run.step(), StepOutcome::Stepped(_)) {
            return check.failures.push(format!("{at}: trajectory[{k}]: the run stopped"));
        }
        check.value(at, "alpha_per_update", k, run.current().lr_used.unwrap(), &want_alphas[k]);
        for (j, w) in want.as_array().unwrap().iter().enumerate() {
            check.value(at, &format!("trajectory[{k}]"), j, run.current().theta[j], w);
        }
    }
    if want_alphas.len() != run.iteration() {
        check.failures.push(format!("{at}: alpha_per_update has {} entries for {} updates", want_alphas.len(), run.iteration()));
    }
}

/// The seed's regression with the case's mini-batches, run by the page's descent run.
fn minibatch_descent(case: &Value, at: &str, check: &mut Checker) {
    let x: Vec<f64> = case["X"].as_array().unwrap().iter().map(|row| f64s(row)[0]).collect();
    let data = LinearData { x, y: f64s(&case["y"]) };
    let theta0 = f64s(&case["theta0"]);
    let batches: Vec<Vec<usize>> = case["batches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b.as_array().unwrap().iter().map(|i| i.as_u64().unwrap() as usize).collect())
        .collect();
    let run =
        DescentRun::new(Surface::LinearRegression(data.clone()), Optimizer::Sgd, case["alpha"].as_f64().unwrap(), [theta0[0], theta0[1]]);
    let mut run = run.unwrap().with_batches(Batches::Listed(batches)).unwrap();
    let want_costs = case["full_cost_per_update"].as_array().unwrap();
    for (k, want) in case["theta_per_update"].as_array().unwrap().iter().enumerate() {
        if !matches!(run.step(), StepOutcome::Stepped(_)) {
            return check.failures.push(format!("{at}: theta_per_update[{k}]: the run stopped"));
        }
        for (j, w) in want.as_array().unwrap().iter().enumerate() {
            check.value(at, &format!("theta_per_update[{k}]"), j, run.current().theta[j], w);
        }
        check.value(at, "full_cost_per_update", k, run.current().value, &want_costs[k]);
    }
}

fn rows(v: &Value) -> Vec<Vec<f64>> {
    v.as_array().expect("a list of rows").iter().map(f64s).collect()
}

/// Compares a list of matrices (nested rows) with the matrices `got`, entry by entry.
fn matrices(check: &mut Checker, at: &str, field: &str, got: &[Vec<f64>], want: &Value) {
    let want = want.as_array().expect("a list of matrices");
    if want.len() != got.len() {
        return check.failures.push(format!("{at}: {field}: {} layers, want {}", got.len(), want.len()));
    }
    for (l, (g, w)) in got.iter().zip(want).enumerate() {
        let flat: Vec<&Value> = match w.as_array() {
            Some(items) if items.iter().all(Value::is_array) => items.iter().flat_map(|r| r.as_array().unwrap()).collect(),
            Some(items) => items.iter().collect(),
            None => vec![w],
        };
        if flat.len() != g.len() {
            check.failures.push(format!("{at}: {field}[{l}]: {} entries, want {}", g.len(), flat.len()));
            continue;
        }
        for (i, (gv, wv)) in g.iter().zip(flat).enumerate() {
            check.value(at, &format!("{field}[{l}]"), i, *gv, wv);
        }
    }
}

fn mlp_backprop(case: &Value, at: &str, check: &mut Checker) {
    let net = match network_of(case) {
        Ok(net) => net,
        Err(e) => return check.failures.push(format!("{at}: refused: {e}")),
    };
    let x = Mat::from_rows(&rows(&case["X"])).unwrap();
    let y = Mat::from_rows(&rows(&case["Y"])).unwrap();
    let first = &case["first_pass"];
    let fwd = net.forward(&x);
    let flat = |ms: &[Mat]| -> Vec<Vec<f64>> { ms.iter().map(|m| m.data.clone()).collect() };
    matrices(check, at, "first_pass.z", &flat(&fwd.z), &first["z"]);
    matrices(check, at, "first_pass.a", &flat(&fwd.a), &first["a"]);
    check.value(at, "first_pass.loss", 0, net.loss(fwd.a.last().unwrap(), &y), &first["loss"]);
    let back = net.backward(&x, &fwd, &y);
    matrices(check, at, "first_pass.delta", &flat(&back.delta), &first["delta"]);
    let layers = net.arch.layers();
    let dw: Vec<Vec<f64>> = (1..=layers)
        .map(|l| {
            let o = net.arch.offsets(l);
            back.grad[o.w..o.b].to_vec()
        })
        .collect();
    let db: Vec<Vec<f64>> = (1..=layers)
        .map(|l| {
            let o = net.arch.offsets(l);
            back.grad[o.b..o.end].to_vec()
        })
        .collect();
    matrices(check, at, "first_pass.dW", &dw, &first["dW"]);
    matrices(check, at, "first_pass.db", &db, &first["db"]);
    for (l, (g, w)) in net.arch.grad_norms(&back.grad).iter().zip(first["grad_norm_per_layer"].as_array().unwrap()).enumerate() {
        check.value(at, "first_pass.grad_norm_per_layer", l, *g, w);
    }

    // Training: full batch, plain gradient descent, the history's metrics per epoch.
    let train = Dataset { x, y, classification: false };
    let test = Dataset { x: Mat::zeros(0, train.x.cols), y: Mat::zeros(0, 1), classification: false };
    let config =
        TrainConfig { optimizer: gradlab::optim::Optimizer::Sgd, lr: case["alpha"].as_f64().unwrap(), batch_size: 0, l2: 0.0, seed: 0 };
    let mut run = TrainingRun::new(net, train, test, config).unwrap();
    let epochs = case["epochs"].as_u64().unwrap() as usize;
    for k in 0..epochs {
        if run.step_epoch() != TrainOutcome::Stepped {
            return check.failures.push(format!("{at}: epoch {} did not step", k + 1));
        }
    }
    for (k, want) in case["loss_per_epoch"].as_array().unwrap().iter().enumerate() {
        check.value(at, "loss_per_epoch", k, run.history()[k].metrics.train_loss, want);
    }
    let done = run.current_network();
    let w_after: Vec<Vec<f64>> = (1..=layers).map(|l| done.weights(l).to_vec()).collect();
    let b_after: Vec<Vec<f64>> = (1..=layers).map(|l| done.biases(l).to_vec()).collect();
    matrices(check, at, "W_after", &w_after, &case["W_after"]);
    matrices(check, at, "b_after", &b_after, &case["b_after"]);
}

fn network_of(case: &Value) -> Result<Network, String> {
    let arch = Architecture {
        sizes: case["layer_sizes"].as_array().unwrap().iter().map(|v| v.as_u64().unwrap() as usize).collect(),
        activations: case["activations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| Activation::from_id(v.as_str().unwrap()))
            .collect::<Result<_, _>>()?,
        loss: Loss::from_id(case["loss"].as_str().unwrap())?,
    };
    let w: Vec<Vec<Vec<f64>>> = case["W"].as_array().unwrap().iter().map(rows).collect();
    let b: Vec<Vec<f64>> = case["b"].as_array().unwrap().iter().map(f64s).collect();
    Network::from_weights(arch, &w, &b)
}

/// Training as the lab trains, fed the case's batches: the epochs stepped
/// whole (the weights after each) and again update by update, phase by phase
/// (the rows and the loss of each batch).
fn mlp_training(case: &Value, at: &str, check: &mut Checker) {
    let net = match network_of(case) {
        Ok(net) => net,
        Err(e) => return check.failures.push(format!("{at}: refused: {e}")),
    };
    let (x, y) = (Mat::from_rows(&rows(&case["X"])).unwrap(), Mat::from_rows(&rows(&case["Y"])).unwrap());
    let classification = case["loss"] == "bce";
    let test = Dataset { x: Mat::zeros(0, x.cols), y: Mat::zeros(0, 1), classification };
    let train = Dataset { x, y, classification };
    let mut optimizer = Optimizer::from_id(case["optimizer"].as_str().unwrap()).unwrap();
    for (name, value) in case["hyper"].as_object().unwrap() {
        if let Err(e) = optimizer.set_hyper(name, value.as_f64().unwrap()) {
            return check.failures.push(format!("{at}: hyper {name}: {e}"));
        }
    }
    let batches: Vec<Vec<Vec<usize>>> = case["batches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|epoch| {
            epoch.as_array().unwrap().iter().map(|b| b.as_array().unwrap().iter().map(|r| r.as_u64().unwrap() as usize).collect()).collect()
        })
        .collect();
    // The lab cuts an epoch's order into batches of one size, the last one shorter.
    let size = batches[0][0].len();
    let orders: Vec<Vec<usize>> = batches.iter().map(|epoch| epoch.concat()).collect();
    if orders.iter().zip(&batches).any(|(order, epoch)| order.chunks(size).map(<[usize]>::to_vec).collect::<Vec<_>>() != *epoch) {
        return check.failures.push(format!("{at}: the batches are not an epoch's rows cut into batches of {size}"));
    }
    let config = TrainConfig { optimizer, lr: case["lr"].as_f64().unwrap(), batch_size: size, l2: case["l2"].as_f64().unwrap(), seed: 0 };
    let fresh = || TrainingRun::new(net.clone(), train.clone(), test.clone(), config).and_then(|run| run.with_epoch_orders(orders.clone()));
    let (mut by_epoch, mut by_phase) = match (fresh(), fresh()) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) | (_, Err(e)) => return check.failures.push(format!("{at}: refused: {e}")),
    };
    let layers = net.arch.layers();
    let weights = |run: &TrainingRun| -> (Vec<Vec<f64>>, Vec<Vec<f64>>) {
        let net = run.current_network();
        ((1..=layers).map(|l| net.weights(l).to_vec()).collect(), (1..=layers).map(|l| net.biases(l).to_vec()).collect())
    };
    let (want_w, want_b) = (case["W_per_epoch"].as_array().unwrap(), case["b_per_epoch"].as_array().unwrap());
    let want_losses = case["loss_per_update"].as_array().unwrap();
    let mut update = 0;
    for (e, epoch) in batches.iter().enumerate() {
        if by_epoch.step_epoch() != TrainOutcome::Stepped {
            return check.failures.push(format!("{at}: epoch {} did not step", e + 1));
        }
        let (w, b) = weights(&by_epoch);
        matrices(check, at, &format!("W_per_epoch[{e}]"), &w, &want_w[e]);
        matrices(check, at, &format!("b_per_epoch[{e}]"), &b, &want_b[e]);
        for rows in epoch {
            by_phase.step_phase();
            let Some((work, _)) = by_phase.phase() else { return check.failures.push(format!("{at}: update {update} did not start")) };
            if work.batch != *rows {
                check.failures.push(format!("{at}: update {update} took the rows {:?}, want {rows:?}", work.batch));
            }
            check.value(at, "loss_per_update", update, work.loss, &want_losses[update]);
            while by_phase.phase().is_some() {
                by_phase.step_phase();
            }
            update += 1;
        }
        if weights(&by_phase) != weights(&by_epoch) {
            check.failures.push(format!("{at}: epoch {} stepped by phases differs from the epoch stepped whole", e + 1));
        }
    }
    if update != want_losses.len() {
        check.failures.push(format!("{at}: loss_per_update: {update} updates, want {}", want_losses.len()));
    }
}

#[test]
fn every_reference_case_matches() {
    let mut check = Checker { failures: Vec::new() };
    let mut ran = 0;
    for dir in reference_dirs() {
        let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("cannot read reference folder {}: {e}", dir.display()));
        let mut files: Vec<PathBuf> = entries.map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|x| x == "json")).collect();
        files.sort();
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            let doc: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: not JSON: {e}", file.display()));
            let name = file.file_name().unwrap().to_string_lossy().to_string();
            for case in doc["cases"].as_array().unwrap_or_else(|| panic!("{name}: no \"cases\" list")) {
                let at = format!("{name}: {}", case["name"].as_str().unwrap_or("?"));
                match case["kind"].as_str().unwrap_or("") {
                    "seed_gradient_descent" => seed_gradient_descent(case, &at, &mut check),
                    "optimizer_on_surface" => optimizer_on_surface(case, &at, &mut check),
                    "mlp_backprop" => mlp_backprop(case, &at, &mut check),
                    "mlp_training" => mlp_training(case, &at, &mut check),
                    "scheduled_descent" => scheduled_descent(case, &at, &mut check),
                    "minibatch_descent" => minibatch_descent(case, &at, &mut check),
                    other => check.failures.push(format!("{at}: unknown kind \"{other}\"")),
                }
                ran += 1;
            }
        }
    }
    println!("reference cases: {ran} run");
    assert!(ran > 0, "no reference case was found");
    assert!(check.failures.is_empty(), "{} mismatches:\n{}", check.failures.len(), check.failures.join("\n"));
}
