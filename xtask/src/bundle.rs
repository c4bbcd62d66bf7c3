//! The page as one file, `dist/gradlab.html`: the wasm, the JavaScript, the
//! CSS and the tables of the languages inside, so that it opens straight
//! from disk with no network.
//!
//! Each JavaScript module becomes a function scope whose exports are
//! returned, and its imports read them back; the wasm travels as base64.

use std::path::{Path, PathBuf};

use base64::Engine;

/// The modules in dependency order: (scope name, file under `dist`).
const MODULES: [(&str, &str); 15] = [
    ("gradlab", "pkg/gradlab.js"),
    ("i18n", "www/i18n.js"),
    ("ui", "www/ui.js"),
    ("workers", "www/workers.js"),
    ("landscape", "www/landscape.js"),
    ("race_table", "www/race_table.js"),
    ("descent", "www/descent.js"),
    ("network_panels", "www/network_panels.js"),
    ("slow_views", "www/slow_views.js"),
    ("network_form", "www/network_form.js"),
    ("network", "www/network.js"),
    ("lessons", "www/lessons.js"),
    ("embed", "www/embed.js"),
    ("worksheet", "www/worksheet.js"),
    ("app", "www/app.js"),
];

/// The modules of the page's workers, whose text the page turns into a
/// worker of its own (a classic script: a page opened from disk may not start a module worker).
const WORKER_MODULES: [(&str, &str); 2] = [("gradlab", "pkg/gradlab.js"), ("worker", "www/worker.js")];

/// The policy of the one-file page: nothing is fetched, from anywhere; its
/// workers are made from its own text (blob: addresses).
const OFFLINE_CSP: &str = "default-src 'none'; script-src 'unsafe-inline' 'wasm-unsafe-eval'; worker-src blob:; style-src 'unsafe-inline'; img-src data:; connect-src 'none'";

fn read(dist: &Path, file: &str) -> Result<String, String> {
    std::fs::read_to_string(dist.join(file)).map_err(|e| format!("cannot read {file} in {}: {e}", dist.display()))
}

/// Whether a line of index.html asks for a file ahead of its use (`<link rel="preload">` or `"modulepreload"`).
fn is_preload(line: &str) -> bool {
    let line = line.trim_start();
    line.starts_with("<link rel=\"preload\"") || line.starts_with("<link rel=\"modulepreload\"")
}

/// The name a module's scope goes by, from the path it is imported by.
fn scope_of(path: &str) -> String {
    let stem = path.rsplit('/').next().unwrap_or(path).trim_end_matches(".js");
    format!("__{}", stem.replace('-', "_"))
}

/// One module as a scope: `const __name = (() => { … return { exports }; })();`.
fn module_scope(name: &str, source: &str) -> Result<String, String> {
    let mut body = String::new();
    let mut exports: Vec<String> = Vec::new();
    for line in source.lines() {
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix("import ") {
            // import a, { b, c as d } from "./x.js";  →  const { default: a, b, c: d } = __x;
            let (names, from) = rest.split_once(" from ").ok_or_else(|| format!("{name}: cannot read the import {line}"))?;
            let from = from.trim().trim_end_matches(';').trim_matches('"');
            let mut bindings = Vec::new();
            for part in names.split(['{', '}', ',']).map(str::trim).filter(|p| !p.is_empty()) {
                bindings.push(if names.trim_start().starts_with(part) && !names.trim_start().starts_with('{') {
                    format!("default: {part}")
                } else {
                    part.replace(" as ", ": ")
                });
            }
            body.push_str(&format!("const {{ {} }} = {};\n", bindings.join(", "), scope_of(from)));
        } else if let Some(list) = trimmed.strip_prefix("export {") {
            // export { a, b as default };
            for item in list.trim_end_matches(['}', ';', ' ']).split(',').map(str::trim).filter(|i| !i.is_empty()) {
                exports.push(match item.split_once(" as ") {
                    Some((local, exported)) => format!("{exported}: {local}"),
                    None => item.to_string(),
                });
            }
        } else if let Some(declaration) = trimmed.strip_prefix("export ") {
            let declared = declaration.strip_prefix("async ").unwrap_or(declaration);
            let mut words = declared.split(|c: char| c.is_whitespace() || c == '(' || c == '=');
            let kind = words.next().unwrap_or("");
            let exported = words.find(|w| !w.is_empty()).ok_or_else(|| format!("{name}: cannot read the export {line}"))?;
            if !["function", "const", "class", "let"].contains(&kind) {
                return Err(format!("{name}: cannot bundle the export {line}"));
            }
            exports.push(exported.to_string());
            body.push_str(declaration);
            body.push('\n');
        } else {
            body.push_str(line);
            body.push('\n');
        }
    }
    Ok(format!("const __{name} = (() => {{\n{body}return {{ {} }};\n}})();\n", exports.join(", ")))
}

