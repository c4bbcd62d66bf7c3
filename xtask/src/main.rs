//! The project's own commands:
//!
//! - `cargo xtask build`: the release wasm, its JS bindings and the page, in `dist/`.
//! - `cargo xtask serve [--port N]`: build, then serve `dist/` on 127.0.0.1 (default port 8080).
//! - `cargo xtask bundle`: build, then `dist/gradlab.html`, the page as one file that works offline.
//! - `cargo xtask test`: every test: native (`cargo test`), then the page in headless Chromium.
//! - `cargo xtask bench`: the benchmarks, natively and in headless Chromium; one table,
//!   `bench/results.json` and `BENCHMARKS.md`. `--quick`: a subset in the browser, printed only.
//! - `cargo xtask mutants [FILE …]`: mutation testing of the files that compute shown numbers
//!   (or of the files named), one at a time; see docs/TESTING.md.

use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

mod browsers;
mod bundle;
mod mutants;
mod serve;

const WASM_TARGET: &str = "wasm32-unknown-unknown";

type Result<T> = std::result::Result<T, String>;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let outcome = match args.first().map(String::as_str) {
        Some("build") => build().map(|_| ()),
        Some("serve") => port_option(&args[1..]).and_then(|port| {
            let dist = build()?;
            serve::serve_forever(&dist, port)
        }),
        Some("bundle") => build().and_then(|dist| bundle::bundle(&dist)).map(|page| eprintln!("wrote {}", page.display())),
        Some("test") => test(),
        Some("bench") => match &args[1..] {
            [] => bench(false),
            [flag] if flag == "--quick" => bench(true),
            other => Err(format!("unknown options {other:?}; usage: cargo xtask bench [--quick]")),
        },
        Some("mutants") => mutants::mutants(&args[1..]),
        _ => Err("usage: cargo xtask build | serve [--port N] | bundle | test | bench [--quick] | mutants [FILE …]".into()),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn port_option(args: &[String]) -> Result<u16> {
    match args {
        [] => Ok(8080),
        [flag, value] if flag == "--port" => value.parse().map_err(|_| format!("--port takes a number from 0 to 65535, not \"{value}\"")),
        _ => Err(format!("unknown options {args:?}; usage: cargo xtask serve [--port N]")),
    }
}

fn root_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask sits in the project folder").to_path_buf()
}

fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

fn run(command: &mut Command) -> Result<()> {
    let status = command.status().map_err(|e| format!("could not start {command:?}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{command:?} failed ({status})"))
    }
}

/// Adds the wasm target when rustup does not have it yet.
fn ensure_wasm_target() -> Result<()> {
    let installed = Command::new("rustup").args(["target", "list", "--installed"]).output();
    match installed {
        Ok(out) if String::from_utf8_lossy(&out.stdout).lines().any(|l| l.trim() == WASM_TARGET) => Ok(()),
        Ok(_) => run(Command::new("rustup").args(["target", "add", WASM_TARGET])),
        // Without rustup the toolchain must already have the target; cargo will say if not.
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(()),
        Err(e) => Err(format!("could not ask rustup for its targets: {e}")),
    }
}

/// Builds the page into `dist/` and returns that folder.
fn build() -> Result<PathBuf> {
    let root = root_dir();
    ensure_wasm_target()?;
    run(cargo().current_dir(&root).args(["build", "--release", "--lib", "--package", "gradlab", "--target", WASM_TARGET]))?;
    let wasm = root.join("target").join(WASM_TARGET).join("release").join("gradlab.wasm");
    let dist = root.join("dist");
    let pkg = dist.join("pkg");
    std::fs::create_dir_all(&pkg).map_err(|e| format!("cannot create {}: {e}", pkg.display()))?;
    wasm_bindgen_cli_support::Bindgen::new()
        .input_path(&wasm)
        .web(true)
        .map_err(|e| e.to_string())?
        .typescript(false)
        // Function names are for debuggers; the page does without them (a tenth of the wasm).
        .remove_name_section(true)
        .remove_producers_section(true)
        .generate(&pkg)
        .map_err(|e| format!("wasm-bindgen could not generate the bindings: {e}"))?;
    copy(&root.join("index.html"), &dist.join("index.html"))?;
    // The page's scripts and styles, and the tables of the languages other
    // than English (src/i18n/<language>.json), fetched when one is chosen.
    let copied = [("www", files_in(&root.join("www"), |_| true)?), ("i18n", json_files(&root.join("src/i18n"))?)];
    for (to, files) in copied {
        std::fs::create_dir_all(dist.join(to)).map_err(|e| e.to_string())?;
        for file in files {
            copy(&file, &dist.join(to).join(file.file_name().expect("a file has a name")))?;
        }
    }
    eprintln!("built the page in {}", dist.display());
    Ok(dist)
}

