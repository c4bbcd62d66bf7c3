//! An [`Expr`] compiled once to a program of stack operations, so that many
//! points are evaluated without walking the tree: the heatmap runs each
//! operation over a block of points at a time.

use super::{Expr, Func};

#[derive(Clone, Copy, Debug, PartialEq)]
enum Op {
    Num(f64),
    Var(usize),
    Neg,
    Add,
    Sub,
    Mul,
    Div,
    /// u^n for a whole number n (x^2 is x·x, not powf).
    PowI(i32),
    Pow,
    Call(Func),
    Min,
    Max,
    /// Of a, b, t, f: t where a < b, else f.
    IfLess,
}

/// A compiled expression.
#[derive(Clone, Debug, PartialEq)]
pub struct Program {
    ops: Vec<Op>,
    /// The most values on the stack at once.
    depth: usize,
}

/// Points evaluated together, one operation over all of them at a time.
const BLOCK: usize = 128;
/// The deepest stack a single point is evaluated on without allocating.
const SCALAR_STACK: usize = 64;

fn emit(e: &Expr, ops: &mut Vec<Op>) {
    let two = |a: &Expr, b: &Expr, op: Op, ops: &mut Vec<Op>| {
        emit(a, ops);
        emit(b, ops);
        ops.push(op);
    };
    match e {
        Expr::Num(n) => ops.push(Op::Num(*n)),
        Expr::Var(v) => ops.push(Op::Var(*v)),
        Expr::Neg(a) => {
            emit(a, ops);
            ops.push(Op::Neg);
        }
        Expr::Call(f, a) => {
            emit(a, ops);
            ops.push(Op::Call(*f));
        }
        Expr::Pow(a, b) => match **b {
            Expr::Num(n) if n.fract() == 0.0 && n.abs() <= 64.0 => {
                emit(a, ops);
                ops.push(Op::PowI(n as i32));
            }
            _ => two(a, b, Op::Pow, ops),
        },
        Expr::Add(a, b) => two(a, b, Op::Add, ops),
        Expr::Sub(a, b) => two(a, b, Op::Sub, ops),
        Expr::Mul(a, b) => two(a, b, Op::Mul, ops),
        Expr::Div(a, b) => two(a, b, Op::Div, ops),
        Expr::Min(a, b) => two(a, b, Op::Min, ops),
        Expr::Max(a, b) => two(a, b, Op::Max, ops),
        Expr::IfLess(a, b, t, f) => {
            for e in [a, b, t, f] {
                emit(e, ops);
            }
            ops.push(Op::IfLess);
        }
    }
}

fn binary(op: Op, a: f64, b: f64) -> f64 {
    match op {
        Op::Add => a + b,
        Op::Sub => a - b,
        Op::Mul => a * b,
        Op::Div => a / b,
        Op::Pow => a.powf(b),
        // Undefined where either argument is (f64::min would pick the other).
        Op::Min => {
            if a.is_nan() || b.is_nan() {
                f64::NAN
            } else {
                a.min(b)
            }
        }
        Op::Max => {
            if a.is_nan() || b.is_nan() {
                f64::NAN
            } else {
                a.max(b)
            }
        }
        _ => unreachable!("a binary operation"),
    }
}

impl Program {
    pub fn compile(e: &Expr) -> Program {
        let mut ops = Vec::new();
        emit(e, &mut ops);
        Program::of_ops(ops)
    }

    /// The program of `ops`, a whole expression in postfix order.
    fn of_ops(ops: Vec<Op>) -> Program {
        let (mut size, mut depth) = (0usize, 0usize);
        for op in &ops {
            match op {
                Op::Num(_) | Op::Var(_) => size += 1,
                Op::Neg | Op::PowI(_) | Op::Call(_) => {}
                Op::IfLess => size -= 3,
                _ => size -= 1,
            }
            depth = depth.max(size);
        }
        Program { ops, depth }
    }

    /// The value at the point `vars` (x, or x and y): one step of a run
    /// evaluates f and its partial derivatives so, with no allocation.
    pub fn eval(&self, vars: &[f64]) -> f64 {
        let mut stack = [0.0f64; SCALAR_STACK];
        if self.depth > SCALAR_STACK {
            let mut out = [0.0];
            let columns: Vec<&[f64]> = vars.iter().map(std::slice::from_ref).collect();
            self.eval_many(&columns, &mut out);
            return out[0];
        }
        let mut top = 0;
        for op in &self.ops {
            match *op {
                Op::Num(v) => {
                    stack[top] = v;
                    top += 1;
                }
                Op::Var(i) => {
                    stack[top] = vars[i];
                    top += 1;
                }
                Op::Neg => stack[top - 1] = -stack[top - 1],
                Op::PowI(k) => stack[top - 1] = stack[top - 1].powi(k),
                Op::Call(f) => stack[top - 1] = f.apply(stack[top - 1]),
                Op::IfLess => {
                    top -= 3;
                    stack[top - 1] = if stack[top - 1] < stack[top] { stack[top + 1] } else { stack[top + 2] };
                }
                op => {
                    top -= 1;
                    stack[top - 1] = binary(op, stack[top - 1], stack[top]);
                }
            }
        }
        stack[0]
    }

