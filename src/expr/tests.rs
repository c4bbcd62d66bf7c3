use proptest::prelude::*;

use super::*;

const XY: &[&str] = &["x", "y"];

fn value(text: &str, p: [f64; 2]) -> f64 {
    Program::compile(&parse(text, XY).unwrap()).eval(&p)
}

/// The usual notation, read as a calculator would: precedence, right-to-left powers, unary minus below ^, every number form, the names.
#[test]
fn the_notation_reads_as_a_calculator_does() {
    let p = [0.5, -2.0];
    for (text, want) in [
        ("1 + 2*3", 7.0),
        ("2^3^2", 512.0),
        ("2**3", 8.0),
        ("-x^2", -0.25),
        ("(-x)^2", 0.25),
        ("x^-1", 2.0),
        ("1e-3 + .5 + 2.5E2", 250.501),
        ("10/4/5", 0.5),
        ("pi", std::f64::consts::PI),
        ("2*π", std::f64::consts::TAU),
        ("e", std::f64::consts::E),
        ("min(x, y) + max(x, y)", -1.5),
        ("sigmoid(0) + tanh(0) + abs(y) + sqrt(4) + log(e) + ln(1) + exp(0)", 0.5 + 2.0 + 2.0 + 1.0 + 1.0),
        ("sin(pi/2)·cos(0) × 2 − 1", 1.0),
        ("x*y - y*x", 0.0),
    ] {
        let got = value(text, p);
        assert!((got - want).abs() < 1e-12, "{text}: {got}, not {want}");
    }
}

/// Each mistake says where (its column and the text around it) and what was expected; an unknown name lists the names.
#[test]
fn mistakes_say_where_and_what_was_expected() {
    for (text, says) in [
        ("x +* y", "column 4: expected a number, a name or “(”, found “*”"),
        ("sin(x", "column 6: expected “)” to close sin( ), found the end"),
        ("(x + y", "column 7: expected “)” to close the bracket"),
        ("x + y)", "column 6: this “)” closes no bracket"),
        ("2x", "column 2: expected an operator such as * before “x”"),
        ("foo(x)", "column 1: unknown name “foo”; the names are x, y, pi and e, and the functions sin, cos, tan, exp, log, sqrt, abs, tanh, sigmoid, sign, min, max"),
        ("min(x)", "column 6: expected “,” between the two arguments of min(a, b)"),
        ("sin(x, y)", "column 6: sin takes one argument"),
        ("x $ y", "column 3: “$” is not part of the notation"),
        ("_a + x", "column 1: unknown name “_a”"),
        ("1.2.3", "column 1: “1.2.3” is not a number"),
        ("", "type a function"),
        ("x +", "column 4: expected a number, a name or “(”, found the end"),
        ("1e400*x", "column 1: 1e400 is too large a number"),
    ] {
        let err = parse(text, XY).unwrap_err();
        assert!(err.starts_with(says), "{text}: {err}");
    }
    assert!(parse("x + y", &["x"]).unwrap_err().contains("unknown name “y”; the names are x, pi and e"));
    assert!(parse("x +* y", XY).unwrap_err().ends_with("(at “x +⟨here⟩* y”)"));
    assert!(
        parse("y + y + x +* y + y + y + y", XY).unwrap_err().ends_with("(at “ y + x +⟨here⟩* y + y ”)"),
        "eight characters either side"
    );
    let long = "x + ".repeat(80) + "x";
    assert!(parse(&long, XY).unwrap_err().contains("at most 300"));
    let deep = |n: usize| "(".repeat(n) + "x" + &")".repeat(n);
    assert!(parse(&deep(49), XY).is_ok(), "49 brackets in the whole: 50 levels");
    assert!(parse(&deep(50), XY).unwrap_err().contains("nested more than 50 deep"));
    assert!(parse(&["(x)"; 60].join("+"), XY).is_ok(), "sixty brackets side by side are one level each");
}

/// Derivatives read as a course writes them: no 0·u, 1·u, u^1 or u + 0.
#[test]
fn derivatives_are_written_simply() {
    for (text, dx, dy) in [
        ("x^2 + 3*x*y", "2·x + 3·y", "3·x"),
        ("sin(x)*cos(y) + 0.1*(x^2 + y^2)", "cos(x)·cos(y) + 0.2·x", "−sin(x)·sin(y) + 0.2·y"),
        ("0.5*(x^2 + 10*y^2)", "x", "10·y"),
        ("(1 - x)^2 + 100*(y - x^2)^2", "−2·(1 − x) − 400·(y − x^2)·x", "200·(y − x^2)"),
        ("sqrt(x^2 + y^2)", "2·x/(2·sqrt(x^2 + y^2))", "2·y/(2·sqrt(x^2 + y^2))"),
        ("min(x, y)^2", "2·min(x, y)·(1 if x < y else 0)", "2·min(x, y)·(0 if x < y else 1)"),
        ("exp(-x)", "−exp(−x)", "0"),
        ("log(x*y)", "y/(x·y)", "x/(x·y)"),
        ("abs(x)", "sign(x)", "0"),
    ] {
        let f = TypedFunction::of_xy(text).unwrap();
        assert_eq!(f.partial_lines(), [format!("∂f/∂x = {dx}"), format!("∂f/∂y = {dy}")], "{text}");
    }
}

