use super::*;
use crate::named::Named;
use crate::nn::activation::Activation;
use crate::nn::data::DatasetKind;
use crate::nn::landscape::GridSize;
use crate::nn::network::Loss;
use crate::nn::train::Phase;
use crate::optim::Optimizer;

/// The settings as the page's form sends them.
const FORM: &str = r#"{"dataset":"moons","points":120,"noise":0.2,"trainRatio":0.8,"seed":7,"csv":null,
    "hidden":[{"neurons":5,"activation":"relu"},{"neurons":3,"activation":"tanh"}],"outputActivation":"sigmoid",
    "loss":"bce","init":"he","optimizer":"adam","lr":0.02,"batchSize":16,"l2":0.001}"#;

fn form() -> LabSettings {
    serde_json::from_str(FORM).unwrap()
}

#[test]
fn the_form_is_read_into_typed_settings_and_written_back_the_same() {
    let s = form();
    assert_eq!((s.dataset, s.init.id(), s.optimizer.id()), (DatasetKind::Moons, "he", "adam"));
    assert_eq!(s.hidden[0], HiddenLayer { neurons: 5, activation: Activation::Relu });
    let again: LabSettings = serde_json::from_str(&serde_json::to_string(&s).unwrap()).unwrap();
    assert_eq!(again, s);
    let unknown = FORM.replace("\"moons\"", "\"squares\"");
    assert!(serde_json::from_str::<LabSettings>(&unknown).unwrap_err().to_string().contains("unknown data set \"squares\""));
    assert!(serde_json::from_str::<LabSettings>(&FORM.replace("\"l2\"", "\"l3\"")).is_err());
}

#[test]
fn a_link_reopens_the_same_run_at_the_same_epoch() {
    let mut lab = BackpropLab::default();
    assert!(lab.configure(form()).unwrap());
    lab.set_view(LandscapeSettings { plane: PlaneKind::Random, a: 0, b: 1, seed: 9, three_d: true, grid: GridSize::Finer }).unwrap();
    for _ in 0..3 {
        lab.run_mut().step_epoch();
    }
    let mut other = BackpropLab::default();
    assert_eq!(other.open_link(&lab.link()), "");
    assert_eq!(other.settings(), lab.settings());
    assert_eq!(other.view(), lab.view());
    assert_eq!(other.run().current(), lab.run().current(), "the same weights, bit for bit, at epoch 3");
}

#[test]
fn a_link_names_what_it_could_not_use_and_the_defaults_stand_in() {
    let mut lab = BackpropLab::default();
    let notice = lab.open_link("lab=network&points=0&opt=lbfgs&hidden=3:foo&lr=-1&l2=2&epochs=2&pa=99");
    for key in ["points", "opt", "hidden", "lr", "pa"] {
        assert!(notice.contains(key), "{key} in {notice}");
    }
    assert!(!notice.contains("l2"), "{notice}");
    let d = LabSettings::default();
    assert_eq!((lab.settings().points, lab.settings().optimizer, lab.settings().lr), (d.points, d.optimizer, d.lr));
    assert_eq!((lab.settings().l2, lab.run().current().epoch), (2.0, 2));
    // Fine one by one, not together: cross-entropy wants a sigmoid output.
    let notice = lab.open_link("dataset=xor&out=linear&loss=bce");
    assert!(notice.contains("out") && notice.contains("loss"), "{notice}");
    assert_eq!((lab.settings().output_activation, lab.settings().loss), (Activation::Sigmoid, Loss::Bce));
    assert!(lab.open_link("grid=61").contains("grid"), "only 41 and 81 points a side");
}

#[test]
fn how_it_trains_changes_from_now_on_what_it_trains_starts_again() {
    let mut lab = BackpropLab::default();
    lab.run_mut().step_epoch();
    let faster = LabSettings { lr: 0.5, optimizer: Optimizer::from_id("momentum").unwrap(), ..lab.settings().clone() };
    assert!(!lab.configure(faster).unwrap());
    assert_eq!(lab.run().current().epoch, 1, "the history stays");
    assert_eq!(lab.run().config.lr, 0.5);
    let sine = LabSettings { dataset: DatasetKind::Sine, csv: Some("0.1,0.2".into()), ..lab.settings().clone() };
    assert!(lab.configure(sine).unwrap());
    assert_eq!(lab.run().current().epoch, 0);
    let s = lab.settings();
    assert_eq!(
        (s.output_activation, s.loss, s.csv.clone()),
        (Activation::Linear, Loss::Mse, None),
        "the usual output and loss for numbers"
    );
    let before = lab.settings().clone();
    assert!(lab.configure(LabSettings { points: 0, ..before.clone() }).is_err());
    assert_eq!(lab.settings(), &before, "a refused change changes nothing");
}

