//! `shopper link classify|rewrite`: the link engine over lines of URLs.

use clap::{Args, Subcommand};
use serde::Serialize;
use shopper_core::{
    classify, decide, verdict, AffiliateKey, AffiliateLinks, LinkDecision, TabPolicy, Visit,
};

#[derive(Subcommand)]
pub(crate) enum LinkCommand {
    /// Prints {"input", "aliexpress", "kind", "tagging", "product_id", "canonical", "attributed"}
    /// per line.
    Classify,
    /// Prints {"input", "output", "reason"} per line: the affiliate link, or null and why not.
    Rewrite(RewriteArgs),
}

#[derive(Args)]
pub(crate) struct RewriteArgs {
    /// The publisher's affiliate key (aff_short_key).
    #[arg(long)]
    affiliate_key: String,
    /// The URL the visit landed on; an attributed landing stands the whole visit down.
    #[arg(long)]
    landing: Option<String>,
    /// The visit's referrer; an affiliate redirect or network stands the visit down.
    #[arg(long)]
    referrer: Option<String>,
    /// The visit is one the shopper started with one of our links (a bare redirector referrer
    /// and a landing attributed without a key are then ours).
    #[arg(long)]
    our_visit: bool,
    /// The visit's cookies as `document.cookie` reads them (`name=value; ...`): someone else's
    /// key in `aeu_cid` or `xman_us_f` stands the visit down; no other cookie is read.
    #[arg(long)]
    cookies: Option<String>,
}

#[derive(Serialize)]
struct Classified {
    input: String,
    aliexpress: bool,
    kind: Option<&'static str>,
    tagging: Option<&'static str>,
    product_id: Option<String>,
    canonical: Option<String>,
    attributed: bool,
}

#[derive(Serialize)]
struct Rewritten {
    input: String,
    output: Option<String>,
    reason: &'static str,
}

impl LinkCommand {
    pub(crate) fn run(self) -> Result<(), Box<dyn std::error::Error>> {
        match self {
            Self::Classify => crate::json_lines(|input| {
                let link = classify(input);
                let link = link.aliexpress();
                Classified {
                    input: input.to_owned(),
                    aliexpress: link.is_some(),
                    kind: link.map(|l| l.kind.as_str()),
                    tagging: link.map(|l| l.tagging().as_str()),
                    product_id: link.and_then(|l| l.product_id).map(|p| p.to_string()),
                    canonical: link.and_then(|l| l.canonical()),
                    attributed: link.is_some_and(|l| l.attributed),
                }
            }),
            Self::Rewrite(args) => {
                let links = AffiliateLinks::new(AffiliateKey::parse(&args.affiliate_key)?);
                let landing = args.landing.as_deref().unwrap_or("");
                let visit = Visit {
                    earlier: None,
                    landing,
                    sender_url: landing,
                    referrer: args.referrer.as_deref().unwrap_or(""),
                    ours_under_way: args.our_visit,
                    cookies: args.cookies.as_deref().unwrap_or(""),
                };
                let policy = TabPolicy {
                    stood_down: verdict(&visit, &links).stand_down.is_some(),
                    ..TabPolicy::REWRITE
                };
                crate::json_lines(|input| match decide(&classify(input), &policy, &links) {
                    LinkDecision::Rewrite(output) => Rewritten {
                        input: input.to_owned(),
                        output: Some(output),
                        reason: "rewritten",
                    },
                    LinkDecision::Leave(reason) => Rewritten {
                        input: input.to_owned(),
                        output: None,
                        reason: reason.as_str(),
                    },
                })
            }
        }
    }
}