    /// The values at many points, into `out`: point i is (vars[0][i], vars[1][i]).
    pub fn eval_many(&self, vars: &[&[f64]], out: &mut [f64]) {
        let mut stack = vec![[0.0f64; BLOCK]; self.depth.max(1)];
        for start in (0..out.len()).step_by(BLOCK) {
            let n = BLOCK.min(out.len() - start);
            let mut top = 0;
            for op in &self.ops {
                match *op {
                    Op::Num(v) => {
                        stack[top][..n].fill(v);
                        top += 1;
                    }
                    Op::Var(i) => {
                        stack[top][..n].copy_from_slice(&vars[i][start..start + n]);
                        top += 1;
                    }
                    Op::Neg => stack[top - 1][..n].iter_mut().for_each(|v| *v = -*v),
                    Op::PowI(k) => stack[top - 1][..n].iter_mut().for_each(|v| *v = v.powi(k)),
                    Op::Call(f) => stack[top - 1][..n].iter_mut().for_each(|v| *v = f.apply(*v)),
                    Op::IfLess => {
                        let (below, above) = stack.split_at_mut(top - 3);
                        let (a, b, t, f) = (&mut below[top - 4], &above[0], &above[1], &above[2]);
                        for k in 0..n {
                            a[k] = if a[k] < b[k] { t[k] } else { f[k] };
                        }
                        top -= 3;
                    }
                    op => {
                        let (below, above) = stack.split_at_mut(top - 1);
                        let (a, b) = (&mut below[top - 2], &above[0]);
                        match op {
                            Op::Add => a[..n].iter_mut().zip(&b[..n]).for_each(|(a, b)| *a += b),
                            Op::Mul => a[..n].iter_mut().zip(&b[..n]).for_each(|(a, b)| *a *= b),
                            Op::Sub => a[..n].iter_mut().zip(&b[..n]).for_each(|(a, b)| *a -= b),
                            _ => a[..n].iter_mut().zip(&b[..n]).for_each(|(a, b)| *a = binary(op, *a, *b)),
                        }
                        top -= 1;
                    }
                }
            }
            out[start..start + n].copy_from_slice(&stack[0][..n]);
        }
    }

    /// The values on the grid xs × ys of a function of x and y (Var(0) and
    /// Var(1) alone), into `out` (|xs|·|ys| entries) row by row: out[r·|xs| +
    /// c] = f(xs[c], ys[r]). The largest parts of the expression that depend
    /// on x alone are evaluated once for every column, those on y alone once
    /// for every row, and only the rest at every point: each value is the one
    /// [`Program::eval`] gives, bit for bit (the same operations on the same numbers).
    pub fn eval_grid(&self, xs: &[f64], ys: &[f64], out: &mut [f64]) {
        if xs.is_empty() || ys.is_empty() {
            return;
        }
        let (parts, rest) = self.grid_parts();
        // Each part's values in the row being evaluated: a part of x computed
        // once for all rows, a part of y held at its value in the row.
        let mut in_row = Vec::new();
        let mut along_y = Vec::new();
        for (part, var) in &parts {
            let points = [xs, ys][*var];
            let mut values = vec![0.0; points.len()];
            part.eval_many(&[points, points], &mut values);
            if *var == Y {
                along_y.push((in_row.len(), values));
                in_row.push(vec![0.0; xs.len()]);
            } else {
                in_row.push(values);
            }
        }
        for (r, row) in out.chunks_exact_mut(xs.len()).take(ys.len()).enumerate() {
            for (k, values) in &along_y {
                in_row[*k].fill(values[r]);
            }
            let vars: Vec<&[f64]> = in_row.iter().map(Vec::as_slice).collect();
            rest.eval_many(&vars, row);
        }
    }

    /// What [`Program::eval_grid`] computes at every point of a grid, the
    /// parts of x alone or of y alone aside.
    pub fn work_per_grid_point(&self) -> GridPointWork {
        let spans = spans(&self.ops);
        let of_both: Vec<&Op> = self.ops.iter().zip(spans).filter(|(_, (_, uses))| *uses == BOTH).map(|(op, _)| op).collect();
        GridPointWork { calls: of_both.iter().filter(|op| matches!(op, Op::Call(_) | Op::Pow)).count(), operations: of_both.len() }
    }