#[test]
fn points_are_added_removed_and_cleared() {
    let mut lab = BackpropLab::default();
    let n = lab.points().len();
    lab.edit_points(PointEdit::Add { at: [0.25, -0.5], class: 1.0 }).unwrap();
    let points = lab.points();
    assert_eq!(points.len(), n + 1);
    let added = (0..points.len()).find(|&r| points.x.row(r) == [0.25, -0.5]).expect("the point is there");
    assert_eq!(points.y.get(added, 0), 1.0);
    lab.edit_points(PointEdit::Remove(added)).unwrap();
    assert_eq!(lab.points().len(), n);
    assert!(lab.edit_points(PointEdit::Remove(n)).is_err());
    lab.clear_points().unwrap();
    assert_eq!(lab.run_mut().step_epoch(), TrainOutcome::NoData);
    assert_eq!(lab.run().epochs_at(lab.run().current()), 0.0, "no points, no division by their number");
    assert!(lab.state(6)["metrics"]["trainLoss"].is_string());
}

#[test]
fn a_chosen_weight_the_network_lacks_is_refused_and_a_smaller_network_falls_back() {
    let mut lab = BackpropLab::default();
    let deep = ParamId { layer: 2, from: Some(3), to: 0 };
    lab.select(deep).unwrap();
    assert!(lab.select(ParamId { layer: 3, from: None, to: 0 }).unwrap_err().contains("no weight"));
    assert!(lab.click_weight(deep).unwrap(), "weight a of the landscape");
    assert_eq!(lab.view().a, deep.index(lab.run().network()).unwrap());
    let narrow = LabSettings { hidden: vec![HiddenLayer { neurons: 2, activation: Activation::Tanh }], ..lab.settings().clone() };
    lab.configure(narrow).unwrap();
    assert_eq!(lab.selected(), FIRST_WEIGHT);
    assert!(lab.view().a < lab.run().network().params.len());
    assert!(lab.set_view(LandscapeSettings { a: 1, b: 1, ..LandscapeSettings::default() }).is_err());
}

/// Steps phases until `phase` is reached.
fn step_to(lab: &mut BackpropLab, phase: Phase) {
    while lab.run().phase().map(|(_, p)| p) != Some(phase) {
        lab.run_mut().step_phase();
    }
}

#[test]
fn the_walk_through_tells_a_gradient_only_once_backward_has_reached_it() {
    let mut lab = BackpropLab::default();
    lab.select(ParamId { layer: 1, from: Some(1), to: 2 }).unwrap();
    for (phase, known) in [(Phase::Forward(1), false), (Phase::Loss, false), (Phase::Backward(2), false), (Phase::Backward(1), true)] {
        step_to(&mut lab, phase);
        let state = lab.state(6);
        assert_eq!(state["selected"]["gradient"].is_string(), known, "{phase:?}");
        assert_eq!(state["chainRule"].is_array(), known, "{phase:?}");
    }
}

#[test]
fn the_update_phase_writes_the_chosen_weights_update_in_numbers() {
    for optimizer in Optimizer::ALL {
        let mut lab = BackpropLab::default();
        lab.configure(LabSettings { optimizer: *optimizer, l2: 0.01, ..LabSettings::default() }).unwrap();
        lab.run_mut().step_epoch();
        let p = ParamId { layer: 2, from: Some(1), to: 0 };
        lab.select(p).unwrap();
        step_to(&mut lab, Phase::Update);
        let lines: Vec<String> = serde_json::from_value(lab.state(6)["phase"]["lines"].clone()).unwrap();
        let checked: usize = lines.iter().map(|l| crate::arithmetic_check::equalities_hold(l, 6)).sum();
        assert!(checked >= lines.len() - 1, "{}: {lines:?}", optimizer.id());
        lab.run_mut().step_phase();
        let after = lab.run().current().params[p.index(lab.run().network()).unwrap()];
        let last = lines.last().unwrap();
        assert!(last.starts_with("W²₂,₁′ = W²₂,₁ − ") && last.ends_with(&format!("= {}", crate::format::sig(after, 6))), "{last}");
    }
}

