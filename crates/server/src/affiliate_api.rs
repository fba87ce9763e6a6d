//! The process's one AliExpress affiliate API client, made from the configuration: Smart Search
//! and our links share it, so its connections are pooled and its circuit breaker sees every
//! call (an API that fails for one fails for the other).

use std::sync::Arc;

use shopper_aliexpress::Client;

use crate::config::AliexpressConfig;

/// The client for the configured endpoint and credentials, or why there is none (credentials
/// missing, or a client that could not be set up), in words the start's "off:" lines use.
pub fn client(config: &AliexpressConfig) -> Result<Arc<Client>, String> {
    let (Some(key), Some(secret), Some(tracking)) =
        (&config.app_key, &config.app_secret, &config.tracking_id)
    else {
        return Err(format!(
            "no AliExpress {} configured",
            config.missing().join(", ")
        ));
    };
    let mut client = shopper_aliexpress::Config::new(key, secret, tracking);
    client.base_url.clone_from(&config.api_url);
    // No retry may start after a search's deadline would have passed anyway (a link request's
    // shorter deadline bounds its own calls).
    client.retry.budget = client.retry.budget.min(config.deadline);
    Client::new(client).map(Arc::new).map_err(|e| e.to_string())
}
