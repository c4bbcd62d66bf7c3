//! Reading typed text into an [`Expr`]: + − * / ^ (and ** for ^, · and × for
//! *, − for -), unary minus, brackets, numbers in any usual form, pi, e, the
//! functions of [`Func`], and min(a, b), max(a, b). A mistake is reported with
//! its column, the text around it and what was expected.

use super::{Expr, Func};
use crate::tr;

/// The longest text read, in characters.
pub const MAX_LENGTH: usize = 300;
/// The deepest nesting of brackets and function arguments read.
pub const MAX_DEPTH: usize = 50;

#[derive(Clone, Debug, PartialEq)]
enum Token {
    Num(f64),
    Name(String),
    /// One of + - * / ^ ( ) , (** is read as ^).
    Sym(char),
    End,
}

/// A token and the column (from 1) where it starts.
type Located = (Token, usize);

fn describe(t: &Token) -> String {
    match t {
        Token::Num(n) => tr!("the number {n}", n = n),
        Token::Name(n) => format!("“{n}”"),
        Token::Sym(c) => format!("“{c}”"),
        Token::End => tr!("the end"),
    }
}

/// The message for a mistake at `column` of `text`: where, the text around it, and `what`.
fn located(text: &str, column: usize, what: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let at = column.saturating_sub(1).min(chars.len());
    let from = at.saturating_sub(8);
    let to = (at + 8).min(chars.len());
    let before: String = chars[from..at].iter().collect();
    let after: String = chars[at..to].iter().collect();
    tr!("column {column}: {what} (at “{before}⟨here⟩{after}”)", column = column, what = what, before = before, after = after)
}

fn tokens(text: &str) -> Result<Vec<Located>, String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let column = i + 1;
        if c.is_whitespace() {
            i += 1;
        } else if c.is_ascii_digit() || c == '.' {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                i += 1;
            }
            // An exponent: e or E, a sign, digits (e alone after a number would be Euler's e times it: refused as a typo below).
            if i < chars.len() && (chars[i] == 'e' || chars[i] == 'E') {
                let mut j = i + 1;
                if j < chars.len() && (chars[j] == '+' || chars[j] == '-') {
                    j += 1;
                }
                if j < chars.len() && chars[j].is_ascii_digit() {
                    while j < chars.len() && chars[j].is_ascii_digit() {
                        j += 1;
                    }
                    i = j;
                }
            }
            let raw: String = chars[start..i].iter().collect();
            let n = raw.parse::<f64>().map_err(|_| located(text, column, &tr!("“{raw}” is not a number", raw = raw)))?;
            if !n.is_finite() {
                return Err(located(text, column, &tr!("{raw} is too large a number", raw = raw)));
            }
            out.push((Token::Num(n), column));
        } else if c.is_alphabetic() || c == '_' {
            // A name (π is a letter too).
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            out.push((Token::Name(chars[start..i].iter().collect()), column));
        } else if c == '*' && chars.get(i + 1) == Some(&'*') {
            out.push((Token::Sym('^'), column));
            i += 2;
        } else {
            let sym = match c {
                '+' | '-' | '*' | '/' | '^' | '(' | ')' | ',' => c,
                '·' | '×' => '*',
                '−' => '-',
                _ => return Err(located(text, column, &tr!("“{c}” is not part of the notation", c = c))),
            };
            out.push((Token::Sym(sym), column));
            i += 1;
        }
    }
    out.push((Token::End, chars.len() + 1));
    Ok(out)
}

struct Parser<'a> {
    text: &'a str,
    tokens: Vec<Located>,
    at: usize,
    /// The names of the variables, in order (x, or x and y).
    vars: &'a [&'a str],
    depth: usize,
}

/// Every name the notation knows, for messages.
fn known_names(vars: &[&str]) -> String {
    let funcs: Vec<&str> = Func::ALL.iter().map(|(n, _)| *n).chain(["min", "max"]).collect();
    tr!("the names are {names}, pi and e, and the functions {functions}", names = vars.join(", "), functions = funcs.join(", "))
}