/// A network large enough to overfit a small noisy data set: trained on with
/// early stopping, it stops `patience` epochs after its best test epoch, goes
/// back to that epoch's weights exactly, and a link keeps the rule.
#[test]
fn early_stopping_stops_after_the_best_test_epoch_and_goes_back_to_it() {
    let mut lab = BackpropLab::default();
    let noisy = LabSettings {
        dataset: DatasetKind::Moons,
        points: 40,
        noise: 0.6,
        train_ratio: 0.5,
        hidden: vec![HiddenLayer { neurons: 16, activation: Activation::Tanh }; 2],
        optimizer: Optimizer::from_id("adam").unwrap(),
        lr: 0.03,
        batch_size: 0,
        ..LabSettings::default()
    };
    lab.configure(noisy).unwrap();
    lab.set_stop_rule(TrainStopRule { patience: Some(20), epochs: Some(400), ..TrainStopRule::default() }).unwrap();
    assert_eq!(lab.stop_rule().patience, Some(20));
    while lab.train_on(50) {}
    let Some(TrainStop::NoImprovement { best, best_loss, .. }) = lab.stopped() else { panic!("{:?}", lab.stopped()) };
    assert_eq!(lab.run().current().epoch, best + 20, "stopped early, well before the cap of 400 epochs");
    let weights = lab.run().history().iter().find(|s| s.epoch == best && s.batch == 0).unwrap().params.clone();
    let mut other = BackpropLab::default();
    assert_eq!(other.open_link(&lab.link()), "");
    assert_eq!(other.stop_rule(), lab.stop_rule());
    assert_eq!(lab.back_to_best(), Some(best));
    assert_eq!(lab.run().current().params, weights, "the best epoch's weights, exactly");
    assert_eq!(lab.run().current().metrics.test_loss, Some(best_loss));
    assert!(lab.state(4)["bestTestEpoch"] == best);
}

/// Each phase's lines hold the numbers of the update in progress, for example 1 of the batch.
#[test]
fn each_phase_writes_its_own_numbers() {
    let mut lab = BackpropLab::default();
    lab.configure(LabSettings { l2: 0.01, ..LabSettings::default() }).unwrap();
    let row =
        |m: &crate::nn::matrix::Mat| format!("({})", m.row(0).iter().map(|v| crate::format::sig(*v, 6)).collect::<Vec<_>>().join(", "));
    let mut names = Vec::new();
    loop {
        lab.run_mut().step_phase();
        let Some((work, phase)) = lab.run().phase() else { break };
        let work = work.clone();
        let lines: Vec<String> = serde_json::from_value(lab.state(6)["phase"]["lines"].clone()).unwrap();
        names.push(phase_name(phase));
        match phase {
            Phase::Forward(1) => {
                assert_eq!(lines[0], format!("Example 1 of 10: a⁰₁ = {}", row(&work.x)));
                assert_eq!(lines[1], format!("z¹₁ = a⁰₁·W¹ + b¹ = {}", row(&work.forward.z[0])));
                assert_eq!(lines[2], format!("a¹₁ = tanh(z¹₁) = {}", row(&work.forward.a[0])));
            }
            Phase::Forward(2) => {
                assert_eq!(lines[0], format!("Example 1 of 10: a¹₁ = {}", row(&work.forward.a[0])));
                assert_eq!(lines[2], format!("a²₁ = sigmoid(z²₁) = {}", row(&work.forward.a[1])));
            }
            Phase::Backward(l) => {
                let norm = lab.run().network().arch.grad_norms(&work.backward.grad)[l - 1];
                assert_eq!(
                    lines[2],
                    format!("‖∂L/∂W{sup}, ∂L/∂b{sup}‖ = {}", crate::format::sig(norm, 6), sup = crate::format::superscript(l))
                );
                assert_eq!(lines[0], format!("δ{}₁ = {}", crate::format::superscript(l), row(&work.backward.delta[l - 1])));
            }
            Phase::Update => assert!(lines[0].contains("λ = 0.01 on the weights"), "{}", lines[0]),
            _ => {}
        }
        if phase == Phase::Update {
            break;
        }
    }
    assert_eq!(names, ["Forward, layer 1", "Forward, layer 2", "Loss", "Backward, layer 2", "Backward, layer 1", "Update"]);
    lab.configure(LabSettings { l2: 0.0, ..lab.settings().clone() }).unwrap();
    step_to(&mut lab, Phase::Update);
    let lines: Vec<String> = serde_json::from_value(lab.state(6)["phase"]["lines"].clone()).unwrap();
    assert!(!lines[0].contains("λ"), "{}", lines[0]);
    // A weight under the pointer: its name, value and (inside an update, once backward reached it) gradient.
    let p = ParamId { layer: 2, from: Some(1), to: 0 };
    let info = lab.param_json(p, 6);
    let index = p.index(lab.run().network()).unwrap();
    assert_eq!(info["name"], "W²₂,₁");
    assert_eq!(info["value"], crate::format::sig(lab.run().current().params[index], 6));
    assert_eq!(info["gradient"], crate::format::sig(lab.run().phase().unwrap().0.backward.grad[index], 6));
    assert!(lab.param_json(ParamId { layer: 3, from: None, to: 0 }, 6).is_null());
}

