//! The iteration table of a run as CSV and as a Markdown table, every number
//! rounded to the digits shown on the page, with a note on the rows where the
//! run stopped, diverged or had its best test loss.

use crate::descent::run::DescentRun;
use crate::descent::stop::StopRule;
use crate::format::sig;
use crate::nn::lab::{best_test_epoch, TrainStopRule};
use crate::nn::train::TrainingRun;

/// A table: column names, rows of numbers (None where a value is absent) and
/// a note for each row (empty where none), the last column.
pub struct Table {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Option<f64>>>,
    pub notes: Vec<String>,
    /// Significant digits of every number.
    pub digits: usize,
}

impl Table {
    fn header(&self) -> Vec<String> {
        self.columns.iter().cloned().chain(["note".to_string()]).collect()
    }

    fn cells(&self) -> impl Iterator<Item = (Vec<String>, &str)> + '_ {
        let numbers = self.rows.iter().map(|row| row.iter().map(|v| v.map_or(String::new(), |v| sig(v, self.digits))).collect());
        numbers.zip(self.notes.iter().map(String::as_str))
    }

    /// Comma-separated values, one row a line, with a header line; a note is quoted.
    pub fn csv(&self) -> String {
        let mut out = self.header().join(",") + "\n";
        for (mut row, note) in self.cells() {
            row.push(if note.is_empty() { String::new() } else { format!("\"{}\"", note.replace('"', "\"\"")) });
            out += &(row.join(",") + "\n");
        }
        out
    }

    /// A Markdown table with a header row.
    pub fn markdown(&self) -> String {
        let line = |cells: &[String]| format!("| {} |\n", cells.join(" | "));
        let mut out = line(&self.header());
        out += &line(&vec!["---".to_string(); self.columns.len() + 1]);
        for (mut row, note) in self.cells() {
            row.push(note.replace('|', "\\|"));
            out += &line(&row);
        }
        out
    }
}

/// Appends `note` to the note of row `row`, after "; " when it has one.
fn add_note(notes: &mut [String], row: usize, note: &str) {
    if let Some(cell) = notes.get_mut(row) {
        if !cell.is_empty() {
            cell.push_str("; ");
        }
        cell.push_str(note);
    }
}

/// t, θ, J, ∇J and the α of the update that led to θₜ, for every iteration
/// of `run`, at `digits` significant digits; notes say where a condition of
/// `stop` first held, and where the run diverged.
pub fn descent_table(run: &DescentRun, stop: &StopRule, digits: usize) -> Table {
    let [a, b] = run.surface().axis_names();
    let columns = ["t".to_string(), a.into(), b.into(), "J".into(), format!("∂J/∂{a}"), format!("∂J/∂{b}"), "α".into()];
    let rows = run
        .history()
        .iter()
        .enumerate()
        .map(|(t, s)| {
            vec![Some(t as f64), Some(s.theta[0]), Some(s.theta[1]), Some(s.value), Some(s.gradient[0]), Some(s.gradient[1]), s.lr_used]
        })
        .collect();
    let mut notes = vec![String::new(); run.history().len()];
    if let Some((t, met)) = stop.first_met(run.history()) {
        add_note(&mut notes, t, &met.message(t, digits));
    }
    if let Some(k) = run.diverged_at() {
        let last = notes.len() - 1;
        add_note(&mut notes, last, &format!("Diverged at iteration {k}: the update gave a value too large to represent"));
    }
    Table { columns: columns.into(), rows, notes, digits }
}