/// The files in `dir` (not its folders) that `keep` keeps, in the order of their names.
fn files_in(dir: &Path, keep: impl Fn(&Path) -> bool) -> Result<Vec<PathBuf>> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    let mut files = Vec::new();
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_file() && keep(&path) {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// The JSON files in `dir`, in the order of their names.
fn json_files(dir: &Path) -> Result<Vec<PathBuf>> {
    files_in(dir, |path| path.extension().is_some_and(|e| e == "json"))
}

fn copy(from: &Path, to: &Path) -> Result<()> {
    std::fs::copy(from, to).map(|_| ()).map_err(|e| format!("cannot copy {} to {}: {e}", from.display(), to.display()))
}

/// Installs the npm packages of the browser tests when they are missing.
fn ensure_npm_packages(root: &Path) -> Result<()> {
    let modules = root.join("node_modules");
    if ["playwright-core", "puppeteer-core", "axe-core"].iter().all(|package| modules.join(package).is_dir()) {
        return Ok(());
    }
    let npm_command = if root.join("package-lock.json").is_file() { "ci" } else { "install" };
    run(Command::new("npm").current_dir(root).args([npm_command, "--no-audit", "--no-fund"]))
}

fn test() -> Result<()> {
    let root = root_dir();
    // The browsers first, so a machine without them is set up (or fails with the hint) at once.
    let (chromium, firefox) = browsers::ensure_browsers()?;
    run(cargo().current_dir(&root).args(["test", "--workspace"]))?;
    let dist = build()?;
    let page = bundle::bundle(&dist)?;
    ensure_npm_packages(&root)?;
    let server = serve::serve_in_background(&dist)?;
    eprintln!("browser tests against {}", server.url);
    run(Command::new("node")
        .current_dir(&root)
        .args(["--test", "--test-concurrency=1", "tests/e2e/"])
        .env("GRADLAB_URL", &server.url)
        .env("GRADLAB_BUNDLE", &page)
        .env("CHROMIUM", &chromium)
        .env("FIREFOX", &firefox)
        // Firefox is there: its test must run, not skip.
        .env("GRADLAB_REQUIRE_FIREFOX", "1"))
}

/// The benchmark; `quick`: a subset in the browser alone, printed, no file written.
fn bench(quick: bool) -> Result<()> {
    let root = root_dir();
    let chromium = browsers::find_chromium()?;
    let native = root.join("target").join("bench-native.json");
    if !quick {
        eprintln!("native benchmarks (cargo bench --bench core)");
        let output = cargo()
            .current_dir(&root)
            .args(["bench", "--quiet", "--package", "gradlab", "--bench", "core"])
            .output()
            .map_err(|e| format!("could not start cargo bench: {e}"))?;
        if !output.status.success() {
            return Err(format!("cargo bench failed:\n{}", String::from_utf8_lossy(&output.stderr)));
        }
        let stdout = String::from_utf8_lossy(&output.stdout);
        let json = stdout.lines().rev().find(|l| l.starts_with('{')).ok_or("cargo bench printed no figures")?;
        std::fs::write(&native, json).map_err(|e| format!("cannot write {}: {e}", native.display()))?;
    }
    let dist = build()?;
    ensure_npm_packages(&root)?;
    let server = serve::serve_in_background(&dist)?;
    eprintln!("browser benchmarks against {}", server.url);
    run(Command::new("node")
        .current_dir(&root)
        .arg("bench/browser.mjs")
        .env("GRADLAB_URL", &server.url)
        .env("CHROMIUM", &chromium)
        .env("NATIVE_JSON", &native)
        .env("GRADLAB_BENCH_QUICK", if quick { "1" } else { "0" })
        .env("DIST", &dist))
}