#[test]
fn the_batch_size_and_l2_change_how_it_trains_not_what() {
    let mut lab = BackpropLab::default();
    lab.run_mut().step_epoch();
    assert!(!lab.configure(LabSettings { batch_size: 0, ..lab.settings().clone() }).unwrap());
    assert!(!lab.configure(LabSettings { l2: 0.1, ..lab.settings().clone() }).unwrap());
    assert_eq!((lab.run().current().epoch, lab.run().config.batch_size, lab.run().config.l2), (1, 0, 0.1));
}

#[test]
fn the_landscape_keeps_two_different_weights_the_network_has() {
    let mut lab = BackpropLab::default();
    let count = lab.run().network().params.len();
    let pair = |a, b| LandscapeSettings { a, b, ..LandscapeSettings::default() };
    assert!(lab.set_view(pair(count, 1)).is_err() && lab.set_view(pair(1, count)).is_err(), "a weight the network lacks");
    lab.set_view(pair(2, 3)).unwrap();
    lab.configure(LabSettings { seed: 5, ..lab.settings().clone() }).unwrap();
    assert_eq!((lab.view().a, lab.view().b), (2, 3), "a new run of the same size keeps the pair");
    let mut r = crate::link::LinkReader::new(&format!("pa={count}&pb=3"));
    assert_eq!(LandscapeSettings::read_link(&mut r, count).a, 0);
    assert!(r.notice().contains("pa"));
    let mut r = crate::link::LinkReader::new("pa=3&pb=3");
    let view = LandscapeSettings::read_link(&mut r, count);
    assert_eq!((view.a, view.b), (3, 0));
    assert!(r.notice().contains("pb"));
    let mut r = crate::link::LinkReader::new("pa=3&pb=4");
    assert_eq!(LandscapeSettings::read_link(&mut r, count).b, 4);
    assert_eq!(r.notice(), "");
}

#[test]
fn a_point_added_to_a_regression_is_its_x_and_y() {
    let mut lab = BackpropLab::default();
    lab.configure(LabSettings { dataset: DatasetKind::Sine, ..LabSettings::default() }).unwrap();
    let n = lab.points().len();
    lab.edit_points(PointEdit::Add { at: [0.25, -0.75], class: 1.0 }).unwrap();
    let points = lab.points();
    assert_eq!((points.len(), points.x.cols), (n + 1, 1));
    let added = (0..points.len()).find(|&r| points.x.row(r) == [0.25]).expect("the point is there");
    assert_eq!(points.y.get(added, 0), -0.75);
}

