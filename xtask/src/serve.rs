//! A static file server for `dist/` on 127.0.0.1: GET and HEAD, a thread
//! per connection, one response per connection.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};

/// A server running on its own thread for as long as the process lives.
pub struct Background {
    pub url: String,
}

fn start(port: u16) -> Result<(TcpListener, String), String> {
    let listener = TcpListener::bind(("127.0.0.1", port))
        .map_err(|e| format!("cannot serve on 127.0.0.1:{port}: {e} (is the port taken? try --port 8081)"))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    Ok((listener, format!("http://{addr}/")))
}

/// Serves `dist` until the process is stopped.
pub fn serve_forever(dist: &Path, port: u16) -> Result<(), String> {
    let (listener, url) = start(port)?;
    println!("gradlab is served at {url}  (Ctrl+C stops it)");
    accept(&listener, dist);
    Ok(())
}

/// Serves `dist` on a free port from a background thread.
pub fn serve_in_background(dist: &Path) -> Result<Background, String> {
    let (listener, url) = start(0)?;
    let dist = dist.to_path_buf();
    std::thread::spawn(move || accept(&listener, &dist));
    Ok(Background { url })
}

fn accept(listener: &TcpListener, dist: &Path) {
    for stream in listener.incoming().flatten() {
        let dist = dist.to_path_buf();
        std::thread::spawn(move || {
            // A client that went away is no concern of the server's.
            let _ = answer(stream, &dist);
        });
    }
}

/// Reads one request and answers it, then closes the connection.
fn answer(mut stream: TcpStream, dist: &Path) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    // Skip the headers, up to the blank line.
    let mut header = String::new();
    while reader.read_line(&mut header)? > 2 {
        header.clear();
    }
    let mut parts = request_line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or("/"));
    let found = match method {
        "GET" | "HEAD" => file_for(dist, target).and_then(|path| std::fs::read(&path).ok().map(|bytes| (bytes, path))),
        _ => None,
    };
    let (status, kind, body) = match found {
        Some((bytes, path)) => ("200 OK", content_type(&path), bytes),
        None => ("404 Not Found", "text/plain; charset=utf-8", b"not found".to_vec()),
    };
    write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    if method != "HEAD" {
        stream.write_all(&body)?;
    }
    stream.flush()
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

    #[test]
    fn answers_a_real_request_with_the_file_and_its_type() {
        use std::io::Read;
        let dist = Path::new(env!("CARGO_MANIFEST_DIR"));
        let server = serve_in_background(dist).unwrap();
        let addr = server.url.trim_start_matches("http://").trim_end_matches('/');
        let get = |path: &str| {
            let mut stream = TcpStream::connect(addr).unwrap();
            write!(stream, "GET {path} HTTP/1.1\r\nHost: {addr}\r\n\r\n").unwrap();
            let mut reply = String::new();
            stream.read_to_string(&mut reply).unwrap();
            reply
        };
        let reply = get("/Cargo.toml");
        assert!(reply.starts_with("HTTP/1.1 200 OK\r\n"), "{reply}");
        assert!(
            reply.contains("Content-Type: application/octet-stream")
                && reply.ends_with(&std::fs::read_to_string(dist.join("Cargo.toml")).unwrap())
        );
        assert!(get("/../Cargo.toml").starts_with("HTTP/1.1 404"));
    }
}
