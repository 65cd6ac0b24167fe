//! Ticket attachments: which files are accepted (images and PDF recognised by their
//! content, not their name or the browser's claim), the size and count limits, safe file
//! names, and the `Content-Type` / `Content-Disposition` a download is served with.

use serde::{Deserialize, Serialize};

/// Largest accepted file.
pub const MAX_BYTES: usize = 5 * 1024 * 1024;
/// Most files on one ticket.
pub const MAX_PER_TICKET: usize = 10;
/// Longest kept file name (characters).
pub const MAX_NAME: usize = 100;

coded_enum!(
    /// An accepted file type.
    FileKind {
        /// PNG image.
        Png = "png",
        /// JPEG image.
        Jpeg = "jpeg",
        /// GIF image.
        Gif = "gif",
        /// WebP image.
        Webp = "webp",
        /// PDF document.
        Pdf = "pdf",
    }
);

impl FileKind {
    /// The type it is served as.
    pub fn content_type(self) -> &'static str {
        match self {
            FileKind::Png => "image/png",
            FileKind::Jpeg => "image/jpeg",
            FileKind::Gif => "image/gif",
            FileKind::Webp => "image/webp",
            FileKind::Pdf => "application/pdf",
        }
    }

    /// The file name extension it gets.
    pub fn extension(self) -> &'static str {
        match self {
            FileKind::Jpeg => "jpg",
            other => other.code(),
        }
    }

    /// Images may be shown inline; everything else downloads.
    pub fn inline(self) -> bool {
        self != FileKind::Pdf
    }

    /// Recognises a file by its first bytes.
    pub fn sniff(bytes: &[u8]) -> Option<FileKind> {
        if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(FileKind::Png)
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(FileKind::Jpeg)
        } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
            Some(FileKind::Gif)
        } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
            Some(FileKind::Webp)
        } else if bytes.starts_with(b"%PDF-") {
            Some(FileKind::Pdf)
        } else {
            None
        }
    }
}

/// Why a file was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all = "snake_case")]
pub enum AttachmentError {
    /// No bytes.
    #[error("empty file")]
    Empty,
    /// Over [`MAX_BYTES`].
    #[error("file too large")]
    TooLarge,
    /// Not an image or PDF.
    #[error("file type not accepted")]
    UnsupportedType,
    /// The ticket has [`MAX_PER_TICKET`] files already.
    #[error("too many files")]
    TooMany,
}

/// An accepted file: its type and the name it is kept under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accepted {
    /// Recognised type.
    pub kind: FileKind,
    /// Safe file name with the right extension.
    pub name: String,
}

/// Checks a file for a ticket that has `existing` files already.
pub fn accept(name: &str, bytes: &[u8], existing: usize) -> Result<Accepted, AttachmentError> {
    if existing >= MAX_PER_TICKET {
        return Err(AttachmentError::TooMany);
    }
    if bytes.is_empty() {
        return Err(AttachmentError::Empty);
    }
    if bytes.len() > MAX_BYTES {
        return Err(AttachmentError::TooLarge);
    }
    let kind = FileKind::sniff(bytes).ok_or(AttachmentError::UnsupportedType)?;
    Ok(Accepted {
        kind,
        name: safe_name(name, kind),
    })
}

/// The last path segment of `name`, without control and quoting characters, at most
/// [`MAX_NAME`] characters, ending in the extension of `kind` (so a PDF named `a.html`
/// becomes `a.html.pdf`).
pub fn safe_name(name: &str, kind: FileKind) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let mut clean: String = last
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | '\'' | '<' | '>' | ';' | '`'))
        .collect::<String>()
        .trim()
        .trim_start_matches('.')
        .to_owned();
    let ext = kind.extension();
    let lower = clean.to_lowercase();
    let has_ext =
        lower.ends_with(&format!(".{ext}")) || (kind == FileKind::Jpeg && lower.ends_with(".jpeg"));
    if clean.is_empty() {
        clean = "file".to_owned();
    }
    let suffix = if has_ext {
        String::new()
    } else {
        format!(".{ext}")
    };
    let room = MAX_NAME.saturating_sub(suffix.chars().count());
    if clean.chars().count() > room {
        // Keep the end (with its extension) when the name already has one.
        clean = if has_ext {
            let n = clean.chars().count();
            clean.chars().skip(n - room).collect()
        } else {
            clean.chars().take(room).collect()
        };
    }
    clean + &suffix
}