#[test]
fn hovering_the_loss_chart_reads_the_nearest_snapshot() {
    let mut lab = BackpropLab::default();
    for _ in 0..3 {
        lab.run_mut().step_epoch();
    }
    let now = lab.run().current().metrics.clone();
    let text = lab.loss_text(2.8, 5).unwrap();
    assert!(text.starts_with(&format!("epoch 3 · train L = {}", crate::format::sig(now.train_loss, 5))), "{text}");
    assert!(lab.loss_text(0.2, 5).unwrap().starts_with("epoch 0 · "));
    let norms = lab.norms_text(3.0, 4).unwrap();
    let want: Vec<String> =
        now.grad_norms.iter().enumerate().map(|(l, g)| format!("layer {}: {}", l + 1, crate::format::sig(*g, 4))).collect();
    assert_eq!(norms, format!("epoch 3 · {}", want.join(" · ")));
    lab.retrain_with(LabSettings { lr: 0.05, ..lab.settings().clone() }).unwrap();
    while lab.advance_retrain(10) {}
    let text = lab.loss_text(3.0, 5).unwrap();
    assert!(
        text.contains(&format!(" · before: train L = {}", crate::format::sig(now.train_loss, 5))),
        "the dashed curve's value too: {text}"
    );
}

/// Moving α with "Apply from this step on" off: the run trains again from the
/// same initial weights in the same batch order to the same epoch, and equals
/// a fresh run at that α, weight for weight; the old curves stay as the ghost.
#[test]
fn a_new_learning_rate_retrains_to_the_same_epoch_as_a_fresh_run_would() {
    let mut lab = BackpropLab::default();
    for _ in 0..30 {
        lab.run_mut().step_epoch();
    }
    let before = lab.curves();
    let reached = lab.run().current_network();
    let faster = LabSettings { lr: lab.settings().lr * 3.0, ..lab.settings().clone() };
    assert!(!lab.retrain_with(faster.clone()).unwrap(), "the same network, trained again");
    assert_eq!((lab.run().current().epoch, lab.retraining_to()), (0, Some(30)));
    assert!(lab.link().contains("&epochs=30&"), "the link holds the epoch it heads for: {}", lab.link());
    assert_eq!(lab.ghost(), Some(&before));
    assert_eq!(lab.ghost_network(), Some(reached), "the weights the run had reached, for its boundary");
    while lab.advance_retrain(7) {}
    assert_eq!((lab.run().current().epoch, lab.retraining_to()), (30, None));
    let mut fresh = BackpropLab::default();
    fresh.configure(faster.clone()).unwrap();
    for _ in 0..30 {
        fresh.run_mut().step_epoch();
    }
    assert_eq!(lab.run().history(), fresh.run().history(), "weight for weight, epoch by epoch");
    // One adjustment, one ghost; a new adjustment takes the curves of now.
    lab.retrain_with(LabSettings { lr: faster.lr * 2.0, ..faster.clone() }).unwrap();
    while lab.advance_retrain(100) {}
    assert_eq!(lab.ghost(), Some(&before), "still the curves before the adjustment began");
    lab.end_adjust();
    let now = lab.curves();
    lab.retrain_with(LabSettings { l2: 0.01, ..lab.settings().clone() }).unwrap();
    assert_eq!(lab.ghost(), Some(&now));
    // A new network forgets the ghost; Reset too.
    lab.retrain_with(LabSettings { seed: 99, ..lab.settings().clone() }).unwrap();
    assert_eq!((lab.ghost(), lab.retraining_to()), (None, None));
    lab.retrain_with(LabSettings { lr: 0.2, ..lab.settings().clone() }).unwrap();
    lab.reset();
    assert_eq!((lab.ghost(), lab.retraining_to()), (None, None));
}

/// The ghost is the run as it was before the changes began: a change during a
/// re-training keeps it, a run at its start leaves none, a step by hand ends
/// the re-training, a link forgets it; a dashed curve is read only where it reaches.
#[test]
fn the_ghost_is_the_run_before_the_changes_and_a_step_by_hand_ends_a_retraining() {
    let mut lab = BackpropLab::default();
    for _ in 0..12 {
        lab.run_mut().step_epoch();
    }
    let before = lab.curves();
    let lr = lab.settings().lr;
    lab.retrain_with(LabSettings { lr: lr * 2.0, ..lab.settings().clone() }).unwrap();
    lab.advance_retrain(3);
    lab.end_adjust();
    lab.retrain_with(LabSettings { lr: lr * 3.0, ..lab.settings().clone() }).unwrap();
    assert_eq!(lab.ghost(), Some(&before), "not the run cut short at epoch 3");
    assert_eq!(lab.retraining_to(), Some(12));
    lab.run_mut().step_epoch();
    assert_eq!(lab.retraining_to(), None, "a step by hand ends it");
    assert!(!lab.advance_retrain(10));
    // The ghost reaches epoch 12; the run now reaches 1: hovering epoch 1 reads both, epoch 0 too.
    assert!(lab.loss_text(1.0, 4).unwrap().contains(" · before: train L = "));
    let mut pinned = BackpropLab::default();
    pinned.run_mut().step_epoch();
    pinned.pin().unwrap();
    for _ in 0..5 {
        pinned.run_mut().step_epoch();
    }
    assert!(pinned.loss_text(1.0, 4).unwrap().contains("pin 1: train L = "));
    assert!(!pinned.loss_text(5.0, 4).unwrap().contains("pin 1"), "the pin ends at epoch 1");
    let mut fresh = BackpropLab::default();
    fresh.retrain_with(LabSettings { lr: 0.1, ..fresh.settings().clone() }).unwrap();
    assert_eq!(fresh.ghost(), None, "a run at its start has no curve to keep");
    lab.open_link("lab=network&dataset=circle&epochs=2");
    assert_eq!((lab.ghost(), lab.retraining_to()), (None, None), "a link opens its own run alone");
}

