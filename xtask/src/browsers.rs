//! The browsers the tests drive: Chromium (every browser test and the
//! benchmark) and Firefox ESR (the offline file's test). A missing one is
//! installed with apt-get when the command runs as root on Debian or Ubuntu;
//! otherwise the command stops with one line naming what to run.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{run, Result};

/// What installs both, as root on Debian or Ubuntu.
const INSTALL: &str = "apt-get update && apt-get install -y --no-install-recommends chromium firefox-esr";

/// Where Debian puts Firefox ESR.
const FIREFOX: &str = "/usr/bin/firefox-esr";

/// The Chromium to test with: $CHROMIUM, or the first one on the PATH.
fn chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("CHROMIUM") {
        return Some(PathBuf::from(path));
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .flat_map(|dir| ["chromium", "chromium-browser", "google-chrome"].map(|name| dir.join(name)))
        .find(|candidate| candidate.is_file())
}

/// The Firefox to test with: $FIREFOX, or Debian's Firefox ESR.
fn firefox() -> PathBuf {
    std::env::var_os("FIREFOX").map_or_else(|| PathBuf::from(FIREFOX), PathBuf::from)
}

/// Whether this process may install packages itself: root, with apt-get, on Debian or Ubuntu.
fn can_install() -> bool {
    let root = Command::new("id").arg("-u").output().is_ok_and(|out| String::from_utf8_lossy(&out.stdout).trim() == "0");
    root && Path::new("/etc/debian_version").exists() && Command::new("apt-get").arg("--version").output().is_ok()
}

/// Chromium, or the one line that says how to get it.
pub fn find_chromium() -> Result<PathBuf> {
    chromium().ok_or_else(|| format!("Chromium is missing: install it with `{INSTALL}` (as root), or set CHROMIUM to its path."))
}

/// Chromium and Firefox ESR, installed first when either is missing and this may install them.
pub fn ensure_browsers() -> Result<(PathBuf, PathBuf)> {
    if (chromium().is_none() || !firefox().exists()) && can_install() {
        eprintln!("Chromium or Firefox ESR is missing: installing them with `{INSTALL}`");
        run(Command::new("apt-get").arg("update").env("DEBIAN_FRONTEND", "noninteractive"))?;
        run(Command::new("apt-get")
            .args(["install", "-y", "--no-install-recommends", "chromium", "firefox-esr"])
            .env("DEBIAN_FRONTEND", "noninteractive"))?;
    }
    let chromium = find_chromium()?;
    let firefox = firefox();
    if !firefox.exists() {
        return Err(format!(
            "Firefox ESR is missing at {}: install it with `{INSTALL}` (as root), or set FIREFOX to its path.",
            firefox.display()
        ));
    }
    Ok((chromium, firefox))
}
