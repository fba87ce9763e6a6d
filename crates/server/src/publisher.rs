//! Keeps the feeds current: builds them at start, again whenever the catalog's revision moves
//! (an import, by this process or another) and when one of a market's coupons expires, and
//! writes them into the publish folder when there is one.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use shopper_core::coupon::PublisherSecret;
use shopper_core::market::Market;
use shopper_core::money::Rates;

use crate::clock;
use crate::feeds::{build, BuildInput, Encoding, Published};
use crate::state::AppState;
use crate::storage::StorageError;

/// The folder of the published feeds inside the publish dir.
pub const PUBLISH_SUBDIR: &str = "feeds";

/// Why a refresh failed.
#[derive(Debug, thiserror::Error)]
pub enum RefreshError {
    /// Storage could not be read.
    #[error(transparent)]
    Storage(#[from] StorageError),
    /// The publish folder could not be written.
    #[error("publish dir {path}: {source}")]
    Publish {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The build's task ended without a result.
    #[error("the feed build stopped: {0}")]
    Build(String),
}

/// The feeds' builder.
pub struct Publisher {
    /// The handlers' state, where feeds are published.
    pub state: AppState,
    /// The signing key.
    pub secret: Arc<PublisherSecret>,
    /// Markets served whatever the coupons name.
    pub configured: Vec<Market>,
    /// Rates from the configuration (imported ones win).
    pub configured_rates: Rates,
    /// Also write the feeds here.
    pub publish_dir: Option<PathBuf>,
    /// How often to look for a change.
    pub poll: Duration,
}

impl Publisher {
    /// Builds every feed from storage now and serves them.
    pub async fn refresh(&self) -> Result<(), RefreshError> {
        let storage = &self.state.storage;
        let catalog = storage.catalog().await?;
        let coupons = storage.coupons_expiring_after(catalog.changed_at).await?;
        let stored = storage.rates().await?;
        let rates = if stored.base().is_some() {
            stored
        } else {
            self.configured_rates.clone()
        };
        // Smart Search converts a price typed in another currency with the feeds' rates.
        self.state.set_rates(rates.clone());
        let now = clock::now();
        let secret = Arc::clone(&self.secret);
        let configured = self.configured.clone();
        let publish_dir = self.publish_dir.clone();
        let keys = self.state.keys.clone();
        // Signing and compressing are CPU work: off the threads that answer requests.
        let published = tokio::task::spawn_blocking(move || {
            let published = build(&BuildInput {
                coupons: &coupons,
                rates: &rates,
                configured: &configured,
                changed_at: catalog.changed_at,
                revision: catalog.revision,
                now,
                secret: &secret,
            });
            if let Some(dir) = publish_dir {
                write_publish_dir(&dir, &published, &keys)?;
            }
            Ok::<_, RefreshError>(published)
        })
        .await
        .map_err(|e| RefreshError::Build(e.to_string()))??;
        tracing::info!(
            revision = published.revision,
            markets = published.feeds.len(),
            "feeds published"
        );
        self.state.publish(published, now);
        Ok(())
    }

    /// Refreshes whenever something changed or a coupon expired, until the task is dropped.
    pub async fn run(self) {
        loop {
            let published = self.state.published();
            let wait = self.wait(&published);
            tokio::select! {
                () = tokio::time::sleep(wait) => {}
                () = self.state.changed.notified() => {}
            }
            let due = published
                .next_expiry
                .is_some_and(|expiry| clock::now() >= expiry);
            let moved = match self.state.storage.catalog().await {
                Ok(catalog) => catalog.revision != published.revision,
                Err(error) => {
                    tracing::warn!(%error, "cannot read the catalog; the feeds stay as they are");
                    self.state.refresh_failed(error.to_string());
                    continue;
                }
            };
            if moved || due {
                if let Err(error) = self.refresh().await {
                    tracing::warn!(%error, "refresh failed; the last feeds stay");
                    self.state.refresh_failed(error.to_string());
                }
            }
        }
    }

    /// Until the next poll, or just past the next expiry if that is sooner.
    fn wait(&self, published: &Published) -> Duration {
        let Some(expiry) = published.next_expiry else {
            return self.poll;
        };
        let now_ms = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis());
        let due_ms = u128::try_from(expiry.max(0)).unwrap_or(0) * 1000;
        // A little past the second, so that the clock read after the sleep has reached it.
        let until =
            Duration::from_millis(u64::try_from(due_ms.saturating_sub(now_ms)).unwrap_or(u64::MAX))
                + Duration::from_millis(20);
        until.min(self.poll)
    }
}

/// Writes each market's envelope (and its gzip and Brotli forms) and the index into
/// `dir/feeds/`, each file through a temporary one renamed over it, so a reader (a web server,
/// a sync to a bucket) never sees half a file.
pub fn write_publish_dir(
    dir: &Path,
    published: &Published,
    keys: &[crate::feeds::KeyEntry],
) -> Result<(), RefreshError> {
    let folder = dir.join(PUBLISH_SUBDIR);
    std::fs::create_dir_all(&folder).map_err(|source| RefreshError::Publish {
        path: folder.clone(),
        source,
    })?;
    for feed in published.feeds.values() {
        let name = format!("{}.json", feed.market);
        for (encoding, suffix) in [
            (Encoding::Identity, ""),
            (Encoding::Gzip, ".gz"),
            (Encoding::Brotli, ".br"),
        ] {
            write_atomically(&folder.join(format!("{name}{suffix}")), feed.body(encoding))?;
        }
    }
    let index = published.index(keys, |market| format!("{market}.json"));
    let text = serde_json::to_vec_pretty(&index).unwrap_or_default();
    write_atomically(&folder.join("index.json"), &text)
}

fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), RefreshError> {
    let error = |source| RefreshError::Publish {
        path: path.to_owned(),
        source,
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temporary = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    std::fs::write(&temporary, bytes).map_err(error)?;
    std::fs::rename(&temporary, path).map_err(error)
}