/// Blobs of three classes come with a softmax output of three neurons and the
/// categorical cross-entropy, and a small network tells them apart.
#[test]
fn three_blobs_train_a_softmax_output_to_high_accuracy() {
    let mut lab = BackpropLab::default();
    assert!(lab.state(6)["confusion"].is_null(), "two classes: no matrix is shown, none is counted");
    let blobs = LabSettings { dataset: DatasetKind::Blobs, ..lab.settings().clone() };
    assert!(lab.configure(blobs).unwrap());
    let s = lab.settings().clone();
    assert_eq!((s.output_activation, s.loss, s.classes), (Activation::Softmax, Loss::Ce, 3));
    assert_eq!(lab.run().network().arch.sizes, vec![2, 4, 3]);
    let start = lab.run().current().metrics.train_loss;
    assert!((start - 3f64.ln()).abs() < 0.5, "about ln 3 before training: {start}");
    lab.train_on(300);
    let m = &lab.run().current().metrics;
    assert!(m.train_loss < start / 5.0 && m.train_accuracy.unwrap() > 0.95 && m.test_accuracy.unwrap() > 0.9, "{start} → {m:?}");
    let counts = crate::nn::confusion::confusion(&lab.run().current_network(), lab.run().train_data());
    let right: usize = (0..3).map(|k| counts[k][k]).sum();
    assert_eq!(right as f64 / lab.run().train_data().len() as f64, m.train_accuracy.unwrap(), "the diagonal is the accuracy");
    assert_eq!(lab.state(6)["confusion"]["train"], serde_json::json!(counts), "the page's matrix is this one");

    let five = LabSettings { classes: 5, ..lab.settings().clone() };
    assert!(lab.configure(five).unwrap());
    assert_eq!(lab.run().network().arch.sizes, vec![2, 4, 5]);
    let mut other = BackpropLab::default();
    assert_eq!(other.open_link(&lab.link()), "");
    assert_eq!((other.settings().classes, other.run().network().arch.sizes.clone()), (5, vec![2, 4, 5]));
}

/// A softmax needs classes, many classes need a softmax, and K is 2 to 5: each refused with a reason, the run kept.
#[test]
fn softmax_and_many_classes_go_together() {
    let mut lab = BackpropLab::default();
    lab.configure(LabSettings { dataset: DatasetKind::Arms, ..lab.settings().clone() }).unwrap();
    let before = lab.settings().clone();
    let sigmoid = LabSettings { output_activation: Activation::Sigmoid, loss: Loss::Bce, ..before.clone() };
    assert!(lab.configure(sigmoid).unwrap_err().contains("3 classes need a softmax output"));
    for k in [1, 6] {
        let err = lab.configure(LabSettings { classes: k, ..before.clone() }).unwrap_err();
        assert!(err.contains("2 to 5"), "{k}: {err}");
    }
    let typed = LabSettings { csv: Some("0,0,0\n1,1,3".into()), ..before.clone() };
    assert!(lab.configure(typed).unwrap_err().contains("label 0 … 2"));
    assert_eq!(lab.settings(), &before, "nothing changed");
    let xor = LabSettings { dataset: DatasetKind::Xor, ..before.clone() };
    lab.configure(xor).unwrap();
    let two = LabSettings { output_activation: Activation::Softmax, loss: Loss::Ce, ..lab.settings().clone() };
    lab.configure(two).unwrap();
    assert_eq!(lab.run().network().arch.sizes, vec![2, 4, 2], "two classes, a softmax of two");
    let sine = LabSettings { dataset: DatasetKind::Sine, ..lab.settings().clone() };
    lab.configure(sine).unwrap();
    let softmax = LabSettings { output_activation: Activation::Softmax, loss: Loss::Ce, ..lab.settings().clone() };
    assert!(lab.configure(softmax).unwrap_err().contains("needs classes"));
    let notice = lab.open_link("dataset=blobs&classes=9&hidden=3:softmax");
    assert!(notice.contains("classes") && notice.contains("hidden"), "{notice}");
    assert_eq!(lab.settings().classes, 3);
}

