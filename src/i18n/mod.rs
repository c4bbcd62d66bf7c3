//! The languages of the page: English, in which every text is written, and
//! Simplified Chinese (简体中文), whose table maps each English text (the
//! key) to its translation. Mathematics and numbers stay as they are.

use crate::named::Named;

/// A language of the page.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Lang {
    #[default]
    En,
    Zh,
}

impl Named for Lang {
    const WHAT: &'static str = "language";
    const ALL: &'static [Lang] = &[Lang::En, Lang::Zh];

    fn id(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }

    /// Each language's name in itself.
    fn label(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Zh => "简体中文",
        }
    }
}

crate::serde_by_id!(Lang);

/// The Chinese table as JSON: {English text: Chinese text}.
const ZH: &str = include_str!("zh.json");

/// The table of `lang` as JSON ({English text: its translation}; empty for English).
pub fn messages(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "{}",
        Lang::Zh => ZH,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    /// The numbers a text holds.
    fn numbers(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut current = String::new();
        for c in text.chars().chain([' ']) {
            if c.is_ascii_digit() || c == '.' && !current.is_empty() {
                current.push(c);
            } else if !current.is_empty() {
                out.push(std::mem::take(&mut current).trim_end_matches('.').to_string());
            }
        }
        out.sort();
        out
    }

    /// How many times `text` holds the letter of mathematics `c`.
    fn count(text: &str, c: char) -> usize {
        text.chars().filter(|&d| d == c).count()
    }

    /// Every translation keeps its text's numbers, every
    /// mathematical letter (it may name one more), and is not left in English.
    #[test]
    fn the_chinese_table_keeps_the_numbers_and_the_mathematics() {
        let table: HashMap<String, String> = serde_json::from_str(ZH).unwrap();
        assert!(table.len() > 200, "{} texts", table.len());
        for (english, chinese) in &table {
            assert_eq!(numbers(chinese), numbers(english), "{english:?} → {chinese:?}");
            for c in "θα∇∂λσ²³⁴ₜᵗˡ".chars() {
                assert!(count(chinese, c) >= count(english, c), "{c} of {english:?} → {chinese:?}");
            }
            // Left as it is only when its words are names (Adam, Xavier/Glorot) or functions of mathematics.
            let name =
                |w: &str| w.len() <= 3 || w.starts_with(|c: char| c.is_ascii_uppercase()) || ["sigmoid", "tanh", "gradlab"].contains(&w);
            let cjk = chinese.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
            assert!(cjk || english.split(|c: char| !c.is_ascii_alphabetic()).all(name), "{english:?} is not translated: {chinese:?}");
        }
        assert_eq!(messages(Lang::En), "{}");
        assert_eq!(Lang::from_id("zh"), Ok(Lang::Zh));
    }
}