/// The `Content-Disposition` header value: `inline` for images, `attachment` otherwise,
/// with an ASCII fallback name and the UTF-8 name (RFC 6266 / RFC 5987).
pub fn content_disposition(name: &str, kind: FileKind) -> String {
    let disposition = if kind.inline() {
        "inline"
    } else {
        "attachment"
    };
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut encoded = String::new();
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            encoded.push(b as char);
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    format!("{disposition}; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";

    #[test]
    fn files_are_recognised_by_content() {
        assert_eq!(FileKind::sniff(PNG), Some(FileKind::Png));
        assert_eq!(
            FileKind::sniff(b"\xFF\xD8\xFF\xE0rest"),
            Some(FileKind::Jpeg)
        );
        assert_eq!(FileKind::sniff(b"GIF89a.."), Some(FileKind::Gif));
        assert_eq!(
            FileKind::sniff(b"RIFF\0\0\0\0WEBPVP8 "),
            Some(FileKind::Webp)
        );
        assert_eq!(FileKind::sniff(b"%PDF-1.7\n"), Some(FileKind::Pdf));
        assert_eq!(FileKind::sniff(b"<html><script>"), None);
        assert_eq!(FileKind::sniff(b"MZ\x90\0"), None);
        assert_eq!(FileKind::sniff(b"RIFF\0\0\0\0WAVE"), None);
    }

    #[test]
    fn limits_and_types() {
        assert_eq!(accept("a.png", PNG, 0).unwrap().kind, FileKind::Png);
        assert_eq!(accept("a.png", b"", 0), Err(AttachmentError::Empty));
        assert_eq!(
            accept("a.exe", b"MZ\x90\0", 0),
            Err(AttachmentError::UnsupportedType)
        );
        // A script renamed to .png is still not an image.
        assert_eq!(
            accept("x.png", b"<svg onload=alert(1)>", 0),
            Err(AttachmentError::UnsupportedType)
        );
        let mut big = b"%PDF-".to_vec();
        big.resize(MAX_BYTES + 1, b' ');
        assert_eq!(accept("big.pdf", &big, 0), Err(AttachmentError::TooLarge));
        big.truncate(MAX_BYTES);
        assert!(accept("big.pdf", &big, 0).is_ok());
        assert_eq!(
            accept("a.png", PNG, MAX_PER_TICKET),
            Err(AttachmentError::TooMany)
        );
    }

    #[test]
    fn names_are_made_safe() {
        assert_eq!(safe_name("../../etc/passwd", FileKind::Pdf), "passwd.pdf");
        assert_eq!(
            safe_name("C:\\Users\\me\\账单.PDF", FileKind::Pdf),
            "账单.PDF"
        );
        assert_eq!(safe_name("photo.jpeg", FileKind::Jpeg), "photo.jpeg");
        assert_eq!(safe_name("page.html", FileKind::Pdf), "page.html.pdf");
        assert_eq!(safe_name("a\"b;c<d>\n.png", FileKind::Png), "abcd.png");
        assert_eq!(safe_name("", FileKind::Png), "file.png");
        assert_eq!(safe_name(".hidden", FileKind::Gif), "hidden.gif");
        let long = format!("{}.pdf", "长".repeat(300));
        let safe = safe_name(&long, FileKind::Pdf);
        assert_eq!(safe.chars().count(), MAX_NAME);
        assert!(safe.ends_with(".pdf"));
    }

    #[test]
    fn dispositions() {
        assert_eq!(
            content_disposition("账单 1.pdf", FileKind::Pdf),
            "attachment; filename=\"__ 1.pdf\"; filename*=UTF-8''%E8%B4%A6%E5%8D%95%201.pdf"
        );
        assert!(content_disposition("a.png", FileKind::Png).starts_with("inline; "));
    }
}
