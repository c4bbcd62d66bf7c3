//! A worksheet on paper, from either lab: the problem, the first k steps as a
//! table in which the chosen cells are left blank for the student, and an
//! answer key with every number and each step written out. Every number is
//! the one the run itself computed, at the chosen digits.

use crate::tr;
use serde::{Deserialize, Serialize};

/// The most steps (or updates) a worksheet lists.
pub const MAX_STEPS: usize = 10;

/// What the student fills in: which columns of the table are left blank.
#[derive(Clone, Copy, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Blanks {
    /// The gradient (descent) or ∂L/∂w (backprop).
    pub gradient: bool,
    /// The step α·d subtracted.
    pub step: bool,
    /// The parameter after the update.
    pub after: bool,
}

/// What a worksheet asks: the number of steps and the blank columns.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct WorksheetSettings {
    pub steps: usize,
    pub blanks: Blanks,
}

impl WorksheetSettings {
    /// Refuses a number of steps outside 1 … MAX_STEPS.
    pub fn check(&self) -> Result<(), String> {
        if (1..=MAX_STEPS).contains(&self.steps) {
            Ok(())
        } else {
            Err(tr!("a worksheet lists 1 to {max_steps} steps, not {a}", max_steps = MAX_STEPS, a = self.steps))
        }
    }
}

/// The kind of each column, so that the blanks can be chosen by kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Column {
    /// Given: the step's number, the parameter before, the loss, the batch.
    Given,
    Gradient,
    Step,
    After,
}

impl Column {
    fn blank(self, blanks: Blanks) -> bool {
        match self {
            Column::Given => false,
            Column::Gradient => blanks.gradient,
            Column::Step => blanks.step,
            Column::After => blanks.after,
        }
    }
}

/// A worksheet, ready to lay out.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Worksheet {
    pub title: String,
    /// The problem, a sentence a line.
    pub problem: Vec<String>,
    /// Numbered rows of data the problem needs (the regression's points), with their column names.
    pub data: Option<(Vec<String>, Vec<Vec<String>>)>,
    pub columns: Vec<String>,
    /// The student's table: None where a cell is left blank.
    pub rows: Vec<Vec<Option<String>>>,
    /// The answer key: every cell.
    pub answers: Vec<Vec<String>>,
    /// Each step written out, one equation a line (the answer key's working).
    pub working: Vec<Vec<String>>,
}

impl Worksheet {
    /// A worksheet from its table: `columns` named and of a kind, `cells` a row per step.
    pub fn new(
        title: String,
        problem: Vec<String>,
        data: Option<(Vec<String>, Vec<Vec<String>>)>,
        columns: &[(String, Column)],
        cells: Vec<Vec<String>>,
        working: Vec<Vec<String>>,
        blanks: Blanks,
    ) -> Worksheet {
        let rows = cells
            .iter()
            .map(|row| row.iter().zip(columns).map(|(cell, (_, kind))| (!kind.blank(blanks)).then(|| cell.clone())).collect())
            .collect();
        Worksheet { title, problem, data, columns: columns.iter().map(|(name, _)| name.clone()).collect(), rows, answers: cells, working }
    }
}
