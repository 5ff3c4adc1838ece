//! A running `ecs-snapshot-rules serve` and a tiny HTTP/1.1 client for it, over
//! `std::net::TcpStream`: enough for exact statuses, headers and bodies, keep-alive included.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// The server binary: `ECS_SNAPSHOT_RULES_SERVER` if set (e.g. a release build), else the one
/// cargo built for these tests.
pub fn binary() -> String {
    std::env::var("ECS_SNAPSHOT_RULES_SERVER")
        .unwrap_or_else(|_| env!("CARGO_BIN_EXE_ecs-snapshot-rules").to_owned())
}

/// A server on a free port of 127.0.0.1, killed when dropped.
pub struct Server {
    child: Child,
    /// `127.0.0.1:PORT`.
    pub address: String,
}

impl Server {
    /// `serve --listen 127.0.0.1:0 --seed 1 --now 2026-11-27T12:00:00Z` and `extra` (whose
    /// own `--seed`, if it has one, is taken instead).
    pub fn start(extra: &[&str]) -> Server {
        let seed: &[&str] = if extra.contains(&"--seed") {
            &[]
        } else {
            &["--seed", "1"]
        };
        let mut child = Command::new(binary())
            .args(["serve", "--listen", "127.0.0.1:0"])
            .args(seed)
            .args(["--now", "2026-11-27T12:00:00Z"])
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the server starts");
        let stdout = child.stdout.take().expect("its standard output");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("the listening line");
        let address = line
            .trim()
            .strip_prefix("listening on http://")
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
            .to_owned();
        Server { child, address }
    }

    /// A new connection.
    pub fn connect(&self) -> Connection {
        Connection::open(&self.address)
    }

    /// `GET target` on a new connection.
    pub fn get(&self, target: &str) -> Reply {
        self.connect().send("GET", target, &[], b"")
    }

    /// `POST target` with a form body, on a new connection.
    pub fn post_form(&self, target: &str, body: &str) -> Reply {
        self.connect().send(
            "POST",
            target,
            &[("Content-Type", "application/x-www-form-urlencoded")],
            body.as_bytes(),
        )
    }

    /// `POST target` with a JSON body (the control API), on a new connection.
    pub fn post_json(&self, target: &str, body: &str) -> Reply {
        self.connect().send(
            "POST",
            target,
            &[("Content-Type", "application/json")],
            body.as_bytes(),
        )
    }

    /// `GET /_emulator/state`, parsed.
    pub fn state(&self) -> serde_json::Value {
        let reply = self.get("/_emulator/state");
        assert_eq!(reply.status, 200, "{}", reply.body);
        serde_json::from_str(&reply.body).expect("the state is JSON")
    }

    /// `POST target` with a JSON body, which must be answered 200, parsed.
    pub fn control(&self, target: &str, body: &str) -> serde_json::Value {
        let reply = self.post_json(target, body);
        assert_eq!(reply.status, 200, "{target}: {}", reply.body);
        serde_json::from_str(&reply.body).expect("a JSON answer")
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// How many file descriptors the server's process has open (Linux).
    pub fn descriptors(&self) -> usize {
        std::fs::read_dir(format!("/proc/{}/fd", self.pid()))
            .expect("the server's descriptors")
            .count()
    }

    /// Polls the state until `done` holds of it (30 s at most, then panics with `what`).
    pub fn state_until(
        &self,
        what: &str,
        done: impl Fn(&serde_json::Value) -> bool,
    ) -> serde_json::Value {
        let deadline = std::time::Instant::now() + Duration::from_secs(30);
        loop {
            let state = self.state();
            if done(&state) {
                return state;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "never: {what}: {state}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Sends SIGTERM and waits for the process to end; its exit status.
    #[cfg(unix)]
    pub fn terminate(&mut self) -> std::process::ExitStatus {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        self.child.wait().expect("the server stops")
    }
}

/// A connection that sends `head` (half a request, or nothing) and then nothing more.
pub fn half_open(address: &str, head: &str) -> TcpStream {
    let mut stream = TcpStream::connect(address).expect("connect");
    stream.write_all(head.as_bytes()).expect("write");
    stream
}

/// Whether the server has closed `stream` (end of stream or a reset), waiting for it at
/// most `patience`.
pub fn closed_by_server(stream: &mut TcpStream, patience: Duration) -> bool {
    stream
        .set_read_timeout(Some(patience))
        .expect("a read timeout");
    let mut buffer = [0; 4096];
    loop {
        match stream.read(&mut buffer) {
            Ok(0) => return true,
            // An answer (a 408, say) before the close: read on.
            Ok(_) => continue,
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => return true,
            Err(_) => return false,
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An HTTP answer.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Reply {
    /// A header's value (names compared without regard to case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The text of the first `<name>` element, or the JSON string field `name`.
    pub fn field(&self, name: &str) -> Option<String> {
        if self.body.starts_with('{') {
            let value: serde_json::Value = serde_json::from_str(&self.body).ok()?;
            return value.get(name)?.as_str().map(str::to_owned);
        }
        let open = format!("<{name}>");
        let start = self.body.find(&open)? + open.len();
        let end = start + self.body[start..].find('<')?;
        Some(self.body[start..end].to_owned())
    }
}

/// One keep-alive connection.
pub struct Connection {
    reader: BufReader<TcpStream>,
    host: String,
}

impl Connection {
    pub fn open(address: &str) -> Connection {
        let stream = TcpStream::connect(address).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .expect("timeout");
        let _ = stream.set_nodelay(true);
        Connection {
            reader: BufReader::new(stream),
            host: address.to_owned(),
        }
    }

    /// Sends a request and reads its answer (bodies framed by Content-Length).
    pub fn send(
        &mut self,
        method: &str,
        target: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Reply {
        self.write(method, target, headers, body);
        self.receive()
    }

    /// Sends a request without waiting for its answer.
    pub fn write(&mut self, method: &str, target: &str, headers: &[(&str, &str)], body: &[u8]) {
        let mut head = format!(
            "{method} {target} HTTP/1.1\r\nHost: {}\r\nContent-Length: {}\r\n",
            self.host,
            body.len()
        );
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        let stream = self.reader.get_mut();
        stream.write_all(head.as_bytes()).expect("write head");
        stream.write_all(body).expect("write body");
    }

    /// The underlying stream.
    pub fn stream(&mut self) -> &mut TcpStream {
        self.reader.get_mut()
    }

    /// Reads the next answer.
    pub fn receive(&mut self) -> Reply {
        self.read_reply()
    }

    fn read_reply(&mut self) -> Reply {
        let mut line = String::new();
        self.reader.read_line(&mut line).expect("status line");
        let status = line
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("bad status line {line:?}"));
        let mut headers = Vec::new();
        loop {
            line.clear();
            self.reader.read_line(&mut line).expect("header line");
            let trimmed = line.trim_end();
            if trimmed.is_empty() {
                break;
            }
            if let Some((name, value)) = trimmed.split_once(':') {
                headers.push((name.trim().to_owned(), value.trim().to_owned()));
            }
        }
        let length: usize = headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
            .and_then(|(_, v)| v.parse().ok())
            .unwrap_or(0);
        let mut body = vec![0; length];
        self.reader.read_exact(&mut body).expect("body");
        Reply {
            status,
            headers,
            body: String::from_utf8(body).expect("a UTF-8 body"),
        }
    }
}