/// The view inside each layer goes through a link; closed, the link says nothing of it; a bad quantity is named.
#[test]
fn the_quantity_inside_each_layer_goes_through_a_link() {
    use crate::nn::inside::Quantity;
    let mut lab = BackpropLab::default();
    assert!(!lab.link().contains("inside"));
    lab.set_inside(Some(Quantity::Activations));
    let mut other = BackpropLab::default();
    assert_eq!(other.open_link(&lab.link()), "");
    assert_eq!(other.inside(), Some(Quantity::Activations));
    assert!(other.open_link("lab=network&inside=biases").contains("inside"));
    assert_eq!(other.inside(), None);
}

/// The same settings again change nothing (no ghost, no re-training); a new α at epoch 0 has nothing to re-train.
#[test]
fn a_change_that_changes_nothing_or_comes_at_the_start_retrains_nothing() {
    let mut lab = BackpropLab::default();
    let faster = LabSettings { lr: 0.6, ..lab.settings().clone() };
    assert!(!lab.retrain_with(faster.clone()).unwrap());
    assert_eq!((lab.retraining_to(), lab.ghost()), (None, None), "at epoch 0 there is nothing to train again");
    for _ in 0..4 {
        lab.run_mut().step_epoch();
    }
    let before = lab.run().history().to_vec();
    assert!(!lab.retrain_with(faster).unwrap());
    assert_eq!((lab.retraining_to(), lab.ghost()), (None, None), "the same settings: no ghost, no re-training");
    assert_eq!(lab.run().history(), &before[..], "the run is untouched");
    // A real change, in an adjustment of its own, leaves a ghost and a re-training; Reset ends both at epoch 0.
    lab.end_adjust();
    lab.retrain_with(LabSettings { lr: 0.05, ..lab.settings().clone() }).unwrap();
    assert!(lab.ghost().is_some() && lab.retraining_to() == Some(4));
    lab.reset();
    assert_eq!((lab.ghost(), lab.retraining_to(), lab.run().current().epoch), (None, None, 0));
}

