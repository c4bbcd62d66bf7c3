//! A static file server for `dist/` on 127.0.0.1.

use std::path::{Component, Path, PathBuf};

use tiny_http::{Header, Response, Server};

/// A server running on its own thread for as long as the process lives.
pub struct Background {
    pub url: String,
}

fn start(port: u16) -> Result<Server, String> {
    Server::http(("127.0.0.1", port)).map_err(|e| format!("cannot serve on 127.0.0.1:{port}: {e} (is the port taken? try --port 8081)"))
}

fn address(server: &Server) -> String {
    match server.server_addr().to_ip() {
        Some(addr) => format!("http://{addr}/"),
        None => "http://127.0.0.1/".into(),
    }
}

/// Serves `dist` until the process is stopped.
pub fn serve_forever(dist: &Path, port: u16) -> Result<(), String> {
    let server = start(port)?;
    println!("gradlab is served at {}  (Ctrl+C stops it)", address(&server));
    answer(&server, dist);
    Ok(())
}

/// Serves `dist` on a free port from a background thread.
pub fn serve_in_background(dist: &Path) -> Result<Background, String> {
    let server = start(0)?;
    let url = address(&server);
    let dist = dist.to_path_buf();
    std::thread::spawn(move || answer(&server, &dist));
    Ok(Background { url })
}

/// Answers every request on a thread of its own, so that a slow client never holds up the others.
fn answer(server: &Server, dist: &Path) {
    for request in server.incoming_requests() {
        let dist = dist.to_path_buf();
        std::thread::spawn(move || respond(request, &dist));
    }
}

fn respond(request: tiny_http::Request, dist: &Path) {
    let response = match file_for(dist, request.url()).map(|path| (std::fs::read(&path), path)) {
        Some((Ok(bytes), path)) => {
            let mut response = Response::from_data(bytes);
            for (name, value) in [("Content-Type", content_type(&path)), ("Cache-Control", "no-cache")] {
                if let Ok(header) = Header::from_bytes(name, value) {
                    response.add_header(header);
                }
            }
            response
        }
        _ => Response::from_string("not found").with_status_code(404),
    };
    // A client that went away is no concern of the server's.
    let _ = request.respond(response);
}

/// The file under `dist` for a request path; none for paths that climb out.
fn file_for(dist: &Path, url: &str) -> Option<PathBuf> {
    let path = url.split(['?', '#']).next().unwrap_or("/");
    let relative = Path::new(path.trim_start_matches('/'));
    if relative.components().any(|c| !matches!(c, Component::Normal(_))) {
        return None;
    }
    let full = dist.join(relative);
    let full = if full.is_dir() { full.join("index.html") } else { full };
    full.is_file().then_some(full)
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("png") => "image/png",
        Some("svg") => "image/svg+xml",
        Some("json") => "application/json",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_dist() {
        let dist = Path::new(env!("CARGO_MANIFEST_DIR"));
        assert_eq!(file_for(dist, "/Cargo.toml?x=1"), Some(dist.join("Cargo.toml")));
        assert_eq!(file_for(dist, "/../Cargo.toml"), None);
        assert_eq!(file_for(dist, "/missing.js"), None);
        assert_eq!(content_type(Path::new("a/b.wasm")), "application/wasm");
    }
}
