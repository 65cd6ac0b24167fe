//! The `BillingProvider` for an external billing system (DESIGN §3.5), following the
//! integration conventions of DESIGN §4: every request carries `X-Transaction-Id`, errors
//! come back as `{code, message}`, bodies are limited to 1 MB, and a slow or absent remote
//! is a clear error after the timeout, never a hang.
//!
//! The remote answers `GET {base}/customers/billing?phone=…&from=YYYY-MM-DD&to=YYYY-MM-DD`
//! with the same JSON document the billing import accepts (`accounts`, `bills`, `payments`,
//! `usage`); it is validated with the import's rules before anything is shown.

use std::time::Duration;

use async_trait::async_trait;
use chrono::NaiveDate;
use loopdesk::billing::import::{parse_json, ImportProblem};
use loopdesk::billing::Account;
use loopdesk::customer::Customer;

use app::console::{BillingProvider, CustomerBilling, ProviderError};

/// Largest accepted response.
const RESPONSE_LIMIT: usize = 1024 * 1024;

/// An external billing system reached over HTTP.
pub struct HttpBilling {
    base: String,
    client: reqwest::Client,
}

impl HttpBilling {
    /// A client for `base` (e.g. `http://billing.internal:8080/api`) with a per-request
    /// timeout.
    pub fn new(base: &str, timeout: Duration) -> anyhow::Result<HttpBilling> {
        let client = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout)
            .build()?;
        Ok(HttpBilling {
            base: base.trim_end_matches('/').to_owned(),
            client,
        })
    }
}

fn unavailable(what: impl std::fmt::Display) -> ProviderError {
    ProviderError::Unavailable(what.to_string())
}

#[derive(serde::Deserialize)]
struct RemoteError {
    code: String,
    message: String,
}

#[async_trait]
impl BillingProvider for HttpBilling {
    async fn billing(
        &self,
        customer: &Customer,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<CustomerBilling, ProviderError> {
        let phone = customer.phones.first().cloned().unwrap_or_default();
        let transaction_id = uuid::Uuid::new_v4().to_string();
        let mut response = self
            .client
            .get(format!("{}/customers/billing", self.base))
            .query(&[
                ("phone", phone.as_str()),
                ("from", &from.to_string()),
                ("to", &to.to_string()),
            ])
            .header("x-transaction-id", &transaction_id)
            .send()
            .await
            .map_err(|e| match e.is_timeout() {
                true => unavailable("timed out"),
                false => unavailable(format!("cannot reach the billing system: {e}")),
            })?;
        let status = response.status();
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(unavailable)? {
            if body.len() + chunk.len() > RESPONSE_LIMIT {
                return Err(unavailable("response larger than 1 MB"));
            }
            body.extend_from_slice(&chunk);
        }
        if !status.is_success() {
            return Err(match serde_json::from_slice::<RemoteError>(&body) {
                Ok(e) => unavailable(format!("{status} {}: {}", e.code, e.message)),
                Err(_) => unavailable(format!("{status} without an error body")),
            });
        }
        let text = std::str::from_utf8(&body).map_err(unavailable)?;
        let batch = match parse_json(text) {
            Ok(b) => b,
            Err(issues) if issues.iter().all(|i| i.problem == ImportProblem::Empty) => {
                return Ok(CustomerBilling::default())
            }
            Err(issues) => {
                return Err(unavailable(format!(
                    "invalid billing data ({} problems, first: {:?})",
                    issues.len(),
                    issues.first()
                )))
            }
        };
        let accounts: Vec<Account> = batch
            .accounts
            .into_iter()
            .map(|a| Account {
                number: a.value.number,
                customer: customer.id,
                plan: a.value.plan,
                status: a.value.status,
                balance: a.value.balance,
                credit_limit: a.value.credit_limit,
            })
            .collect();
        let mut payments: Vec<_> = batch.payments.into_iter().map(|p| p.value).collect();
        payments.sort_by_key(|p| std::cmp::Reverse(p.paid_at));
        Ok(CustomerBilling {
            accounts,
            bills: batch.bills.into_iter().map(|b| b.value).collect(),
            payments,
            usage: batch.usage.into_iter().map(|u| u.value).collect(),
        })
    }
}