/// Each constructor of a derivative simplifies as a course writes: numbers
/// folded, no 0·u, 1·u, u + 0, u/1 or u^1, a number in front, −(−u) as u.
#[test]
fn each_simplifying_constructor_writes_what_a_course_writes() {
    use super::diff::{add, div, mul, neg, pow, sub};
    let (x, y, n) = (|| Expr::Var(0), || Expr::Var(1), Expr::Num);
    let cases: Vec<(Expr, &str)> = vec![
        (add(n(2.0), n(3.0)), "5"),
        (add(n(0.0), x()), "x"),
        (add(x(), n(0.0)), "x"),
        (add(x(), neg(y())), "x − y"),
        (add(x(), n(-2.0)), "x − 2"),
        (add(x(), n(2.0)), "x + 2"),
        (add(x(), y()), "x + y"),
        (sub(n(5.0), n(3.0)), "2"),
        (sub(x(), n(0.0)), "x"),
        (sub(n(0.0), x()), "−x"),
        (sub(x(), neg(y())), "x + y"),
        (sub(x(), y()), "x − y"),
        (mul(n(2.0), n(3.0)), "6"),
        (mul(n(0.0), x()), "0"),
        (mul(x(), n(0.0)), "0"),
        (mul(n(1.0), x()), "x"),
        (mul(x(), n(1.0)), "x"),
        (mul(n(-1.0), x()), "−x"),
        (mul(x(), n(-1.0)), "−x"),
        (mul(x(), n(2.0)), "2·x"),
        (mul(neg(x()), y()), "−x·y"),
        (mul(x(), neg(y())), "−x·y"),
        (mul(n(2.0), mul(n(3.0), x())), "6·x"),
        (mul(n(2.0), mul(x(), y())), "2·x·y"),
        (mul(mul(n(2.0), x()), y()), "2·x·y"),
        (mul(x(), mul(n(2.0), y())), "2·x·y"),
        (mul(div(n(1.0), y()), x()), "x/y"),
        (mul(x(), div(n(1.0), y())), "x/y"),
        (mul(x(), div(n(2.0), y())), "x·2/y"),
        (div(n(6.0), n(3.0)), "2"),
        (div(n(6.0), n(0.0)), "6/0"),
        (div(n(0.0), x()), "0"),
        (div(x(), n(1.0)), "x"),
        (div(neg(x()), y()), "−x/y"),
        (div(x(), y()), "x/y"),
        (pow(n(2.0), n(3.0)), "8"),
        (pow(x(), n(1.0)), "x"),
        (pow(x(), n(0.0)), "1"),
        (pow(x(), n(2.0)), "x^2"),
        (pow(n(-2.0), x()), "(−2)^x"),
        (pow(x(), n(-2.0)), "x^(−2)"),
        (neg(n(3.0)), "−3"),
        (neg(neg(x())), "x"),
    ];
    for (i, (e, written)) in cases.iter().enumerate() {
        assert_eq!(e.to_text(XY), *written, "case {}", i + 1);
    }
}

/// A typed function is another's when its text and its variables are the same.
#[test]
fn typed_functions_are_the_same_by_their_text_and_variables() {
    let f = TypedFunction::of_xy("x^2 + y").unwrap();
    assert_eq!(f, TypedFunction::of_xy("x^2 + y").unwrap());
    assert_ne!(f, TypedFunction::of_xy("x^2 + 2*y").unwrap(), "another text");
    assert_ne!(TypedFunction::of_x("x^2").unwrap(), TypedFunction::of_xy("x^2").unwrap(), "the same text of other variables");
}

/// The branch of min or max not chosen does not enter its derivative, even where it is infinite.
#[test]
fn min_and_max_derivatives_take_the_chosen_branch_alone() {
    let f = TypedFunction::of_xy("min(x^2 + y^2, 1/x) + max(y, log(x))").unwrap();
    assert_eq!(f.gradient(&[0.0, 0.5]), vec![0.0, 2.0], "1/x and log x at x = 0 are not chosen");
    let (xs, ys) = ([0.0, 0.3, -0.2], [0.5, 0.1, 2.0]);
    let d = TypedFunction::of_xy("min(x^2, y) * max(x, y) + min(1, max(x, 2))").unwrap();
    let mut out = [0.0; 9];
    d.values_on_grid(&xs, &ys, &mut out);
    for (r, c) in (0..3).flat_map(|r| (0..3).map(move |c| (r, c))) {
        assert_eq!(out[3 * r + c], d.value(&[xs[c], ys[r]]), "a grid and a point agree");
    }
    let mut out = [0.0; 3];
    let slope = Program::compile(&parse("min(x^2, y) * max(x, y)", XY).unwrap().derivative(0));
    slope.eval_many(&[&xs, &ys], &mut out);
    for i in 0..3 {
        assert_eq!(out[i], slope.eval(&[xs[i], ys[i]]), "the choice of a derivative, in a block and at a point");
    }
}