/// The charts' text alternatives say what the readout says: the training loss at the start and now, the test loss, the accuracy.
#[test]
fn the_charts_are_told_in_the_readouts_numbers() {
    let mut lab = BackpropLab::default();
    assert!(lab.configure(form()).unwrap());
    let texts = |lab: &BackpropLab| {
        let (t, s) = (lab.chart_texts(4), lab.state(4));
        let m = &s["metrics"];
        let words = |key: &str| t[key].as_str().unwrap().to_string();
        (
            words("loss"),
            words("boundary"),
            m["trainLoss"].as_str().unwrap().to_string(),
            m["testLoss"].as_str().unwrap().to_string(),
            m["trainAccuracy"].as_str().unwrap().to_string(),
        )
    };
    let (loss, boundary, start, test, accuracy) = texts(&lab);
    assert_eq!(loss, format!("Training loss {start} at the start, before any epoch; test loss {test}; training accuracy {accuracy}."));
    let points = lab.run().train_data().len();
    assert_eq!(boundary, format!("The class the network gives each point of the plane at the start: {accuracy} of the {points} training points lie in their own class's region."));
    let t = lab.chart_texts(4);
    let s = lab.state(4);
    assert_eq!(s["fullestLayer"], 5, "the hidden layer of 5 is the fullest");
    let w = lab.selected();
    assert_eq!(
        t["network"],
        format!(
            "2 inputs, hidden layers of 5 ReLU, 3 tanh, 1 sigmoid σ output; the weight followed, {}, is {}.",
            w.name(),
            s["selected"]["value"].as_str().unwrap()
        )
    );
    let norms: Vec<String> = s["metrics"]["gradNorms"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
        .map(|(l, g)| format!("layer {}: {}", l + 1, g.as_str().unwrap()))
        .collect();
    assert_eq!(t["norms"], format!("The gradient's norm in each layer at the start: {}.", norms.join(", ")));
    for _ in 0..3 {
        lab.run_mut().step_epoch();
    }
    let (loss, boundary, now, test, accuracy) = texts(&lab);
    let [from, to] = [lab.run().history()[0].metrics.train_loss, lab.run().current().metrics.train_loss];
    let verb = if to < from { "fell" } else { "rose" };
    assert_eq!(loss, format!("Training loss {verb} from {start} to {now} over 3 epochs; test loss {test}; training accuracy {accuracy}."));
    assert!(boundary.starts_with("The class the network gives each point of the plane after 3 epochs: "), "{boundary}");
    while lab.run().current().batch == 0 {
        lab.run_mut().step_phase();
    }
    assert!(texts(&lab).0.contains(" over 3 epochs and 1 update; "), "{}", texts(&lab).0);
    let mut settings = form();
    settings.dataset = DatasetKind::Sine;
    settings.output_activation = Activation::Linear;
    settings.loss = Loss::Mse;
    assert!(lab.configure(settings).unwrap());
    let t = lab.chart_texts(4);
    let points = lab.run().train_data().len();
    assert_eq!(t["boundary"], format!("The network's output against x at the start, with the {points} training points."));
    assert!(!t["loss"].as_str().unwrap().contains("accuracy"), "no accuracy for a regression");
}

/// The worksheet follows the chosen weight (here of layer 2) through the
/// first updates from the initial weights: the key's numbers are the
/// updates' own, the step takes w before to w after, the chosen columns are
/// blank, each chain rule is written out, and the batches' points are listed.
#[test]
fn the_worksheet_follows_a_weight_through_the_first_updates() {
    use crate::worksheet::{Blanks, WorksheetSettings};
    let mut lab = BackpropLab::default();
    assert!(lab.configure(form()).unwrap());
    let w = ParamId { layer: 2, from: Some(1), to: 0 };
    lab.select(w).unwrap();
    lab.run_mut().step_epoch();
    let settings = WorksheetSettings { steps: 2, blanks: Blanks { gradient: true, step: true, after: false } };
    let sheet = lab.worksheet(settings, 5).unwrap();
    assert_eq!(sheet.title, format!("Backpropagation by hand: {} over 2 updates", w.name()));
    let mut replay = lab.run().clone();
    replay.reset();
    for k in 0..2 {
        while !matches!(replay.phase(), Some((_, Phase::Update))) {
            replay.step_phase();
        }
        let (work, _) = replay.phase().unwrap();
        let index = w.index(&replay.current_network()).unwrap();
        let key = &sheet.answers[k];
        assert_eq!(key[1], work.batch.iter().map(|r| (r + 1).to_string()).collect::<Vec<_>>().join(", "));
        assert_eq!(key[3], crate::format::sig(work.backward.grad[index], 5), "∂L/∂w of update {}", k + 1);
        let before = replay.current().params[index];
        replay.step_phase();
        let after = replay.current().params[index];
        assert_eq!((key[2].clone(), key[5].clone()), (crate::format::sig(before, 5), crate::format::sig(after, 5)));
        let step: f64 = key[4].parse().unwrap();
        assert!((before - step - after).abs() <= 1e-4 * (before.abs() + 1e-3), "w − step = w after: {key:?}");
        assert_eq!(sheet.rows[k].iter().map(Option::is_none).collect::<Vec<_>>(), [false, false, false, true, true, false]);
        assert!(sheet.working[k][0].starts_with(&format!("∂L/∂{}", w.name())), "the chain rule first: {:?}", sheet.working[k]);
    }
    let (names, points) = sheet.data.unwrap();
    assert_eq!(names, ["point", "x₁", "x₂", "y"]);
    assert_eq!(points.len(), 32, "two batches of 16 distinct points");
    assert!(sheet.problem.iter().any(|line| line.starts_with("W² = ")), "{:?}", sheet.problem);
}
