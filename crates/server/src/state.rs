//! What the handlers share: the published feeds (swapped whole by the publisher), the health
//! of the last refresh, the keys listed beside the feeds, the admin token, the storage, Smart
//! Search and the day's exchange rates it converts prices with, our links, and the usage
//! batches' rate limits.

use std::sync::{Arc, RwLock};

use shopper_core::coupon::Timestamp;
use shopper_core::money::Rates;
use tokio::sync::Notify;

use crate::feeds::{KeyEntry, Published};
use crate::links::Links;
use crate::search::Search;
use crate::storage::Storage;
use crate::usage::{EventLimits, Recorder};

/// How the last refresh of the feeds went.
#[derive(Debug, Clone, Default)]
pub struct Health {
    /// Why the last refresh failed (the feeds served are the last good ones), if it did.
    pub last_error: Option<String>,
    /// When the feeds were last built.
    pub built_at: Option<Timestamp>,
}

/// The handlers' state.
pub struct Shared {
    published: RwLock<Arc<Published>>,
    health: RwLock<Health>,
    /// The signing key and earlier ones, as the list of feeds names them.
    pub keys: Vec<KeyEntry>,
    /// The token `/v1/admin/*` requires; none: off.
    pub admin_token: Option<String>,
    /// The storage.
    pub storage: Arc<dyn Storage>,
    /// Wakes the publisher for a change made through this server (no need to wait for a poll).
    pub changed: Notify,
    /// Smart Search's products (off until [`Shared::with_search`] turns it on).
    pub search: Search,
    /// Our affiliate links (none until [`Shared::with_links`]: `serve` always sets them, with
    /// the configured affiliate key).
    pub links: Option<Links>,
    /// The rate limits of `POST /v1/events` (the defaults until [`Shared::with_event_limits`]).
    pub event_limits: EventLimits,
    /// The writer of the accepted usage batches (into `storage`).
    pub recorder: Recorder,
    rates: RwLock<Arc<Rates>>,
}

/// The handlers' state, shared.
pub type AppState = Arc<Shared>;

impl Shared {
    /// A state with nothing published yet (its usage writer a task of the current runtime).
    pub fn new(
        storage: Arc<dyn Storage>,
        keys: Vec<KeyEntry>,
        admin_token: Option<String>,
    ) -> Self {
        Self {
            published: RwLock::new(Arc::new(Published::default())),
            health: RwLock::new(Health::default()),
            keys,
            admin_token,
            recorder: Recorder::start(Arc::clone(&storage)),
            storage,
            changed: Notify::new(),
            search: Search::off("no AliExpress credentials configured"),
            links: None,
            event_limits: EventLimits::default(),
            rates: RwLock::new(Arc::new(Rates::none())),
        }
    }

    /// This state with `search` answering `/v1/search`.
    pub fn with_search(mut self, search: Search) -> Self {
        self.search = search;
        self
    }

    /// This state with `links` answering `/v1/links`.
    pub fn with_links(mut self, links: Links) -> Self {
        self.links = Some(links);
        self
    }

    /// This state with `limits` on `POST /v1/events`.
    pub fn with_event_limits(mut self, limits: EventLimits) -> Self {
        self.event_limits = limits;
        self
    }

    /// The day's exchange rates, as the feeds carry them.
    pub fn rates(&self) -> Arc<Rates> {
        match self.rates.read() {
            Ok(guard) => Arc::clone(&guard),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    /// The day's exchange rates from now on (the publisher's, at each refresh).
    pub fn set_rates(&self, rates: Rates) {
        let rates = Arc::new(rates);
        match self.rates.write() {
            Ok(mut guard) => *guard = rates,
            Err(poisoned) => *poisoned.into_inner() = rates,
        }
    }

    /// The feeds served now.
    pub fn published(&self) -> Arc<Published> {
        match self.published.read() {
            Ok(guard) => Arc::clone(&guard),
            // A writer never panics while holding it; if one did, its last value stands.
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    /// Serves `published` from now on; the refresh went well.
    pub fn publish(&self, published: Published, at: Timestamp) {
        let published = Arc::new(published);
        match self.published.write() {
            Ok(mut guard) => *guard = published,
            Err(poisoned) => *poisoned.into_inner() = published,
        }
        self.set_health(Health {
            last_error: None,
            built_at: Some(at),
        });
    }

    /// A refresh failed: the last good feeds stay, and health says why.
    pub fn refresh_failed(&self, error: String) {
        let mut health = self.health();
        health.last_error = Some(error);
        self.set_health(health);
    }

    /// How the last refresh went.
    pub fn health(&self) -> Health {
        match self.health.read() {
            Ok(guard) => guard.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    fn set_health(&self, health: Health) {
        match self.health.write() {
            Ok(mut guard) => *guard = health,
            Err(poisoned) => *poisoned.into_inner() = health,
        }
    }
}