    /// The program split for a grid: its largest parts that depend on one
    /// variable alone (or on none), each with the variable it goes along (x
    /// also for a part of none), and the rest, in which Var(k) is part k's value.
    fn grid_parts(&self) -> (Vec<(Program, usize)>, Program) {
        /// A subexpression still to place, by its last operation, or an operation to write.
        enum Place {
            Subexpression(usize),
            Operation(Op),
        }
        let spans = spans(&self.ops);
        let (mut parts, mut rest) = (Vec::new(), Vec::new());
        // A subexpression of both variables puts back its operation, then its arguments.
        let mut to_place: Vec<Place> = self.ops.len().checked_sub(1).into_iter().map(Place::Subexpression).collect();
        while let Some(next) = to_place.pop() {
            let end = match next {
                Place::Subexpression(end) => end,
                Place::Operation(op) => {
                    rest.push(op);
                    continue;
                }
            };
            let (start, uses) = spans[end];
            if uses != BOTH {
                rest.push(Op::Var(parts.len()));
                parts.push((Program::of_ops(self.ops[start..=end].to_vec()), if uses == 1 << Y { Y } else { X }));
                continue;
            }
            to_place.push(Place::Operation(self.ops[end]));
            // The arguments' last operations, from the last argument back, so that the first is placed first.
            let mut last = end;
            while last > start {
                to_place.push(Place::Subexpression(last - 1));
                last = spans[last - 1].0;
            }
        }
        (parts, Program::of_ops(rest))
    }
}

/// What a program computes at every point of a grid (see [`Program::work_per_grid_point`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GridPointWork {
    /// Calls of functions: sin, exp, … and powers computed by powf (not whole numbers up to 64).
    pub calls: usize,
    /// Operations of every kind, calls included.
    pub operations: usize,
}

/// The variables x and y (Var(0) and Var(1)).
const X: usize = 0;
const Y: usize = 1;
/// The variables a subexpression uses (bit v for variable v) when it uses x and y.
const BOTH: u8 = 0b11;

