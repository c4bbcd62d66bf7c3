//! Functions the user types: f(x, y) (or f(x)) in the usual notation, parsed
//! to a tree, differentiated symbolically, written back as formulas that read
//! well, and compiled once to a program that evaluates many points fast.
//!
//! Hand-written rather than taken from a crate: exmex 0.21, the crate with
//! symbolic partial derivatives, measured on this project's needs, names no
//! column in its syntax errors (it prints operator structs), reads `pi` as a
//! variable, has no `**`, `sigmoid` nor two-argument `min(a, b)`, cannot
//! differentiate `abs`, `min` or `max`, writes derivatives as
//! `(({x}*2.0)*0.1)`, and evaluated sin(x)·cos(y) + 0.1·(x² + y²) at 512 × 512
//! points in 43 ms natively, four times the heatmap's budget.

mod diff;
mod eval;
mod parse;
mod print;
mod typed;

pub use eval::{GridPointWork, Program};
pub use parse::{parse, MAX_DEPTH, MAX_LENGTH};
pub use typed::TypedFunction;

/// A function of one argument the notation knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Func {
    Sin,
    Cos,
    Tan,
    Exp,
    /// The natural logarithm (typed `log` or `ln`).
    Ln,
    Sqrt,
    Abs,
    Tanh,
    /// σ(u) = 1 / (1 + e⁻ᵘ).
    Sigmoid,
    /// −1, 0 or 1 (the slope of abs).
    Sign,
}

impl Func {
    /// Every function, by the name it is typed and written with.
    pub const ALL: [(&'static str, Func); 10] = [
        ("sin", Func::Sin),
        ("cos", Func::Cos),
        ("tan", Func::Tan),
        ("exp", Func::Exp),
        ("log", Func::Ln),
        ("sqrt", Func::Sqrt),
        ("abs", Func::Abs),
        ("tanh", Func::Tanh),
        ("sigmoid", Func::Sigmoid),
        ("sign", Func::Sign),
    ];

    pub fn name(self) -> &'static str {
        Func::ALL.iter().find(|(_, f)| *f == self).map(|(n, _)| *n).expect("every function is listed")
    }

    pub fn apply(self, u: f64) -> f64 {
        match self {
            Func::Sin => u.sin(),
            Func::Cos => u.cos(),
            Func::Tan => u.tan(),
            Func::Exp => u.exp(),
            Func::Ln => u.ln(),
            Func::Sqrt => u.sqrt(),
            Func::Abs => u.abs(),
            Func::Tanh => u.tanh(),
            Func::Sigmoid => 1.0 / (1.0 + (-u).exp()),
            Func::Sign => {
                if u > 0.0 {
                    1.0
                } else if u < 0.0 {
                    -1.0
                } else {
                    0.0
                }
            }
        }
    }
}

/// An expression in the variables x (0) and y (1).
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    Num(f64),
    Var(usize),
    Neg(Box<Expr>),
    Add(Box<Expr>, Box<Expr>),
    Sub(Box<Expr>, Box<Expr>),
    Mul(Box<Expr>, Box<Expr>),
    Div(Box<Expr>, Box<Expr>),
    Pow(Box<Expr>, Box<Expr>),
    Call(Func, Box<Expr>),
    Min(Box<Expr>, Box<Expr>),
    Max(Box<Expr>, Box<Expr>),
    /// t where a < b, else f: the derivatives of min and max choose so (and
    /// the branch not chosen, even infinite, does not enter the result).
    IfLess(Box<Expr>, Box<Expr>, Box<Expr>, Box<Expr>),
}

impl Expr {
    /// Whether the expression holds variable `var`.
    pub fn depends_on(&self, var: usize) -> bool {
        match self {
            Expr::Num(_) => false,
            Expr::Var(v) => *v == var,
            Expr::Neg(a) | Expr::Call(_, a) => a.depends_on(var),
            Expr::Add(a, b) | Expr::Sub(a, b) | Expr::Mul(a, b) | Expr::Div(a, b) | Expr::Pow(a, b) | Expr::Min(a, b) | Expr::Max(a, b) => {
                a.depends_on(var) || b.depends_on(var)
            }
            Expr::IfLess(a, b, t, f) => [a, b, t, f].iter().any(|e| e.depends_on(var)),
        }
    }

    /// ∂/∂(variable `var`), simplified (no 0·u, 1·u, u^1, u + 0).
    pub fn derivative(&self, var: usize) -> Expr {
        diff::derivative(self, var)
    }

    /// The expression in the usual notation, with only the brackets it needs.
    pub fn to_text(&self, names: &[&str]) -> String {
        print::text(self, names)
    }
}

#[cfg(test)]
mod tests;
