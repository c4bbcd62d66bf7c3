//! The iteration table of a run as CSV and as a Markdown table, every number
//! rounded to the digits shown on the page.

use crate::format::sig;

/// A table: column names and rows of numbers (None where a value is absent).
pub struct Table {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Option<f64>>>,
}

impl Table {
    fn cells(&self, digits: usize) -> impl Iterator<Item = Vec<String>> + '_ {
        self.rows.iter().map(move |row| row.iter().map(|v| v.map_or(String::new(), |v| sig(v, digits))).collect())
    }

    /// Comma-separated values, one row a line, with a header line.
    pub fn csv(&self, digits: usize) -> String {
        let mut out = self.columns.join(",") + "\n";
        for row in self.cells(digits) {
            out += &(row.join(",") + "\n");
        }
        out
    }

    /// A Markdown table with a header row.
    pub fn markdown(&self, digits: usize) -> String {
        let line = |cells: &[String]| format!("| {} |\n", cells.join(" | "));
        let mut out = line(&self.columns);
        out += &line(&vec!["---".to_string(); self.columns.len()]);
        for row in self.cells(digits) {
            out += &line(&row);
        }
        out
    }
}

/// t, θ, J, ∇J and the α of the update that led to θₜ, for every iteration of a descent run.
pub fn descent_table(run: &crate::descent::run::DescentRun) -> Table {
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
    Table { columns: columns.into(), rows }
}

/// Epoch, train and test loss and accuracy, and every layer's gradient norm, for every snapshot of a training run.
pub fn training_table(run: &crate::nn::train::TrainingRun) -> Table {
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
    Table { columns, rows }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::descent::run::DescentRun;
    use crate::descent::surface::Surface;
    use crate::optim::Optimizer;

    #[test]
    fn the_descent_table_holds_every_iteration_rounded_as_shown() {
        let mut run = DescentRun::new(Surface::Quadratic, Optimizer::Sgd, 0.1, [-0.8, 0.5]).unwrap();
        run.step();
        run.step();
        let table = descent_table(&run);
        let csv = table.csv(6);
        assert_eq!(csv.lines().next(), Some("t,x,y,J,∂J/∂x,∂J/∂y,α"));
        assert_eq!(csv.lines().count(), 4);
        // θ₁ = (−0.8·0.9, 0.5·0) = (−0.72, 0), J = 0.2592, ∇J = (−0.72, 0), α = 0.1.
        assert_eq!(csv.lines().nth(2), Some("1,-0.72,0,0.2592,-0.72,0,0.1"));
        assert!(csv.lines().nth(1).unwrap().ends_with(','), "no α led to θ₀");
        let md = table.markdown(3);
        assert!(md.starts_with("| t | x | y | J | ∂J/∂x | ∂J/∂y | α |\n| --- | --- |"));
        assert!(md.contains("| 2 | -0.648 | 0 | 0.21 | -0.648 | 0 | 0.1 |"), "{md}");
    }
}
