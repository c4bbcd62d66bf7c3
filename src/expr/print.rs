//! Writing an [`Expr`] back in the usual notation (· for ×, − for minus),
//! with only the brackets its operators' order needs; the parser reads it
//! back to the same function (a derivative's choices of min and max, written
//! "(t if a < b else f)", are for reading only).

use super::Expr;

/// How tightly each form binds: a child that binds less tightly than its place needs is bracketed.
fn binding(e: &Expr) -> u8 {
    match e {
        Expr::Add(..) | Expr::Sub(..) => 1,
        Expr::Mul(..) | Expr::Div(..) => 2,
        Expr::Neg(_) => 3,
        Expr::Num(n) if *n < 0.0 => 3,
        Expr::Pow(..) => 4,
        _ => 5,
    }
}

fn number(n: f64) -> String {
    if n == std::f64::consts::PI {
        "pi".into()
    } else if n == std::f64::consts::E {
        "e".into()
    } else if n < 0.0 {
        format!("−{}", number(-n))
    } else if n != 0.0 && !(1e-4..1e6).contains(&n) {
        format!("{n:e}")
    } else {
        format!("{n}")
    }
}

fn within(e: &Expr, at_least: u8, names: &[&str]) -> String {
    let t = text(e, names);
    if binding(e) < at_least {
        format!("({t})")
    } else {
        t
    }
}

pub(super) fn text(e: &Expr, names: &[&str]) -> String {
    let w = |e: &Expr, at_least| within(e, at_least, names);
    match e {
        Expr::Num(n) => number(*n),
        Expr::Var(v) => names.get(*v).copied().unwrap_or("?").to_string(),
        Expr::Neg(a) => format!("−{}", w(a, 2)),
        Expr::Add(a, b) => format!("{} + {}", w(a, 1), w(b, 2)),
        Expr::Sub(a, b) => format!("{} − {}", w(a, 1), w(b, 2)),
        // a·(b·c) and a·(b/c) are a·b·c and a·b/c.
        Expr::Mul(a, b) => format!("{}·{}", w(a, 2), w(b, if matches!(**b, Expr::Mul(..) | Expr::Div(..)) { 2 } else { 4 })),
        Expr::Div(a, b) => format!("{}/{}", w(a, 2), w(b, 4)),
        Expr::Pow(a, b) => format!("{}^{}", w(a, 5), w(b, 4)),
        Expr::Call(f, a) => format!("{}({})", f.name(), text(a, names)),
        Expr::Min(a, b) => format!("min({}, {})", text(a, names), text(b, names)),
        Expr::Max(a, b) => format!("max({}, {})", text(a, names), text(b, names)),
        Expr::IfLess(a, b, t, f) => format!("({} if {} < {} else {})", text(t, names), text(a, names), text(b, names), text(f, names)),
    }
}