/// A quadratic has a constant Hessian; anything else has none.
#[test]
fn a_quadratic_s_hessian_is_known() {
    let q = TypedFunction::of_xy("0.5*(x^2 + 10*y^2) + x*y").unwrap();
    assert_eq!(q.hessian(), Some(&[vec![1.0, 1.0], vec![1.0, 10.0]][..]));
    assert_eq!(TypedFunction::of_xy("x^3 + y^2").unwrap().hessian(), None);
}

/// A random expression in x and y, as text the notation reads.
fn expression() -> impl Strategy<Value = String> {
    let leaf =
        prop_oneof![Just("x".to_string()), Just("y".to_string()), (0.1f64..3.0).prop_map(|v| format!("{v:.3}")), Just("pi".to_string()),];
    leaf.prop_recursive(5, 40, 2, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone(), prop::sample::select(vec!["+", "-", "*", "/"])).prop_map(|(a, b, op)| format!("({a} {op} {b})")),
            (inner.clone(), 1u32..4).prop_map(|(a, n)| format!("({a})^{n}")),
            inner.clone().prop_map(|a| format!("-{a}")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{a}^-{b}")),
            (inner.clone(), inner.clone(), inner.clone()).prop_map(|(a, b, c)| format!("{a}^{b}^{c}")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a})^({b})")),
            (inner.clone(), prop::sample::select(vec!["sin", "cos", "exp", "tanh", "sigmoid", "sqrt", "log", "abs", "tan"]))
                .prop_map(|(a, f)| format!("{f}({a})")),
            (inner.clone(), inner, prop::sample::select(vec!["min", "max"])).prop_map(|(a, b, f)| format!("{f}({a}, {b})")),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// ∂f/∂x and ∂f/∂y agree with central differences of f where f is smooth:
    /// h = 1e-5·max(1, |v|) leaves a truncation error of order h²·|f'''| and a
    /// rounding error of order ε·|f|/h, well within 1e-5 relative; points at a
    /// kink (abs, min, max) or where the differences disagree are skipped.
    #[test]
    fn derivatives_agree_with_central_differences(text in expression(), x in -2.0f64..2.0, y in -2.0f64..2.0) {
        let f = TypedFunction::of_xy(&text).unwrap();
        let g = f.gradient(&[x, y]);
        for (i, gi) in g.iter().enumerate() {
            let h = 1e-5f64;
            let at = |d: f64| { let mut p = [x, y]; p[i] += d; f.value(&p) };
            let (up, down, mid) = (at(h), at(-h), at(0.0));
            let (up2, down2) = (at(2.0 * h), at(-2.0 * h));
            let values = [up, down, mid, up2, down2, *gi];
            prop_assume!(values.iter().all(|v| v.is_finite() && v.abs() < 1e6));
            // Where f does not move at all over ±2h although its slope is not 0, the step is
            // below the resolution of a number inside it (x added to π^π^π ≈ 1.3e18, say): no
            // difference can measure the slope there.
            prop_assume!(!(up2 == mid && down2 == mid && *gi != 0.0));
            let numeric = (up - down) / (2.0 * h);
            let wide = (up2 - down2) / (4.0 * h);
            // Where the two central differences, or the one-sided ones, disagree, f is
            // not smooth enough here to judge (a kink of abs, min or max at the point itself).
            prop_assume!((numeric - wide).abs() <= 1e-6 * (1.0 + numeric.abs()));
            let (forward, backward) = ((up - mid) / h, (mid - down) / h);
            prop_assume!((forward - backward).abs() <= 1e-3 * (1.0 + numeric.abs()));
            prop_assert!((gi - numeric).abs() <= 1e-5 * (1.0 + numeric.abs()), "{}: ∂/∂{} = {} by the formula, {} by differences", text, ["x", "y"][i], gi, numeric);
        }
    }

    /// A function's text, written back by the page, reads back to the same
    /// function (negations in products and powers, x^(−y), (x^y)^z included).
    #[test]
    fn written_formulas_read_back(text in expression(), x in -2.0f64..2.0, y in -2.0f64..2.0) {
        let e = parse(&text, XY).unwrap();
        let again = parse(&e.to_text(XY), XY).unwrap();
        let (a, b) = (Program::compile(&e).eval(&[x, y]), Program::compile(&again).eval(&[x, y]));
        prop_assert!(a == b || (a.is_nan() && b.is_nan()) || (a - b).abs() <= 1e-12 * a.abs().max(1.0), "{} → {}: {} vs {}", text, e.to_text(XY), a, b);
    }
}

