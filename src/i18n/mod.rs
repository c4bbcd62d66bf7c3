//! The languages of the page: English, in which every text is written, and
//! Simplified Chinese (简体中文), whose table maps each English text (the
//! key) to its translation. Mathematics and numbers stay as they are.
//!
//! The core writes its own texts (readouts, chart titles, reasons) with
//! [`tr!`](crate::tr) in the language the page chose ([`set_language`]); a
//! text with numbers in it is a template whose `{name}`s are filled after
//! it is looked up, so that the table holds each sentence once.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeSet, HashMap};

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

thread_local! {
    /// The language the core writes in now.
    static LANGUAGE: Cell<Lang> = const { Cell::new(Lang::En) };
    /// The table of the language now: {English text: its translation} (empty for English).
    static TABLE: RefCell<HashMap<String, String>> = RefCell::new(HashMap::new());
    /// Texts looked up in a language whose table lacks them.
    static UNTRANSLATED: RefCell<BTreeSet<String>> = const { RefCell::new(BTreeSet::new()) };
}

/// Makes `lang` the language of the core's texts from now on, with `table`
/// its translations as JSON ({English text: its translation}; English needs
/// none). The page fetches a language's table only when it is chosen, so an
/// English visitor never downloads one. A table that is not such an object
/// is refused and the language stays as it was.
pub fn set_language(lang: Lang, table: &str) -> Result<(), String> {
    let table = match lang {
        Lang::En => HashMap::new(),
        _ => serde_json::from_str(table).map_err(|e| format!("the table of {} is not a list of texts: {e}", lang.label()))?,
    };
    TABLE.with(|t| *t.borrow_mut() = table);
    LANGUAGE.with(|l| l.set(lang));
    Ok(())
}

/// `english` in the language now: its translation, or the English itself
/// (noted in [`untranslated`]) where the table has none.
pub fn tr(english: &str) -> String {
    if LANGUAGE.with(Cell::get) == Lang::En {
        return english.to_string();
    }
    TABLE.with(|t| t.borrow().get(english).cloned()).unwrap_or_else(|| {
        UNTRANSLATED.with(|u| u.borrow_mut().insert(english.to_string()));
        english.to_string()
    })
}

