//! For tests: redoes the arithmetic of a written line ("… = (0.1, 2) −
//! 0.1·(3, 4) = (-0.2, 1.6)") at the digits shown, carrying the rounding
//! error of every number, so a test can check that each written equation holds.

/// A number as the readout writes it, with the largest error its rounding
/// to `digits` significant digits can hide, for each component.
#[derive(Clone, Debug)]
struct Shown {
    value: Vec<f64>,
    error: Vec<f64>,
}

impl Shown {
    fn scalar(value: f64, error: f64) -> Shown {
        Shown { value: vec![value], error: vec![error] }
    }

    /// Component by component (a scalar stands for both components of a pair).
    fn combine(&self, other: &Shown, f: impl Fn(f64, f64, f64, f64) -> (f64, f64)) -> Shown {
        let n = self.value.len().max(other.value.len());
        let at = |s: &Shown, i: usize| (s.value[i.min(s.value.len() - 1)], s.error[i.min(s.error.len() - 1)]);
        let (value, error) = (0..n)
            .map(|i| {
                let ((a, ea), (b, eb)) = (at(self, i), at(other, i));
                f(a, ea, b, eb)
            })
            .unzip();
        Shown { value, error }
    }

    fn map(&self, f: impl Fn(f64, f64) -> (f64, f64)) -> Shown {
        let (value, error) = self.value.iter().zip(&self.error).map(|(v, e)| f(*v, *e)).unzip();
        Shown { value, error }
    }
}

/// Evaluates the arithmetic of one side of a written equation
/// ("(0.1, 2) − 0.1·(√4 + 1e-8)²"), carrying the rounding error of every number shown.
struct Arithmetic<'a> {
    text: &'a [char],
    at: usize,
    digits: usize,
}

impl Arithmetic<'_> {
    fn eval(text: &str, digits: usize) -> Shown {
        let chars: Vec<char> = text.chars().filter(|c| *c != ' ').collect();
        let mut a = Arithmetic { text: &chars, at: 0, digits };
        let value = a.sum();
        assert_eq!(a.at, chars.len(), "unread text in {text:?}");
        value
    }

    fn peek(&self) -> Option<char> {
        self.text.get(self.at).copied()
    }

    fn sum(&mut self) -> Shown {
        let mut value = self.product();
        while let Some(op) = self.peek().filter(|c| *c == '+' || *c == '−') {
            self.at += 1;
            let sign = if op == '+' { 1.0 } else { -1.0 };
            value = value.combine(&self.product(), |a, ea, b, eb| (a + sign * b, ea + eb));
        }
        value
    }

    fn product(&mut self) -> Shown {
        let mut value = self.power();
        while let Some(op) = self.peek().filter(|c| *c == '·' || *c == '/') {
            self.at += 1;
            let other = self.power();
            value = if op == '·' {
                value.combine(&other, |a, ea, b, eb| (a * b, a.abs() * eb + b.abs() * ea + ea * eb))
            } else {
                value.combine(&other, |a, ea, b, eb| {
                    let error = if b.abs() > eb { (a.abs() * eb + b.abs() * ea) / (b.abs() * (b.abs() - eb)) } else { f64::INFINITY };
                    (a / b, error)
                })
            };
        }
        value
    }

    fn power(&mut self) -> Shown {
        let value = self.atom();
        if self.peek() == Some('²') {
            self.at += 1;
            return value.map(|a, e| (a * a, 2.0 * a.abs() * e + e * e));
        }
        value
    }

    fn atom(&mut self) -> Shown {
        match self.peek() {
            Some('√') => {
                self.at += 1;
                self.atom().map(|a, e| (a.sqrt(), (a + e).sqrt() - (a - e).max(0.0).sqrt()))
            }
            Some('(') => {
                self.at += 1;
                let first = self.sum();
                let value = if self.peek() == Some(',') {
                    self.at += 1;
                    let second = self.sum();
                    Shown { value: vec![first.value[0], second.value[0]], error: vec![first.error[0], second.error[0]] }
                } else {
                    first
                };
                assert_eq!(self.peek(), Some(')'), "a bracket is not closed");
                self.at += 1;
                value
            }
            _ => {
                let start = self.at;
                while self.peek().is_some_and(|c| c.is_ascii_digit() || c == '.' || c == 'e' || c == '-') {
                    let exponent_sign = self.peek() == Some('-') && self.at > start && self.text[self.at - 1] != 'e';
                    if exponent_sign {
                        break;
                    }
                    self.at += 1;
                }
                let written: String = self.text[start..self.at].iter().collect();
                let x: f64 = written.parse().unwrap_or_else(|_| panic!("not a number: {written:?}"));
                // `sig` writes "0" only for 0 itself; otherwise half a unit of the last digit kept.
                let error = if x == 0.0 { 0.0 } else { 0.5 * 10f64.powi(x.abs().log10().floor() as i32 - self.digits as i32 + 1) };
                Shown::scalar(x, error)
            }
        }
    }
}

/// Checks that every chain of numbers in `line` ("… = a = b = c") holds at
/// the digits shown; returns how many equalities it checked.
pub fn equalities_hold(line: &str, digits: usize) -> usize {
    let numeric = |side: &str| side.chars().all(|c| "0123456789.e-+−·/√²(), ".contains(c));
    let sides: Vec<Shown> = line
        .trim_start_matches("= ")
        .split(" = ")
        .map(str::trim)
        .filter(|side| numeric(side))
        .map(|side| Arithmetic::eval(side, digits))
        .collect();
    for pair in sides.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        assert_eq!(a.value.len(), b.value.len(), "{line}");
        for i in 0..a.value.len() {
            let slack = 1e-12 * a.value[i].abs().max(b.value[i].abs());
            let off = (a.value[i] - b.value[i]).abs();
            assert!(off <= 1.01 * (a.error[i] + b.error[i]) + slack, "at {digits} digits, {line}: {} ≠ {}", a.value[i], b.value[i]);
        }
    }
    sides.len().saturating_sub(1)
}
