//! What the integration tests share: the real binary started on a free loopback port with a
//! data folder of its own (its stdout read, or with [`Logged`] everything it writes), a minimal
//! HTTP/1.1 client that can send from an address of the test's choosing, coupon files, and the
//! files under a folder to search.

#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    missing_docs
)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub const BIN: &str = env!("CARGO_BIN_EXE_shopper-server");

/// A running server; killed when dropped.
pub struct Server {
    pub child: Child,
    pub address: String,
    pub lines: Arc<Mutex<Vec<String>>>,
}

/// The command for the binary, with a quick poll and the environment cleared of SHOPPER_*.
pub fn command(data_dir: &Path) -> Command {
    let mut command = Command::new(BIN);
    for (name, _) in std::env::vars() {
        if name.starts_with("SHOPPER_") {
            command.env_remove(name);
        }
    }
    command
        .env("SHOPPER_POLL_SECONDS", "1")
        .env("RUST_LOG", "warn")
        .arg("--data-dir")
        .arg(data_dir);
    command
}

impl Server {
    /// Starts `command` serving, and waits for the line with its address.
    pub fn start(mut command: Command) -> Self {
        let mut child = command
            .arg("--listen")
            .arg("127.0.0.1:0")
            .arg("serve")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the server starts");
        let stdout = child.stdout.take().expect("stdout");
        let lines = Arc::new(Mutex::new(Vec::new()));
        let (tx, rx) = std::sync::mpsc::channel();
        let kept = Arc::clone(&lines);
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(address) = line.strip_prefix("shopper-server: listening on http://") {
                    let _ = tx.send(address.to_owned());
                }
                kept.lock().unwrap().push(line);
            }
        });
        let address = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("the server says where it listens");
        Self {
            child,
            address,
            lines,
        }
    }

    pub fn stdout(&self) -> Vec<String> {
        self.lines.lock().unwrap().clone()
    }

    pub fn get(&self, path: &str, headers: &[(&str, &str)]) -> Response {
        request(&self.address, "GET", path, headers)
    }

    /// Asks until `done` holds for the answer (a change the server makes on its own poll);
    /// gives up after a minute.
    pub fn get_until(&self, path: &str, done: impl Fn(&Response) -> bool) -> Response {
        for _ in 0..600 {
            let response = self.get(path, &[]);
            if done(&response) {
                return response;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("{path} never reached the state waited for");
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
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("a JSON body")
    }
}

/// One request on its own connection (`Connection: close`), read whole.
pub fn request(address: &str, method: &str, path: &str, headers: &[(&str, &str)]) -> Response {
    send(address, method, path, headers, None, None)
}

/// One POST of a JSON `body` on its own connection, read whole.
pub fn post_json(address: &str, path: &str, body: &str) -> Response {
    send(
        address,
        "POST",
        path,
        &[("Content-Type", "application/json")],
        Some(body.as_bytes()),
        None,
    )
}

/// One request with `body` (sent with its `Content-Length`) on its own connection, from `from`
/// (a loopback address of the test's choosing) when given, read whole.
pub fn send(
    address: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&[u8]>,
    from: Option<Ipv4Addr>,
) -> Response {
    let server: SocketAddr = address.parse().unwrap();
    let mut stream = match from {
        None => TcpStream::connect(server).expect("connect"),
        Some(ip) => connect_from(ip, server).expect("connect"),
    };
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    if let Some(body) = body {
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).unwrap();
    if let Some(body) = body {
        stream.write_all(body).unwrap();
    }
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("headers end");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut rest = raw[split + 4..].to_vec();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let chunked = headers
        .iter()
        .any(|(n, v)| n.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
    if chunked {
        let mut body = Vec::new();
        loop {
            let end = rest.windows(2).position(|w| w == b"\r\n").unwrap();
            let size = usize::from_str_radix(std::str::from_utf8(&rest[..end]).unwrap().trim(), 16)
                .unwrap();
            if size == 0 {
                break;
            }
            body.extend_from_slice(&rest[end + 2..end + 2 + size]);
            rest.drain(..end + 2 + size + 2);
        }
        rest = body;
    }
    Response {
        status,
        headers,
        body: rest,
    }
}

/// Runs `coupons import FILE` (or another subcommand) against `data_dir`.
pub fn run(data_dir: &Path, args: &[&str]) -> Output {
    command(data_dir).args(args).output().expect("runs")
}

/// An RFC 3339 time `offset` seconds from now.
pub fn at(offset: i64) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    shopper_core::coupon::write_time(now + offset)
}

/// A v1 coupon object.
pub fn coupon(id: &str, currency: &str, countries: &[&str], expires_in: i64) -> serde_json::Value {
    serde_json::json!({
        "id": id, "kind": "select", "title": format!("Coupon {id}"), "currency": currency,
        "min_spend": 1000, "discount": {"type": "fixed", "amount": 100}, "countries": countries,
        "starts_at": at(-3600), "expires_at": at(expires_in),
    })
}

/// Writes `value` as JSON into `dir/name`.
pub fn write(dir: &Path, name: &str, value: &serde_json::Value) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, serde_json::to_vec_pretty(value).unwrap()).unwrap();
    path
}