/// `text` with each `{name}` replaced by its value, in one pass (a value
/// that holds braces is written as it is); a brace without a value stays.
pub fn fill(text: String, values: &[(&str, &dyn std::fmt::Display)]) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(text.len() + 16 * values.len());
    let mut rest = text.as_str();
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let named = after.find('}').and_then(|close| Some((values.iter().find(|(name, _)| *name == &after[..close])?, close)));
        match named {
            Some(((_, value), close)) => {
                let _ = write!(out, "{value}");
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out + rest
}

/// The texts looked up so far that the table of their language lacks.
pub fn untranslated() -> Vec<String> {
    UNTRANSLATED.with(|u| u.borrow().iter().cloned().collect())
}

/// A text of the core in the language now: `tr!("Accuracy")`, or a template
/// filled after it is looked up: `tr!("Layer {l}", l = l + 1)`.
#[macro_export]
macro_rules! tr {
    ($english:literal) => {
        $crate::i18n::tr($english)
    };
    ($english:literal, $($name:ident = $value:expr),+ $(,)?) => {
        $crate::i18n::fill($crate::i18n::tr($english), &[$((stringify!($name), &$value as &dyn ::std::fmt::Display)),+])
    };
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    /// The Chinese table as JSON: {English text: Chinese text}.
    const ZH: &str = include_str!("zh.json");

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
            let words = names(english).iter().fold(english.clone(), |text, n| text.replace(&format!("{{{n}}}"), ""));
            assert!(cjk || words.split(|c: char| !c.is_ascii_alphabetic()).all(name), "{english:?} is not translated: {chinese:?}");
        }
        assert_eq!(Lang::from_id("zh"), Ok(Lang::Zh));
    }

    /// The `{name}`s of a template.
    fn names(text: &str) -> Vec<&str> {
        let mut out: Vec<&str> = text.split('{').skip(1).filter_map(|part| part.split_once('}').map(|(name, _)| name)).collect();
        out.sort();
        out
    }

    /// The texts looked up in the files under `dir`: with the macro `tr!` in the
    /// core's Rust, with the function `tr` in the page's JavaScript.
    fn looked_up(dir: &std::path::Path, out: &mut Vec<(String, String)>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let call = match path.extension().and_then(|e| e.to_str()) {
                _ if path.is_dir() => {
                    looked_up(&path, out);
                    continue;
                }
                Some("rs") => "tr!(\"",
                Some("js") => "tr(\"",
                _ => continue,
            };
            let source = std::fs::read_to_string(&path).unwrap();
            for (i, _) in source.match_indices(call) {
                if source[..i].ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == '.') {
                    continue; // include_str!(…), attr(…), t.tr(…): not a lookup
                }
                let after = &source[i + call.len()..];
                // The literal ends at the first quote not escaped by a backslash.
                let end = after.char_indices().scan(false, |escaped, (k, c)| {
                    let end = !*escaped && c == '"';
                    *escaped = !*escaped && c == '\\';
                    Some((k, end))
                });
                let end = end.filter(|(_, end)| *end).map(|(k, _)| k).next().unwrap();
                let literal: String = serde_json::from_str(&format!("\"{}\"", &after[..end])).unwrap();
                out.push((path.display().to_string(), literal));
            }
        }
    }

    /// Every text the core and the page look up has its translation, with the same `{name}`s.
    #[test]
    fn every_text_looked_up_is_in_the_chinese_table() {
        let table: HashMap<String, String> = serde_json::from_str(ZH).unwrap();
        let mut texts = Vec::new();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        looked_up(&root.join("src"), &mut texts);
        looked_up(&root.join("www"), &mut texts);
        assert!(texts.len() > 20, "{} texts", texts.len());
        for (file, english) in texts {
            let chinese = table.get(&english).unwrap_or_else(|| panic!("{file}: {english:?} has no translation"));
            assert_eq!(names(chinese), names(&english), "{file}: {english:?} → {chinese:?}");
        }
    }

    /// Every label of every menu (the labels the core writes with `Named::shown`) has its translation.
    #[test]
    fn every_menu_label_is_in_the_chinese_table() {
        let table: HashMap<String, String> = serde_json::from_str(ZH).unwrap();
        let menus = crate::choices::all();
        let mut labels = 0;
        for (menu, choices) in menus.as_object().unwrap().iter().filter(|(menu, _)| *menu != "languages") {
            for choice in choices.as_array().unwrap() {
                let label = choice["label"].as_str().unwrap();
                assert!(table.contains_key(label), "{menu}: {label:?} has no translation");
                labels += 1;
            }
        }
        assert!(labels > 40, "{labels} labels");
    }

    /// A template is looked up, then filled; a text the table lacks stays in English and is noted.
    #[test]
    fn a_text_is_looked_up_in_the_language_now_then_filled() {
        assert_eq!(crate::tr!("Layer {l}", l = 2), "Layer 2");
        let values: [(&str, &dyn std::fmt::Display); 2] = [("a", &"{b}"), ("b", &2)];
        assert_eq!(fill("{a} and {b}, {c} {".into(), &values), "{b} and 2, {c} {", "one pass: a value is not filled in turn");
        assert!(set_language(Lang::Zh, "[1, 2]").is_err(), "a table that is not an object of texts");
        assert_eq!(crate::tr!("Layer {l}", l = 2), "Layer 2", "refused: the language stays");
        set_language(Lang::Zh, ZH).unwrap();
        assert_eq!(crate::tr!("Layer {l}", l = 2), "第 2 层");
        assert_eq!(tr("no such text here"), "no such text here");
        assert!(untranslated().contains(&"no such text here".to_string()));
        set_language(Lang::En, "").unwrap();
        assert_eq!(crate::tr!("Layer {l}", l = 2), "Layer 2");
    }
}