/// For each operation of `ops` (a postfix program), the first operation of
/// the subexpression it ends and the variables that subexpression uses.
fn spans(ops: &[Op]) -> Vec<(usize, u8)> {
    let mut spans = Vec::with_capacity(ops.len());
    let mut stack: Vec<(usize, u8)> = Vec::new();
    for (i, op) in ops.iter().enumerate() {
        let arguments = match op {
            Op::Num(_) | Op::Var(_) => 0,
            Op::Neg | Op::PowI(_) | Op::Call(_) => 1,
            Op::IfLess => 4,
            _ => 2,
        };
        let first = stack.len() - arguments;
        // (A function of x and y has no variable past y; one would count as y.)
        let own = if let Op::Var(v) = op { 1 << (*v).min(Y) } else { 0 };
        let span = (stack.get(first).map_or(i, |s| s.0), stack[first..].iter().fold(own, |uses, s| uses | s.1));
        stack.truncate(first);
        stack.push(span);
        spans.push(span);
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::parse;

    /// The most values the evaluation of `e` holds at once, from the tree: an
    /// operation's arguments are evaluated left to right, each on top of those before it.
    fn deepest(e: &Expr) -> usize {
        match e {
            Expr::Num(_) | Expr::Var(_) => 1,
            Expr::Neg(a) | Expr::Call(_, a) => deepest(a),
            Expr::Pow(a, b) if matches!(**b, Expr::Num(n) if n.fract() == 0.0 && n.abs() <= 64.0) => deepest(a),
            Expr::Add(a, b) | Expr::Sub(a, b) | Expr::Mul(a, b) | Expr::Div(a, b) | Expr::Pow(a, b) | Expr::Min(a, b) | Expr::Max(a, b) => {
                deepest(a).max(1 + deepest(b))
            }
            Expr::IfLess(a, b, t, f) => deepest(a).max(1 + deepest(b)).max(2 + deepest(t)).max(3 + deepest(f)),
        }
    }

    /// The stack a program reserves is the deepest its evaluation reaches, derivatives (with their choices) included.
    #[test]
    fn the_stack_is_as_deep_as_the_evaluation_goes() {
        for text in ["x", "x + y", "x + y*x", "(x + y)*x", "x^2.5 + y", "min(x^2, y) * max(x, y)", "sin(x*(y + x*(y - 1)))"] {
            let e = parse(text, &["x", "y"]).unwrap();
            for e in [e.derivative(0), e.derivative(1), e] {
                assert_eq!(Program::compile(&e).depth, deepest(&e), "{}", e.to_text(&["x", "y"]));
            }
        }
    }

    /// On a grid, what depends on x alone or on y alone is computed once a
    /// column or a row: only the functions called on both are called at every point.
    #[test]
    fn a_grid_calls_at_every_point_only_what_needs_both_variables() {
        for (text, calls, operations) in [
            ("sin(x)*cos(y) + 0.1*(x^2 + y^2)", 0, 4),
            ("exp(sin(x)) * y - log(2)", 0, 2),
            ("sin(x*y) + cos(x + y) + exp(-(x^2 + y^2))", 3, 9),
            ("x^y + sqrt(x)", 1, 2),
            ("sin(x + y)^2", 1, 3),
            ("x + 1", 0, 0),
        ] {
            let program = Program::compile(&parse(text, &["x", "y"]).unwrap());
            assert_eq!(program.work_per_grid_point(), GridPointWork { calls, operations }, "{text}");
        }
    }

    /// A grid of no column or no row writes nothing; a program deeper than
    /// the scalar stack, or a grid of one row or one column, gives each point's value.
    #[test]
    fn grids_of_every_shape_give_each_point_s_value() {
        let deep = (1..80).fold(Expr::Mul(Expr::Var(0).into(), Expr::Var(1).into()), |inner, k| {
            Expr::Add(Expr::Mul(Expr::Num(k as f64).into(), Expr::Var(k % 2).into()).into(), inner.into())
        });
        let program = Program::compile(&deep);
        assert!(program.depth > SCALAR_STACK);
        let mut untouched = [7.0; 3];
        program.eval_grid(&[], &[1.0, 2.0, 3.0], &mut untouched);
        program.eval_grid(&[1.0, 2.0, 3.0], &[], &mut untouched);
        assert_eq!(untouched, [7.0; 3]);
        let line: Vec<f64> = (0..5).map(|i| 0.3 * i as f64 - 0.7).collect();
        for (xs, ys) in [(&line[..], &line[..1]), (&line[..1], &line[..]), (&line[..], &line[..])] {
            let mut out = vec![f64::NAN; xs.len() * ys.len()];
            program.eval_grid(xs, ys, &mut out);
            for (r, c) in (0..ys.len()).flat_map(|r| (0..xs.len()).map(move |c| (r, c))) {
                assert_eq!(
                    out[r * xs.len() + c].to_bits(),
                    program.eval(&[xs[c], ys[r]]).to_bits(),
                    "({c}, {r}) of {} × {}",
                    xs.len(),
                    ys.len()
                );
            }
        }
    }

    /// A program deeper than the scalar stack is evaluated all the same, as a block of one point.
    #[test]
    fn a_deep_program_is_evaluated_all_the_same() {
        let deep = (1..80).fold(Expr::Var(0), |inner, k| Expr::Add(Expr::Num(k as f64).into(), inner.into()));
        let program = Program::compile(&deep);
        assert!(program.depth > SCALAR_STACK);
        assert_eq!(program.eval(&[0.5]), 0.5 + (1..80).sum::<usize>() as f64);
    }

    /// A whole power is the product a student writes out (x^3 is x·x·x, which powf is not at every x), at a point and in a block.
    #[test]
    fn a_whole_power_is_a_repeated_product() {
        let cube = Program::compile(&parse("x^3", &["x"]).unwrap());
        let x = 1.00011f64;
        assert_ne!(x.powf(3.0), x * x * x, "a point where the two differ");
        assert_eq!(cube.eval(&[x]), x * x * x);
        let mut out = [0.0];
        cube.eval_many(&[&[x]], &mut out);
        assert_eq!(out[0], x * x * x);
    }

    /// At a tie the choice is the written one: "(1 if x < y else 0)" is 0 where x = y, at a point and in a block.
    #[test]
    fn a_tie_takes_the_else_branch_as_written() {
        let min = parse("min(x, y)", &["x", "y"]).unwrap();
        assert_eq!(min.derivative(0).to_text(&["x", "y"]), "(1 if x < y else 0)");
        for (var, expected) in [(0, 0.0), (1, 1.0)] {
            let slope = Program::compile(&min.derivative(var));
            assert_eq!(slope.eval(&[1.5, 1.5]), expected, "∂/∂{var} at a tie");
            let mut out = [f64::NAN; 2];
            slope.eval_many(&[&[1.5, 1.0], &[1.5, 2.0]], &mut out);
            assert_eq!(out, [expected, 1.0 - var as f64], "∂/∂{var} at a tie and below it, in a block");
        }
    }

    /// min and max are undefined where either argument is, whichever side it is on.
    #[test]
    fn min_and_max_are_undefined_where_an_argument_is() {
        for text in ["min(x, log(y))", "min(log(y), x)", "max(x, log(y))", "max(log(y), x)"] {
            let program = Program::compile(&parse(text, &["x", "y"]).unwrap());
            assert!(program.eval(&[1.0, -1.0]).is_nan(), "{text} where log(y) is undefined");
            assert_eq!(program.eval(&[1.0, 1.0]), if text.starts_with("min") { 0.0 } else { 1.0 }, "{text}");
        }
    }
}