/// The feed inside an envelope, verified with the key file.
pub fn open(envelope: &[u8], key_file: &Path) -> shopper_core::coupon::Feed {
    let key: serde_json::Value = serde_json::from_slice(&std::fs::read(key_file).unwrap()).unwrap();
    let public = shopper_core::coupon::PublisherKey::from_base64(
        key["key_id"].as_str().unwrap(),
        key["public_key"].as_str().unwrap(),
    )
    .unwrap();
    let bytes =
        shopper_core::coupon::open_envelope(envelope, &[public]).expect("the signature verifies");
    shopper_core::coupon::parse_feed(std::str::from_utf8(&bytes).unwrap()).expect("a v1 feed")
}

pub fn ids(feed: &shopper_core::coupon::Feed) -> Vec<String> {
    let mut ids: Vec<String> = feed.coupons.iter().map(|c| c.id().to_owned()).collect();
    ids.sort();
    ids
}

/// `shopper feed verify`, the publisher's own tool, built beside this binary.
pub fn shopper_verify(key_file: &Path, envelope: &Path) -> Output {
    let bin_dir = Path::new(BIN).parent().unwrap();
    let mut build = Command::new(env!("CARGO"));
    build.args(["build", "-q", "-p", "shopper-cli"]);
    if bin_dir.ends_with("release") {
        build.arg("--release");
    }
    assert!(build.status().unwrap().success(), "shopper-cli builds");
    Command::new(bin_dir.join("shopper"))
        .args(["feed", "verify", "--key"])
        .arg(key_file)
        .arg(envelope)
        .output()
        .unwrap()
}

/// A TCP stream from `ip` (bound before it connects: all of 127.0.0.0/8 is loopback on Linux).
pub fn connect_from(ip: Ipv4Addr, server: SocketAddr) -> std::io::Result<TcpStream> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()?;
    runtime.block_on(async move {
        let socket = tokio::net::TcpSocket::new_v4()?;
        socket.bind(SocketAddr::new(IpAddr::V4(ip), 0))?;
        let stream = socket.connect(server).await?.into_std()?;
        stream.set_nonblocking(false)?;
        Ok(stream)
    })
}

/// The binary with its stdout and stderr both kept, line by line (for what the logs say).
pub struct Logged {
    pub child: Child,
    pub address: String,
    pub lines: Arc<Mutex<Vec<String>>>,
}

impl Logged {
    pub fn start(mut command: Command) -> Self {
        let mut child = command
            .args(["--listen", "127.0.0.1:0", "serve"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the server starts");
        let lines = Arc::new(Mutex::new(Vec::new()));
        let (tx, rx) = std::sync::mpsc::channel();
        let out = child.stdout.take().expect("stdout");
        let err = child.stderr.take().expect("stderr");
        let keep = |stream: Box<dyn Read + Send>, tx: std::sync::mpsc::Sender<String>| {
            let kept = Arc::clone(&lines);
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    if let Some(at) = line.strip_prefix("shopper-server: listening on http://") {
                        let _ = tx.send(at.to_owned());
                    }
                    kept.lock().unwrap().push(line);
                }
            });
        };
        keep(Box::new(out), tx.clone());
        keep(Box::new(err), tx);
        let address = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("the server says where it listens");
        Self {
            child,
            address,
            lines,
        }
    }

    pub fn said(&self) -> String {
        self.lines.lock().unwrap().join("\n")
    }

    /// What it has said once it says `needle`, or after 5 s: a line logged while answering a
    /// request can reach its pipe after the answer reaches the test.
    pub fn said_soon(&self, needle: &str) -> String {
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        loop {
            let said = self.said();
            if said.contains(needle) || std::time::Instant::now() >= deadline {
                return said;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Stops it and waits until all it wrote is read.
    pub fn stop(mut self) -> String {
        let _ = self.child.kill();
        let _ = self.child.wait();
        // The readers end at the pipes' end.
        std::thread::sleep(Duration::from_millis(200));
        self.said()
    }
}

impl Drop for Logged {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Every file under `dir`, read whole.
pub fn files(dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, out);
        } else {
            out.push((path.display().to_string(), std::fs::read(&path).unwrap()));
        }
    }
}

/// Whether `haystack` holds `needle`, in any case.
pub fn contains(haystack: &[u8], needle: &str) -> bool {
    contains_bytes(
        &haystack.to_ascii_lowercase(),
        &needle.to_ascii_lowercase().into_bytes(),
    )
}

/// Whether `haystack` holds `needle` exactly.
pub fn contains_bytes(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// A number that differs between runs and processes (for words and addresses no other test
/// uses).
pub fn seed() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
        ^ u64::from(std::process::id()) << 20
}

/// A loopback address from `seed`'s bytes, other than 127.0.0.1.
pub fn loopback(seed: u64) -> Ipv4Addr {
    let bytes = seed.to_be_bytes();
    Ipv4Addr::new(
        127,
        1 + bytes[5] % 250,
        1 + bytes[6] % 250,
        2 + bytes[7] % 250,
    )
}
