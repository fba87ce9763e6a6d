//! `shopper coupons match|best`: which coupons of a plain v1 feed apply to a cart, and the best stack.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use serde::Serialize;
use shopper_core::coupon::{applicable, best_stack, parse_cart, parse_feed, Coupon, CouponKind};

use crate::{print_json, read_file};

#[derive(Subcommand)]
pub(crate) enum CouponsCommand {
    /// One {"id", "kind", "title", "code", "saving"} line per coupon that applies on its own.
    Match(Inputs),
    /// Prints `{"saving": N, "applied": [ids], "cut_short": bool}`: the combination that saves the
    /// most (cut_short: the best found within the search's work bound, not proven the best).
    Best(Inputs),
}

#[derive(Args)]
pub(crate) struct Inputs {
    /// A plain v1 feed file.
    #[arg(long)]
    feed: PathBuf,
    /// A cart file: {"currency", "country", "new_user", "now", "items": [...]}.
    #[arg(long)]
    cart: PathBuf,
}

#[derive(Serialize)]
struct Matched<'a> {
    id: &'a str,
    kind: &'static str,
    title: &'a str,
    code: Option<&'a str>,
    saving: u64,
}

#[derive(Serialize)]
struct Best<'a> {
    saving: u64,
    applied: Vec<&'a str>,
    cut_short: bool,
}

fn kind_name(coupon: &Coupon) -> (&'static str, Option<&str>) {
    match coupon.kind() {
        CouponKind::Store { .. } => ("store", None),
        CouponKind::Select => ("select", None),
        CouponKind::Code { code } => ("code", Some(code)),
    }
}

impl CouponsCommand {
    pub(crate) fn run(self) -> Result<(), Box<dyn std::error::Error>> {
        let (Self::Match(inputs) | Self::Best(inputs)) = &self;
        let feed_text =
            String::from_utf8(read_file(&inputs.feed)?).map_err(|_| "the feed is not UTF-8")?;
        let feed = parse_feed(&feed_text)?;
        for problem in &feed.problems {
            eprintln!("shopper: skipping {problem}");
        }
        let cart_text =
            String::from_utf8(read_file(&inputs.cart)?).map_err(|_| "the cart is not UTF-8")?;
        let cart = parse_cart(&cart_text)?;
        match self {
            Self::Match(_) => {
                for found in applicable(&feed.coupons, &cart) {
                    let (kind, code) = kind_name(found.coupon);
                    print_json(&Matched {
                        id: found.coupon.id(),
                        kind,
                        title: found.coupon.title(),
                        code,
                        saving: found.saving,
                    })?;
                }
                Ok(())
            }
            Self::Best(_) => {
                let plan = best_stack(&feed.coupons, &cart);
                print_json(&Best {
                    saving: plan.saving,
                    applied: plan.applied().map(Coupon::id).collect(),
                    cut_short: plan.cut_short,
                })
            }
        }
    }
}
