//! Problems crossing to JavaScript: an Engine call that fails throws an `Error` whose message is
//! the problem's JSON (`{"code", "params"}`), which `extension/shared/problem.js` reads,
//! so the shell words it in the shopper's language instead of showing Rust's English.

use shopper_core::problem::{codes, problem_json, Problem};
use wasm_bindgen::prelude::*;

/// The error an Engine call throws for `problem`.
pub(crate) fn thrown<P: Problem>(problem: &P) -> JsError {
    JsError::new(&problem_json(problem))
}

/// Every code a problem of the Engine can have, as a JSON array: each locale words each one.
#[wasm_bindgen]
pub fn problem_codes() -> String {
    let mut out = String::from("[");
    for (i, code) in codes().iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        // Codes are snake_case ASCII (a core test holds them so): nothing to escape.
        out.push('"');
        out.push_str(code);
        out.push('"');
    }
    out.push(']');
    out
}
