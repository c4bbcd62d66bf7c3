//! Symbolic derivatives, by the rules of a calculus course, built with
//! constructors that simplify as they go: numbers are folded, and 0·u, 1·u,
//! u + 0, u − 0, u/1, u^1, u^0 and − −u do not appear.

use super::{Expr, Func};

fn num(e: &Expr) -> Option<f64> {
    match e {
        Expr::Num(n) => Some(*n),
        _ => None,
    }
}

pub(super) fn neg(a: Expr) -> Expr {
    match a {
        Expr::Num(n) => Expr::Num(-n),
        Expr::Neg(inner) => *inner,
        a => Expr::Neg(a.into()),
    }
}

pub(super) fn add(a: Expr, b: Expr) -> Expr {
    match (num(&a), num(&b)) {
        (Some(x), Some(y)) => Expr::Num(x + y),
        (Some(0.0), _) => b,
        (_, Some(0.0)) => a,
        _ => match b {
            Expr::Neg(inner) => sub(a, *inner),
            Expr::Num(n) if n < 0.0 => Expr::Sub(a.into(), Expr::Num(-n).into()),
            b => Expr::Add(a.into(), b.into()),
        },
    }
}

pub(super) fn sub(a: Expr, b: Expr) -> Expr {
    match (num(&a), num(&b)) {
        (Some(x), Some(y)) => Expr::Num(x - y),
        (_, Some(0.0)) => a,
        (Some(0.0), _) => neg(b),
        _ => match b {
            Expr::Neg(inner) => add(a, *inner),
            b => Expr::Sub(a.into(), b.into()),
        },
    }
}

pub(super) fn mul(a: Expr, b: Expr) -> Expr {
    match (num(&a), num(&b)) {
        (Some(x), Some(y)) => Expr::Num(x * y),
        (Some(0.0), _) | (_, Some(0.0)) => Expr::Num(0.0),
        (Some(1.0), _) => b,
        (_, Some(1.0)) => a,
        (Some(-1.0), _) => neg(b),
        (_, Some(-1.0)) => neg(a),
        // A number goes in front: 2·x, not x·2.
        (None, Some(_)) => mul(b, a),
        _ => match (a, b) {
            (Expr::Neg(a), b) => neg(mul(*a, b)),
            (a, Expr::Neg(b)) => neg(mul(a, *b)),
            // Numbers gather in front: 2·(3·u) is 6·u, (2·u)·v is 2·(u·v).
            (Expr::Num(x), Expr::Mul(c, u)) if num(&c).is_some() => mul(Expr::Num(x * num(&c).expect("a number")), *u),
            (Expr::Mul(c, u), b) if num(&c).is_some() => mul(*c, mul(*u, b)),
            (a, Expr::Mul(c, u)) if num(&c).is_some() && num(&a).is_none() => mul(*c, mul(a, *u)),
            // (1/w)·u is u/w.
            (Expr::Div(one, w), b) if num(&one) == Some(1.0) => div(b, *w),
            (a, Expr::Div(one, w)) if num(&one) == Some(1.0) => div(a, *w),
            (a, b) => Expr::Mul(a.into(), b.into()),
        },
    }
}

pub(super) fn div(a: Expr, b: Expr) -> Expr {
    match (num(&a), num(&b)) {
        (Some(x), Some(y)) if y != 0.0 => Expr::Num(x / y),
        (Some(0.0), _) => Expr::Num(0.0),
        (_, Some(1.0)) => a,
        _ => match a {
            Expr::Neg(a) => neg(div(*a, b)),
            a => Expr::Div(a.into(), b.into()),
        },
    }
}

pub(super) fn pow(a: Expr, b: Expr) -> Expr {
    match (num(&a), num(&b)) {
        (Some(x), Some(y)) => Expr::Num(x.powf(y)),
        (_, Some(1.0)) => a,
        (_, Some(0.0)) => Expr::Num(1.0),
        _ => Expr::Pow(a.into(), b.into()),
    }
}

fn call(f: Func, u: Expr) -> Expr {
    Expr::Call(f, u.into())
}

/// f'(u) for a function of one argument.
fn slope(f: Func, u: &Expr) -> Expr {
    let u = || u.clone();
    match f {
        Func::Sin => call(Func::Cos, u()),
        Func::Cos => neg(call(Func::Sin, u())),
        Func::Tan => div(Expr::Num(1.0), pow(call(Func::Cos, u()), Expr::Num(2.0))),
        Func::Exp => call(Func::Exp, u()),
        Func::Ln => div(Expr::Num(1.0), u()),
        Func::Sqrt => div(Expr::Num(1.0), mul(Expr::Num(2.0), call(Func::Sqrt, u()))),
        Func::Abs => call(Func::Sign, u()),
        Func::Tanh => sub(Expr::Num(1.0), pow(call(Func::Tanh, u()), Expr::Num(2.0))),
        Func::Sigmoid => mul(call(Func::Sigmoid, u()), sub(Expr::Num(1.0), call(Func::Sigmoid, u()))),
        Func::Sign => Expr::Num(0.0),
    }
}

/// ∂e/∂(variable `var`).
pub(super) fn derivative(e: &Expr, var: usize) -> Expr {
    let d = |e: &Expr| derivative(e, var);
    match e {
        Expr::Num(_) => Expr::Num(0.0),
        Expr::Var(v) => Expr::Num(if *v == var { 1.0 } else { 0.0 }),
        Expr::Neg(a) => neg(d(a)),
        Expr::Add(a, b) => add(d(a), d(b)),
        Expr::Sub(a, b) => sub(d(a), d(b)),
        Expr::Mul(a, b) => add(mul(d(a), (**b).clone()), mul((**a).clone(), d(b))),
        Expr::Div(a, b) => {
            if !b.depends_on(var) {
                div(d(a), (**b).clone())
            } else {
                div(sub(mul(d(a), (**b).clone()), mul((**a).clone(), d(b))), pow((**b).clone(), Expr::Num(2.0)))
            }
        }
        Expr::Pow(a, b) => {
            let (u, w) = ((**a).clone(), (**b).clone());
            if !b.depends_on(var) {
                // (u^c)' = c·u^(c − 1)·u'
                mul(mul(w.clone(), pow(u, sub(w, Expr::Num(1.0)))), d(a))
            } else if !a.depends_on(var) {
                // (c^w)' = c^w·ln c·w'
                mul(mul(pow(u.clone(), w), call(Func::Ln, u)), d(b))
            } else {
                // (u^w)' = u^w·(w'·ln u + w·u'/u)
                mul(pow(u.clone(), w.clone()), add(mul(d(b), call(Func::Ln, u.clone())), div(mul(w, d(a)), u)))
            }
        }
        Expr::Call(Func::Ln, a) => div(d(a), (**a).clone()),
        Expr::Call(f, a) => mul(slope(*f, a), d(a)),
        Expr::Min(a, b) => if_less((**a).clone(), (**b).clone(), d(a), d(b)),
        Expr::Max(a, b) => if_less((**b).clone(), (**a).clone(), d(a), d(b)),
        Expr::IfLess(a, b, t, f) => if_less((**a).clone(), (**b).clone(), d(t), d(f)),
    }
}

/// t where a < b, else f (t alone when both are the same).
fn if_less(a: Expr, b: Expr, t: Expr, f: Expr) -> Expr {
    if t == f {
        return t;
    }
    Expr::IfLess(a.into(), b.into(), t.into(), f.into())
}
