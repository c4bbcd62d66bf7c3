//! The languages of the page: English, in which every text is written, and
//! Simplified Chinese (简体中文), whose table maps each English text (the
//! key) to its translation. Mathematics and numbers stay as they are; a
//! `{name}` in a text is a value filled in where it is shown.

use std::collections::HashMap;
use std::sync::OnceLock;

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

/// `english` in `lang`: its translation, or the English text where the table has none.
pub fn tr(lang: Lang, english: &str) -> &str {
    static TABLE: OnceLock<HashMap<String, String>> = OnceLock::new();
    match lang {
        Lang::En => english,
        Lang::Zh => {
            let table = TABLE.get_or_init(|| serde_json::from_str(ZH).expect("the Chinese table is JSON"));
            table.get(english).map_or(english, String::as_str)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The numbers and the `{names}` a text holds.
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
        out.extend(text.split('{').skip(1).filter_map(|rest| rest.split_once('}')).map(|(name, _)| format!("{{{name}}}")));
        out.sort();
        out
    }

    /// How many times `text` holds the letter of mathematics `c`.
    fn count(text: &str, c: char) -> usize {
        text.chars().filter(|&d| d == c).count()
    }

    /// Every translation keeps its text's numbers and filled-in values, every
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
        assert_eq!(tr(Lang::Zh, "Copy link"), table["Copy link"]);
        assert_eq!(tr(Lang::Zh, "no such text"), "no such text");
        assert_eq!(tr(Lang::En, "Copy link"), "Copy link");
        assert_eq!(Lang::from_id("zh"), Ok(Lang::Zh));
    }
}