impl Parser<'_> {
    fn peek(&self) -> &Token {
        &self.tokens[self.at].0
    }

    fn column(&self) -> usize {
        self.tokens[self.at].1
    }

    fn next(&mut self) -> Token {
        let t = self.tokens[self.at].0.clone();
        self.at = (self.at + 1).min(self.tokens.len() - 1);
        t
    }

    fn error<T>(&self, what: &str) -> Result<T, String> {
        Err(located(self.text, self.column(), what))
    }

    fn expect(&mut self, c: char, context: &str) -> Result<(), String> {
        if *self.peek() == Token::Sym(c) {
            self.next();
            Ok(())
        } else {
            self.error(&tr!("expected “{c}” {context}, found {found}", c = c, context = context, found = describe(self.peek())))
        }
    }

    fn deeper(&mut self) -> Result<(), String> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return self.error(&tr!("nested more than {most} deep; write it more simply", most = MAX_DEPTH));
        }
        Ok(())
    }

    /// sum := product (( + | − ) product)*
    fn sum(&mut self) -> Result<Expr, String> {
        self.deeper()?;
        let mut left = self.product()?;
        while let Token::Sym(op @ ('+' | '-')) = *self.peek() {
            self.next();
            let right = self.product()?;
            left = if op == '+' { Expr::Add(left.into(), right.into()) } else { Expr::Sub(left.into(), right.into()) };
        }
        self.depth -= 1;
        Ok(left)
    }

    /// product := unary (( * | / ) unary)*
    fn product(&mut self) -> Result<Expr, String> {
        let mut left = self.unary()?;
        loop {
            match *self.peek() {
                Token::Sym(op @ ('*' | '/')) => {
                    self.next();
                    let right = self.unary()?;
                    left = if op == '*' { Expr::Mul(left.into(), right.into()) } else { Expr::Div(left.into(), right.into()) };
                }
                // Two values side by side: "2x" or "x y".
                Token::Num(_) | Token::Name(_) | Token::Sym('(') => {
                    return self.error(&tr!("expected an operator such as * before {found}", found = describe(self.peek())));
                }
                _ => return Ok(left),
            }
        }
    }

    /// unary := ( − | + ) unary | power — so that −x^2 is −(x^2). (Its own
    /// depth is bounded by the text's length.)
    fn unary(&mut self) -> Result<Expr, String> {
        let e = match *self.peek() {
            Token::Sym('-') => {
                self.next();
                Expr::Neg(self.unary()?.into())
            }
            Token::Sym('+') => {
                self.next();
                self.unary()?
            }
            _ => self.power()?,
        };
        Ok(e)
    }

    /// power := atom ( ^ unary )? — right to left: x^y^z is x^(y^z).
    fn power(&mut self) -> Result<Expr, String> {
        let base = self.atom()?;
        if *self.peek() == Token::Sym('^') {
            self.next();
            let exponent = self.unary()?;
            return Ok(Expr::Pow(base.into(), exponent.into()));
        }
        Ok(base)
    }

    /// atom := number | variable | pi | e | function ( sum [, sum] ) | ( sum )
    fn atom(&mut self) -> Result<Expr, String> {
        let column = self.column();
        match self.next() {
            Token::Num(n) => Ok(Expr::Num(n)),
            Token::Sym('(') => {
                let inner = self.sum()?;
                self.expect(')', &tr!("to close the bracket"))?;
                Ok(inner)
            }
            Token::Name(name) => self.named(&name, column),
            other => {
                self.at -= usize::from(other != Token::End);
                self.error(&tr!("expected a number, a name or “(”, found {found}", found = describe(&other)))
            }
        }
    }

    fn named(&mut self, name: &str, column: usize) -> Result<Expr, String> {
        if let Some(v) = self.vars.iter().position(|v| *v == name) {
            return Ok(Expr::Var(v));
        }
        match name {
            "pi" | "π" => return Ok(Expr::Num(std::f64::consts::PI)),
            "e" => return Ok(Expr::Num(std::f64::consts::E)),
            _ => {}
        }
        let func = Func::ALL.iter().find(|(n, _)| *n == name).map(|(_, f)| *f).or((name == "ln").then_some(Func::Ln));
        let two = matches!(name, "min" | "max");
        if func.is_none() && !two {
            return Err(located(self.text, column, &tr!("unknown name “{name}”; {names}", name = name, names = known_names(self.vars))));
        }
        self.expect('(', &tr!("after {name}", name = name))?;
        let first = self.sum()?;
        if two {
            self.expect(',', &tr!("between the two arguments of {name}(a, b)", name = name))?;
            let second = self.sum()?;
            self.expect(')', &tr!("to close {name}(a, b)", name = name))?;
            return Ok(if name == "min" { Expr::Min(first.into(), second.into()) } else { Expr::Max(first.into(), second.into()) });
        }
        if *self.peek() == Token::Sym(',') {
            return self.error(&tr!("{name} takes one argument", name = name));
        }
        self.expect(')', &tr!("to close {name}( )", name = name))?;
        Ok(Expr::Call(func.expect("a function"), first.into()))
    }
}

/// The expression `text` in the variables `vars` (["x", "y"] or ["x"]), or
/// a message that says where it went wrong and what was expected.
pub fn parse(text: &str, vars: &[&str]) -> Result<Expr, String> {
    let length = text.chars().count();
    if length > MAX_LENGTH {
        return Err(tr!(
            "the function is {length} characters long; at most {max_length} are read",
            length = length,
            max_length = MAX_LENGTH
        ));
    }
    if text.trim().is_empty() {
        return Err(tr!("type a function, for example {a}", a = if vars.len() > 1 { "x^2 + 10*y^2" } else { "x^2" }));
    }
    let mut p = Parser { text, tokens: tokens(text)?, at: 0, vars, depth: 0 };
    let e = p.sum()?;
    match p.peek() {
        Token::End => Ok(e),
        Token::Sym(')') => p.error(&tr!("this “)” closes no bracket")),
        other => p.error(&tr!("expected an operator or the end, found {found}", found = describe(other))),
    }
}