/// Epoch, train and test loss and accuracy, and every layer's gradient norm,
/// for every snapshot of `run`, at `digits` significant digits; notes say
/// where the test loss was lowest, where a condition of `stop` first held,
/// and where training diverged.
pub fn training_table(run: &TrainingRun, stop: &TrainStopRule, digits: usize) -> Table {
    let layers = run.network().arch.layers();
    let mut columns: Vec<String> =
        ["epoch", "update", "train loss", "test loss", "train accuracy", "test accuracy"].map(String::from).into();
    columns.extend((1..=layers).map(|l| format!("norm layer {l}")));
    let rows = run
        .history()
        .iter()
        .map(|s| {
            let m = &s.metrics;
            let mut row =
                vec![Some(s.epoch as f64), Some(s.batch as f64), Some(m.train_loss), m.test_loss, m.train_accuracy, m.test_accuracy];
            row.extend(m.grad_norms.iter().map(|g| Some(*g)));
            row
        })
        .collect();
    let history = run.history();
    let mut notes = vec![String::new(); history.len()];
    if let Some((best, loss)) = best_test_epoch(history) {
        if let Some(row) = history.iter().position(|s| (s.epoch, s.batch) == (best, 0)) {
            add_note(&mut notes, row, &format!("lowest test loss, {}", sig(loss, digits)));
        }
    }
    if let Some((row, met)) = stop.first_met(history) {
        add_note(&mut notes, row, &met.message(history[row].epoch, digits));
    }
    if let Some(k) = run.diverged_at() {
        let last = notes.len() - 1;
        add_note(&mut notes, last, &format!("Diverged in epoch {k}: a weight or the loss became too large to represent"));
    }
    Table { columns, rows, notes, digits }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::descent::lab::DescentLab;
    use crate::nn::lab::BackpropLab;

    /// The lab on 0.5·(x² + 10y²) with plain descent at α from (−0.8, 0.5).
    fn quadratic(lr: f64) -> DescentLab {
        let mut lab = DescentLab::default();
        lab.set_surface("quadratic").unwrap();
        lab.set_learning_rate(lr, false).unwrap();
        lab.set_start([-0.8, 0.5]).unwrap();
        lab
    }

    #[test]
    fn the_descent_table_holds_every_iteration_rounded_as_shown_and_where_it_stopped() {
        let mut lab = quadratic(0.1);
        lab.set_stop_rule(StopRule { iterations: Some(2), ..StopRule::default() }).unwrap();
        while lab.run_on(10) {}
        lab.step_many(1);
        let csv = descent_table(lab.run(), &lab.stop_rule(), 6).csv();
        assert_eq!(csv.lines().next(), Some("t,x,y,J,∂J/∂x,∂J/∂y,α,note"));
        assert_eq!(csv.lines().count(), 5);
        // θ₁ = (−0.8·0.9, 0.5·0) = (−0.72, 0), J = 0.2592, ∇J = (−0.72, 0), α = 0.1.
        assert_eq!(csv.lines().nth(2), Some("1,-0.72,0,0.2592,-0.72,0,0.1,"));
        assert!(csv.lines().nth(1).unwrap().ends_with(",,"), "no α led to θ₀, and no note");
        assert_eq!(
            csv.lines().nth(3),
            Some("2,-0.648,0,0.209952,-0.648,0,0.1,\"Stopped at iteration 2: the most iterations, 2, are done\""),
            "the note is quoted, for its commas"
        );
        assert!(csv.lines().nth(4).unwrap().ends_with(','), "stepping past the stop adds no second note");
        let md = descent_table(lab.run(), &lab.stop_rule(), 3).markdown();
        assert!(md.starts_with("| t | x | y | J | ∂J/∂x | ∂J/∂y | α | note |\n| --- | --- |"), "{md}");
        assert!(
            md.contains("| 2 | -0.648 | 0 | 0.21 | -0.648 | 0 | 0.1 | Stopped at iteration 2: the most iterations, 2, are done |"),
            "{md}"
        );
    }

    #[test]
    fn the_descent_table_says_where_the_run_diverged() {
        let mut lab = quadratic(5.0);
        lab.step_many(10_000);
        let k = lab.run().diverged_at().expect("α = 5 diverges on the quadratic");
        let md = descent_table(lab.run(), &lab.stop_rule(), 4).markdown();
        let last = md.lines().last().unwrap();
        assert!(last.ends_with(&format!("| Diverged at iteration {k}: the update gave a value too large to represent |")), "{last}");
        assert_eq!(md.matches("Diverged").count(), 1);
    }

    #[test]
    fn the_training_table_marks_the_best_test_epoch_and_the_stop() {
        let mut lab = BackpropLab::default();
        lab.set_stop_rule(TrainStopRule { epochs: Some(3), ..TrainStopRule::default() }).unwrap();
        while lab.train_on(10) {}
        let table = training_table(lab.run(), &lab.stop_rule(), 4);
        let history = lab.run().history();
        let (best, loss) = best_test_epoch(history).expect("the default data set keeps test points");
        let best_row = history.iter().position(|s| (s.epoch, s.batch) == (best, 0)).unwrap();
        assert!(table.notes[best_row].starts_with(&format!("lowest test loss, {}", sig(loss, 4))), "{:?}", table.notes);
        assert!(table.notes.last().unwrap().ends_with("Stopped at epoch 3: the most epochs, 3, are done"), "{:?}", table.notes);
        assert_eq!(table.notes.iter().filter(|n| !n.is_empty()).count(), if best_row + 1 == history.len() { 1 } else { 2 });
        let csv = table.csv();
        assert!(csv.lines().next().unwrap().starts_with("epoch,update,train loss,test loss,train accuracy,test accuracy,norm layer 1,"));
        assert!(csv.lines().next().unwrap().ends_with(",note"));
        assert_eq!(csv.lines().count(), history.len() + 1);
    }

    #[test]
    fn a_note_with_a_quote_or_a_bar_keeps_its_table_whole() {
        let table = Table { columns: vec!["t".into()], rows: vec![vec![Some(1.0)]], notes: vec!["say \"a|b\"".into()], digits: 3 };
        assert_eq!(table.csv(), "t,note\n1,\"say \"\"a|b\"\"\"\n");
        assert!(table.markdown().ends_with("| 1 | say \"a\\|b\" |\n"));
    }
}
