//! A plain HTTP/1.1 GET, enough to talk to `casebook serve` in tests and benchmarks.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// GET `path` from `host` (`127.0.0.1:8000`): (status, body).
pub fn get(host: &str, path: &str) -> (u16, String) {
    get_addressed(host, host, path)
}

/// GET `path` from the server at `address`, with `host` as the request's `Host` (a web
/// page elsewhere names its own host there): (status, body).
pub fn get_addressed(address: &str, host: &str, path: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(address).expect("connects");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).expect("reads");
    let text = String::from_utf8_lossy(&response).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, body.to_string())
}