/// Writes `dist/gradlab.html` from the built site in `dist` and returns its path.
pub fn bundle(dist: &Path) -> Result<PathBuf, String> {
    let scopes = |modules: &[(&str, &str)]| -> Result<String, String> {
        let mut script = String::new();
        for (name, file) in modules {
            script.push_str(&module_scope(name, &read(dist, file)?)?);
        }
        Ok(script)
    };
    let script = scopes(&MODULES)?;
    let base64 = |bytes: &[u8]| base64::engine::general_purpose::STANDARD.encode(bytes);
    let worker = scopes(&WORKER_MODULES)?;
    if worker.contains("import.meta") {
        return Err("the worker's modules use import.meta, which its classic script cannot".into());
    }
    let worker = base64(worker.as_bytes());
    let wasm = std::fs::read(dist.join("pkg/gradlab_bg.wasm")).map_err(|e| format!("cannot read the wasm: {e}"))?;
    let wasm = base64(&wasm);
    // The languages' tables travel inside too, {language: its table's text}: the offline page fetches nothing.
    let mut tables = Vec::new();
    for file in crate::json_files(&dist.join("i18n"))? {
        let language = file.file_stem().and_then(|s| s.to_str()).ok_or("a table's name is its language")?;
        let text = std::fs::read(&file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
        tables.push(format!("{language}: new TextDecoder().decode(bytesOf(\"{}\"))", base64(&text)));
    }
    let tables = tables.join(", ");
    let css = read(dist, "www/style.css")?;
    if script.contains("</script") || css.contains("</style") {
        return Err("a script or style holds a closing tag and cannot be put inline".into());
    }
    let html = read(dist, "index.html")?;
    let csp_start = html.find("content=\"default-src").ok_or("index.html has no Content-Security-Policy")?;
    let csp_end = csp_start + html[csp_start + 9..].find('"').ok_or("the policy is not closed")? + 9;
    let replacements = [
        (r#"<link rel="stylesheet" href="www/style.css">"#.to_string(), format!("<style>\n{css}</style>")),
        (
            r#"<script type="module" src="www/app.js"></script>"#.to_string(),
            format!(
                "<script>\nconst bytesOf = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));\nglobalThis.GRADLAB_WASM = bytesOf(\"{wasm}\");\nglobalThis.GRADLAB_WORKER = new TextDecoder().decode(bytesOf(\"{worker}\"));\nglobalThis.GRADLAB_MESSAGES = {{ {tables} }};\n</script>\n  <script type=\"module\">\n{script}</script>"
            ),
        ),
    ];
    let mut page = format!("{}{OFFLINE_CSP}{}", &html[..csp_start + 9], &html[csp_end..]);
    // The served page fetches the wasm and its modules together, ahead of
    // their use, rather than as each import is found; the one file carries them inside.
    page = page.lines().filter(|line| !is_preload(line)).map(|line| format!("{line}\n")).collect();
    if page.contains("preload") {
        return Err("index.html asks for a file ahead in a way the one-file page does not drop".into());
    }
    for (from, to) in replacements {
        if !page.contains(&from) {
            return Err(format!("index.html no longer holds {from}"));
        }
        page = page.replace(&from, &to);
    }
    let out = dist.join("gradlab.html");
    std::fs::write(&out, page).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The served page fetches ahead every module the page imports but its
    /// own script, and the wasm: nothing less (a module found late is fetched
    /// late) and nothing more.
    #[test]
    fn the_page_fetches_ahead_every_module_and_the_wasm() {
        let html = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../index.html")).unwrap();
        let ahead: Vec<&str> =
            html.lines().filter(|line| is_preload(line)).filter_map(|line| line.split("href=\"").nth(1)?.split('"').next()).collect();
        let mut expected = vec!["pkg/gradlab_bg.wasm"];
        expected.extend(MODULES.iter().map(|(_, file)| *file).filter(|&file| file != "www/app.js"));
        assert_eq!(ahead, expected);
        assert!(
            html.contains(r#"<link rel="preload" href="pkg/gradlab_bg.wasm" as="fetch" crossorigin>"#),
            "a fetch() uses a preload made with crossorigin"
        );
    }

    #[test]
    fn modules_become_scopes_that_pass_their_exports() {
        let source = "import init, { A, B as C } from \"../pkg/gradlab.js\";\nimport { $ } from \"./ui.js\";\nexport function start(x) {\n  return x;\n}\nexport const k = 1;\nexport async function later() {}\nexport { f, g as default };\n";
        let scope = module_scope("m", source).unwrap();
        assert!(scope.starts_with("const __m = (() => {\n"), "{scope}");
        assert!(scope.contains("const { default: init, A, B: C } = __gradlab;\n"), "{scope}");
        assert!(scope.contains("const { $ } = __ui;\n"));
        assert!(scope.contains("function start(x) {\n") && scope.contains("async function later() {}") && !scope.contains("export"));
        assert!(scope.ends_with("return { start, k, later, f, default: g };\n})();\n"), "{scope}");
    }
}
