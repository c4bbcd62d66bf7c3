//! A function the user typed: its text, its partial derivatives as formulas,
//! and the compiled programs that evaluate them.

use super::{parse, Expr, GridPointWork, Program};

/// f of the variables `names`, with ∂f/∂(each variable).
#[derive(Clone, Debug)]
pub struct TypedFunction {
    text: String,
    names: &'static [&'static str],
    partials: Vec<Expr>,
    program: Program,
    partial_programs: Vec<Program>,
    /// ∂²f/∂vᵢ∂vⱼ when every one is a number (f is a quadratic).
    hessian: Option<Vec<Vec<f64>>>,
}

impl PartialEq for TypedFunction {
    /// The same text in the same variables is the same function.
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text && self.names == other.names
    }
}

impl TypedFunction {
    /// f(x, y) typed as `text`, or why it cannot be read.
    pub fn of_xy(text: &str) -> Result<TypedFunction, String> {
        TypedFunction::new(text, &["x", "y"])
    }

    /// f(x) typed as `text`, or why it cannot be read.
    pub fn of_x(text: &str) -> Result<TypedFunction, String> {
        TypedFunction::new(text, &["x"])
    }

    fn new(text: &str, names: &'static [&'static str]) -> Result<TypedFunction, String> {
        let expr = parse(text, names)?;
        let partials: Vec<Expr> = (0..names.len()).map(|v| expr.derivative(v)).collect();
        let second = |e: &Expr, v: usize| match e.derivative(v) {
            Expr::Num(n) => Some(n),
            _ => None,
        };
        let hessian = partials.iter().map(|p| (0..names.len()).map(|v| second(p, v)).collect::<Option<Vec<f64>>>()).collect();
        Ok(TypedFunction {
            text: text.trim().to_string(),
            names,
            program: Program::compile(&expr),
            partial_programs: partials.iter().map(Program::compile).collect(),
            partials,
            hessian,
        })
    }

    /// The text as typed (trimmed).
    pub fn text(&self) -> &str {
        &self.text
    }

    /// f(p).
    pub fn value(&self, p: &[f64]) -> f64 {
        self.program.eval(p)
    }

    /// f(x, y) on the grid xs × ys, row by row (see [`Program::eval_grid`]).
    pub fn values_on_grid(&self, xs: &[f64], ys: &[f64], out: &mut [f64]) {
        self.program.eval_grid(xs, ys, out);
    }

    /// What f computes at every point of a grid (see [`Program::work_per_grid_point`]).
    pub fn work_per_grid_point(&self) -> GridPointWork {
        self.program.work_per_grid_point()
    }

    /// ∇f(p), from the symbolic partial derivatives.
    pub fn gradient(&self, p: &[f64]) -> Vec<f64> {
        self.partial_programs.iter().map(|d| d.eval(p)).collect()
    }

    /// "∂f/∂x = …", one line a variable.
    pub fn partial_lines(&self) -> Vec<String> {
        self.partials.iter().zip(self.names).map(|(d, v)| format!("∂f/∂{v} = {}", d.to_text(self.names))).collect()
    }

    /// The Hessian when it is constant (f is a quadratic), else None.
    pub fn hessian(&self) -> Option<&[Vec<f64>]> {
        self.hessian.as_deref()
    }
}
