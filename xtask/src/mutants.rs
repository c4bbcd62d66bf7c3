//! `cargo xtask mutants [FILE …]`: mutation testing with cargo-mutants, one
//! file at a time, over the files that compute the numbers the page shows.
//! Each file's outcomes go to `target/mutants/<file>/mutants.out/`; a table of
//! the counts and every surviving mutant are printed at the end.

use std::path::Path;
use std::process::Command;

use crate::{cargo, root_dir, Result};

/// The files whose numbers a student reads (docs/TESTING.md keeps their results).
pub const FILES: &[&str] = &[
    "src/optim.rs",
    "src/update_text.rs",
    "src/format.rs",
    "src/descent/run/mod.rs",
    "src/descent/schedule.rs",
    "src/descent/batches.rs",
    "src/descent/readout.rs",
    "src/descent/surface.rs",
    "src/descent/linreg.rs",
    "src/descent/link.rs",
    "src/descent/lab/mod.rs",
    "src/descent/lab/state.rs",
    "src/descent/race.rs",
    "src/descent/sweep.rs",
    "src/descent/typed.rs",
    "src/descent/curve.rs",
    "src/sweep.rs",
    "src/compare.rs",
    "src/expr/parse.rs",
    "src/expr/diff.rs",
    "src/expr/print.rs",
    "src/expr/eval.rs",
    "src/expr/typed.rs",
    "src/descent/stop.rs",
    "src/nn/train/mod.rs",
    "src/nn/train/phases.rs",
    "src/nn/confusion.rs",
    "src/nn/inside/mod.rs",
    "src/nn/network.rs",
    "src/nn/matrix.rs",
    "src/nn/explain.rs",
    "src/nn/plane.rs",
    "src/nn/landscape/mod.rs",
    "src/nn/landscape/grid/mod.rs",
    "src/wire.rs",
    "src/nn/views/mod.rs",
    "src/nn/views/boundary.rs",
    "src/nn/lab/settings.rs",
    "src/nn/lab/mod.rs",
    "src/nn/lab/text.rs",
    "src/nn/lab/view.rs",
    "src/nn/lab/stop.rs",
    "src/nn/lab/retrain.rs",
    "src/nn/lab/pins.rs",
    "src/nn/lab/range_test.rs",
    "src/nn/lab/sweep.rs",
    "src/nn/gradcheck.rs",
    "src/choices.rs",
    "src/export.rs",
    "src/link.rs",
];

/// How each mutant of one file fared, by cargo-mutants' lists.
struct Counts {
    caught: usize,
    missed: Vec<String>,
    unviable: usize,
    timeout: usize,
}

fn lines(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path).map(|text| text.lines().map(String::from).collect()).unwrap_or_default()
}

pub fn mutants(files: &[String]) -> Result<()> {
    let root = root_dir();
    if !Command::new("cargo").args(["mutants", "--version"]).output().is_ok_and(|o| o.status.success()) {
        return Err("cargo-mutants is missing: install it with `cargo install cargo-mutants --locked`".into());
    }
    let files: Vec<String> = if files.is_empty() { FILES.iter().map(|f| f.to_string()).collect() } else { files.to_vec() };
    if let Some(file) = files.iter().find(|f| !root.join(f).is_file()) {
        return Err(format!("{file} is not a file of the project: name files as src/…/name.rs"));
    }
    let mut table = Vec::new();
    for file in &files {
        let out = root.join("target").join("mutants").join(file.replace('/', "_"));
        eprintln!("mutants of {file} (outcomes in {})", out.display());
        std::fs::create_dir_all(&out).map_err(|e| format!("cannot make {}: {e}", out.display()))?;
        let status = cargo()
            .current_dir(&root)
            .args(["mutants", "--no-shuffle", "--profile", "mutants", "--timeout", "60", "--file", file, "--output"])
            .arg(&out)
            // The tree is copied away from ../shared: the conformance test is told where the reference is.
            .env("GRADLAB_REFERENCE", root.join("../shared/reference"))
            .status()
            .map_err(|e| format!("could not start cargo mutants: {e}"))?;
        // 0: every mutant caught; 2: some missed; 3: some timed out. The lists say which.
        if !matches!(status.code(), Some(0 | 2 | 3)) {
            return Err(format!("cargo mutants failed on {file} ({status})"));
        }
        let list = |name: &str| lines(&out.join("mutants.out").join(name));
        let counts = Counts {
            caught: list("caught.txt").len(),
            missed: list("missed.txt"),
            unviable: list("unviable.txt").len(),
            timeout: list("timeout.txt").len(),
        };
        table.push((file.clone(), counts));
    }
    println!("\n| file | mutants | caught | missed | unviable | timeout |\n| --- | --- | --- | --- | --- | --- |");
    for (file, c) in &table {
        let total = c.caught + c.missed.len() + c.unviable + c.timeout;
        println!("| `{file}` | {total} | {} | {} | {} | {} |", c.caught, c.missed.len(), c.unviable, c.timeout);
    }
    for (file, c) in &table {
        for mutant in &c.missed {
            println!("missed in {file}: {mutant}");
        }
    }
    Ok(())
}
