//! Messages to customers outside the portal (SSR only): the `MessageSender` port for SMS
//! and e-mail, and the senders that ship with Loopdesk — the log (demo: verification codes
//! appear on the server console) and a spool file of JSON lines that an SMS/e-mail gateway
//! can tail. A production gateway is another implementation of the same trait.

use std::path::PathBuf;
use std::sync::Arc;

use async_trait::async_trait;
use serde::Serialize;

/// Where a message goes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "channel", content = "to", rename_all = "snake_case")]
pub enum Recipient {
    /// A mobile number (national form).
    Sms(String),
    /// An e-mail address.
    Email(String),
}

/// Why the message is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    /// A verification code.
    VerificationCode,
    /// News about a ticket.
    TicketNotice,
}

/// One message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Message {
    /// Recipient.
    pub to: Recipient,
    /// Why.
    pub purpose: Purpose,
    /// The text.
    pub text: String,
}

/// Why sending failed.
#[derive(Debug, thiserror::Error)]
#[error("message not sent: {0}")]
pub struct SendError(pub String);

/// Sends SMS and e-mail.
#[async_trait]
pub trait MessageSender: Send + Sync {
    /// Sends one message.
    async fn send(&self, message: &Message) -> Result<(), SendError>;
}

/// The sender in use.
pub type Sender = Arc<dyn MessageSender>;

/// Writes messages to the server log (the demo's "SMS gateway").
pub struct LogSender;

#[async_trait]
impl MessageSender for LogSender {
    async fn send(&self, m: &Message) -> Result<(), SendError> {
        let to = match &m.to {
            Recipient::Sms(n) | Recipient::Email(n) => n.as_str(),
        };
        tracing::info!(target: "loopdesk::sms", to, purpose = ?m.purpose, text = %m.text, "message sent (log sender)");
        Ok(())
    }
}

/// Appends each message as a JSON line to a file.
pub struct SpoolSender {
    path: PathBuf,
    lock: tokio::sync::Mutex<()>,
}

impl SpoolSender {
    /// A spool at `path` (created when first written).
    pub fn new(path: PathBuf) -> SpoolSender {
        SpoolSender {
            path,
            lock: tokio::sync::Mutex::new(()),
        }
    }
}

#[async_trait]
impl MessageSender for SpoolSender {
    async fn send(&self, m: &Message) -> Result<(), SendError> {
        use tokio::io::AsyncWriteExt;
        let mut line = serde_json::to_string(m).map_err(|e| SendError(e.to_string()))?;
        line.push('\n');
        let _guard = self.lock.lock().await;
        let mut f = tokio::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)
            .await
            .map_err(|e| SendError(format!("{}: {e}", self.path.display())))?;
        f.write_all(line.as_bytes())
            .await
            .map_err(|e| SendError(e.to_string()))?;
        f.flush().await.map_err(|e| SendError(e.to_string()))
    }
}
