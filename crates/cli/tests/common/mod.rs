//! What the CLI tests share: running `shopper` with stdin and reading its JSON lines.

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::Value;

/// Runs `shopper args…` with `stdin`; whether it succeeded, and its stdout as JSON lines.
pub fn shopper_lines(args: &[&str], stdin: &str) -> (bool, Vec<Value>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_shopper"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("spawn shopper: {e}"));
    if let Some(mut input) = child.stdin.take() {
        // A command that refuses its arguments exits before reading: a broken pipe is fine then.
        let _ = input.write_all(stdin.as_bytes());
    }
    let output = child
        .wait_with_output()
        .unwrap_or_else(|e| panic!("wait: {e}"));
    let lines = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON: {l}: {e}")))
        .collect();
    (output.status.success(), lines)
}