/// 100,000 random and mutated strings through parsing, differentiation,
/// evaluation and a step: never a panic; a function or a readable error.
#[test]
fn fuzzed_text_gives_a_function_or_a_message() {
    let seeds = ["sin(x)*cos(y) + 0.1*(x^2 + y^2)", "min(x, y)^2 - log(abs(x)+1)", "x**2 + sigmoid(-y)/e", "(1 - x)^2 + 100*(y - x^2)^2"];
    let alphabet: Vec<char> = "xy0123456789.e+-*/^(),· sinpcolgmaqrtbhdE−×$".chars().collect();
    let mut rng = crate::random::Rng::new(7);
    let mut pick = |n: usize| ((rng.uniform() * n as f64) as usize).min(n - 1);
    let (mut read, mut refused) = (0, 0);
    for k in 0..100_000 {
        let mut text: Vec<char> = seeds[k % seeds.len()].chars().collect();
        for _ in 0..pick(3) {
            let at = pick(text.len() + 1);
            match pick(3) {
                0 if at < text.len() => {
                    text.remove(at);
                }
                1 => text.insert(at, alphabet[pick(alphabet.len())]),
                _ if at < text.len() => text[at] = alphabet[pick(alphabet.len())],
                _ => text.push(alphabet[pick(alphabet.len())]),
            }
        }
        let text: String = text.into_iter().collect();
        match TypedFunction::of_xy(&text) {
            Ok(f) => {
                read += 1;
                let p = [0.3, -0.7];
                let g = f.gradient(&p);
                let _step = [p[0] - 0.01 * g[0], p[1] - 0.01 * g[1]];
                let _ = f.value(&p);
                let _ = f.partial_lines();
            }
            Err(message) => {
                refused += 1;
                assert!(!message.is_empty() && !message.contains("Operator"), "{text}: {message}");
            }
        }
    }
    assert!(read > 10_000 && refused > 10_000, "{read} read, {refused} refused");
}

/// One point alone and many together give the same numbers, bit for bit:
/// in blocks of points, and on a grid (wider than a block), whatever parts
/// of the expression depend on x alone, on y alone, on both or on neither.
#[test]
fn one_point_a_block_and_a_grid_agree() {
    let xs: Vec<f64> = (0..300).map(|i| -3.0 + 0.02 * i as f64).collect();
    let ys: Vec<f64> = (0..300).map(|i| 2.0 - 0.013 * i as f64).collect();
    for text in [
        "sin(x)*cos(y) + 0.1*(x^2 + y^2) - min(x, y)^3 / (1 + exp(-x*y))",
        "x",
        "y",
        "2.5",
        "exp(-y) - 3",
        "sin(x*y)",
        "(y + 1)^2 - cos(2*x)^3 + 1/(1 + x^2)",
        "max(sin(x), y^2) - min(1, abs(x))",
    ] {
        let f = TypedFunction::of_xy(text).unwrap();
        let mut out = vec![0.0; 300];
        let program = Program::compile(&parse(text, XY).unwrap());
        program.eval_many(&[&xs, &ys], &mut out);
        for i in 0..300 {
            assert_eq!(out[i].to_bits(), f.value(&[xs[i], ys[i]]).to_bits(), "{text} in a block, point {i}");
        }
        let (cols, rows) = (&xs[..150], &ys[..7]);
        let mut grid = vec![f64::NAN; 150 * 7];
        f.values_on_grid(cols, rows, &mut grid);
        for (r, c) in (0..7).flat_map(|r| (0..150).map(move |c| (r, c))) {
            assert_eq!(grid[150 * r + c].to_bits(), f.value(&[cols[c], rows[r]]).to_bits(), "{text} on a grid at ({c}, {r})");
        }
    }
    // The derivatives of min and max choose a branch (if … else) at every point of a grid.
    let f = parse("min(x^2, y) * max(x, y)", XY).unwrap();
    for slope in [f.derivative(0), f.derivative(1)] {
        let program = Program::compile(&slope);
        let mut grid = vec![f64::NAN; 300 * 300];
        program.eval_grid(&xs, &ys, &mut grid);
        for (r, c) in (0..300).flat_map(|r| (0..300).map(move |c| (r, c))) {
            assert_eq!(grid[300 * r + c].to_bits(), program.eval(&[xs[c], ys[r]]).to_bits(), "{} at ({c}, {r})", slope.to_text(XY));
        }
    }
}
